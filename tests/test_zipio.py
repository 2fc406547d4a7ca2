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


def test_reads_of_any_size_give_every_byte_once(tmp_path):
    """Reads of mixed sizes across the pieces the inflater and the read-ahead thread
    produce: each returns exactly the size asked for (fewer only at the end), and the
    reads put together are the member."""
    import random

    rng = random.Random(7)
    # numbers that do not compress much: several pieces of inflated data
    data = b"".join(
        f'<row r="{i}"><c><v>{rng.getrandbits(64)}</v></c></row>'.encode() for i in range(90_000)
    )
    path = tmp_path / "d.xlsx"
    _package(path, data)
    sizes = [1, 7, 0, 65_536, 1 << 20, 3 << 20, 100_003, 2]

    def read_all(fh) -> bytes:
        pieces = []
        for k in range(10_000):
            size = sizes[k % len(sizes)]
            chunk = fh.read(size)
            if size and not chunk:
                return b"".join(pieces)
            assert len(chunk) == size or len(b"".join(pieces)) + len(chunk) == len(data)
            pieces.append(chunk)
        raise AssertionError("never ended")

    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").compress_size > 1 << 20
        with zipio.open_member(z, "xl/worksheets/sheet1.xml") as fh:
            assert read_all(fh) == data
        with zipio.open_member(z, "xl/worksheets/sheet1.xml") as fh:
            head = fh.read(12_345)
            assert head + fh.read() == data  # the rest, after a partial read
        with (
            zipio.open_member(z, "xl/worksheets/sheet1.xml") as fh,
            zipio._Prefetch(fh) as ahead,
        ):
            assert read_all(ahead) == data
