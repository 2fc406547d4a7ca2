"""The classic Excel add-in ``jyyz.xlam`` (xl_addin/excel), checked up to Excel's boundary:

- the committed add-in is what ``make xlam`` builds from the sources (byte for byte);
- the package opens as a zip with the parts an .xlam needs and a customUI14 ribbon that
  validates against the ribbon schema's rules (tests/data/customui14_subset.xsd);
- oletools' olevba reads the VBA back out of the generated vbaProject.bin, and every
  ``onAction``/``onLoad`` names a Sub there with the callback's signature;
- the VBA declares the 21 worksheet functions with the Python names and arguments, no
  VBA-reserved names (the MS-VBAL list of test_classic_vba), and the function help
  survives the ASCII source;
- the VBA of every module parses with the VBA grammar of antlr4-vba after conditional
  compilation for 64-bit Excel.

Not run here: Excel itself (loading the add-in, compiling the VBA, clicking the buttons).
"""

from __future__ import annotations

import inspect
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser, decompress_stream
from test_classic_vba import LATIN_IDENTIFIER, RESERVED, WRAPPER_NAMES, signatures

from xl_addin.excel import build
from xl_addin.excel.ovba_compression import compress

ROOT = Path(__file__).resolve().parents[1]
XLAM = ROOT / "xl_addin" / "excel" / "jyyz.xlam"
SUBSET_XSD = Path(__file__).with_name("data") / "customui14_subset.xsd"
UI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
BUTTONS = [
    "填写计算列",
    "检查台账",
    "生成协议书",
    "生成公示",
    "生成责任书",
    "统计报表",
    "打开 jyyz 页面",
    "设置",
]


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    with zipfile.ZipFile(XLAM) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def vba() -> dict[str, str]:
    """Module name → source, as olevba reads them from the committed add-in."""
    parser = VBA_Parser(str(XLAM))
    try:
        assert parser.detect_vba_macros()
        return {
            stream.split("/")[-1]: code.replace("\r\n", "\n")
            for _, stream, _, code in parser.extract_macros()
        }
    finally:
        parser.close()


@pytest.fixture(scope="module")
def ribbon(package):
    return etree.fromstring(package["customUI/customUI14.xml"])


# ---------------------------------------------------------------------------
# build


def test_the_committed_addin_is_what_the_sources_build(tmp_path):
    before = set(os.listdir(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "xl_addin.excel.build", "-o", str(tmp_path / "jyyz.xlam")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "jyyz.xlam").read_bytes() == XLAM.read_bytes(), (
        "xl_addin/excel/jyyz.xlam is out of date: run `make xlam` and commit it"
    )
    assert set(os.listdir(ROOT)) == before  # ms-ovba's scratch files stay in a temp folder


def test_compression_round_trips_through_oletools():
    rnd = random.Random(7)
    samples = [
        b"",
        b"A",
        b'Attribute VB_Name = "x"\r\n' * 600,  # long copy tokens
        bytes(rnd.randrange(256) for _ in range(9000)),  # raw chunks
        (ROOT / "xl_addin" / "excel" / "vba" / "RibbonJyyz.bas").read_bytes(),
        build.xlwings_module().encode("ascii"),
    ]
    for data in samples:
        assert bytes(decompress_stream(bytearray(compress(data)))) == data, len(data)


# ---------------------------------------------------------------------------
# the package


def test_package_parts_and_relationships(package):
    types = etree.fromstring(package["[Content_Types].xml"])
    overrides = {e.get("PartName"): e.get("ContentType") for e in types}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    defaults = {e.get("Extension"): e.get("ContentType") for e in types if e.get("Extension")}
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    rels = {r.get("Target"): r.get("Type") for r in etree.fromstring(package["_rels/.rels"])}
    # MS-CUSTOMUI2 §2.1: a customUI14 part is the target of the 2007 extensibility relationship
    assert rels["customUI/customUI14.xml"] == build.UI_REL
    wb_rels = {
        r.get("Target"): r.get("Type")
        for r in etree.fromstring(package["xl/_rels/workbook.xml.rels"])
    }
    assert wb_rels["vbaProject.bin"].endswith("/relationships/vbaProject")
    for target in wb_rels:
        assert "xl/" + target in package
    for name, data in package.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)  # well-formed


