/* 决算公开助手 browser page: upload a workbook or data file to the local service, show the
 * findings with their cells, download the processed workbook and the Word/PDF.
 *
 * The page is served under /s/<token>/; it reads the token from its own address (no other page
 * can) and sends it in the X-Juesuan-Token header of every API call.  Downloads are fetched with
 * the header and handed to the browser as a blob, so no address ever carries the token twice.
 */
(function () {
  "use strict";
  var token = decodeURIComponent(location.pathname.split("/")[2] || "");
  var LEVEL = { error: "错误", warning: "警告", info: "提示" };
  var $ = function (id) { return document.getElementById(id); };
  var busy = false;

  function status(text, kind) {
    var el = $("status");
    el.textContent = text;
    el.className = kind || "";
  }

  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "X-Juesuan-Token": token }, options.headers || {});
    return fetch(path, options);
  }

  async function answerOf(res) {
    var body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok || !body || body.ok === false) {
      var msg = body && body.error ? body.error.message : "服务返回错误 " + res.status + "（the service answered " + res.status + "）";
      throw new Error(msg);
    }
    return body;
  }

  function cellText(c) { return c.cell ? c.sheet + "!" + c.cell : c.sheet; }

  function showReport(answer) {
    var report = answer.findings || { summary: {}, findings: [] };
    var s = report.summary;
    $("summary").textContent = "错误 " + s.error + " 个，警告 " + s.warning + " 个，提示 " + s.info + " 个，已说明 " +
      s.acknowledged + " 个";
    var body = $("findings").querySelector("tbody");
    body.textContent = "";
    report.findings.forEach(function (f, i) {
      var tr = document.createElement("tr");
      tr.className = f.severity;
      [String(i + 1), LEVEL[f.severity] + (f.acknowledged !== null ? "（已说明）" : ""), f.rule, f.message,
        f.cells.map(cellText).join("、")].forEach(function (text, j) {
        var td = document.createElement("td");
        td.textContent = text;
        if (j === 4) td.className = "cells";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var lines = $("lines");
    lines.textContent = "";
    (answer.lines || []).forEach(function (l) {
      var li = document.createElement("li");
      li.textContent = l;
      lines.appendChild(li);
    });
    $("report").hidden = false;
  }

  var KIND = { xlsx: "已填充、校验、生成说明的工作簿", docx: "Word 文档", pdf: "PDF 文档" };

  function showFiles(files) {
    var list = $("files");
    list.textContent = "";
    Object.keys(files).forEach(function (kind) {
      var f = files[kind];
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.className = "download";
      b.dataset.kind = kind;
      b.textContent = "下载 " + f.name;
      b.title = KIND[kind] || kind;
      b.addEventListener("click", function () { download(f); });
      li.appendChild(b);
      list.appendChild(li);
    });
    $("downloads").hidden = false;
  }

  async function download(f) {
    try {
      var res = await api(f.url);
      if (!res.ok) { await answerOf(res); return; }
      var url = URL.createObjectURL(await res.blob());
      var a = document.createElement("a");
      a.href = url;
      a.download = f.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    } catch (e) {
      status("下载失败：" + e.message, "error");
    }
  }

  async function upload(file) {
    if (busy) { status("上一个文件仍在处理，请稍候。", "busy"); return; }
    busy = true;
    $("report").hidden = true;
    $("downloads").hidden = true;
    status("正在处理「" + file.name + "」：填充、校验、生成说明" + ($("export").checked || $("pdf").checked ? "、导出" : ""), "busy");
    try {
      var exp = $("export").checked || $("pdf").checked ? "1" : "0", pdf = $("pdf").checked ? "1" : "0";
      var res = await api("/api/upload?name=" + encodeURIComponent(file.name) + "&export=" + exp + "&pdf=" + pdf,
        { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } });
      var answer = await answerOf(res);
      status("完成：" + answer.message, "done");
      showReport(answer);
      showFiles(answer.files);
    } catch (e) {
      status("无法处理：" + e.message, "error");
    } finally {
      busy = false;
    }
  }

  $("file").addEventListener("change", function (ev) {
    if (ev.target.files.length) upload(ev.target.files[0]);
    ev.target.value = "";
  });
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (n) {
    drop.addEventListener(n, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (n) {
    drop.addEventListener(n, function (ev) { ev.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (ev) {
    if (ev.dataTransfer.files.length) upload(ev.dataTransfer.files[0]);
  });
  if (!token) status("地址中缺少令牌：请用 juesuan serve 显示的地址打开本页。", "error");
})();
