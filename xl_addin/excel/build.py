"""Build ``jyyz.xlam`` from text sources (``make xlam``; ``python -m xl_addin.excel.build``).

What goes in:

- ``xlwings``: xlwings' custom add-in module ``xlwings/xlwings_custom_addin.bas`` of the
  installed (pinned) xlwings, with ``PROJECT_NAME`` set to ``jyyz`` — the one change xlwings'
  docs ("Custom Add-ins") ask for; its config file is then ``%USERPROFILE%\\.jyyz\\jyyz.conf``
  and its config sheet ``jyyz.conf``;
- ``xlwings_udfs``: the 21 worksheet functions and the five one-click Subs, written by
  xlwings' own generator (:mod:`xl_addin.excel.udf_wrappers`);
- ``jyyz_help``: the function help "Import Functions" would register with
  ``Application.MacroOptions``, registered when the ribbon loads (generated here);
- ``RibbonJyyz``: the ribbon callbacks (``vba/RibbonJyyz.bas``);
- the ribbon ``customUI/customUI14.xml`` (tab 就业援助), a workbook with one sheet
  ``jyyz.conf`` holding ``UDF MODULES`` (so the functions are found without any user
  setting), and the document modules ThisWorkbook/Sheet1 of an empty project.

The vbaProject.bin is written by PyPI ``ms-ovba`` (records and the compound file; its
compressor is replaced by :mod:`xl_addin.excel.ovba_compression`, see there why) (MS-OVBA: a compressed source for each
module, the ``dir`` and ``PROJECT`` streams, and a ``_VBA_PROJECT`` stream without
performance cache, so Office compiles the source when it first loads the add-in).  Two
limits of ms-ovba 0.0.1 decide the module list: it writes standard and document modules only
(no class modules), and xlwings' ``Dictionary`` class is used only under ``#If Mac`` — the
classic add-in is Windows-only — so it is left out; and it writes its intermediate files into
the current directory, so the build runs it in a temporary one.

Everything is deterministic (fixed project id, file times and zip dates): a rebuild from the
same sources and the same xlwings gives the same bytes (``tests/test_xlam.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path

import xlwings

from xl_addin.excel import XLWINGS_VERSION
from xl_addin.excel.ovba_compression import Compressor

HERE = Path(__file__).resolve().parent
XLAM = HERE / "jyyz.xlam"
CUSTOM_UI = HERE / "customUI14.xml"
RIBBON_BAS = HERE / "vba" / "RibbonJyyz.bas"
PROJECT_NAME = "jyyz"
#: A fixed project id keeps the build reproducible (any GUID will do; Office keeps it).
PROJECT_ID = "{6A1F3C52-2D0B-4E8A-9B41-7C5E0D9A1F26}"
UDF_MODULES = "xl_addin.functions;xl_addin.scripts"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
#: Project code page: 1252, as in xlwings' own add-in; the sources are kept ASCII.
CODEPAGE = "cp1252"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ---------------------------------------------------------------------------
# the VBA sources


def xlwings_module() -> str:
    """xlwings' custom add-in module of the installed xlwings, named for this project."""
    if xlwings.__version__ != XLWINGS_VERSION:
        raise RuntimeError(
            f"已安装的 xlwings 为 {xlwings.__version__}，加载项按 {XLWINGS_VERSION} 生成："
            "请同时修改 xl_addin/excel/__init__.py 的 XLWINGS_VERSION 和 pyproject.toml 中的 xlwings 版本"
        )
    path = Path(xlwings.__file__).with_name("xlwings_custom_addin.bas")
    text = path.read_text(encoding="ascii")
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if text.count(old) != 1:
        raise RuntimeError(f"{path} 中找不到 PROJECT_NAME 常量，xlwings 版本不受支持")
    return text.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')


