"""The filled ledger a clerk reads: result columns formatted like the ledger."""

from __future__ import annotations

import subprocess
import zipfile

import openpyxl
import pytest
from real_layouts import AS_OF, shanxi_difficulty_ledger

from xl_addin import jobs


@pytest.fixture
def filled(tmp_path):
    layout = shanxi_difficulty_ledger(tmp_path)
    wb = openpyxl.load_workbook(layout.path)
    ws = wb.active
    ws.auto_filter.ref = f"A4:L{ws.max_row - 3}"
    ws.freeze_panes = "C5"
    wb.save(layout.path)
    return jobs.fill(layout.path, out=tmp_path / "f.xlsx", policy=layout.policy, as_of=AS_OF)


def test_result_columns_have_widths_wrap_colours_filter_print_titles(filled):
    wb = openpyxl.load_workbook(filled.output)
    ws = wb[filled.sheet]
    letters = filled.written
    why = letters["认定依据"]
    assert ws.column_dimensions[why].width >= 40
    first = filled.first_row
    assert ws[f"{why}{first}"].alignment.wrap_text
    # the ledger's font on the new cells (the cell left of the results lends it)
    left = ws.cell(first, ws[f"{letters['认定类别']}{first}"].column - 1)
    assert ws[f"{letters['认定结论']}{first}"].font.name == left.font.name
    assert ws[f"{letters['认定结论']}{first}"].border.left.style == left.border.left.style
    rules = {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules}
    assert {'"符合"', '"不符合"', '"待核实"', '"资格终止"'} <= rules
    sq = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert any(s.startswith(f"{letters['认定结论']}{first}:") and s.endswith("1048576") for s in sq)
    assert ws.auto_filter.ref.split(":")[1].rstrip("0123456789") == letters["数据问题"]
    assert ws.freeze_panes == "C5"
    assert ws.print_title_cols is not None and ws.print_title_cols.startswith("$A:")


def test_eligible_is_the_same_words_in_values_and_formulas(tmp_path):
    layout = shanxi_difficulty_ledger(tmp_path)
    a = jobs.fill(layout.path, out=tmp_path / "v.xlsx", policy=layout.policy, as_of=AS_OF)
    b = jobs.fill(
        layout.path, out=tmp_path / "f.xlsx", policy=layout.policy, as_of=AS_OF, formulas=True
    )
    col = a.written["是否符合"]
    va = openpyxl.load_workbook(a.output, data_only=True)[a.sheet]
    vb = openpyxl.load_workbook(b.output, data_only=True)[b.sheet]
    got_a = [va[f"{col}{r}"].value for r in range(a.first_row, a.last_row + 1)]
    got_b = [vb[f"{col}{r}"].value for r in range(b.first_row, b.last_row + 1)]
    assert got_a == got_b and set(got_a) <= {"是", "否"}
    with zipfile.ZipFile(b.output) as z:
        assert any(b"IF(JY_ELIGIBLE" in z.read(n) for n in z.namelist() if "worksheets" in n)


