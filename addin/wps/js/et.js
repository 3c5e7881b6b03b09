/* 决算公开助手 — the WPS 表格 (ET) side: read a workbook snapshot, apply sheet edits.
 *
 * Only ET object-model calls are used (Worksheets, UsedRange, Range(...).Value2 / .Formula,
 * EntireRow.Insert/Delete, Interior, Font, Borders, Hyperlinks, Comments, Shapes.AddChart), so
 * the same file runs inside WPS and, in the tests, in Node against an object implementing those
 * calls.  Reading costs a few calls per sheet (the used range as one block of Value2 and one of
 * Formula); writing costs one call per block of changed cells and a few per style group.
 *
 * The edits' JSON shape is documented in src/juesuan/service/edits.py (version 1).
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.JuesuanET = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var XL = {
    none: -4142, left: -4131, center: -4108, right: -4152, general: 1, top: -4160, bottom: -4107,
    justify: -4130, distributed: -4117, fill: 5, centerContinuous: 7,
    continuous: 1, thin: 2, underlineSingle: 2, shiftDown: -4121, shiftUp: -4162, pie: 5, bar: 57,
    column: 51, line: 4, visible: -1, hidden: 0
  };
  var CHART_TYPES = { pie: XL.pie, bar: XL.column, line: XL.line };
  var STAMP = "_juesuan_format";
  var MAX_CELLS = 1000000;  // one sheet's used range; the service takes 2,000,000 cells in all

  function columnLetter(n) {
    var s = "";
    while (n > 0) {
      var m = (n - 1) % 26;
      s = String.fromCharCode(65 + m) + s;
      n = Math.floor((n - 1) / 26);
    }
    return s;
  }

  /* A Value2/Formula answer as rows × cols: WPS gives a scalar for one cell, rows of values for more. */
  function grid(raw, rows, cols) {
    var out = [], r, c;
    if (raw === null || raw === undefined || typeof raw !== "object") {
      raw = [[raw]];
    } else if (raw.length && !Array.isArray(raw[0])) {
      var flat = raw;
      raw = [];
      for (r = 0; r < rows; r++) raw.push(Array.prototype.slice.call(flat, r * cols, (r + 1) * cols));
    }
    for (r = 0; r < rows; r++) {
      var row = [];
      for (c = 0; c < cols; c++) {
        var v = raw[r] ? raw[r][c] : null;
        row.push(v === undefined || v === "" ? null : v);
      }
      out.push(row);
    }
    return out;
  }

  /* Rows and columns up to the last cell holding a value or a formula. */
  function usedSize(values, formulas) {
    var rows = 0, cols = 0;
    for (var r = 0; r < values.length; r++) {
      for (var c = 0; c < values[r].length; c++) {
        if (values[r][c] !== null || formulas[r][c] !== null) {
          rows = r + 1;
          if (c + 1 > cols) cols = c + 1;
        }
      }
    }
    return [rows, cols];
  }

  function sheets(wb) {
    var list = [], n = wb.Worksheets.Count;
    for (var i = 1; i <= n; i++) list.push(wb.Worksheets.Item(i));
    return list;
  }

  /* The snapshot of every worksheet: Value2 and Formula of A1 … last used cell, two reads each. */
  function readSnapshot(wb) {
    var out = [];
    sheets(wb).forEach(function (ws) {
      var used = ws.UsedRange;
      var rows = used.Row + used.Rows.Count - 1, cols = used.Column + used.Columns.Count - 1;
      var entry = { name: ws.Name, visible: ws.Visible === XL.visible, values: [], formulas: [] };
      if (rows * cols > MAX_CELLS) {
        throw new Error("工作表「" + ws.Name + "」的已用区域过大（" + rows + " 行 × " + cols + " 列），" +
          "请删除多余的空行、空列后再试（the sheet's used range is too large）");
      }
      var block = ws.Range("A1:" + columnLetter(cols) + rows);
      var values = grid(block.Value2, rows, cols);
      var formulas = grid(block.Formula, rows, cols).map(function (row) {
        return row.map(function (f) { return typeof f === "string" && f.charAt(0) === "=" ? f : null; });
      });
      var size = usedSize(values, formulas);  // formatting alone can stretch UsedRange: send only content
      entry.values = values.slice(0, size[0]).map(function (r) { return r.slice(0, size[1]); });
      entry.formulas = formulas.slice(0, size[0]).map(function (r) { return r.slice(0, size[1]); });
      out.push(entry);
    });
    return { version: 1, workbook: wb.Name, format: formatStamp(wb), sheets: out };
  }

  /* The workbook's format stamp (the hidden name _juesuan_format = "nmg-2023"), or null. */
  function formatStamp(wb) {
    try {
      var text = String(wb.Names.Item(STAMP).RefersTo || "");
      return text.replace(/^=/, "").replace(/^"|"$/g, "") || null;
    } catch (e) {
      return null; // no stamp: the service recognises the format by its sheets
    }
  }

  function bgr(hex) {
    var n = parseInt(hex, 16);
    return ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
  }

  var H_ALIGN = { general: XL.general, left: XL.left, center: XL.center, right: XL.right, justify: XL.justify,
    distributed: XL.distributed, fill: XL.fill, centerContinuous: XL.centerContinuous };
  var V_ALIGN = { top: XL.top, center: XL.center, bottom: XL.bottom, justify: XL.justify, distributed: XL.distributed };

  function applyStyle(rng, s) {
    if (s.fill) rng.Interior.Color = bgr(s.fill);
    else rng.Interior.ColorIndex = XL.none;
    var f = rng.Font;
    f.Bold = !!s.bold;
    if (s.italic) f.Italic = true;
    if (s.underline) f.Underline = XL.underlineSingle;
    if (s.size) f.Size = s.size;
    if (s.color) f.Color = bgr(s.color);
    if (s.font) f.Name = s.font;
    if (H_ALIGN[s.h] !== undefined) rng.HorizontalAlignment = H_ALIGN[s.h];
    if (V_ALIGN[s.v] !== undefined) rng.VerticalAlignment = V_ALIGN[s.v];
    if (s.wrap) rng.WrapText = true;
    if (s.indent) rng.IndentLevel = s.indent;
    if (s.nf) rng.NumberFormat = s.nf;
    rng.Locked = s.locked !== false;
    if (s.border === "thin") {
      rng.Borders.LineStyle = XL.continuous;
      rng.Borders.Weight = XL.thin;
    }
  }

  function findSheet(wb, name) {
    var list = sheets(wb);
    for (var i = 0; i < list.length; i++) if (list[i].Name === name) return list[i];
    return null;
  }

  function protect(ws) {
    ws.Protect("", false, true, true, false, true, true, true, false, true, true, false, true);
  }

  /* Remove the marks an earlier 校验 left (comments by `author`), unprotecting the sheet if needed. */
  function removeComments(ws, author) {
    var marker = author + ":";
    var comments = ws.Comments, n = comments.Count, ours = [];
    for (var i = n; i >= 1; i--) {
      var c = comments.Item(i);
      var text = typeof c.Text === "function" ? c.Text() : c.Text;
      if (c.Author === author || (typeof text === "string" && text.indexOf(marker) === 0)) ours.push(c);
    }
    if (!ours.length) return;
    var locked = !!ws.ProtectContents;
    if (locked) ws.Unprotect();
    try {
      ours.forEach(function (c) { c.Delete(); });
    } finally {
      if (locked) protect(ws);
    }
  }

  function addChart(ws, ch, problems) {
    try {
      var at = ws.Range(ch.anchor);
      var shape = ws.Shapes.AddChart(CHART_TYPES[ch.type] || XL.pie, at.Left, at.Top, ch.width, ch.height);
      if (ch.source) shape.Chart.SetSourceData(ws.Range(ch.source));
      if (ch.title) {
        shape.Chart.HasTitle = true;
        shape.Chart.ChartTitle.Text = ch.title;
      }
    } catch (e) {
      problems.push("「" + ws.Name + "」的图表未能插入（" + (e && e.message ? e.message : e) + "）");
    }
  }

  /* Apply one sheet's edits; returns the number of cells written. */
  function applySheet(wb, ws, e, problems) {
    var written = 0;
    var protectedBefore = !!ws.ProtectContents;
    if (protectedBefore) ws.Unprotect();
    try {
      (e.rows || []).forEach(function (op) {
        if (op.insert) ws.Range(op.insert + ":" + (op.insert + op.count - 1)).EntireRow.Insert(XL.shiftDown);
        else ws.Range(op["delete"] + ":" + (op["delete"] + op.count - 1)).EntireRow.Delete(XL.shiftUp);
      });
      (e.cells || []).forEach(function (b) {
        var rng = ws.Range(b.a);
        rng.Formula = b.f.length === 1 && b.f[0].length === 1 ? b.f[0][0] : b.f;
        written += b.f.length * b.f[0].length;
      });
      (e.merges || []).forEach(function (a) { ws.Range(a).Merge(); });
      (e.styles || []).forEach(function (g) { applyStyle(ws.Range(g.a), g.s); });
      (e.columns || []).forEach(function (c) {
        var rng = ws.Range(c.a);
        if (c.width) rng.ColumnWidth = c.width;
        if (c.hidden) rng.EntireColumn.Hidden = true;
      });
      (e.heights || []).forEach(function (h) { ws.Range(h.a).RowHeight = h.height; });
      (e.links || []).forEach(function (l) {
        ws.Hyperlinks.Add(ws.Range(l.a), l.url || "", l.sub || "", "", l.text || "");
      });
      (e.comments || []).forEach(function (c) {
        var rng = ws.Range(c.a);
        if (rng.Comment) return; // the user's own comment stays; the report sheet links here
        rng.AddComment((c.author ? c.author + ":\n" : "") + c.text);
      });
      (e.charts || []).forEach(function (ch) { addChart(ws, ch, problems); });
    } finally {
      if (protectedBefore || e.protect) protect(ws);
    }
    if (e.visible === false) ws.Visible = XL.hidden;
    return written;
  }

  /* Apply sheet edits to the workbook; returns {cells, sheets, problems}. */
  function applyEdits(app, wb, edits) {
    if (!edits || edits.version !== 1) throw new Error("不支持的修改格式 (unsupported edits version)");
    var problems = [], cells = 0, touched = 0;
    var alerts = app.DisplayAlerts, screen = app.ScreenUpdating;
    app.DisplayAlerts = false;
    app.ScreenUpdating = false;
    try {
      edits.sheets.forEach(function (e) {
        if (!e["delete"]) return;
        var ws = findSheet(wb, e.name);
        if (ws) {
          if (ws.ProtectContents) ws.Unprotect();
          ws.Delete();
        }
      });
      if (edits.remove_comments_by) {
        sheets(wb).forEach(function (ws) { removeComments(ws, edits.remove_comments_by); });
      }
      edits.sheets.forEach(function (e) {
        if (e["delete"]) return;
        var ws = findSheet(wb, e.name);
        if (e["new"] || !ws) {
          var after = e.after ? findSheet(wb, e.after) : null;
          var list = sheets(wb);
          ws = after ? wb.Worksheets.Add(null, after) : wb.Worksheets.Add(list[0]);
          ws.Name = e.name;
        }
        cells += applySheet(wb, ws, e, problems);
        touched += 1;
      });
    } finally {
      app.ScreenUpdating = screen;
      app.DisplayAlerts = alerts;
    }
    return { cells: cells, sheets: touched, problems: problems };
  }

  return { readSnapshot: readSnapshot, applyEdits: applyEdits, grid: grid, columnLetter: columnLetter, XL: XL };
});
