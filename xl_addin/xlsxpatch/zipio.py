"""Zip members: copying unchanged, fast deflate of big sheets, threaded inflate/deflate."""

from __future__ import annotations

import queue
import shutil
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO

try:  # zlib-ng: the same deflate stream, a third less CPU to deflate and half to inflate
    from zlib_ng import zlib_ng as fast_zlib
except ImportError:  # no wheel (Pyodide): the standard library's zlib
    fast_zlib = zlib  # type: ignore[no-redef]

_CHUNK = 4 << 20


def _copy_member(
    src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, data: bytes | None = None
) -> None:
    zi = zipfile.ZipInfo(info.filename, info.date_time)
    zi.compress_type = info.compress_type
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    zi.comment = info.comment
    zi.extra = b""
    if data is not None:
        out.writestr(zi, data)
        return
    if info.is_dir():
        out.writestr(zi, b"")
        return
    with src.open(info) as fin, out.open(zi, "w", force_zip64=info.file_size > (1 << 31)) as fout:
        shutil.copyfileobj(fin, fout, _CHUNK)


#: Sheets larger than this (uncompressed) are inflated/deflated in worker threads.
_BIG_SHEET = 8 << 20
#: Deflate level of a big rewritten sheet.  On a filled 100,000-row ledger
#: (262 MB of sheet XML) level 3 gives 29.0 MB, 5 gives 23.3 MB and 6 (zipfile's
#: default, what a sheet had when formatting was a second rewrite) 22.6 MB, for
#: 1.1, 1.8 and 2.4 s of CPU: 5 keeps the file within 3% of 6 at half its extra cost.
_BIG_LEVEL = 5


def _fast_deflate(zi: zipfile.ZipInfo, size: int) -> None:
    """Deflate a big rewritten sheet at :data:`_BIG_LEVEL` rather than zipfile's 6."""
    if size > _BIG_SHEET and zi.compress_type == zipfile.ZIP_DEFLATED:
        try:
            zi.compress_level = _BIG_LEVEL  # Python 3.13+
        except AttributeError:
            zi._compresslevel = _BIG_LEVEL  # Python 3.11/3.12


def open_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo | str) -> BinaryIO:
    """A member of ``zf`` to read: a deflated one inflated by :data:`fast_zlib` and
    its CRC-32 checked at the end, as :meth:`zipfile.ZipFile.open` does; anything
    else (stored, encrypted, a zip read from a stream) by :mod:`zipfile` itself."""
    if isinstance(info, str):
        info = zf.getinfo(info)
    if (
        fast_zlib is zlib
        or info.compress_type != zipfile.ZIP_DEFLATED
        or info.flag_bits & 0x1
        or not isinstance(zf.filename, str)
    ):
        return zf.open(info)
    return _Inflating(zf.filename, info)


class _Buffer:
    """Bytes produced in pieces of their own size, read back in the sizes asked for.

    A piece is kept whole with a read position in it: each byte is copied once, into
    the bytes a read returns (slicing off the rest after every read would copy it again
    and again)."""

    def __init__(self) -> None:
        self._piece = b""
        self._at = 0

    def read(self, size: int | None, more: Callable[[], bytes]) -> bytes:
        """``size`` bytes (all when None or negative; fewer only at the end), taking
        new pieces from ``more()`` (``b""``: the end) as needed."""
        whole = size is None or size < 0
        left = len(self._piece) - self._at
        if not whole and left >= size:
            out = self._piece[self._at : self._at + size]
            self._at += size
            return out
        parts = [self._piece[self._at :]] if left else []
        have = left
        while whole or have < size:
            piece = more()
            if not piece:
                break
            parts.append(piece)
            have += len(piece)
        if whole or have <= size:
            self._piece, self._at = b"", 0
            return parts[0] if len(parts) == 1 else b"".join(parts)
        last = parts.pop()  # the piece that goes past ``size``: read on from it later
        take = size - (have - len(last))
        parts.append(last[:take])
        self._piece, self._at = last, take
        return b"".join(parts)


