/* A stand-in for WPS 表格's ET object model, over a workbook's cells, for running the add-in in Node.
 *
 * It implements exactly the calls addin/wps/js/et.js and main.js make, with Excel's semantics
 * where they matter to the result: Value2 and Formula of a block are rows of values (a scalar
 * for one cell); assigning Formula turns "=…" into a formula, "'…" into text, numeric text into a
 * number and "TRUE"/"FALSE" into booleans, null into an empty cell; inserting or deleting rows
 * moves the cells below.  It does not recalculate (a formula written here has no value) and does
 * not rewrite references when rows move (the edits carry every formula whose text changes).
 * Every block read or write is counted in `stats`.
 */
"use strict";

function colNumber(letters) {
  var n = 0;
  for (var i = 0; i < letters.length; i++) n = n * 26 + letters.charCodeAt(i) - 64;
  return n;
}

function colLetter(n) {
  var s = "";
  while (n > 0) { var m = (n - 1) % 26; s = String.fromCharCode(65 + m) + s; n = Math.floor((n - 1) / 26); }
  return s;
}

var MAX_ROW = 1048576, MAX_COL = 16384;

/* "A1", "A1:C3", "12:13", "A:A" → {r1, c1, r2, c2} */
function parseArea(text) {
  var parts = text.replace(/\$/g, "").split(":");
  function one(p) {
    var m = /^([A-Z]*)(\d*)$/.exec(p.toUpperCase());
    if (!m) throw new Error("bad address " + text);
    return { c: m[1] ? colNumber(m[1]) : null, r: m[2] ? parseInt(m[2], 10) : null };
  }
  var a = one(parts[0]), b = parts.length > 1 ? one(parts[1]) : a;
  return {
    r1: a.r === null ? 1 : a.r, r2: b.r === null ? MAX_ROW : b.r,
    c1: a.c === null ? 1 : a.c, c2: b.c === null ? MAX_COL : b.c,
    wholeRows: a.c === null, wholeCols: a.r === null
  };
}

function key(r, c) { return r + "," + c; }

function FakeApp(data, stats) {
  this.stats = stats || { calls: 0, blockReads: 0, blockWrites: 0, styleCalls: 0 };
  this.DisplayAlerts = true;
  this.ScreenUpdating = true;
  this.UserName = "WPS用户";
  this.ActiveWorkbook = new Workbook(this, data);
}

function Workbook(app, data) {
  var wb = this;
  this.app = app;
  this.Name = data.name;
  this.Path = data.path || "";
  this.list = data.sheets.map(function (s) { return new Sheet(wb, s); });
  var names = data.names || {};
  this.Names = {
    Item: function (name) {
      app.stats.calls++;
      if (!(name in names)) throw new Error("no name " + name);
      return { Name: name, RefersTo: names[name] };
    }
  };
  this.Worksheets = {
    get Count() { app.stats.calls++; return wb.list.length; },
    Item: function (i) {
      app.stats.calls++;
      var ws = typeof i === "number" ? wb.list[i - 1] : wb.list.filter(function (s) { return s.Name === i; })[0];
      if (!ws) throw new Error("no sheet " + i);
      return ws;
    },
    Add: function (before, after) {
      app.stats.calls++;
      var ws = new Sheet(wb, { name: "Sheet" + (wb.list.length + 1), cells: {} });
      var at = after ? wb.list.indexOf(after) + 1 : before ? wb.list.indexOf(before) : wb.list.length;
      wb.list.splice(at, 0, ws);
      return ws;
    }
  };
}

