"""Resource-bomb guard for a workbook package: sizes and ratios checked before inflating.

An .xlsx is a zip file. A few megabytes can declare gigabytes of XML (3 GiB
of whitespace in one sheet, a 32,767-character shared string referenced by
600,000 cells): reading it freezes a clerk's PC. Everything that inflates a
member — the ledger reader (python-calamine), the bad-cell scan, this
package's patcher — first calls :func:`check_sizes` (the zip directory only,
nothing inflated) and the reader also :func:`check_shared_strings`.

The limits follow Apache POI's ``ZipSecureFile`` (a member that inflates more
than 100 times its compressed size is refused, POI's ``MIN_INFLATE_RATIO =
0.01``), applied from 16 MiB up so that small parts (styles, themes) may
compress as well as they like, plus absolute limits above real ledgers up
to Excel's last row (a 1,048,576-row ledger of some 30 columns is about 1.6 GB
of sheet XML; 100,000 rows × 20 columns about 80 MB).

Python's :mod:`zipfile` never gives more bytes than a member declares, so the
declared sizes bound what :mod:`zipfile` readers inflate.

No wording for users here: failures are :class:`PackageTooLarge` with the
numbers; the application words them (``xl_addin.zip_guard``).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable

from .errors import XlsxPatchError

#: No member inflates to more than this (a sheet at Excel's row limit fits).
MAX_MEMBER_BYTES = 3 << 30
#: The members together inflate to no more than this.
MAX_TOTAL_BYTES = 4 << 30
#: A member bigger than :data:`RATIO_FROM_BYTES` inflates at most this many times its size.
MAX_RATIO = 100
RATIO_FROM_BYTES = 16 << 20
#: The characters the shared-string references of all sheets may produce together.
MAX_SHARED_CHARS = 200_000_000

_CHUNK = 8 << 20
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d{1,9})\s*<')


class PackageTooLarge(XlsxPatchError):
    """A member (``member``) would inflate beyond a limit: ``reason`` is one of
    ``"member"``, ``"total"``, ``"ratio"``, ``"shared"``; ``size`` the inflated
    size (bytes, or characters for ``"shared"``), ``limit`` the limit."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        member: str,
        reason: str,
        size: int,
        compressed: int,
        limit: int,
    ):
        self.member, self.reason = member, reason
        self.size, self.compressed, self.limit = size, compressed, limit
        super().__init__(path, f"{member}: {reason} {size} > {limit}")


def check_sizes(zf: zipfile.ZipFile, path: str | os.PathLike[str] | None = None) -> None:
    """Refuse a package whose directory declares a member or a total too big to inflate."""
    total = 0
    for info in zf.infolist():
        size, packed = info.file_size, info.compress_size
        if size > MAX_MEMBER_BYTES:
            raise PackageTooLarge(path, info.filename, "member", size, packed, MAX_MEMBER_BYTES)
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(packed, 1):
            raise PackageTooLarge(path, info.filename, "ratio", size, packed, MAX_RATIO)
        total += size
        if total > MAX_TOTAL_BYTES:
            raise PackageTooLarge(path, info.filename, "total", total, packed, MAX_TOTAL_BYTES)


def _shared_lengths(zf: zipfile.ZipFile, part: str) -> list[int]:
    """The length (characters) of each shared string, in order."""
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    lengths: list[int] = []
    with zf.open(part) as fh:
        for _ev, el in etree.iterparse(
            fh, events=("end",), tag=f"{ns}si", resolve_entities=False, no_network=True
        ):
            lengths.append(sum(len(t.text or "") for t in el.iter(f"{ns}t")))
            el.clear()
    return lengths


def check_shared_strings(
    zf: zipfile.ZipFile,
    sheet_parts: Iterable[str],
    path: str | os.PathLike[str] | None = None,
    shared_part: str = "xl/sharedStrings.xml",
) -> None:
    """Refuse a package whose sheets would materialise more than
    :data:`MAX_SHARED_CHARS` characters of shared strings (length × references).

    A cheap bound first (the longest string × the references a sheet's size
    allows); only when that bound is too high are the references counted.
    """
    names = set(zf.namelist())
    if shared_part not in names:
        return
    parts = [p for p in sheet_parts if p in names]
    if not parts:
        return
    lengths = _shared_lengths(zf, shared_part)
    if not lengths:
        return
    longest = max(lengths)
    bound = sum(zf.getinfo(p).file_size for p in parts) // 20 * longest  # ≥ 20 bytes a cell
    if bound <= MAX_SHARED_CHARS:
        return
    total = 0
    n = len(lengths)
    for part in parts:
        with zf.open(part) as fh:
            tail = b""
            while True:
                chunk = fh.read(_CHUNK)
                data = tail + chunk
                if chunk:
                    # up to and with the last "</": a cell cut in two lies wholly in the tail
                    cut = data.rfind(b"</")
                    body, tail = (data[: cut + 2], data[cut + 2 :]) if cut >= 0 else (b"", data)
                    tail = tail[-(1 << 20) :]  # no closing tag for megabytes: no cell there
                else:
                    body, tail = data, b""
                for idx in _SHARED_CELL.findall(body):
                    i = int(idx)
                    if i < n:
                        total += lengths[i]
                if total > MAX_SHARED_CHARS:
                    raise PackageTooLarge(
                        path, part, "shared", total, zf.getinfo(part).compress_size,
                        MAX_SHARED_CHARS,
                    )  # fmt: skip
                if not chunk:
                    break
