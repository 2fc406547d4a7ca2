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


#: Where Debian's texlive-lang-chinese (and other layouts) put the Fandol fonts:
#: free 仿宋/宋/黑/楷 faces for the GB2312 fonts an office machine has and a Linux
#: one has not.  fontconfig does not scan TeX's folders, so the conversion adds them.
FANDOL_DIRS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/texmf/fonts/opentype/public/fandol",
    "/usr/local/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/fonts/opentype/fandol",
)
#: The templates' fonts (doc_templates.build_templates) → the faces printed in their
#: place, best first.  Noto CJK SC / AR PL stand in when Fandol is not installed
#: (SC, so that no Japanese glyph forms are printed).
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("FandolFang", "Noto Serif CJK SC", "AR PL UMing CN"),
    "仿宋": ("FandolFang", "Noto Serif CJK SC", "AR PL UMing CN"),
    "FangSong": ("FandolFang", "Noto Serif CJK SC"),
    "方正小标宋简体": ("FandolSong", "Noto Serif CJK SC", "AR PL UMing CN"),
    "宋体": ("FandolSong", "Noto Serif CJK SC", "AR PL UMing CN"),
    "SimSun": ("FandolSong", "Noto Serif CJK SC"),
    "黑体": ("FandolHei", "Noto Sans CJK SC"),
    "SimHei": ("FandolHei", "Noto Sans CJK SC"),
    "楷体_GB2312": ("FandolKai", "AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("FandolKai", "AR PL UKai CN", "Noto Serif CJK SC"),
    "KaiTi": ("FandolKai", "AR PL UKai CN"),
}
#: What a font embedded in the PDF stands for (for the clerk's output).
STANDS_FOR = {
    "FandolFang": "仿宋_GB2312",
    "FandolSong": "方正小标宋简体、宋体",
    "FandolHei": "黑体",
    "FandolKai": "楷体_GB2312",
    "NotoSerifCJK": "仿宋_GB2312、方正小标宋简体",
    "NotoSansCJK": "黑体",
    "UKai": "楷体_GB2312",
    "UMing": "仿宋_GB2312",
}


def fandol_dir() -> str | None:
    """The folder of the Fandol fonts, if installed."""
    env = os.environ.get("JYYZ_FANDOL_DIR")
    for d in ((env,) if env else ()) + FANDOL_DIRS:
        if d and Path(d).is_dir() and any(Path(d).glob("Fandol*.otf")):
            return d
    return None


def substitute_fonts_available() -> bool:
    return fandol_dir() is not None


def fontconfig_file(folder: str | Path) -> Path:
    """A private fontconfig file: the system's configuration, the Fandol folder,
    and the templates' font names mapped to their substitutes (strong binding,
    so LibreOffice takes them instead of its sans fallback)."""
    from xml.sax.saxutils import escape

    parts = ['<include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    fandol = fandol_dir()
    if fandol:
        parts.append(f"<dir>{escape(fandol)}</dir>")
    for name, faces in SUBSTITUTES.items():
        family = "".join(f"<string>{escape(f)}</string>" for f in faces)
        parts.append(
            f'<match target="pattern"><test name="family"><string>{escape(name)}</string>'
            f'</test><edit name="family" mode="prepend" binding="strong">{family}</edit></match>'
        )
    parts.append(
        '<match target="pattern"><edit name="lang" mode="prepend"><string>zh-cn</string>'
        "</edit></match>"
    )
    path = Path(folder) / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{''.join(parts)}</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def fonts_in(pdfs: Sequence[str | Path]) -> list[str]:
    """The fonts embedded in the PDFs (``pdffonts``; empty when it is missing)."""
    exe = shutil.which("pdffonts")
    found: list[str] = []
    if not exe:
        return found
    for pdf in pdfs:
        try:
            out = subprocess.run([exe, str(pdf)], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        for line in out.stdout.splitlines()[2:]:
            name = line.split()[0].split("+")[-1] if line.split() else ""
            if name and name not in found:
                found.append(name)
    return found


def font_note(pdfs: Sequence[str | Path]) -> str:
    """One sentence for the clerk: which fonts the PDFs print the templates' fonts in."""
    used = []
    for name in fonts_in(pdfs):
        key = next((k for k in STANDS_FOR if k in name.replace(" ", "")), None)
        if key:
            used.append(f"{name}（代{STANDS_FOR[key]}）")
    if not used:
        return ""
    note = "PDF 使用的替代字体：" + "、".join(used)
    if not substitute_fonts_available():
        note += "；未安装 Fandol 仿宋/宋/黑/楷字体（Debian：texlive-lang-chinese），字形与公文字体有差异"
    return note


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
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(profile))}
        try:
            proc = subprocess.run(
                cmd,
                env=env,
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
