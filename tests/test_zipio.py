"""Members of a workbook package read with zlib-ng (xl_addin.xlsxpatch.zipio.open_member)
give what :mod:`zipfile` gives, and a damaged member is refused as zipfile refuses it."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from xl_addin.xlsxpatch import zipio


def _package(path, data: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("stored.xml", b"<a/>", compress_type=zipfile.ZIP_STORED)
        z.writestr("xl/worksheets/sheet1.xml", data, compress_type=zipfile.ZIP_DEFLATED)


def test_a_deflated_member_reads_as_zipfile_reads_it(tmp_path):
    data = b"".join(
        f'<row r="{i}"><c><v>{i * 7919 % 1000}</v></c></row>'.encode() for i in range(60_000)
    )
    path = tmp_path / "a.xlsx"
    _package(path, data)
    with zipfile.ZipFile(path) as z:
        fh = zipio.open_member(z, "xl/worksheets/sheet1.xml")
        if zipio.fast_zlib is not zlib:
            assert isinstance(fh, zipio._Inflating)
        with fh:
            pieces = []
            while chunk := fh.read(100_003):  # odd sizes: the buffer is cut anywhere
                pieces.append(chunk)
        assert b"".join(pieces) == data
        with zipio.open_member(z, "xl/worksheets/sheet1.xml") as fh:
            assert fh.read() == data
        with zipio.open_member(z, "stored.xml") as fh:
            assert fh.read() == b"<a/>"


def test_a_damaged_member_is_refused(tmp_path):
    data = b"<sheetData>" + b"<row/>" * 50_000 + b"</sheetData>"
    path = tmp_path / "b.xlsx"
    _package(path, data)
    name = b"xl/worksheets/sheet1.xml"
    raw = bytearray(path.read_bytes())
    # the central directory's CRC-32 of the sheet (what both readers check) is changed
    cd = raw.find(b"PK\x01\x02")
    while raw[cd + 46 : cd + 46 + int.from_bytes(raw[cd + 28 : cd + 30], "little")] != name:
        cd = raw.find(b"PK\x01\x02", cd + 4)
    raw[cd + 16] ^= 0xFF
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(raw))
    with zipfile.ZipFile(bad) as z:
        with pytest.raises(zipfile.BadZipFile), z.open(name.decode()) as fh:
            fh.read()
        with pytest.raises(zipfile.BadZipFile), zipio.open_member(z, name.decode()) as fh:
            fh.read()


def test_a_zip_read_from_memory_is_left_to_zipfile(tmp_path):
    path = tmp_path / "c.xlsx"
    _package(path, b"<x/>" * 1000)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        fh = zipio.open_member(z, "xl/worksheets/sheet1.xml")
        assert not isinstance(fh, zipio._Inflating)
        with fh:
            assert fh.read() == b"<x/>" * 1000