def test_config_sheet_names_the_udf_modules(package):
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    workbook = etree.fromstring(package["xl/workbook.xml"])
    assert [s.get("name") for s in workbook.iterfind(".//s:sheet", ns)] == ["jyyz.conf"]
    sheet = etree.fromstring(package["xl/worksheets/sheet1.xml"])
    cells = [t.text for t in sheet.iterfind(".//s:t", ns)]
    assert cells == ["UDF MODULES", "xl_addin.functions;xl_addin.scripts"]
    # the module names the config sheet gives are the ones the functions come from
    assert tuple(cells[1].split(";")) == ("xl_addin.functions", "xl_addin.scripts")


def test_ribbon_validates_against_the_schema_subset(ribbon):
    schema = etree.XMLSchema(etree.parse(str(SUBSET_XSD)))
    assert schema.validate(etree.ElementTree(ribbon)), schema.error_log


def test_the_schema_subset_rejects_what_office_rejects(ribbon):
    schema = etree.XMLSchema(etree.parse(str(SUBSET_XSD)))
    bad = etree.fromstring(etree.tostring(ribbon))
    button = bad.find(f".//{{{UI_NS}}}button")
    button.set("size", "huge")
    assert not schema.validate(etree.ElementTree(bad))
    button.set("size", "large")
    button.set("id", "2bad id")
    assert not schema.validate(etree.ElementTree(bad))


def test_one_tab_with_the_eight_buttons(ribbon):
    (tab,) = ribbon.iterfind(f".//{{{UI_NS}}}tab")
    assert tab.get("label") == "就业援助"
    labels = [b.get("label") for b in tab.iterfind(f".//{{{UI_NS}}}button")]
    assert labels == BUTTONS
    ids = [e.get("id") for e in ribbon.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------------
# the VBA read back


def _callbacks(ribbon) -> list[tuple[str, str]]:
    out = []
    for e in ribbon.iter():
        for attr in ("onAction", "onLoad"):
            if e.get(attr):
                out.append((attr, e.get(attr)))
    return out


def test_every_callback_names_a_sub_of_the_addin(ribbon, vba):
    callbacks = _callbacks(ribbon)
    assert len(callbacks) == len(BUTTONS) + 1
    for attr, target in callbacks:
        module, sub = target.split(".")
        assert module in vba, target
        kind = "IRibbonUI" if attr == "onLoad" else "IRibbonControl"
        pattern = rf"^Sub {sub}\(\w+ As {kind}\)$"
        assert re.search(pattern, vba[module], re.M | re.I), f"{target}: no Sub {sub}(… As {kind})"


def test_buttons_run_functions_that_exist_in_python(vba):
    import importlib

    runs = re.findall(r'RunJyyz "([\w.]+)", "(\w+)"', vba["RibbonJyyz"])
    assert len(runs) == 7
    for module, name in runs:
        func = getattr(importlib.import_module(module), name)
        params = inspect.signature(func).parameters
        assert all(p.default is not inspect.Parameter.empty for p in params.values()), name
    from xl_addin import scripts

    assert {n for m, n in runs if m == "xl_addin.scripts"} == set(scripts.ACTIONS)
    # 打开 jyyz 页面 starts the configured interpreter on the module that handles --open-page
    (command,) = re.findall(r'-m ([\w.]+) (--[\w-]+)"', vba["RibbonJyyz"])
    assert command == ("xl_addin.excel.ribbon", "--open-page")
    source = (ROOT / "xl_addin" / "excel" / "ribbon.py").read_text(encoding="utf-8")
    assert f'sys.argv[1:] == ["{command[1]}"]' in source


def test_xlwings_module_is_the_pinned_custom_addin_module(vba):
    import xlwings

    original = Path(xlwings.__file__).with_name("xlwings_custom_addin.bas").read_text("ascii")
    original = original.replace("\r\n", "\n")
    assert vba["xlwings"].rstrip("\n") == original.replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "jyyz"'
    ).rstrip("\n")
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in vba["xlwings"]


