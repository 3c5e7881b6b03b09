/* Run one button of the WPS add-in (addin/wps/js/main.js) in Node, on a fake ET workbook.
 *
 *   node run_addin.js CELLS.json COMMAND[,COMMAND…] BASE_URL TOKEN OUT.json
 *
 * Several commands run one after the other on the same workbook, as a user presses the buttons.
 *
 * CELLS.json: {"name", "path", "names": {"_juesuan_format": "=\"nmg-2023\""},
 *              "sheets": [{"name", "visible", "protected", "cells": {"A1": {"v", "f"}}}]}
 * OUT.json:   {"result": {message, lines, counts, saved}, "stats": {...}, "workbook": dump} or {"error": text}
 */
"use strict";
var fs = require("fs");
var path = require("path");
var FakeApp = require("./fake_et.js").FakeApp;
var addin = require(path.join(__dirname, "..", "..", "addin", "wps", "js", "main.js"));

async function main() {
  var args = process.argv.slice(2);
  var data = JSON.parse(fs.readFileSync(args[0], "utf8"));
  var app = new FakeApp(data);
  var conn = { base: args[2], token: args[3] };
  var files = {
    writeAsBinaryString: function (target, text) { fs.writeFileSync(target, Buffer.from(text, "latin1")); }
  };
  var out;
  try {
    var result;
    for (var command of args[1].split(",")) result = await addin.runCommand(app, command, conn, files);
    out = { result: { message: result.answer.message, lines: result.answer.lines, counts: result.answer.counts,
      findings: result.answer.findings, applied: result.applied, saved: result.saved,
      summary: addin.summary(result) }, stats: app.stats, workbook: app.dump() };
  } catch (e) {
    out = { error: e && e.message ? e.message : String(e), stats: app.stats };
  }
  fs.writeFileSync(args[4], JSON.stringify(out));
}

main();
