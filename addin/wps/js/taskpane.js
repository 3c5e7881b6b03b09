/* The 校验结果 task pane: each finding with links that select its cells in the workbook. */
(function () {
  "use strict";
  var LEVEL = { error: "错误", warning: "警告", info: "提示" };
  var answer = JSON.parse(wps.PluginStorage.getItem("juesuan.lastResult") || "{}");
  var report = answer.findings || { findings: [], summary: {} };
  var s = report.summary || {};
  document.getElementById("summary").textContent = "错误 " + (s.error || 0) + " 个，警告 " + (s.warning || 0) +
    " 个，提示 " + (s.info || 0) + " 个";
  var list = document.getElementById("list");
  report.findings.forEach(function (f) {
    var li = document.createElement("li");
    li.className = f.severity;
    li.appendChild(document.createTextNode("[" + (LEVEL[f.severity] || f.severity) + " " + f.rule + "] " + f.message + " "));
    (f.cells || []).forEach(function (c) {
      if (!c.cell) return;
      var a = document.createElement("a");
      a.textContent = c.sheet + "!" + c.cell + " ";
      a.onclick = function () {
        var ws = window.Application.ActiveWorkbook.Worksheets.Item(c.sheet);
        ws.Activate();
        ws.Range(c.cell).Select();
      };
      li.appendChild(a);
    });
    list.appendChild(li);
  });
})();