function Sheet(wb, s) {
  var ws = this;
  this.wb = wb;
  this.app = wb.app;
  this._name = s.name;
  this.Visible = s.visible === false ? 0 : -1;
  this.ProtectContents = !!s["protected"];
  this.cells = {};  // "r,c" → {v, f, style, link, comment}
  Object.keys(s.cells || {}).forEach(function (a1) {
    var m = /^([A-Z]+)(\d+)$/.exec(a1);
    ws.cells[key(parseInt(m[2], 10), colNumber(m[1]))] = { v: s.cells[a1].v, f: s.cells[a1].f || null };
  });
  this.charts = [];
  this.merges = [];
  this.columnWidths = {};
  this.rowHeights = {};
  this.hiddenColumns = {};
  this.links = {};
  this.protections = 0;
  this.Hyperlinks = {
    Add: function (anchor, address, sub, tip, text) {
      ws.guard();
      ws.app.stats.calls++;
      anchor.eachCell(function (r, c) { ws.links[key(r, c)] = { url: address, sub: sub, text: text }; });
    }
  };
  this.Shapes = {
    AddChart: function (type, left, top, width, height) {
      ws.app.stats.calls++;
      var chart = { type: type, left: left, top: top, width: width, height: height, source: null, HasTitle: false,
        ChartTitle: { Text: "" }, SetSourceData: function (rng) { chart.source = rng.address; } };
      ws.charts.push(chart);
      return { Chart: chart };
    }
  };
}

Object.defineProperty(Sheet.prototype, "Name", {
  get: function () { return this._name; },
  set: function (v) { this.app.stats.calls++; this._name = v; }
});

Object.defineProperty(Sheet.prototype, "Comments", {
  get: function () {
    var ws = this, list = [];
    Object.keys(ws.cells).forEach(function (k) {
      var cell = ws.cells[k];
      if (cell.comment) list.push({
        Author: cell.comment.author, Text: function () { return cell.comment.text; },
        Delete: function () { ws.guard(); ws.app.stats.calls++; delete cell.comment; ws.prune(k); }
      });
    });
    ws.app.stats.calls++;
    return { Count: list.length, Item: function (i) { return list[i - 1]; } };
  }
});

Object.defineProperty(Sheet.prototype, "UsedRange", {
  get: function () {
    this.app.stats.calls++;
    var r1 = Infinity, c1 = Infinity, r2 = 0, c2 = 0, ws = this;
    Object.keys(ws.cells).forEach(function (k) {
      var rc = k.split(",").map(Number);
      r1 = Math.min(r1, rc[0]); c1 = Math.min(c1, rc[1]); r2 = Math.max(r2, rc[0]); c2 = Math.max(c2, rc[1]);
    });
    if (!r2) { r1 = c1 = r2 = c2 = 1; }
    return new Range(ws, [{ r1: r1, c1: c1, r2: r2, c2: c2 }]);
  }
});

Sheet.prototype.Range = function (a, b) {
  this.app.stats.calls++;
  if (b !== undefined) {
    return new Range(this, [{ r1: a.areas[0].r1, c1: a.areas[0].c1, r2: b.areas[0].r2, c2: b.areas[0].c2 }]);
  }
  return new Range(this, a.split(",").map(parseArea));
};
Sheet.prototype.Protect = function () { this.app.stats.calls++; this.ProtectContents = true; this.protections++; };
Sheet.prototype.Unprotect = function () { this.app.stats.calls++; this.ProtectContents = false; };
Sheet.prototype.Delete = function () {
  this.app.stats.calls++;
  if (this.app.DisplayAlerts) throw new Error("a dialog would ask the user");
  this.wb.list.splice(this.wb.list.indexOf(this), 1);
};
Sheet.prototype.Activate = function () {};
Sheet.prototype.cell = function (r, c, create) {
  var k = key(r, c);
  if (!this.cells[k] && create) this.cells[k] = { v: null, f: null };
  return this.cells[k];
};
Sheet.prototype.prune = function (k) {
  var c = this.cells[k];
  if (c && c.v === null && c.f === null && !c.style && !c.comment && !this.links[k]) delete this.cells[k];
};
Sheet.prototype.guard = function () {
  if (this.ProtectContents) throw new Error("the sheet «" + this._name + "» is protected");
};
Sheet.prototype.shiftRows = function (from, n) {  // n > 0 inserts before row `from`; n < 0 deletes
  var moved = {}, ws = this;
  Object.keys(ws.cells).forEach(function (k) {
    var rc = k.split(",").map(Number), r = rc[0];
    if (n < 0 && r >= from && r < from - n) return;  // deleted
    moved[key(r >= from ? r + n : r, rc[1])] = ws.cells[k];
  });
  ws.cells = moved;
};

