"""Classic xlwings "Import Functions": the VBA module xlwings itself would write for our
UDF modules compiles — every argument is a VBA identifier that is not reserved
(MS-VBAL §3.3.5) — and every one-click action is a parameterless Sub (Alt+F8 lists it).

xlwings.udfs (the Windows code that writes that VBA) is imported in a subprocess with
its three Windows-only imports (pythoncom, pywintypes, win32com.client) replaced by
empty modules; the decorators, the ``__xlfunc__`` metadata and
``generate_vba_wrapper`` are xlwings' own, unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

# MS-VBAL v1.0 §3.3.5.2 "Reserved Identifiers and IDENTIFIER": every reserved-identifier
# (case-insensitive).
STATEMENT_KEYWORDS = """Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt
DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase
Event Exit For Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next
On Open Option Print Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set Static
Stop Sub Type Unlock Wend While With Write"""
REM_KEYWORD = "Rem"
MARKER_KEYWORDS = """Any As ByRef ByVal Case Each Else In New Shared Until WithEvents Write Optional
ParamArray Preserve Spc Tab Then To"""
OPERATOR_IDENTIFIERS = "AddressOf And Eqv Imp Is Like New Mod Not Or TypeOf Xor"
RESERVED_NAMES = """Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar
CVErr Date Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String"""
SPECIAL_FORMS = "Array Circle Input InputB LBound Scale UBound"
RESERVED_TYPE_IDENTIFIERS = """Boolean Byte Currency Date Double Integer Long LongLong LongPtr
Single String Variant"""
LITERAL_IDENTIFIERS = "True False Nothing Empty Null"
RESERVED_FOR_IMPLEMENTATION_USE = """Attribute LINEINPUT VB_Base VB_Control VB_Creatable
VB_Customizable VB_Description VB_Exposed VB_Ext_KEY VB_GlobalNameSpace VB_HelpID VB_Invoke_Func
VB_Invoke_Property VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name
VB_PredeclaredId VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription VB_VarHelpID
VB_VarMemberFlags VB_VarProcData VB_VarUserMemId"""
FUTURE_RESERVED = "CDecl Decimal DefDec"
RESERVED = {
    w.lower()
    for group in (
        STATEMENT_KEYWORDS,
        REM_KEYWORD,
        MARKER_KEYWORDS,
        OPERATOR_IDENTIFIERS,
        RESERVED_NAMES,
        SPECIAL_FORMS,
        RESERVED_TYPE_IDENTIFIERS,
        LITERAL_IDENTIFIERS,
        RESERVED_FOR_IMPLEMENTATION_USE,
        FUTURE_RESERVED,
    )
    for w in group.split()
}
# Names the generated wrapper body uses: a parameter of that name would shadow them.
WRAPPER_NAMES = {"xlpy", "application", "thisworkbook", "activeworkbook", "err", "failed", "k"}
# §3.3.5 <Latin-identifier>: a letter, then letters, digits, underscores; VBA allows 255.
LATIN_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}")

GENERATE = textwrap.dedent(
    """
    import io, json, os, sys, types
    os.environ.pop("XLWINGS_ON_SERVER", None)
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None
    sys.modules["pywintypes"].com_error = type("com_error", (Exception,), {})
    sys.modules["win32com.client"].Dispatch = None
    sys.modules["win32com"].client = sys.modules["win32com.client"]
    import xlwings as xw
    from xlwings import udfs
    # what xlwings/__init__.py binds on Windows
    xw.func, xw.sub, xw.script, xw.arg, xw.ret = (
        udfs.xlfunc, udfs.xlsub, udfs.xlsub, udfs.xlarg, udfs.xlret)
    import importlib
    out, meta = {}, {}
    for module_name in ("xl_addin.functions", "xl_addin.scripts"):
        module = importlib.import_module(module_name)
        buf = io.StringIO()
        book = types.SimpleNamespace(Name="台账.xlsm")
        udfs.generate_vba_wrapper(module_name, module, buf, book)
        out[module_name] = buf.getvalue()
        meta[module_name] = {
            n: {"sub": f.__xlfunc__["sub"], "ret": f.__xlfunc__["ret"]["options"]}
            for n in dir(module)
            if hasattr(f := getattr(module, n), "__xlfunc__")
        }
    print(json.dumps({"vba": out, "meta": meta}, default=str))
    """
)


@pytest.fixture(scope="module")
def generated():
    result = subprocess.run(
        [sys.executable, "-c", GENERATE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def signatures(vba: str) -> dict[str, tuple[str, list[str]]]:
    """name → (Function/Sub, parameter names) of every procedure in a VBA module."""
    out = {}
    for kind, name, params in re.findall(r"^(Function|Sub) (\w+)\(([^)]*)\)", vba, re.M):
        names = [
            p.replace("Optional ", "").replace("ParamArray ", "").replace("()", "").strip()
            for p in params.split(",")
            if p.strip()
        ]
        out[name] = (kind, names)
    return out


def test_every_exported_function_is_in_the_vba_module(generated):
    from xl_addin import functions, scripts

    sigs = signatures(generated["vba"]["xl_addin.functions"])
    assert set(sigs) == set(functions.__all__)
    assert all(kind == "Function" for kind, _ in sigs.values())
    subs = signatures(generated["vba"]["xl_addin.scripts"])
    assert set(subs) == set(scripts.ACTIONS)


def test_no_argument_is_a_vba_reserved_word(generated):
    bad = []
    for module, vba in generated["vba"].items():
        for name, (_, params) in signatures(vba).items():
            assert LATIN_IDENTIFIER.fullmatch(name), name
            for p in params:
                if not LATIN_IDENTIFIER.fullmatch(p) or p.lower() in RESERVED | WRAPPER_NAMES:
                    bad.append(f"{module}.{name}({p})")
    assert bad == []


def test_the_reserved_list_catches_the_old_names():
    # JY_DATE_CN(date) and JY_DEADLINE(policy, event, date) broke the whole module
    assert {"date", "event"} <= RESERVED
    assert "name" not in RESERVED  # JY_PARAM(policy, name, …) is fine


def test_one_click_actions_are_parameterless_subs(generated):
    subs = signatures(generated["vba"]["xl_addin.scripts"])
    for name in ("jy_fill_columns", "jy_check_ledger", "jy_make_agreements"):
        assert subs[name] == ("Sub", [])
    assert all(sig == ("Sub", []) for sig in subs.values())
    # VBA passes Nothing for the workbook; Python takes xw.Book.caller()
    assert (
        'XLPy.CallUDF "xl_addin.scripts", "jy_fill_columns", Array(Nothing)'
        in (generated["vba"]["xl_addin.scripts"])
    )


def test_column_and_table_results_resize_on_excel_2016(generated):
    meta = generated["meta"]["xl_addin.functions"]
    for name in ("jy_assess", "jy_policies", "jy_id", "jy_category", "jy_why", "jy_workday"):
        assert meta[name]["ret"].get("expand") == "table", name
    assert "expand" not in meta["jy_param"]["ret"]  # one value


def test_office_js_hosts_get_no_expand_option():
    import xlwings_helpers

    fn = xlwings_helpers.load("xl_addin.functions")
    meta = {f["name"]: f for f in xlwings_helpers.xs.custom_functions_meta(fn)["functions"]}
    assert "expand" not in json.dumps(meta["JY_ASSESS"])
