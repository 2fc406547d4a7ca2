// The open workbook through WPS 表格's synchronous object model (ES5): read every sheet's
// values as Value2 gives them, write the service's answers back.
var JyyzSheet = (function () {
    "use strict";

    // Arrays may come from another realm (the host's bridge): no instanceof.
    function isArray(v) {
        return Object.prototype.toString.call(v) === "[object Array]";
    }

    function app() {
        if (typeof window !== "undefined" && window.Application) {
            return window.Application;
        }
        if (typeof wps !== "undefined" && wps && typeof wps.EtApplication === "function") {
            return wps.EtApplication();
        }
        return null;
    }

    // Some WPS builds expose a property as a zero-argument method (Address(), Count()).
    function prop(owner, name) {
        var v = owner[name];
        return typeof v === "function" ? v.call(owner) : v;
    }

    function columnLetter(n) {
        var s = "";
        while (n > 0) {
            var m = (n - 1) % 26;
            s = String.fromCharCode(65 + m) + s;
            n = Math.floor((n - 1) / 26);
        }
        return s;
    }

    function address(row, col) {
        return columnLetter(col) + row;
    }

    function area(r1, c1, r2, c2) {
        return address(r1, c1) + ":" + address(r2, c2);
    }

    // Value2 of an error cell is its VBA error number (CVErr): the engine reads the text.
    var ERRORS = {
        "-2146826288": "#NULL!",
        "-2146826281": "#DIV/0!",
        "-2146826273": "#VALUE!",
        "-2146826265": "#REF!",
        "-2146826259": "#NAME?",
        "-2146826252": "#NUM!",
        "-2146826246": "#N/A"
    };

    function cell(v) {
        if (v === undefined || v === "") {
            return null;
        }
        if (typeof v === "number" && ERRORS.hasOwnProperty(String(v))) {
            return ERRORS[String(v)];
        }
        return v;
    }

    // Value2 of a block as a 2-D array (a one-cell range gives its value alone).
    function grid(value, rows, cols) {
        var out = [];
        var i;
        var j;
        if (!isArray(value)) {
            for (i = 0; i < rows; i++) {
                var one = [];
                for (j = 0; j < cols; j++) {
                    one.push(i === 0 && j === 0 ? cell(value) : null);
                }
                out.push(one);
            }
            return out;
        }
        for (i = 0; i < value.length; i++) {
            var src = isArray(value[i]) ? value[i] : [value[i]];
            var row = [];
            for (j = 0; j < src.length; j++) {
                row.push(cell(src[j]));
            }
            out.push(row);
        }
        return out;
    }

    function worksheets(book) {
        var list = [];
        var sheets = prop(book, "Worksheets");
        var count = prop(sheets, "Count");
        for (var i = 1; i <= count; i++) {
            list.push(sheets.Item(i));
        }
        return list;
    }

    function findSheet(book, name) {
        var list = worksheets(book);
        for (var i = 0; i < list.length; i++) {
            if (prop(list[i], "Name") === name) {
                return list[i];
            }
        }
        return null;
    }

    // A sheet's values from A1 to its last used cell (as the one-click scripts read them).
    function sheetValues(sheet) {
        var used = prop(sheet, "UsedRange");
        var lastRow = prop(used, "Row") + prop(prop(used, "Rows"), "Count") - 1;
        var lastCol = prop(used, "Column") + prop(prop(used, "Columns"), "Count") - 1;
        return grid(sheet.Range(area(1, 1, lastRow, lastCol)).Value2, lastRow, lastCol);
    }

    // What the /api/v1/sheet/… calls take: every sheet's values and the workbook's name.
    function workbookPayload(book) {
        var sheets = {};
        var list = worksheets(book);
        for (var i = 0; i < list.length; i++) {
            sheets[prop(list[i], "Name")] = sheetValues(list[i]);
        }
        var active = prop(app(), "ActiveSheet");
        return { name: prop(book, "Name"), sheets: sheets, active: active ? prop(active, "Name") : null };
    }

    // "#RRGGBB" as the object model's Color (a BGR long, as in VBA).
    function color(hex) {
        var v = parseInt(String(hex).replace("#", ""), 16);
        var r = (v >> 16) & 255;
        var g = (v >> 8) & 255;
        var b = v & 255;
        return r + g * 256 + b * 65536;
    }

    function contains(list, value) {
        for (var i = 0; i < list.length; i++) {
            if (list[i] === value) {
                return true;
            }
        }
        return false;
    }

    // 填写计算列: the result columns (and the headers of new columns) written in ONE block
    // from the header row to the last data row, so one undo takes it back. Rows in between
    // that are not data rows (a second header row, blank rows, footers) keep their values;
    // if one of them holds a formula there, each run of data rows is written on its own
    // instead, so no formula becomes a value.
    function writeFill(sheet, res) {
        var cols = res.column_numbers;
        var rows = res.row_numbers;
        var top = res.header_row;
        var bottom = rows[rows.length - 1];
        var writes = 0;
        if (res.contiguous) {
            writes = writeBlock(sheet, res, top, bottom, res.first_col, res.first_col + cols.length - 1);
        } else {
            for (var k = 0; k < cols.length; k++) {
                writes += writeBlock(sheet, res, top, bottom, cols[k], cols[k]);
            }
        }
        formatColumns(sheet, res);
        return writes;
    }

    function writeBlock(sheet, res, top, bottom, left, right) {
        var cols = res.column_numbers;
        var rowIndex = {};
        var i;
        for (i = 0; i < res.row_numbers.length; i++) {
            rowIndex[res.row_numbers[i]] = i;
        }
        var target = sheet.Range(area(top, left, bottom, right));
        var height = bottom - top + 1;
        var width = right - left + 1;
        var current = grid(target.Value2, height, width);
        var formulas = grid(target.Formula, height, width);
        var block = [];
        var keptFormula = false;
        for (var r = top; r <= bottom; r++) {
            var line = [];
            for (var c = left; c <= right; c++) {
                var k = -1;
                for (var n = 0; n < cols.length; n++) {
                    if (cols[n] === c) {
                        k = n;
                    }
                }
                var old = current[r - top][c - left];
                if (k >= 0 && rowIndex.hasOwnProperty(r)) {
                    var v = res.values[rowIndex[r]][k];
                    line.push(v === null ? "" : v);
                } else if (k >= 0 && r === top && res.new_headers.hasOwnProperty(String(c))) {
                    line.push(res.new_headers[String(c)]);
                } else {
                    var f = formulas[r - top][c - left];
                    if (typeof f === "string" && f.charAt(0) === "=") {
                        keptFormula = true;
                    }
                    line.push(old === null ? "" : old);
                }
            }
            block.push(line);
        }
        if (!keptFormula) {
            target.Value2 = block;
            return 1;
        }
        return writeRuns(sheet, res, left, right, rowIndex, block, top);
    }

    function writeRuns(sheet, res, left, right, rowIndex, block, top) {
        var rows = res.row_numbers;
        var writes = 0;
        var start = 0;
        for (var i = 1; i <= rows.length; i++) {
            if (i === rows.length || rows[i] !== rows[i - 1] + 1) {
                var part = [];
                for (var r = rows[start]; r <= rows[i - 1]; r++) {
                    part.push(block[r - top]);
                }
                sheet.Range(area(rows[start], left, rows[i - 1], right)).Value2 = part;
                writes += 1;
                start = i;
            }
        }
        for (var key in res.new_headers) {
            if (res.new_headers.hasOwnProperty(key)) {
                var c = parseInt(key, 10);
                if (c >= left && c <= right) {
                    sheet.Range(address(res.header_row, c)).Value2 = res.new_headers[key];
                    writes += 1;
                }
            }
        }
        return writes;
    }

    // Widths, wrapping, date formats and the 认定结论 colours the service gives.
    function formatColumns(sheet, res) {
        var f = res.formats || {};
        var rows = res.row_numbers;
        var first = rows[0];
        var last = rows[rows.length - 1];
        for (var k = 0; k < res.column_numbers.length; k++) {
            var c = res.column_numbers[k];
            var letter = columnLetter(c);
            var column = sheet.Range(letter + ":" + letter);
            if (f.widths && f.widths[k]) {
                column.ColumnWidth = f.widths[k];
            }
            var data = sheet.Range(area(first, c, last, c));
            if (f.wraps ? f.wraps[k] : f.wrap) {
                data.WrapText = true;
            }
            if (f.number_formats && f.number_formats[k]) {
                data.NumberFormat = f.number_formats[k];
            }
        }
        if (f.fills && typeof f.status_column === "number") {
            colourStatus(sheet, res, f.fills, f.fonts || {}, res.column_numbers[f.status_column]);
        }
    }

    // One fill (and font colour) per run of consecutive rows with the same 认定结论.
    function colourStatus(sheet, res, fills, fonts, col) {
        var rows = res.row_numbers;
        var k = res.formats.status_column;
        var start = 0;
        for (var i = 1; i <= rows.length; i++) {
            var prev = res.values[i - 1][k];
            if (i === rows.length || rows[i] !== rows[i - 1] + 1 || res.values[i][k] !== prev) {
                var run = sheet.Range(area(rows[start], col, rows[i - 1], col));
                if (fills.hasOwnProperty(prev)) {
                    run.Interior.Color = color(fills[prev]);
                }
                if (fonts.hasOwnProperty(prev)) {
                    run.Font.Color = color(fonts[prev]);
                }
                start = i;
            }
        }
    }

    // 检查台账: a fill and a comment (批注) on every cell with a problem.
    function markCells(sheet, marks, maxNotes) {
        for (var i = 0; i < marks.length; i++) {
            var m = marks[i];
            var target = sheet.Range(m.cell);
            if (m.fill) {
                target.Interior.Color = color(m.fill);
            }
            if (i < maxNotes) {
                try {
                    var old = prop(target, "Comment");
                    if (old) {
                        old.Delete();
                    }
                    target.AddComment(m.message);
                } catch (e) {
                    // a comment is a courtesy: the 检查结果 sheet lists every problem
                }
            }
        }
    }

    // A sheet named `name` (replaced if there) holding `rows` from A1; returns it.
    function resultSheet(book, name, rows) {
        var sheet = findSheet(book, name);
        var sheets = prop(book, "Worksheets");
        if (sheet) {
            sheet.Cells.ClearContents();
        } else {
            sheet = sheets.Add(null, sheets.Item(prop(sheets, "Count")));
            sheet.Name = name;
        }
        var width = 1;
        var i;
        for (i = 0; i < rows.length; i++) {
            width = Math.max(width, rows[i].length);
        }
        var block = [];
        for (i = 0; i < rows.length; i++) {
            var line = [];
            for (var j = 0; j < width; j++) {
                var v = j < rows[i].length ? rows[i][j] : null;
                line.push(v === null || v === undefined ? "" : v);
            }
            block.push(line);
        }
        if (block.length) {
            sheet.Range(area(1, 1, block.length, width)).Value2 = block;
        }
        return sheet;
    }

    function select(sheet, ref) {
        try {
            sheet.Activate();
            if (ref) {
                sheet.Range(ref).Select();
            }
        } catch (e) {
            // selecting is a courtesy
        }
    }

    // Excel rows (first, last) of the selection on `sheetName`, or null.
    function selectedRows(sheetName) {
        var a = app();
        var sel = a ? prop(a, "Selection") : null;
        if (!sel || prop(sel, "Row") === undefined) {
            return null;
        }
        var parent = prop(sel, "Worksheet");
        if (parent && prop(parent, "Name") !== sheetName) {
            return null;
        }
        var first = prop(sel, "Row");
        return [first, first + prop(prop(sel, "Rows"), "Count") - 1];
    }

    return {
        app: app,
        prop: prop,
        columnLetter: columnLetter,
        color: color,
        contains: contains,
        findSheet: findSheet,
        sheetValues: sheetValues,
        workbookPayload: workbookPayload,
        writeFill: writeFill,
        markCells: markCells,
        resultSheet: resultSheet,
        select: select,
        selectedRows: selectedRows
    };
})();