class _Inflating:
    """The inflated bytes of one deflated member, read from the file by its local header."""

    def __init__(self, path: str, info: zipfile.ZipInfo):
        self._name = info.filename
        self._fh = open(path, "rb")  # noqa: SIM115 — closed by close()/__exit__
        try:
            self._fh.seek(info.header_offset)
            head = self._fh.read(zipfile.sizeFileHeader)
            fields = struct.unpack(zipfile.structFileHeader, head)
            if len(head) != zipfile.sizeFileHeader or fields[0] != zipfile.stringFileHeader:
                raise zipfile.BadZipFile(f"Bad magic number for file header: {self._name}")
            self._fh.seek(fields[10] + fields[11], 1)  # the name and the extra field
        except BaseException:
            self._fh.close()
            raise
        self._left = info.compress_size
        self._inflate = fast_zlib.decompressobj(-15)
        self._crc, self._want = 0, info.CRC
        self._buf = _Buffer()
        self._eof = False

    def _more(self) -> bytes:
        if self._eof:
            return b""
        raw = self._fh.read(min(1 << 20, self._left)) if self._left > 0 else b""
        self._left -= len(raw)
        data = self._inflate.decompress(raw) if raw else b""
        if not raw or self._inflate.eof:
            data += self._inflate.flush()
            self._eof = True
        self._crc = fast_zlib.crc32(data, self._crc)
        if self._eof and self._crc != self._want:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._name!r}")
        return data

    def _piece(self) -> bytes:
        """The next inflated bytes (``b""`` only at the end)."""
        while not self._eof:
            data = self._more()
            if data:
                return data
        return b""

    def read(self, size: int = -1) -> bytes:
        return self._buf.read(size, self._piece)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> _Inflating:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Prefetch:
    """Read-ahead of a (decompressing) stream in a worker thread, ``_CHUNK`` at a time."""

    def __init__(self, src: BinaryIO, depth: int = 3):
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._buf = _Buffer()
        self._eof = False
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._t = threading.Thread(target=self._run, args=(src,), daemon=True)
        self._t.start()

    def _run(self, src: BinaryIO) -> None:
        try:
            while not self._stop.is_set():
                chunk = src.read(_CHUNK)
                self._put(chunk)
                if not chunk:
                    return
        except BaseException as exc:  # handed to the reading thread
            self._error = exc
            self._put(b"")

    def _put(self, chunk: bytes) -> None:
        while not self._stop.is_set():
            try:
                self._q.put(chunk, timeout=0.1)
                return
            except queue.Full:
                continue

    def _next(self) -> bytes:
        if self._eof:
            return b""
        chunk = self._q.get()
        if not chunk:
            self._eof = True
            if self._error is not None:
                raise self._error
        return chunk

    def read(self, size: int = -1) -> bytes:
        return self._buf.read(size, self._next)

    def __enter__(self) -> _Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


class _DeflateSink:
    """Write target that deflates (raw, zip's method 8) into ``fh`` in a worker thread.

    Keeps the CRC-32 and size of the data written; :meth:`copy_into` then puts
    the compressed bytes into a zip member opened for writing, unchanged.
    """

    def __init__(self, fh: BinaryIO, level: int, depth: int = 4):
        self.fh = fh
        self.size = 0
        self.crc = 0
        self._comp = fast_zlib.compressobj(level, zlib.DEFLATED, -15)
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._closed = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while True:
            data = self._q.get()
            if data is None:
                break
            if self._error is not None:
                continue  # drain after a failure
            try:
                self.size += len(data)
                self.crc = fast_zlib.crc32(data, self.crc)
                self.fh.write(self._comp.compress(data))
            except BaseException as exc:
                self._error = exc
        if self._error is None:
            try:
                self.fh.write(self._comp.flush())
            except BaseException as exc:
                self._error = exc

    def write(self, data: bytes | memoryview) -> int:
        """Queue ``data`` for deflating: bytes, or a memoryview of bytes (neither can
        change while it waits); anything else is copied first."""
        if self._error is not None:
            raise self._error
        if data:
            if not (type(data) is bytes or (type(data) is memoryview and data.readonly)):
                data = bytes(data)
            self._q.put(data)
        return len(data)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._q.put(None)
        self._t.join()
        if self._error is not None:
            raise self._error

    def copy_into(self, fout: Any) -> None:
        """Copy the deflated bytes into ``fout`` (``ZipFile.open(zi, "w")``, deflate)."""
        self.fh.seek(0)
        fout._compressor = _Passthrough()  # the data is deflated already
        shutil.copyfileobj(self.fh, fout, _CHUNK)
        fout._file_size = self.size  # header and zip64 checks: the inflated size and CRC
        fout._crc = self.crc


class _Passthrough:
    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""
