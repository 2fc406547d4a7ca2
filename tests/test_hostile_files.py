"""Hostile workbooks: resource bombs, a missing workbook part, a web page named .xlsx.

Each bomb is a real zip package built here the way an attacker would: small on
disk, huge inflated. The guard must refuse it in Chinese *before* anything is
inflated — at every door that inflates (the ledger reader, the bad-cell scan,
the patcher that fills the ledger).
"""

from __future__ import annotations

import resource
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from calc.errors import InputError
from workbooks import sample_path
from xl_addin import bad_cells, ledger_write, zip_guard
from xl_addin.ledger_read import read_ledger
from xl_addin.xlsxpatch import zipguard

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def _package(path: Path, sheet_chunks, shared: list[str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
        z.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">{sst}</sst>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode())  # fmt: skip
            for chunk in sheet_chunks:
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return path


def _shared_string_bomb(tmp_path: Path) -> Path:
    """600,000 cells referencing one 32,767-character shared string (the issue's 2 MB file)."""

    def rows():
        header = '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>'
        yield header.encode()
        for r in range(2, 60_002):
            cells = "".join(f'<c r="{col}{r}" t="s"><v>0</v></c>' for col in "ABCDEFGHIJ")
            yield f'<row r="{r}">{cells}</row>'.encode()

    return _package(tmp_path / "炸弹.xlsx", rows(), ["长" * 32_767, "姓名", "身份证号码"])


def _whitespace_bomb(tmp_path: Path) -> Path:
    """A sheet of 256 MiB whitespace (the issue's had 3 GiB; the ratio is what matters)."""
    blank = b" " * (1 << 20)
    return _package(tmp_path / "空白.xlsx", (blank for _ in range(256)), ["姓名"])


def _refused_quickly(call) -> InputError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    with pytest.raises(InputError) as info:
        call()
    assert time.process_time() - start < 30
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 500, f"peak memory grew {grown_mb:.0f} MB"
    return info.value


def test_shared_string_bomb_is_refused_before_reading(tmp_path):
    bomb = _shared_string_bomb(tmp_path)
    assert bomb.stat().st_size < 5 << 20
    err = _refused_quickly(lambda: read_ledger(bomb))
    assert "共享文本" in err.message and "压缩炸弹" in err.message and "炸弹.xlsx" in err.message
    with pytest.raises(InputError, match="共享文本"):
        bad_cells.scan_bad_cells(str(bomb), "台账")


def test_whitespace_bomb_is_refused_at_every_door(tmp_path):
    bomb = _whitespace_bomb(tmp_path)
    assert bomb.stat().st_size < 5 << 20
    err = _refused_quickly(lambda: read_ledger(bomb))
    assert "xl/worksheets/sheet1.xml" in err.message and "倍" in err.message
    with pytest.raises(InputError, match="压缩炸弹"):
        bad_cells.scan_bad_cells(str(bomb), "台账")
    # the patcher (fill) refuses it too, in the same words
    err = _refused_quickly(
        lambda: ledger_write.write_cells(bomb, tmp_path / "out.xlsx", "台账", {(1, 1): "x"})
    )
    assert "压缩炸弹" in err.message
    assert not (tmp_path / "out.xlsx").exists()


def test_limits_are_far_above_a_real_ledger(tmp_path):
    """The sample ledgers (and what a 100,000-row ledger declares) pass the guard."""
    for code in ("SX-2008", "AH-2011"):
        zip_guard.guard_workbook(sample_path(code))
    # a ledger at Excel's last row: bench/ledgers.py's 1,000,000 rows declare 1.62 GB of sheet XML
    assert zipguard.MAX_MEMBER_BYTES > 1_048_576 * 1_650
    assert zipguard.MAX_TOTAL_BYTES > zipguard.MAX_MEMBER_BYTES


def test_a_package_without_its_workbook_part(tmp_path):
    src = sample_path("SX-2008")
    broken = tmp_path / "无主体.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/workbook.xml":
                zout.writestr(info, zin.read(info))
    with pytest.raises(InputError) as info:
        read_ledger(broken)
    assert "缺少工作簿主体部件“xl/workbook.xml”" in info.value.message
    assert "header" not in info.value.message


def test_a_web_page_named_xlsx_is_called_a_web_page(tmp_path):
    page = tmp_path / "系统导出.xlsx"
    page.write_text(
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
        "<body><table><tr><td>姓名</td><td>身份证号码</td></tr></table></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_ledger(page)
    assert "网页文件" in info.value.message and "另存为" in info.value.message
    assert "*.xlsx" in info.value.message
    # anything else that is not a zip is still "damaged"
    junk = tmp_path / "坏.xlsx"
    junk.write_bytes(b"\x00\x01garbage" * 10)
    with pytest.raises(InputError, match="文件已损坏"):
        read_ledger(junk)


def test_a_sample_copy_reads_after_the_guard(tmp_path):
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    assert len(read_ledger(dst).data) > 100


def test_an_office_file_bomb_is_refused_too(tmp_path):
    from xl_addin import jobs

    ledger = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), ledger)
    bomb = _whitespace_bomb(tmp_path)
    office = bomb.rename(tmp_path / "单位.xlsx")
    err = _refused_quickly(lambda: jobs.docs(ledger, "协议书", tmp_path / "a", office=office))
    assert "单位.xlsx" in err.message and "压缩炸弹" in err.message
