"""Test helpers: xlwings server mode, Office.js payloads, a sample ledger.

Importing this module puts xlwings in server mode (``XLWINGS_ON_SERVER=true``
with the noncommercial PRO licence used only by the tests) *before* xlwings is
imported, and (re)loads the add-in modules so that their decorators are the
Office.js ones even when another test module imported xlwings first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import person_factory  # noqa: E402
import xlwings as xw  # noqa: E402
import xlwings.server as xs  # noqa: E402


def load(name: str):
    """Import (or re-import) an add-in module with the server decorators applied."""
    module = sys.modules.get(name)
    if module is None:
        return importlib.import_module(name)
    probe = next((v for k, v in vars(module).items() if k.startswith("jy_")), None)
    if probe is not None and not (hasattr(probe, "__xlfunc__") or hasattr(probe, "__xlscript__")):
        module = importlib.reload(module)
    return module


# ---------------------------------------------------------------------------
# independent reference values (not computed with calc)

check_char = person_factory.check_char


def make_id(region: str, birth: str, seq: str) -> str:
    """18-digit number from address code, yyyymmdd and a 3-digit sequence."""
    body = region + birth + seq
    return body + check_char(body)


def serial(d: dt.date) -> float:
    """Excel 1900-system serial (valid from 1900-03-01): days since 1899-12-30."""
    return float((d - dt.date(1899, 12, 30)).days)


# ---------------------------------------------------------------------------
# Office.js protocol


def payload(func_name: str, *args, date_format: str | None = None) -> dict:
    """A custom-function call as the xlwings Office.js add-in sends it."""
    data = {
        "func_name": func_name,
        "args": list(args),
        "caller_address": "Sheet1!Z1",
        "formula_name": func_name.upper(),
        "version": xw.__version__,
        "runtime": "1.4",
        "culture_info_name": "zh-CN",
        "client": "Office.js",
    }
    if date_format is not None:
        data["date_format"] = date_format
    return data


def call(module, func_name: str, *args, date_format: str | None = None):
    """Run one custom-function call through ``xlwings.server.custom_functions_call``."""
    return asyncio.run(
        xs.custom_functions_call(payload(func_name, *args, date_format=date_format), module)
    )


def formatted(d: dt.date, fmt: str = "yyyy-mm-dd") -> dict:
    """How xlwings Server/Lite return a date: a formatted Excel serial."""
    return {"type": "FormattedNumber", "basicValue": serial(d), "numberFormat": fmt}


def book_json(sheets: list[tuple[str, list[list]]], selection: str = "A1", active: int = 0):
    """A workbook as the xlwings Office.js client sends it to a script."""
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": "台账.xlsx", "active_sheet_index": active, "selection": selection},
        "names": [],
        "sheets": [
            {
                "name": name,
                "values": values,
                "pictures": [],
                "tables": [],
                "notes": [],
            }
            for name, values in sheets
        ],
    }


def run_script(module, name: str, book_data: dict):
    book = xw.Book(json=book_data)
    result = asyncio.run(xs.custom_scripts_call(module, name, typehint_to_value={xw.Book: book}))
    return result


# ---------------------------------------------------------------------------
# a small SX-2008 ledger (as of 2026-06-30)

AS_OF = dt.date(2026, 6, 30)

HEADERS = [
    "序号",
    "姓名",
    "公民身份号码",
    "性别",
    "户籍性质",
    "原单位性质",
    "就业状态",
    "就业形式",
    "失业登记日期",
    "初次核定日期",
    "劳动能力",
    "就业愿望",
    "家庭编号",
    "最近申报日期",
    "就业日期",
    "享受低保",
    "地方确定其他",
    "社区",
    "援助责任人",
    "户籍地",
    "原退休年龄",
]

# 张秀英: woman born 1980-03-15 → 46 on 2026-06-30, former state-owned enterprise:
#   SX-2008 一(一) "4050" (women 40+); unemployed.
ID_ZHANG = make_id("140105", "19800315", "024")  # even sequence → 女
# 李建国: man born 1990-07-01 → 35, collective enterprise: not 4050; his household
#   H002 has an employed member (王桂兰), so not zero-employment: not eligible.
ID_LI = make_id("140106", "19900701", "013")  # odd → 男
# 王桂兰: woman born 1978-05-20 → 48, state-owned: "4050"; in a public-welfare post
#   since 2025-03-01 (first approval 2024-11-01).
ID_WANG = make_id("140107", "19780520", "046")


def ledger_rows() -> list[list]:
    """Data rows with the first approval etc. as Excel serials (Office.js shape)."""
    rows = _rows()
    for row, community in zip(rows, ("桥头社区", "桥头社区", "新建社区"), strict=True):
        row += [community, "李红梅", "山西省太原市"]
    for row, original_age in zip(rows, (None, None, 50.0), strict=True):
        row.append(original_age)  # 王桂兰: original retirement age of a woman worker
    return rows


def _rows() -> list[list]:
    return [
        [
            1.0,
            "张秀英",
            ID_ZHANG,
            "女",
            "城镇",
            "国有企业",
            "失业",
            None,
            serial(dt.date(2025, 1, 10)),
            serial(dt.date(2025, 2, 1)),
            "是",
            "是",
            "H001",
            serial(dt.date(2026, 5, 1)),
            None,
            "否",
            "否",
        ],
        [
            2.0,
            "李建国",
            ID_LI,
            "男",
            "城镇",
            "集体企业",
            "失业",
            None,
            serial(dt.date(2025, 3, 1)),
            serial(dt.date(2025, 4, 1)),
            "是",
            "是",
            "H002",
            serial(dt.date(2026, 5, 1)),
            None,
            "否",
            "否",
        ],
        [
            3.0,
            "王桂兰",
            ID_WANG,
            "女",
            "城镇",
            "国有企业",
            "已就业",
            "公益性岗位",
            serial(dt.date(2024, 10, 8)),
            serial(dt.date(2024, 11, 1)),
            "是",
            "是",
            "H002",
            serial(dt.date(2026, 5, 1)),
            serial(dt.date(2025, 3, 1)),
            "否",
            "否",
        ],
    ]
