"""The workbook checks made before anything is inflated, worded for the clerk.

:func:`guard_workbook` is called at every point that opens a workbook file
to read it (the ledger reader, the bad-cell scan); the patcher checks the
same sizes itself (:mod:`xl_addin.xlsxpatch.zipguard`) and its refusal is
worded here too (:func:`too_large`).  Each check reads only the zip
directory, the shared strings and — when the strings are long enough to
matter — the sheets' references to them; a refusal happens before the
reading that could exhaust the PC's memory.
"""

from __future__ import annotations

import functools
import os
import zipfile

from calc.errors import InputError
from xl_addin import messages as msg
from xl_addin.xlsxpatch import zipguard


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} 字节"


def too_large(exc: zipguard.PackageTooLarge, path: str | os.PathLike[str]) -> InputError:
    """The clerk's message for a package refused by the size guard."""
    label = msg.file_label(exc.path or path)
    advice = (
        "这可能是恶意构造的“压缩炸弹”文件，读取会耗尽电脑内存，已拒绝读取（未读取任何内容）。"
        "如确是正常台账，请在 Excel 中打开，删除多余的空行、空列和超长文本后另存，再重试。"
    )
    if exc.reason == "shared":
        return InputError(
            f"工作簿“{label}”的工作表部件“{exc.member}”引用的共享文本合计约 {exc.size:,} 个字符，"
            f"超过安全上限 {exc.limit:,} 个字符。{advice}",
            value=os.fspath(path),
        )
    if exc.reason == "ratio":
        what = f"解压后有 {_size(exc.size)}，是压缩大小（{_size(exc.compressed)}）的 {exc.size // max(exc.compressed, 1):,} 倍，超过安全上限 {exc.limit} 倍"  # fmt: skip
    elif exc.reason == "total":
        what = f"与之前的部件合计解压后有 {_size(exc.size)}，超过安全上限 {_size(exc.limit)}"
    else:
        what = f"解压后有 {_size(exc.size)}，超过安全上限 {_size(exc.limit)}"
    return InputError(
        f"工作簿“{label}”中的部件“{exc.member}”{what}。{advice}", value=os.fspath(path)
    )


def _workbook_part(zf: zipfile.ZipFile) -> str:
    import re

    try:
        rels = zf.read("_rels/.rels")
    except KeyError:
        return "xl/workbook.xml"
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        attrs = m.group(1)
        if b"/officeDocument" in attrs:
            t = re.search(rb'Target\s*=\s*["\']([^"\']+)["\']', attrs)
            if t:
                return t.group(1).decode("utf-8", "replace").lstrip("/")
    return "xl/workbook.xml"


def guard_workbook(path: str | os.PathLike[str]) -> None:
    """Refuse, in Chinese, a workbook that is a resource bomb or has no workbook part."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except OSError:
        return  # the reader reports a missing or locked file in its own words
    _guard(p, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _guard(path: str, _size_bytes: int, _mtime_ns: int) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # not a zip: the reader says what it is
    with zf:
        try:
            zipguard.check_sizes(zf, path)
            names = set(zf.namelist())
            part = _workbook_part(zf)
            if part not in names and "[Content_Types].xml" in names:  # an Office file, cut short
                raise InputError(
                    f"工作簿“{msg.file_label(path)}”不完整：缺少工作簿主体部件“{part}”"
                    "（文件可能被截断、被其他程序改坏，或只是改了扩展名的压缩包）。"
                    "请用 Excel 打开原文件另存为 .xlsx，或从备份恢复后重试。",
                    value=path,
                )
            sheets = sorted(
                n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
            )
            zipguard.check_shared_strings(zf, sheets, path)
        except zipguard.PackageTooLarge as exc:
            raise too_large(exc, path) from None
        except InputError:
            raise
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
            return  # damaged members: the reader reports the file as damaged
        except Exception as exc:  # lxml's XMLSyntaxError: the reader reports it
            if type(exc).__module__.startswith("lxml"):
                return
            raise
