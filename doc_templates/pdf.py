"""PDF on request: convert a batch of .docx files with LibreOffice in ONE process.

    to_pdf(paths, out_dir) -> list[Path]

One ``soffice --headless --convert-to pdf`` call converts the whole batch
(≈0.27 s a document instead of ≈1.9 s for one call per document).  Each call
uses a private user profile (``-env:UserInstallation=file:///tmp/…``) so
parallel runs do not clash over a locked profile, and a timeout.  LibreOffice
needs CJK fonts (Debian: fonts-noto-cjk, fonts-arphic-ukai/uming) or Chinese
prints as boxes; ``make system-deps`` installs them.

LibreOffice writes into a private temporary folder; each PDF is then moved
beside the papers through :func:`calc.safe_files.write_bytes_safely` (an
older PDF of the same name is backed up, an identical one left alone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from calc.errors import InputError
from calc.safe_files import write_bytes_safely

MISSING_MESSAGE = "未找到 LibreOffice，无法生成 PDF；请安装 LibreOffice 后重试"
CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


#: With ``keep_blank_pages``: keep the blank pages a duplex print file needs before
#: a paper starting on an odd page (LibreOffice ≥ 7.4 reads JSON filter options).
#: Without it LibreOffice drops them — and also the blank pages it would add
#: itself where page numbers restart at 1, which Word does not add.
KEEP_BLANK_PAGES = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


class PdfError(InputError):
    """PDF conversion failed; ``message`` is in Chinese for the clerk."""


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None (env JYYZ_SOFFICE wins)."""
    env = os.environ.get("JYYZ_SOFFICE")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for c in CANDIDATES:
        found = shutil.which(c) or (c if Path(c).is_file() else None)
        if found:
            return found
    return None


def to_pdf(
    paths: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    timeout: float | None = None,
    soffice: str | None = None,
    keep_blank_pages: bool = False,
) -> list[Path]:
    """Convert ``paths`` to PDF in ``out_dir`` (default: beside the first file).

    ``keep_blank_pages``: for a duplex print file (each paper on an odd page).
    Returns the PDF paths in input order.  Raises :class:`PdfError` with a
    Chinese message when LibreOffice is missing, times out (default
    60 s + 3 s a file) or leaves a file unconverted.
    """
    paths = [Path(p).resolve() for p in paths]
    if not paths:
        return []
    for p in paths:
        if not p.is_file():
            raise PdfError(f"找不到要转换的文件：{p}")
    exe = soffice or find_soffice()
    if not exe:
        raise PdfError(MISSING_MESSAGE)
    out = Path(out_dir).resolve() if out_dir else paths[0].parent
    out.mkdir(parents=True, exist_ok=True)
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise PdfError("要转换的文件中有重名文件，PDF 会互相覆盖")
    if timeout is None:
        timeout = 60 + 3 * len(paths)
    pdfs = [out / f"{p.stem}.pdf" for p in paths]
    with (
        tempfile.TemporaryDirectory(prefix="jyyz-lo-") as profile,
        tempfile.TemporaryDirectory(prefix="jyyz-pdf-") as made,
    ):
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            KEEP_BLANK_PAGES if keep_blank_pages else "pdf",
            "--outdir",
            made,
            *map(str, paths),
        ]
        try:
            proc = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise PdfError(MISSING_MESSAGE) from None
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒），请减少一次转换的文件数后重试"
            ) from None
        fresh = [Path(made) / pdf.name for pdf in pdfs]
        missing = [p.name for p, f in zip(paths, fresh, strict=True) if not f.exists()]
        if missing:
            detail = proc.stderr.decode("utf-8", "replace").strip()[-300:]
            raise PdfError(
                f"LibreOffice 未能转换以下文件：{'、'.join(missing[:5])}"
                + ("等" if len(missing) > 5 else "")
                + (f"（{detail}）" if detail else "")
            )
        for f, pdf in zip(fresh, pdfs, strict=True):
            write_bytes_safely(pdf, f.read_bytes())
    return pdfs