def test_vba_declares_the_21_functions_like_python(vba):
    from xl_addin import functions

    declared = signatures(vba["xlwings_udfs"])
    exported = {n for n in functions.__all__ if n.startswith("jy_")}
    assert len(exported) == 21
    assert {n for n, (kind, _) in declared.items() if kind == "Function"} == exported
    for name in exported:
        python_args = [
            p.name
            for p in inspect.signature(getattr(functions, name)).parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD
        ]
        assert declared[name][1] == python_args, name
        for arg in declared[name][1]:
            assert LATIN_IDENTIFIER.fullmatch(arg) and arg.lower() not in RESERVED | WRAPPER_NAMES
    # add-in wrappers hand Python the active workbook, not the add-in itself
    assert "ThisWorkbook" not in vba["xlwings_udfs"]
    assert vba["xlwings_udfs"].count("ActiveWorkbook, Application.Caller") >= 21


def _decode(expr: str) -> str:
    """The text of a VBA string expression of "…" literals and U("hex") calls."""
    out = ""
    for literal, units in re.findall(r'"((?:[^"]|"")*)"|U\("([0-9A-F]*)"\)', expr):
        if units:
            out += bytes.fromhex(units).decode("utf-16-be")
        else:
            out += literal.replace('""', '"')
    return out


def test_function_help_survives_the_ascii_source(vba):
    from xl_addin import functions

    source = vba["jyyz_help"]
    assert source.isascii()
    blocks = re.split(r"^    ' (jy_\w+)$", source, flags=re.M)[1:]
    helps = dict(zip(blocks[::2], blocks[1::2], strict=True))
    assert set(helps) == {n for n in functions.__all__ if n.startswith("jy_")}
    for name, block in helps.items():
        description = "".join(
            _decode(m) for m in re.findall(r"^    description = description & (.*)$", block, re.M)
        )
        # what xlwings' import_udfs registers: the docstring, cut to 255 characters
        assert description == getattr(functions, name).__doc__[:255], name
        assert f"'!{name}\"" in block
        args = re.findall(r"^    argumentHelp\((\d+)\) = argumentHelp\(\1\) & (.*)$", block, re.M)
        count = re.search(r"ReDim argumentHelp\(0 To (\d+)\)", block)
        if count:
            assert {int(k) for k, _ in args} == set(range(int(count.group(1)) + 1)), name
            assert all(_decode(e) for _, e in args)


def test_chinese_messages_in_ribbon_module_decode(vba):
    texts = [
        bytes.fromhex(units).decode("utf-16-be")
        for units in re.findall(r'JyyzText\("([0-9A-F]+)"\)', vba["RibbonJyyz"])
    ]
    assert texts[0] == "请先打开台账"
    assert texts[1].startswith("打不开 jyyz 页面") and "jyyz install" in texts[1]
    # the comment above each line says the same, for a reader of the source
    for text in texts:
        assert "' " + text.encode("unicode_escape").decode() in vba["RibbonJyyz"]
    for module, source in vba.items():
        assert source.isascii(), module  # the project code page is 1252


# ---------------------------------------------------------------------------
# a VBA parser


def test_the_vba_grammar_finds_errors():
    from vba_source import WIN64, preprocess, syntax_errors

    head = 'Attribute VB_Name = "m"\n'  # the grammar wants a module header, as Office writes
    assert syntax_errors(head + "Sub ok()\n    x = 1\nEnd Sub\n") == []
    assert syntax_errors(head + "Sub broken(\n    x = 1\nEnd Sub\n") != []
    assert syntax_errors(head + "Function f(date)\nEnd Function\n") != []  # a reserved name
    source = "#If Win64 Then\nDim a As LongPtr\n#Else\nDim a As Long\n#End If\n"
    assert preprocess(source, WIN64).split("\n")[1] == "Dim a As LongPtr"
    assert preprocess(source, WIN64).split("\n")[3] == ""