@pytest.mark.slow
def test_libreoffice_renders_the_result_columns(filled, tmp_path):
    out = tmp_path / "pdf"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(filled.output)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = next(out.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "认定结论" in text and "认定依据" in text
    # the names are printed on the pages that carry the results (print titles)
    pages = text.split("\f")
    assert any("认定依据" in p and "王秀英" in p for p in pages)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_formulas_cover_rows_added_below_the_last_person(tmp_path):
    from real_layouts import neimenggu_category_roster

    layout = neimenggu_category_roster(tmp_path)  # nothing below the data
    b = jobs.fill(
        layout.path, out=tmp_path / "f.xlsx", policy=layout.policy, as_of=AS_OF, formulas=True
    )
    ws = openpyxl.load_workbook(b.output)[b.sheet]
    spare = b.last_row + jobs.FORMULA_SPARE_ROWS
    for header in ("认定类别", "是否符合"):
        anchor = ws[f"{b.written[header]}{b.first_row}"].value
        assert anchor.ref.endswith(f"{spare}") and f"${spare}," in anchor.text, anchor.text
    # a blank row's answer is "" in every formula column (IF keeps it), so the spare rows
    # show nothing until a person is typed there
    assert "IF(ISLOGICAL(JY_ELIGIBLE(" in ws[f"{b.written['是否符合']}{b.first_row}"].value.text


def test_formulas_stop_at_the_last_person_above_a_footer(tmp_path):
    layout = shanxi_difficulty_ledger(tmp_path)  # 合计, 填表说明 and signature rows below
    b = jobs.fill(
        layout.path, out=tmp_path / "f.xlsx", policy=layout.policy, as_of=AS_OF, formulas=True
    )
    ws = openpyxl.load_workbook(b.output)[b.sheet]
    anchor = ws[f"{b.written['认定类别']}{b.first_row}"].value
    assert anchor.ref.endswith(f"{b.last_row}")


def test_a_big_sheet_is_streamed_with_widths_filter_and_colours(tmp_path, monkeypatch):
    from xl_addin.xlsxpatch import formats

    monkeypatch.setattr(formats, "BIG_SHEET", 100)  # every sheet counts as big
    monkeypatch.setattr(formats, "_CHUNK", 64)  # and arrives in many chunks
    layout = shanxi_difficulty_ledger(tmp_path)
    small = jobs.fill(layout.path, out=tmp_path / "a.xlsx", policy=layout.policy, as_of=AS_OF)
    ws = openpyxl.load_workbook(small.output)[small.sheet]
    why = small.written["认定依据"]
    assert ws.column_dimensions[why].width >= 40
    rules = {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules}
    assert '"符合"' in rules
    values = [[c.value for c in row] for row in ws.iter_rows()]
    plain = openpyxl.load_workbook(layout.path)[small.sheet]
    for r, row in enumerate(plain.iter_rows(values_only=True)):
        assert list(row) == values[r][: len(row)]  # the ledger's own cells unchanged


def test_the_fill_button_formats_like_the_command():
    """The 填写计算列 button sets the same widths, wrap and conclusion colours
    (Office.js actions) as jobs.result_formats gives ``jyyz fill``."""
    import xlwings_helpers

    sc = xlwings_helpers.load("xl_addin.scripts")
    settings = (
        "设置",
        [["政策代码", "SX-2008"], ["认定基准日期", xlwings_helpers.serial(xlwings_helpers.AS_OF)]],
    )
    ledger = ("台账", [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()])
    result = xlwings_helpers.run_script(
        sc, "jy_fill_columns", xlwings_helpers.book_json([ledger, settings])
    )
    actions = result.json()["actions"]
    widths = [a for a in actions if a["func"] == "setColumnWidth"]
    wraps = [a for a in actions if a["func"] == "setWrapText"]
    colours = [a for a in actions if a["func"] == "setRangeColor"]
    assert len(widths) == 8 and all(a["args"][0] > 0 for a in widths)
    assert wraps and all(a["args"] == [True] for a in wraps)
    fills = {a["args"][0].upper() for a in colours if a["args"] and a["args"][0]}
    assert fills and fills <= {"#C6EFCE", "#FFC7CE", "#FFEB9C", "#D9D9D9"}


@pytest.mark.parametrize(
    "big_sheet, patch_big",
    [(None, None), (100, None), (100, 0)],
    ids=["whole", "streamed", "threads"],
)
def test_one_pass_write_equals_write_then_format(tmp_path, monkeypatch, big_sheet, patch_big):
    """Formatting inside the write (one rewrite of the package) gives every part
    the same bytes as writing the columns and then running format_columns."""
    from xl_addin import ledger_write
    from xl_addin.xlsxpatch import formats, patch

    if big_sheet is not None:
        monkeypatch.setattr(formats, "BIG_SHEET", big_sheet)
        monkeypatch.setattr(formats, "_CHUNK", 64)
    if patch_big is not None:
        monkeypatch.setattr(patch, "_BIG_SHEET", patch_big)
    layout = shanxi_difficulty_ledger(tmp_path)
    wb = openpyxl.load_workbook(layout.path)
    ws = wb.active
    ws.auto_filter.ref = f"A4:L{ws.max_row - 3}"
    wb.save(layout.path)
    sheet = wb.sheetnames[0]
    rows = list(range(5, ws.max_row - 2))
    texts = ["符合", "不符合", "待核实", "长文本" * 30]
    columns = {
        13: [texts[i % 4] for i in range(len(rows))],
        14: [i * 1.5 for i in range(len(rows))],
    }
    fmt = {
        "columns": {"M": {"width": 40, "wrap": True}, "N": {"width": 9}},
        "first_row": rows[0],
        "last_row": rows[-1],
        "rules": [{"column": "M", "text": "符合", "fill": "FFC6EFCE", "font": "FF006100"}],
        "filter_to": "N",
        "title_columns": ["A", "B"],
        "like": "L",
    }
    heads = {13: "结论", 14: "数"}
    one = tmp_path / "one.xlsx"
    ledger_write.write_formatted_columns(
        layout.path, one, sheet, rows, columns, fmt, headers=heads, header_row=4
    )
    mid, two = tmp_path / "mid.xlsx", tmp_path / "two.xlsx"
    patch.write_columns(layout.path, mid, sheet, rows, columns, headers=heads, header_row=4)
    formats.format_columns(mid, two, sheet, **ledger_write._column_formats(fmt))
    with zipfile.ZipFile(one) as a, zipfile.ZipFile(two) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_rows_pass_on_and_the_tail_is_kept_whatever_the_pieces():
    """A streamed big sheet's rows go on as they come and what follows
    ``</sheetData>`` is kept for the end, wherever the pieces cut that tag."""
    import io

    from xl_addin.xlsxpatch import formats

    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(40))
    rest = b'</sheetData><autoFilter ref="A1:A40"/></worksheet>'
    whole = rows + rest
    for size in [*range(1, 30), 64, len(whole)]:
        down = io.BytesIO()
        fw = formats.FormattingWriter(None, None, lambda: None, io.BytesIO())
        fw._down, fw._close = down, b"</sheetData>"  # as _start leaves them
        for i in range(0, len(whole), size):
            fw._pass(whole[i : i + size])
        assert down.getvalue() == rows, size
        assert b"".join(fw._tail) == rest, size
