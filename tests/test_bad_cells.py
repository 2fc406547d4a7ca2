"""The scan for error values and formulas without a cached value (xl_addin.bad_cells),
on sheets written as other programs write them: a namespace prefix on every element
(``<x:f>``), many inline texts full of the letter ``f`` before the one formula, a
formula in the last row of a chunk."""

from __future__ import annotations

import zipfile

from xl_addin import bad_cells

_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _workbook(tmp_path, rows: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    ns = f"xmlns{':' + prefix if prefix else ''}"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main"><{p}sheetData>{rows}'
        f"</{p}sheetData></{p}worksheet>"
    )
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return str(path)


def _text_row(r: int, p: str = "") -> str:
    return (
        f'<{p}row r="{r}"><{p}c r="A{r}" t="inlineStr"><{p}is><{p}t>female office staff'
        f"</{p}t></{p}is></{p}c></{p}row>"
    )


def test_a_formula_after_many_texts_with_the_letter_f_is_found(tmp_path):
    rows = "".join(_text_row(r) for r in range(1, 400))
    rows += '<row r="400"><c r="B400"><f>VLOOKUP(A400,名单!A:B,2,0)</f></c></row>'
    path = _workbook(tmp_path, rows)
    assert bad_cells.scan_bad_cells(path, "台账") == {(400, 2): "=VLOOKUP(A400,名单!A:B,2,0)"}


def test_prefixed_elements_are_scanned_as_plain_ones(tmp_path):
    rows = "".join(_text_row(r, "x:") for r in range(1, 10))
    rows += (
        '<x:row r="10"><x:c r="C10"><x:f>SUM(A1:A9)</x:f></x:c>'
        '<x:c r="D10" t="e"><x:v>#N/A</x:v></x:c></x:row>'
    )
    path = _workbook(tmp_path, rows, prefix="x")
    assert bad_cells.scan_bad_cells(path, "台账") == {(10, 3): "=SUM(A1:A9)", (10, 4): "#N/A"}


def test_a_sheet_with_texts_only_has_no_bad_cells(tmp_path):
    rows = "".join(_text_row(r) for r in range(1, 200))
    rows += '<row r="200"><c r="A200" s="1"><v>1</v></c></row>'
    assert bad_cells.scan_bad_cells(_workbook(tmp_path, rows), "台账") == {}


def test_a_formula_with_its_cached_value_is_not_a_bad_cell(tmp_path):
    rows = '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'
    assert bad_cells.scan_bad_cells(_workbook(tmp_path, rows), "台账") == {}


def test_a_chunk_edge_is_no_hiding_place(tmp_path, monkeypatch):
    rows = "".join(_text_row(r) for r in range(1, 30))
    rows += '<row r="30"><c r="E30" t="e"><v>#VALUE!</v></c></row>'
    rows += "".join(_text_row(r) for r in range(31, 40))
    rows += '<row r="40"><c r="F40"><f t="shared" ref="F40:F41" si="0">A40*2</f></c></row>'
    rows += '<row r="41"><c r="A41"><v>1</v></c><c r="B41" t="e"><v>#N/A</v></c></row>'
    path = _workbook(tmp_path, rows)
    whole = {(30, 5): "#VALUE!", (40, 6): "=A40*2", (41, 2): "#N/A"}
    # every seam between two reads falls somewhere in every marker (t="e", <f>) once
    for size in [*range(2, 90), 64, 1000]:
        monkeypatch.setattr(bad_cells, "_CHUNK", size)
        assert bad_cells.scan_bad_cells(path, "台账") == whole, size


def test_a_chunk_edge_is_no_hiding_place_with_a_prefix(tmp_path, monkeypatch):
    rows = "".join(_text_row(r, "x:") for r in range(1, 9))
    rows += '<x:row r="9"><x:c r="C9"><x:f>SUM(A1:A8)</x:f></x:c></x:row>'
    path = _workbook(tmp_path, rows, prefix="x")
    for size in range(2, 60):
        monkeypatch.setattr(bad_cells, "_CHUNK", size)
        assert bad_cells.scan_bad_cells(path, "台账") == {(9, 3): "=SUM(A1:A8)"}, size
