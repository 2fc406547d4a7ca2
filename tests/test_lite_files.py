"""The xlwings Lite files (xl_addin/lite/): what they list, and that the function module and
the fill/check scripts work with python-calamine and lxml absent (as on Pyodide before 0.29).

The real Pyodide run is tests/test_lite_pyodide.py; this one runs everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "xl_addin" / "lite"


def requirement_lines() -> list[str]:
    lines = (LITE / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]


def test_requirements_list_ssl_and_the_wheel_but_no_native_packages():
    lines = requirement_lines()
    assert lines[0] == "ssl"
    assert "jyyz" in lines
    for native in ("python-calamine", "lxml", "python-docx", "docxtpl"):
        assert not any(line.lower().startswith(native) for line in lines), native


BLOCKED = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    for name in ("python_calamine", "lxml", "docx", "docxtpl"):
        sys.modules[name] = None  # import fails as where the package is missing
    import xlwings_helpers
    main = xlwings_helpers.load("xl_addin.lite.main")
    book = xlwings_helpers.book_json(
        [("台账", [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()]),
         ("设置", [["政策代码", "SX-2008"], ["认定基准日期", xlwings_helpers.serial(xlwings_helpers.AS_OF)]])]
    )
    out = {}
    for name in ("jy_fill_columns", "jy_check_ledger", "jy_make_notice"):
        acts = xlwings_helpers.run_script(main, name, book).json()["actions"]
        out[name] = [a["values"] for a in acts if a["func"] == "setValues"]
    out["jy_id"] = xlwings_helpers.call(main, "jy_id", [[xlwings_helpers.ID_ZHANG]])
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_functions_and_fill_check_scripts_need_no_calamine_or_lxml():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED, str(ROOT / "tests")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout)
    fill = json.dumps(out["jy_fill_columns"], ensure_ascii=False)
    assert "填写计算列：已认定3人" in fill and "认定结论" in fill
    assert "检查结果" in json.dumps(out["jy_check_ledger"], ensure_ascii=False)
    notice = json.dumps(out["jy_make_notice"], ensure_ascii=False)
    assert "缺少生成 Word 文书所需的模块（lxml、docx、docxtpl" in notice
    assert out["jy_id"] == [[__import__("xlwings_helpers").ID_ZHANG]]
