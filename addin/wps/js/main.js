/* 决算公开助手 — the WPS 加载项's buttons (ribbon.xml calls OnAddinLoad / OnAction / GetImage).
 *
 * The add-in is served by `juesuan serve` under /s/<token>/wps/, so its calls to /api/… are
 * same-origin and it knows the install's token from its own address (no other page can read
 * it).  Each button reads the workbook once (JuesuanET.readSnapshot), posts it, applies the
 * answer's sheet edits (JuesuanET.applyEdits) and reports in Chinese.
 */
(function (root, factory) {
  var ET = typeof module === "object" && module.exports ? require("./et.js") : root.JuesuanET;
  var api = factory(ET);
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.Juesuan = api;
})(typeof self !== "undefined" ? self : this, function (ET) {
  "use strict";

  var TITLE = "决算公开助手";
  var COMMANDS = { btnFill: "fill", btnCheck: "check", btnNarrate: "narrate", btnExport: "export", btnDoctor: "doctor" };
  var STORE_KEY = "juesuan.lastResult";

  /* Where the service is and the token, from this page's own address (/s/<token>/wps/…). */
  function fromLocation(loc) {
    var parts = loc.pathname.split("/");
    return { base: loc.origin, token: parts[1] === "s" ? decodeURIComponent(parts[2] || "") : "" };
  }

  function fail(zh, en) {
    var e = new Error(zh + "（" + en + "）");
    e.zh = zh;
    return e;
  }

  async function call(conn, method, path, body) {
    var fetcher = conn.fetch || fetch;
    var res;
    try {
      res = await fetcher(conn.base + path, {
        method: method,
        headers: body === undefined ? { "X-Juesuan-Token": conn.token }
          : { "X-Juesuan-Token": conn.token, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw fail("无法连接决算公开助手服务，请先运行 juesuan serve", "cannot reach the juesuan service; start juesuan serve");
    }
    var answer = null;
    try { answer = await res.json(); } catch (e) { answer = null; }
    if (!res.ok || !answer || answer.ok === false) {
      if (res.status === 401) throw fail("令牌不符：请重新运行 juesuan wps install 并重启 WPS", "wrong token: run juesuan wps install again");
      if (answer && answer.error) {
        var err = new Error(answer.error.message);  // Chinese, English beside it, and where (book, sheet, cell)
        err.zh = answer.error.zh;
        throw err;
      }
      throw fail("服务返回错误 " + res.status, "the service answered " + res.status);
    }
    return answer;
  }

  async function download(conn, file) {
    var fetcher = conn.fetch || fetch;
    var res = await fetcher(conn.base + file.url, { headers: { "X-Juesuan-Token": conn.token } });
    if (!res.ok) throw fail("下载「" + file.name + "」失败", "cannot download " + file.name);
    return new Uint8Array(await res.arrayBuffer());
  }

  function binaryString(bytes) {
    var parts = [], step = 0x8000;
    for (var i = 0; i < bytes.length; i += step) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + step)));
    return parts.join("");
  }

  /* Run one button on the active workbook: the answer, what was applied, files saved. */
  async function runCommand(app, command, conn, fs) {
    if (command === "doctor") {
      var doc = await call(conn, "GET", "/api/doctor");
      var wbName = app.ActiveWorkbook ? app.ActiveWorkbook.Name : null;
      doc.lines = ["√ 决算公开助手服务 (service)：" + conn.base, (wbName ? "√ 工作簿 (workbook)：" + wbName
        : "× 工作簿 (workbook)：请先打开一个工作簿 (open a workbook)")].concat(doc.lines);
      return { answer: doc, applied: null, saved: [] };
    }
    var wb = app.ActiveWorkbook;
    if (!wb) throw fail("请先打开要处理的工作簿", "open a workbook first");
    var answer = await call(conn, "POST", "/api/snapshot/" + command, ET.readSnapshot(wb));
    var applied = answer.edits ? ET.applyEdits(app, wb, answer.edits) : null;
    var saved = [];
    if (answer.files) {
      if (!fs || typeof fs.writeAsBinaryString !== "function") {
        throw fail("此版本 WPS 不能由加载项写文件：请用 juesuan serve 的浏览器页面导出",
          "this WPS cannot write files from an add-in; export from the browser page");
      }
      var folder = wb.Path;
      if (!folder) throw fail("工作簿尚未保存：请先保存，导出的文件放在工作簿旁边", "save the workbook first; exports go next to it");
      var sep = folder.indexOf("\\") >= 0 ? "\\" : "/";
      for (var kind in answer.files) {
        var file = answer.files[kind];
        var target = folder + sep + file.name;
        fs.writeAsBinaryString(target, binaryString(await download(conn, file)));
        saved.push(target);
      }
    }
    return { answer: answer, applied: applied, saved: saved };
  }

  function summary(result) {
    var a = result.answer, lines = [a.message];
    (a.lines || []).slice(0, 30).forEach(function (l) { lines.push(l); });
    if (a.lines && a.lines.length > 30) lines.push("……（共 " + a.lines.length + " 行）");
    if (result.applied) {
      lines.push("已写入 " + result.applied.cells + " 个单元格，" + result.applied.sheets + " 张工作表。");
      result.applied.problems.forEach(function (p) { lines.push("注意：" + p); });
    }
    result.saved.forEach(function (p) { lines.push("已保存：" + p); });
    return lines.join("\n");
  }

  /* ── inside WPS ── */
  function host() {
    if (typeof window !== "undefined" && window.Application) return window.Application;
    if (typeof wps !== "undefined" && wps.EtApplication) return wps.EtApplication();
    return null;
  }

  function say(text) {
    if (typeof alert === "function") alert(TITLE + "\n\n" + text);
  }

  function showFindings(answer) {
    try {
      wps.PluginStorage.setItem(STORE_KEY, JSON.stringify(answer));
      var pane = wps.CreateTaskPane(location.href.replace(/[^/]*$/, "") + "taskpane.html", "校验结果");
      pane.Visible = true;
    } catch (e) { /* the message box already said it */ }
  }

  var running = false;

  async function press(command) {
    if (running) { say("上一个操作仍在进行，请稍候。"); return; }
    running = true;
    try {
      var conn = fromLocation(location);
      var result = await runCommand(host(), command, conn, typeof wps !== "undefined" ? wps.FileSystem : null);
      say(summary(result));
      if (command === "check" && result.answer.findings && result.answer.findings.findings.length) showFindings(result.answer);
    } catch (e) {
      say("无法完成：" + (e && e.message ? e.message : e));
    } finally {
      running = false;
    }
  }

  var api = {
    fromLocation: fromLocation, runCommand: runCommand, summary: summary, COMMANDS: COMMANDS, STORE_KEY: STORE_KEY,
    OnAddinLoad: function (ribbonUI) {
      if (typeof window !== "undefined") window.Application && (window.Application.ribbonUI = ribbonUI);
      return true;
    },
    OnAction: function (control) {
      var command = COMMANDS[control.Id];
      if (command) press(command);
      return true;
    },
    GetImage: function (control) { return "images/" + (COMMANDS[control.Id] || "fill") + ".svg"; }
  };
  return api;
});

if (typeof window !== "undefined" && typeof module === "undefined") {
  window.OnAddinLoad = Juesuan.OnAddinLoad;
  window.OnAction = Juesuan.OnAction;
  window.GetImage = Juesuan.GetImage;
}
