// A small fake of WPS 表格's JS object model (the parts the jyyz add-in uses), recording
// every write. Shapes follow the VBA-like ET API: Application.ActiveWorkbook.Worksheets.Item(i),
// Worksheet.UsedRange / Range("A1:C5") / Cells.Item(r, c), Range.Value2 (a 2-D array for a
// block, the value alone for one cell, undefined when empty), .Formula, .NumberFormat,
// .WrapText, .ColumnWidth, .Interior.Color, .AddComment, .Select; plus the `wps` global
// (Env, FileSystem, AddCustomFunction, OAAssist).
"use strict";

const fs = require("node:fs");

const MAX_ROW = 1048576;

function colIndex(letters) {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function colLetter(n) {
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function parseRef(ref) {
  const m = /^\$?([A-Z]+)\$?(\d+)?$/i.exec(ref.trim());
  if (!m) throw new Error(`fake ET: bad reference ${ref}`);
  return { col: colIndex(m[1]), row: m[2] ? Number(m[2]) : null };
}

function parseArea(address) {
  const parts = String(address).split(":");
  const a = parseRef(parts[0]);
  const b = parseRef(parts[1] || parts[0]);
  const whole = a.row === null;
  return {
    r1: whole ? 1 : a.row,
    c1: a.col,
    r2: whole ? MAX_ROW : b.row,
    c2: b.col,
  };
}

// Excel converts a string that reads as a number when it is assigned to a cell's value.
function asCellValue(v) {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
    return Number(v);
  }
  return v;
}

class Comment {
  constructor(range, text) {
    this.range = range;
    this.text = text;
  }
  Text() {
    return this.text;
  }
  Delete() {
    this.range.sheet.book.app.record("Comment.Delete", this.range, null);
    delete this.range.sheet.comments[this.range.key()];
  }
}

class Range {
  constructor(sheet, r1, c1, r2, c2) {
    Object.assign(this, { sheet, r1, c1, r2, c2 });
  }
  key() {
    return `${colLetter(this.c1)}${this.r1}`;
  }
  address() {
    const a = `${colLetter(this.c1)}${this.r1}`;
    const b = `${colLetter(this.c2)}${this.r2}`;
    return a === b ? a : `${a}:${b}`;
  }
  Address() {
    return this.address().replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
  }
  get Row() {
    return this.r1;
  }
  get Column() {
    return this.c1;
  }
  get Rows() {
    return { Count: this.r2 - this.r1 + 1 };
  }
  get Columns() {
    return { Count: this.c2 - this.c1 + 1 };
  }
  get Worksheet() {
    return this.sheet;
  }
  cellsCount() {
    return (this.r2 - this.r1 + 1) * (this.c2 - this.c1 + 1);
  }
  guardSize() {
    if (this.cellsCount() > 2000000) throw new Error(`fake ET: ${this.address()} is too large to read or write`);
  }
  read(kind) {
    this.guardSize();
    const get = (r, c) => {
      const k = `${r},${c}`;
      if (kind === "Formula") {
        if (this.sheet.formulas[k] !== undefined) return this.sheet.formulas[k];
        const v = this.sheet.values[k];
        return v === undefined ? "" : v;
      }
      return this.sheet.values[k];
    };
    if (this.r1 === this.r2 && this.c1 === this.c2) return get(this.r1, this.c1);
    const out = [];
    for (let r = this.r1; r <= this.r2; r++) {
      const row = [];
      for (let c = this.c1; c <= this.c2; c++) row.push(get(r, c));
      out.push(row);
    }
    return out;
  }
  get Value2() {
    return this.read("Value2");
  }
  set Value2(value) {
    this.guardSize();
    this.sheet.book.app.record("Value2", this, value);
    const h = this.r2 - this.r1 + 1;
    const w = this.c2 - this.c1 + 1;
    if (Array.isArray(value)) {
      if (value.length !== h || value.some((row) => !Array.isArray(row) || row.length !== w)) {
        throw new Error(`fake ET: ${h}x${w} block ${this.address()} given a differently shaped array`);
      }
    }
    for (let r = this.r1; r <= this.r2; r++) {
      for (let c = this.c1; c <= this.c2; c++) {
        const v = asCellValue(Array.isArray(value) ? value[r - this.r1][c - this.c1] : value);
        const k = `${r},${c}`;
        delete this.sheet.formulas[k];
        if (v === undefined) delete this.sheet.values[k];
        else this.sheet.values[k] = v;
      }
    }
  }
  get Formula() {
    return this.read("Formula");
  }
  setFormat(name, value) {
    this.sheet.book.app.record(name, this, value);
    this.sheet.formats.push({ what: name, range: this.address(), value });
  }
  set NumberFormat(v) {
    this.setFormat("NumberFormat", v);
  }
  set WrapText(v) {
    this.setFormat("WrapText", v);
  }
  set ColumnWidth(v) {
    this.setFormat("ColumnWidth", v);
  }
  get Interior() {
    const range = this;
    return {
      set Color(v) {
        range.setFormat("Interior.Color", v);
      },
    };
  }
  get Font() {
    const range = this;
    return {
      set Color(v) {
        range.setFormat("Font.Color", v);
      },
    };
  }
  get Comment() {
    return this.sheet.comments[this.key()] || null;
  }
  AddComment(text) {
    if (this.sheet.comments[this.key()]) throw new Error("fake ET: the cell already has a comment");
    this.sheet.book.app.record("AddComment", this, text);
    this.sheet.comments[this.key()] = new Comment(this, text);
    return this.sheet.comments[this.key()];
  }
  ClearContents() {
    this.sheet.book.app.record("ClearContents", this, null);
    for (const k of Object.keys(this.sheet.values)) {
      const [r, c] = k.split(",").map(Number);
      if (r >= this.r1 && r <= this.r2 && c >= this.c1 && c <= this.c2) {
        delete this.sheet.values[k];
        delete this.sheet.formulas[k];
      }
    }
  }
  Select() {
    this.sheet.book.app.record("Select", this, null);
    this.sheet.book.app.selection = this;
  }
  Activate() {
    this.Select();
  }
}

class Worksheet {
  constructor(book, name, rows, formulas) {
    this.book = book;
    this.name = name;
    this.values = {};
    this.formulas = {};
    this.formats = [];
    this.comments = {};
    (rows || []).forEach((row, i) =>
      row.forEach((v, j) => {
        const cv = v === null || v === "" ? undefined : v;
        if (cv !== undefined) this.values[`${i + 1},${j + 1}`] = cv;
      }),
    );
    for (const [ref, f] of Object.entries(formulas || {})) {
      const { row, col } = parseRef(ref);
      this.formulas[`${row},${col}`] = f;
    }
  }
  get Name() {
    return this.name;
  }
  set Name(v) {
    this.book.app.record("Name", { address: () => "", sheet: this }, v);
    this.name = v;
  }
  get UsedRange() {
    let r2 = 0;
    let c2 = 0;
    let r1 = Infinity;
    let c1 = Infinity;
    for (const k of Object.keys(this.values)) {
      const [r, c] = k.split(",").map(Number);
      r1 = Math.min(r1, r);
      c1 = Math.min(c1, c);
      r2 = Math.max(r2, r);
      c2 = Math.max(c2, c);
    }
    if (!r2) return new Range(this, 1, 1, 1, 1);
    return new Range(this, r1, c1, r2, c2);
  }
  Range(a, b) {
    if (b !== undefined) return new Range(this, a.r1, a.c1, b.r2, b.c2);
    const { r1, c1, r2, c2 } = parseArea(a);
    return new Range(this, r1, c1, r2, c2);
  }
  get Cells() {
    const sheet = this;
    return {
      Item: (r, c) => new Range(sheet, r, c, r, c),
      ClearContents: () => new Range(sheet, 1, 1, MAX_ROW, 16384).ClearContents(),
    };
  }
  Activate() {
    this.book.app.record("Activate", { address: () => "", sheet: this }, null);
    this.book.app.activeSheet = this;
  }
  // Values from A1 to the last used cell ("" for empty), for comparing with files.
  dump() {
    const used = this.UsedRange;
    const rows = [];
    for (let r = 1; r <= used.r2; r++) {
      const row = [];
      for (let c = 1; c <= used.c2; c++) {
        const v = this.values[`${r},${c}`];
        row.push(v === undefined ? "" : v);
      }
      rows.push(row);
    }
    const comments = {};
    for (const [k, cm] of Object.entries(this.comments)) comments[k] = cm.text;
    return { name: this.name, rows, formats: this.formats, comments };
  }
}

class Workbook {
  constructor(app, spec) {
    this.app = app;
    this.name = spec.name;
    this.fullName = spec.full_name || spec.name;
    this.sheets = spec.sheets.map((s) => new Worksheet(this, s.name, s.rows, s.formulas));
    this.hyperlinks = [];
  }
  get Name() {
    return this.name;
  }
  get FullName() {
    return this.fullName;
  }
  get Worksheets() {
    const book = this;
    return {
      get Count() {
        return book.sheets.length;
      },
      Item(key) {
        const found =
          typeof key === "number" ? book.sheets[key - 1] : book.sheets.find((s) => s.name === key);
        if (!found) throw new Error(`fake ET: no sheet ${key}`);
        return found;
      },
      Add(before, after) {
        let name;
        for (let i = 1; ; i++) {
          name = `Sheet${i}`;
          if (!book.sheets.some((s) => s.name === name)) break;
        }
        const sheet = new Worksheet(book, name, [], {});
        const anchor = after || before;
        const at = anchor ? book.sheets.indexOf(anchor) + (after ? 1 : 0) : book.sheets.length;
        book.sheets.splice(at, 0, sheet);
        book.app.record("Worksheets.Add", { address: () => "", sheet }, null);
        book.app.activeSheet = sheet;
        return sheet;
      },
    };
  }
  get Sheets() {
    return this.Worksheets;
  }
  FollowHyperlink(url) {
    this.app.record("FollowHyperlink", { address: () => "", sheet: { name: "" } }, url);
    this.hyperlinks.push(url);
  }
}

class Application {
  constructor(spec) {
    this.log = [];
    this.workbook = spec ? new Workbook(this, spec) : null;
    this.activeSheet = this.workbook
      ? this.workbook.sheets.find((s) => s.name === spec.active) || this.workbook.sheets[0]
      : null;
    this.selection = null;
    if (this.activeSheet) {
      this.selection = this.activeSheet.Range(spec.selection || "A1");
    }
  }
  record(op, range, value) {
    this.log.push({ op, sheet: range.sheet.name, range: range.address(), value });
  }
  get ActiveWorkbook() {
    return this.workbook;
  }
  get ActiveSheet() {
    return this.activeSheet;
  }
  get Selection() {
    return this.selection;
  }
  get Worksheets() {
    return this.workbook.Worksheets;
  }
}

// The `wps` global: the file system and paths the add-in uses to find the service.
function makeWps(app, env) {
  const registered = [];
  return {
    registered,
    EtApplication: () => app,
    Env: {
      GetHomePath: () => env.home,
      GetAppDataPath: () => env.appdata || env.home,
      GetTempPath: () => env.temp || "/tmp",
    },
    FileSystem: {
      Exists: (p) => fs.existsSync(p),
      ReadFile: (p) => fs.readFileSync(p, "utf8"),
    },
    AddCustomFunction(namespace, name, fn) {
      if (typeof fn !== "function") throw new Error(`fake ET: ${name} is not a function`);
      registered.push({ namespace, name, fn });
    },
    OAAssist: {
      shell: [],
      ShellExecute(x) {
        this.shell.push(x);
      },
    },
  };
}

module.exports = { Application, makeWps, colLetter, colIndex };
