"""The large-ledger paths of fill: streamed reading, threaded deflate, chunked joins.

Each is checked against the straightforward path it replaces, on data small
enough for the tests (the chunk sizes and thresholds are lowered).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
import python_calamine as pc
import xlsxwriter

from calc import assess
from xl_addin import jobs, ledger_read, ledger_write
from xl_addin.ledger_read import collect as ledger_collect
from xl_addin.xlsxpatch import patch as xp_patch
from xl_addin.xlsxpatch import rows as xp_rows
from xl_addin.xlsxpatch import zipio as xp_zipio


def _offset_book(path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("a")
    ws.write(0, 2, "x")
    ws.write(1, 3, "y")
    ws = wb.add_worksheet("b")
    ws.write(3, 0, "x")
    ws.write(4, 1, 1)
    wb.add_worksheet("c")
    ws = wb.add_worksheet("d")
    ws.merge_range(1, 1, 2, 3, "m")
    ws.write(4, 2, "q")
    ws = wb.add_worksheet("e")
    ws.write(2, 1, "a")
    ws.write(3, 3, 5)
    ws.write_boolean(5, 2, True)
    wb.close()


def test_iter_sheet_rows_equals_to_python(tmp_path):
    path = tmp_path / "offset.xlsx"
    _offset_book(path)
    wb = pc.CalamineWorkbook.from_path(str(path))
    for name in "abcde":
        sheet = wb.get_sheet_by_name(name)
        assert list(ledger_read._iter_sheet_rows(sheet, str(path))) == sheet.to_python(
            skip_empty_area=False
        ), name


def test_column_keeps_values_and_types():
    values = np.array(
        ["城镇", "", 1.0, True, "城镇", "1", None, dt.date(2020, 1, 2), "", 1.0, "城镇"] * 3,
        dtype=object,
    )
    out = ledger_read._column(values)
    expected = [None if v == "" else v for v in values.tolist()]
    assert out.tolist() == expected
    assert [type(v) for v in out.tolist()] == [type(v) for v in expected]
    texts = [v for v in out.tolist() if v == "城镇"]
    assert all(t is texts[0] for t in texts)  # one object per distinct text


def _ledger_book(path, n: int) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("台账")
    ws.write(0, 1, "就业援助对象台账")
    for c, h in enumerate(["序号", "姓名", "公民身份号码", "户籍性质", "就业状态", "家庭人口"]):
        ws.write(1, c, h)
    ws.write_row(2, 0, [1, 2, 3, 4, 5, 6])  # column-number row
    for i in range(n):
        r = i + 3
        ws.write_number(r, 0, i + 1)
        if i % 11 == 5:
            continue  # a blank row (only 序号)
        ws.write_string(r, 1, f"人员{i}" if i % 13 else "  ")
        ws.write_string(r, 2, f"11010119900101{i % 10000:04d}")
        ws.write_string(r, 3, ["城镇", "农村", ""][i % 3])
        if i % 17:
            ws.write_string(r, 4, "失业" if i % 2 else "已就业")
        if i % 5 == 0:
            ws.write_boolean(r, 5, True)
        elif i % 5 == 1:
            ws.write_number(r, 5, 1.0)
        elif i % 5 == 2:
            ws.write_string(r, 5, "1")
    ws.write(n + 4, 0, "合计")
    ws.write(n + 5, 0, "填表人：张三")
    wb.close()


def _reference_frame(path) -> tuple[pd.DataFrame, int]:
    """The ledger frame as the pre-streaming reader built it (from to_python)."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    sheet = wb.get_sheet_by_name("台账")
    rows = sheet.to_python(skip_empty_area=False)
    guess = ledger_read._guess_header(rows, list(sheet.merged_cell_ranges or []))
    width = len(rows[0])
    field_pos = sorted(guess.hmap.columns.items())
    key_cols = [guess.hmap.fields[n] for n in ("name", "id_number") if n in guess.hmap.fields]
    kept, index, first, footer = [], [], True, False
    for idx in range(guess.rows[-1] + 1, len(rows)):
        row = rows[idx]
        if all(ledger_read._is_blank(v) for v in row):
            continue
        if first:
            first = False
            if ledger_read._is_column_number_row(row):
                continue
        if ledger_read._is_stop_row(row, width, key_cols):
            footer = True
            continue
        if footer and not ledger_read._looks_like_person(row, guess.hmap.fields.get("id_number")):
            continue
        positions = [pos for pos, _ in field_pos]
        if ledger_read._no_person(row, key_cols, positions, guess.hmap.fields.get("id_number")):
            continue  # only 序号 on the row: an empty numbered line, not a person
        kept.append(row)
        index.append(idx + 1)
    data = {name: [None if (v := r[pos]) == "" else v for r in kept] for pos, name in field_pos}
    frame = pd.DataFrame(
        data,
        index=pd.Index(index, name="excel_row", dtype="int64"),
        dtype=object,
        columns=[n for _, n in field_pos],
    )
    return frame, len(rows)