def generated_udfs() -> dict:
    """xlwings' generator run in a child process (see :mod:`xl_addin.excel.udf_wrappers`)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("XLWINGS_ON_SERVER", None)
    result = subprocess.run(
        [sys.executable, "-m", "xl_addin.excel.udf_wrappers"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=HERE.parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError("xlwings 生成函数模块失败：\n" + result.stderr)
    return json.loads(result.stdout)


def vba_text(text: str) -> str:
    """A VBA string expression for any text in an ASCII source: ``"abc"`` literals and
    ``U("8BA4…")`` (UTF-16 code units in hex, decoded by ``U`` in jyyz_help)."""
    parts: list[str] = []
    ascii_run, wide_run = "", ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            if wide_run:
                parts.append(f'U("{wide_run}")')
                wide_run = ""
            ascii_run += '""' if ch == '"' else ch
        else:
            if ascii_run:
                parts.append(f'"{ascii_run}"')
                ascii_run = ""
            for unit in ch.encode("utf-16-be").hex().upper():
                wide_run += unit
    if ascii_run:
        parts.append(f'"{ascii_run}"')
    if wide_run:
        parts.append(f'U("{wide_run}")')
    return " & ".join(parts) if parts else '""'


def _assign(var: str, text: str, width: int = 400) -> list[str]:
    """Statements building ``var`` from ``text`` in lines VBA accepts (< 1023 characters)."""
    lines = [f'{var} = ""']
    chunk = ""
    for ch in text:
        chunk += ch
        if len(vba_text(chunk)) > width:
            lines.append(f"{var} = {var} & {vba_text(chunk)}")
            chunk = ""
    if chunk:
        lines.append(f"{var} = {var} & {vba_text(chunk)}")
    return lines


def help_module(help_rows: list[dict]) -> str:
    """``RegisterFunctionHelp``: ``Application.MacroOptions`` for every function, as xlwings'
    ``import_udfs`` does (description, category, argument descriptions; each cut to 255)."""
    out = [
        'Attribute VB_Name = "jyyz_help"',
        "' Generated by xl_addin/excel/build.py from the functions' docstrings - do not edit.",
        "' The help of every worksheet function, as xlwings' Import Functions registers it.",
        "Option Explicit",
        "",
        "Public Function JyyzText(ByVal units As String) As String",
        "    ' UTF-16 code units in hex (4 digits each) -> text; keeps the sources ASCII.",
        "    Dim i As Long",
        "    For i = 1 To Len(units) Step 4",
        '        JyyzText = JyyzText & ChrW(CLng("&H" & Mid$(units, i, 4)))',
        "    Next i",
        "End Function",
        "",
        "Private Function U(ByVal units As String) As String",
        "    U = JyyzText(units)",
        "End Function",
        "",
        "Sub RegisterFunctionHelp()",
        "    Dim description As String, category As String, macroName As String",
        "    Dim argumentHelp() As String",
        "    On Error Resume Next",
    ]
    for row in sorted(help_rows, key=lambda r: r["name"]):
        out.append(f"    ' {row['name']}")
        out += ["    " + s for s in _assign("description", row["description"])]
        out += ["    " + s for s in _assign("category", row["category"])]
        out.append(f'    macroName = "\'" & ThisWorkbook.Name & "\'!{row["name"]}"')
        if row["args"]:
            out.append(f"    ReDim argumentHelp(0 To {len(row['args']) - 1})")
            for k, doc in enumerate(row["args"]):
                out += ["    " + s for s in _assign(f"argumentHelp({k})", doc)]
            out.append(
                "    Application.MacroOptions Macro:=macroName, Description:=description, "
                "Category:=category, ArgumentDescriptions:=argumentHelp"
            )
        else:
            out.append(
                "    Application.MacroOptions Macro:=macroName, Description:=description, "
                "Category:=category"
            )
    out += ["End Sub", ""]
    return "\n".join(out)


def vba_modules() -> dict[str, str]:
    """Module name → source of every standard module in the add-in."""
    generated = generated_udfs()
    return {
        "xlwings": xlwings_module(),
        "xlwings_udfs": generated["module"],
        "jyyz_help": help_module(generated["help"]),
        "RibbonJyyz": RIBBON_BAS.read_text(encoding="ascii"),
    }


# ---------------------------------------------------------------------------
# vbaProject.bin with ms-ovba


def vba_project_bin(modules: dict[str, str]) -> bytes:
    """The vbaProject.bin of the document modules ThisWorkbook/Sheet1 and ``modules``."""
    import ms_ovba
    import ms_ovba.Models.Entities.doc_module as doc_module_mod
    import ms_ovba.Models.Entities.module_base as module_base_mod
    import ms_ovba.Views.dirStream as dir_stream_mod
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    blank = Path(ms_ovba.__file__).parent / "blank_files"
    cwd = os.getcwd()
    # ms-ovba's compressor is replaced by ours for this build (see ovba_compression)
    users = (doc_module_mod, module_base_mod, dir_stream_mod)
    saved = [m.MsOvba for m in users]
    with tempfile.TemporaryDirectory(prefix="jyyz-xlam-") as tmp:
        for m in users:
            m.MsOvba = Compressor
        os.chdir(tmp)  # ms-ovba writes its intermediate files into the current directory
        try:
            project = VbaProject()
            project.project_id = PROJECT_ID
            project.codepage_name = CODEPAGE
            project.add_attribute("VersionCompatible32", "393222000")
            for name, guid in (
                ("ThisWorkbook", "0002081900000000C000000000000046"),
                ("Sheet1", "0002082000000000C000000000000046"),
            ):
                Path(f"{name}.cls").write_bytes((blank / f"{name}.cls").read_bytes())
                doc = DocModule(name)
                doc.add_file(f"{name}.cls")
                doc.add_guid(uuid.UUID(guid))
                doc.normalize_file()
                project.add_module(doc)
            for name, source in modules.items():
                # the ".new" file is what ms-ovba compresses: CRLF lines in the code page
                text = source.replace("\r\n", "\n").rstrip("\n") + "\n"
                Path(f"{name}.bas.new").write_bytes(text.replace("\n", "\r\n").encode(CODEPAGE))
                module = StdModule(name)
                module.add_file(f"{name}.bas")
                project.add_module(module)
            # the two references of xlwings' own xlwings.xlam (IRibbonControl is Office's)
            for guid, version, path, label, name in (
                (
                    "0002043000000000C000000000000046",
                    "2.0",
                    "C:\\Windows\\System32\\stdole2.tlb",
                    "OLE Automation",
                    "stdole",
                ),
                (
                    "2DF8D04C5BFA101BBDE500AA0044DE52",
                    "2.0",
                    "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL",
                    "Microsoft Office 16.0 Object Library",
                    "Office",
                ),
            ):
                libid = LibidReference(uuid.UUID(guid), version, "0", path, label)
                project.add_reference(Reference(ReferenceRegistered(libid), name))
            # the PROJECT stream's CMG/DPB/GC are "encrypted" with random seed bytes
            # (MS-OVBA §2.4.3, any seed is valid): a fixed seed keeps the build reproducible
            state = random.getstate()
            random.seed(PROJECT_ID)
            try:
                ProjectOleFile.write_file(project)
            finally:
                random.setstate(state)
            return Path("vbaProject.bin").read_bytes()
        finally:
            os.chdir(cwd)
            for m, original in zip(users, saved, strict=True):
                m.MsOvba = original


# ---------------------------------------------------------------------------
# the package


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode()


def package_parts(vba_bin: bytes) -> dict[str, bytes]:
    """Part name → bytes of the add-in package (an Excel 2007+ .xlam)."""
    ss = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": _xml(
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{ct}.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": _xml(
            f'<Relationships xmlns="{pkg_rel}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{UI_REL}" Target="customUI/customUI14.xml"/>'
            "</Relationships>"
        ),
        "customUI/customUI14.xml": CUSTOM_UI.read_bytes(),
        "xl/workbook.xml": _xml(
            f'<workbook xmlns="{ss}" xmlns:r="{DOC_REL}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": _xml(
            f'<Relationships xmlns="{pkg_rel}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_REL}/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin"/>'
            "</Relationships>"
        ),
        # the add-in's own config sheet (xlwings GetConfigFromSheet reads A:B from A1 down)
        "xl/worksheets/sheet1.xml": _xml(
            f'<worksheet xmlns="{ss}"><sheetPr codeName="Sheet1"/><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>UDF MODULES</t></is></c>'
            f'<c r="B1" t="inlineStr"><is><t>{UDF_MODULES}</t></is></c></row>'
            "</sheetData></worksheet>"
        ),
        "xl/styles.xml": _xml(
            f'<styleSheet xmlns="{ss}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/vbaProject.bin": vba_bin,
    }


def build(target: str | os.PathLike[str] = XLAM) -> Path:
    """Write the add-in to ``target`` (atomically); returns its path."""
    target = Path(target)
    parts = package_parts(vba_project_bin(vba_modules()))
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    os.replace(tmp, target)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="由文本源文件生成 Excel 加载项 jyyz.xlam")
    ap.add_argument("-o", "--output", default=str(XLAM), help="输出文件（默认：包内 jyyz.xlam）")
    args = ap.parse_args(argv)
    try:
        path = build(args.output)
    except RuntimeError as err:
        print(f"错误：{err}")
        return 1
    print(f"已生成 {path}（xlwings {xlwings.__version__}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