@pytest.mark.parametrize("module", ["xlwings_udfs", "jyyz_help", "RibbonJyyz"])
def test_our_modules_parse(vba, module):
    from vba_source import WIN64, preprocess, syntax_errors

    assert syntax_errors(preprocess(vba[module], WIN64)) == []


@pytest.mark.slow
def test_xlwings_module_parses(vba):
    # xlwings' own module (about 900 lines): about a minute in the Python ANTLR runtime
    from vba_source import WIN64, preprocess, syntax_errors

    assert syntax_errors(preprocess(vba["xlwings"], WIN64)) == []


# ---------------------------------------------------------------------------
# the wheel


@pytest.mark.slow
def test_the_wheel_carries_the_addin():
    from wheel_build import project_wheel

    with zipfile.ZipFile(project_wheel()) as z:
        assert z.read("xl_addin/excel/jyyz.xlam") == XLAM.read_bytes()
        names = set(z.namelist())
    assert {"xl_addin/excel/customUI14.xml", "xl_addin/excel/vba/RibbonJyyz.bas"} <= names


# ---------------------------------------------------------------------------
# a second, independent MS-OVBA reader: LibreOffice's VBA import


@pytest.mark.slow
def test_libreoffice_imports_the_same_vba(vba, tmp_path):
    """LibreOffice (oox's VBA import, C++) reads the vbaProject.bin and keeps the modules as
    Basic libraries in an .ods.  LibreOffice opens no .xlam at all (not even xlwings' own
    quickstart add-in), so it reads a copy whose workbook part is declared as .xlsm; every
    other byte is the add-in's."""
    from xml.etree import ElementTree as ET

    from doc_templates.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice 不可用")
    copy = tmp_path / "jyyz.xlsm"
    with zipfile.ZipFile(XLAM) as zin, zipfile.ZipFile(copy, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(
                    b".addin.macroEnabled.main+xml", b".sheet.macroEnabled.main+xml"
                )
            zout.writestr(name, data)
    result = subprocess.run(
        [str(soffice), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(copy)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (tmp_path / "jyyz.ods").exists(), result.stdout + result.stderr
    with zipfile.ZipFile(tmp_path / "jyyz.ods") as z:
        modules = {
            n.split("/")[-1][:-4]: ET.fromstring(z.read(n)).text or ""
            for n in z.namelist()
            if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")
        }
    assert set(modules) == set(vba)
    for name in ("xlwings", "xlwings_udfs", "jyyz_help", "RibbonJyyz"):
        ours = [line for line in vba[name].split("\n") if not line.startswith("Attribute ")]
        theirs = modules[name].split("\n")[2:]  # after "Rem Attribute …" / "Option VBASupport 1"
        assert [t.rstrip() for t in theirs if t.strip()] == [o.rstrip() for o in ours if o.strip()]


def test_one_xlwings_version_everywhere(vba):
    import tomllib

    import xlwings

    from xl_addin.excel import XLWINGS_VERSION

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"xlwings=={XLWINGS_VERSION}" in project["project"]["dependencies"]
    assert xlwings.__version__ == XLWINGS_VERSION
    assert f'XLWINGS_VERSION As String = "{XLWINGS_VERSION}"' in vba["xlwings"]
    assert f'"xlwings64-{XLWINGS_VERSION}.dll"' in vba["xlwings"]


def test_document_modules_are_what_office_writes(vba):
    """ThisWorkbook and the sheet module are byte-equal to those Office wrote into xlwings'
    quickstart add-in (its sheet is Sheet2); every module names itself as its stream does."""
    import xlwings

    parser = VBA_Parser(str(Path(xlwings.__file__).with_name("quickstart_addin_ribbon.xlam")))
    office = {s.split("/")[-1]: c.replace("\r\n", "\n") for _, s, _, c in parser.extract_macros()}
    parser.close()
    assert vba["ThisWorkbook"] == office["ThisWorkbook"]
    assert vba["Sheet1"] == office["Sheet2"].replace('"Sheet2"', '"Sheet1"')
    for name, source in vba.items():
        assert source.split("\n", 1)[0] == f'Attribute VB_Name = "{name}"', name