function Range(ws, areas) {
  this.ws = ws;
  this.areas = areas;
  this.address = areas.map(function (a) {
    return colLetter(a.c1) + a.r1 + (a.r1 === a.r2 && a.c1 === a.c2 ? "" : ":" + colLetter(a.c2) + a.r2);
  }).join(",");
}

Range.prototype.eachCell = function (fn) {
  this.areas.forEach(function (a) {
    if (a.wholeRows || a.wholeCols) return;  // whole rows/columns carry sizes, not cell content here
    for (var r = a.r1; r <= a.r2; r++) for (var c = a.c1; c <= a.c2; c++) fn(r, c);
  });
};

function first(rng) { return rng.areas[0]; }

["Row", "Column"].forEach(function (p) {
  Object.defineProperty(Range.prototype, p, { get: function () { return p === "Row" ? first(this).r1 : first(this).c1; } });
});
Object.defineProperty(Range.prototype, "Rows", { get: function () { var a = first(this); return { Count: a.r2 - a.r1 + 1 }; } });
Object.defineProperty(Range.prototype, "Columns", { get: function () { var a = first(this); return { Count: a.c2 - a.c1 + 1 }; } });
Object.defineProperty(Range.prototype, "Left", { get: function () { return (first(this).c1 - 1) * 54; } });
Object.defineProperty(Range.prototype, "Top", { get: function () { return (first(this).r1 - 1) * 15; } });

function block(rng, read) {
  var a = first(rng), out = [];
  for (var r = a.r1; r <= a.r2; r++) {
    var row = [];
    for (var c = a.c1; c <= a.c2; c++) row.push(read(rng.ws.cell(r, c)));
    out.push(row);
  }
  rng.ws.app.stats.blockReads++;
  return out.length === 1 && out[0].length === 1 ? out[0][0] : out;
}

function asText(v) {
  if (v === true) return "TRUE";
  if (v === false) return "FALSE";
  return v === null || v === undefined ? "" : String(v);
}

Object.defineProperty(Range.prototype, "Value2", {
  get: function () { return block(this, function (cell) { return cell ? cell.v : undefined; }); },
  set: function (v) { this.write(v, false); }
});
Object.defineProperty(Range.prototype, "Formula", {
  get: function () { return block(this, function (cell) { return cell ? (cell.f || asText(cell.v)) : ""; }); },
  set: function (v) { this.write(v, true); }
});

/* What typing `entry` into a cell gives, as Excel does it. */
function typed(entry) {
  if (entry === null || entry === undefined || entry === "") return { v: null, f: null };
  if (typeof entry !== "string") return { v: entry, f: null };
  if (entry.charAt(0) === "=" && entry.length > 1) return { v: null, f: entry };
  if (entry.charAt(0) === "'") return { v: entry.slice(1), f: null };
  if (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(entry)) return { v: Number(entry), f: null };
  if (/^(true|false)$/i.test(entry)) return { v: entry.toUpperCase() === "TRUE", f: null };
  return { v: entry, f: null };
}

Range.prototype.write = function (value, formula) {
  var ws = this.ws, a = first(this);
  ws.guard();
  ws.app.stats.blockWrites++;
  var rows = a.r2 - a.r1 + 1, cols = a.c2 - a.c1 + 1;
  for (var r = 0; r < rows; r++) {
    for (var c = 0; c < cols; c++) {
      var entry = Array.isArray(value) ? value[r][c] : value;
      var t = typed(entry);
      if (!formula && t.f) t = { v: entry, f: null };
      var cell = ws.cell(a.r1 + r, a.c1 + c, true);
      cell.v = t.v;
      cell.f = t.f;
      ws.prune(key(a.r1 + r, a.c1 + c));
    }
  }
};