def test_streamed_ledger_equals_whole_sheet_read(tmp_path, monkeypatch):
    path = tmp_path / "台账.xlsx"
    _ledger_book(path, 700)
    monkeypatch.setattr(ledger_collect, "_CHUNK_ROWS", 64)  # many chunks
    ledger = ledger_read.read_ledger(path)
    expected, max_row = _reference_frame(path)
    pd.testing.assert_frame_equal(ledger.data, expected)
    for col in expected.columns:
        assert [type(v) for v in ledger.data[col]] == [type(v) for v in expected[col]], col
    assert ledger.max_row == max_row
    assert ledger.skipped_rows[0] == 3 and ledger.skipped_rows[-2:] == [705, 706]


def _row_spans_by_regex(chunk: bytes, prefix: bytes = b"") -> list[tuple[int, int]]:
    p = re.escape(prefix)
    row_re = re.compile(rb"<" + p + rb"row\b[^>]*?(?:/>|>.*?</" + p + rb"row>)", re.S)
    return [m.span() for m in row_re.finditer(chunk)]


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_row_spans_match_the_row_regex(prefix):
    p = prefix
    chunk = (
        b"\n  <" + p + b'row r="1" spans="1:3"><' + p + b'c r="A1"><' + p + b"v>1</" + p + b"v></"
        b"" + p + b"c></" + p + b"row>"
        b"<" + p + b'row r="2" ht="30" customHeight="1"/>'
        b"<" + p + b"rowX/>"
        b" <" + p + b'row r="3"><' + p + b'c r="B3" t="inlineStr"><' + p + b"is><" + p + b"t>"
        b"row&lt;/row&gt;</" + p + b"t></" + p + b"is></" + p + b"c></" + p + b"row>\n"
        b"<" + p + b"row><" + p + b'c r="A4"/></' + p + b"row>"
    )
    rw = xp_rows._SheetRewriter(prefix, xp_rows._Plan([], None, None), None)
    assert list(rw._row_spans(chunk)) == _row_spans_by_regex(chunk, prefix)
    for hi in range(len(chunk) + 1):  # a buffer read up to hi, not cut there by a copy
        assert list(rw._row_spans(chunk, hi)) == list(rw._row_spans(chunk[:hi])), hi


def test_big_sheet_threaded_deflate_same_contents(tmp_path, monkeypatch):
    path = tmp_path / "台账.xlsx"
    _ledger_book(path, 300)
    ledger = ledger_read.read_ledger(path)
    rows = list(ledger.data.index)
    columns = {
        10: [f"说明<{i}>&" * (i % 7) or None for i in rows],
        11: [dt.date(2026, 1, 1 + i % 28) for i in rows],
        12: [i % 3 == 0 for i in rows],
    }
    plain = tmp_path / "plain.xlsx"
    ledger_write.write_columns(path, plain, "台账", rows, columns, headers={10: "甲"}, header_row=2)
    monkeypatch.setattr(xp_patch, "_BIG_SHEET", 0)
    for module in (xp_rows, xp_zipio):  # many chunks through both worker threads
        monkeypatch.setattr(module, "_CHUNK", 512)
    threaded = tmp_path / "threaded.xlsx"
    ledger_write.write_columns(
        path, threaded, "台账", rows, columns, headers={10: "甲"}, header_row=2
    )
    za, zb = zipfile.ZipFile(plain), zipfile.ZipFile(threaded)
    assert zb.testzip() is None
    assert [i.filename for i in za.infolist()] == [i.filename for i in zb.infolist()]
    for name in za.namelist():
        assert za.read(name) == zb.read(name), name


def test_chunked_join_and_shared_texts(monkeypatch):
    rng = np.random.default_rng(3)
    n = 1000
    cols = [
        np.array(rng.choice(["", "甲", "乙乙"], size=n), dtype=object),
        np.array(rng.choice(["", "丙"], size=n), dtype=object),
        np.array([f"丁{i}" if i % 4 else "" for i in range(n)], dtype=object),
    ]
    whole = assess._join(cols, n, "；")
    monkeypatch.setattr(assess, "_JOIN_ROWS", 37)
    assert assess._join(cols, n, "；").tolist() == whole.tolist()
    shared = assess._shared(cols[0])
    assert shared.tolist() == cols[0].tolist()


def test_fill_slim_same_as_full_assessment(tmp_path):
    """fill drops the raw columns it no longer needs; the results are those of a full run."""
    path = tmp_path / "台账.xlsx"
    _ledger_book(path, 200)
    full = jobs.assess_workbook(path, "SX-2008", "2026-11-22")
    slim = jobs.assess_workbook(path, "SX-2008", "2026-11-22", slim=True)
    pd.testing.assert_frame_equal(full.results, slim.results)
    assert full.problems == slim.problems
    assert list(slim.ledger.data.columns) == ["name", "id_number"]