Object.defineProperty(Range.prototype, "EntireRow", {
  get: function () {
    var rng = this, a = first(this);
    return {
      Insert: function () { rng.ws.guard(); rng.ws.app.stats.calls++; rng.ws.shiftRows(a.r1, a.r2 - a.r1 + 1); },
      Delete: function () { rng.ws.guard(); rng.ws.app.stats.calls++; rng.ws.shiftRows(a.r1, -(a.r2 - a.r1 + 1)); }
    };
  }
});
Object.defineProperty(Range.prototype, "EntireColumn", {
  get: function () {
    var rng = this;
    return { set Hidden(v) { rng.areas.forEach(function (a) { for (var c = a.c1; c <= a.c2; c++) rng.ws.hiddenColumns[c] = v; }); } };
  }
});

function styleSetter(rng, name) {
  return function (v) {
    rng.ws.app.stats.styleCalls++;
    rng.eachCell(function (r, c) {
      var cell = rng.ws.cell(r, c, true);
      cell.style = cell.style || {};
      cell.style[name] = v;
    });
  };
}

Object.defineProperty(Range.prototype, "Interior", {
  get: function () {
    var set = styleSetter(this, "fill");
    return { set Color(v) { set(v); }, set ColorIndex(v) { set(null); } };
  }
});
Object.defineProperty(Range.prototype, "Font", {
  get: function () {
    var rng = this, o = {};
    ["Bold", "Italic", "Underline", "Size", "Color", "Name"].forEach(function (p) {
      Object.defineProperty(o, p, { set: styleSetter(rng, "font" + p) });
    });
    return o;
  }
});
Object.defineProperty(Range.prototype, "Borders", {
  get: function () {
    var rng = this, o = {};
    ["LineStyle", "Weight"].forEach(function (p) { Object.defineProperty(o, p, { set: styleSetter(rng, "border" + p) }); });
    return o;
  }
});
["HorizontalAlignment", "VerticalAlignment", "WrapText", "IndentLevel", "NumberFormat", "Locked"].forEach(function (p) {
  Object.defineProperty(Range.prototype, p, { set: function (v) { styleSetter(this, p)(v); } });
});
Object.defineProperty(Range.prototype, "ColumnWidth", {
  set: function (v) { var ws = this.ws; this.areas.forEach(function (a) { for (var c = a.c1; c <= Math.min(a.c2, 200); c++) ws.columnWidths[c] = v; }); }
});
Object.defineProperty(Range.prototype, "RowHeight", {
  set: function (v) { var ws = this.ws; this.areas.forEach(function (a) { for (var r = a.r1; r <= a.r2; r++) ws.rowHeights[r] = v; }); }
});
Object.defineProperty(Range.prototype, "Comment", {
  get: function () { var c = this.ws.cell(first(this).r1, first(this).c1); return c && c.comment ? c.comment : null; }
});
Range.prototype.AddComment = function (text) {
  this.ws.guard();
  this.ws.app.stats.calls++;
  var cell = this.ws.cell(first(this).r1, first(this).c1, true);
  cell.comment = { author: this.ws.app.UserName, text: text };
};
Range.prototype.Merge = function () { this.ws.guard(); this.ws.app.stats.calls++; this.ws.merges.push(this.address); };
Range.prototype.Select = function () {};

/* The workbook as plain data, for comparison with what Python wrote. */
FakeApp.prototype.dump = function () {
  return {
    sheets: this.ActiveWorkbook.list.map(function (ws) {
      var cells = {};
      Object.keys(ws.cells).forEach(function (k) {
        var rc = k.split(",").map(Number), cell = ws.cells[k], a1 = colLetter(rc[1]) + rc[0];
        cells[a1] = { v: cell.v, f: cell.f, style: cell.style || null, comment: cell.comment || null,
          link: ws.links[k] || null };
      });
      return { name: ws.Name, visible: ws.Visible === -1, protected: ws.ProtectContents, cells: cells,
        charts: ws.charts.map(function (c) { return { type: c.type, source: c.source, title: c.ChartTitle.Text }; }),
        merges: ws.merges, columnWidths: ws.columnWidths, rowHeights: ws.rowHeights };
    })
  };
};

module.exports = { FakeApp: FakeApp, parseArea: parseArea };
