"""The add-in as xlwings Lite / xlwings Server see it: metadata and call protocol."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import xlwings_helpers

fn = xlwings_helpers.load("xl_addin.functions")
sc = xlwings_helpers.load("xl_addin.scripts")

PUBLIC = {
    "JY_ID": ["id"],
    "JY_ID_CHECK": ["id"],
    "JY_ID_BIRTH": ["id"],
    "JY_ID_SEX": ["id"],
    "JY_MASK_ID": ["id", "pattern"],
    "JY_AGE": ["birth_or_id", "as_of"],
    "JY_RETIRE_DATE": ["birth_or_id", "sex", "original_age"],
    "JY_RETIRE_AGE": ["birth_or_id", "sex", "original_age"],
    "JY_WORKDAY": ["start", "days", "holiday_table"],
    "JY_DATE_CN": ["day"],
    "JY_RMB": ["amount"],
    "JY_POLICIES": [],
    "JY_PARAM": ["policy", "name", "on_date", "param_table"],
    "JY_CATEGORY": ["policy", "headers", "row", "as_of", "param_table"],
    "JY_ELIGIBLE": ["policy", "headers", "row", "as_of", "param_table"],
    "JY_WHY": ["policy", "headers", "row", "as_of", "param_table"],
    "JY_BENEFITS": ["policy", "headers", "row", "as_of", "param_table"],
    "JY_PERIOD_END": [
        "policy",
        "benefit",
        "first_approved",
        "birth_or_id",
        "sex",
        "original_age",
        "param_table",
    ],
    "JY_SUBSIDY": ["policy", "benefit", "headers", "row", "from_date", "to_date", "param_table"],
    "JY_DEADLINE": ["policy", "item", "start_date", "param_table"],
    "JY_ASSESS": ["policy", "table", "as_of", "param_table"],
}
# arguments the issue marks optional (JY_PERIOD_END's param_table is an optional extra)
REQUIRED = {
    "JY_MASK_ID": 1,
    "JY_AGE": 1,
    "JY_RETIRE_DATE": 1,
    "JY_RETIRE_AGE": 1,
    "JY_WORKDAY": 2,
    "JY_PARAM": 2,
    "JY_CATEGORY": 3,
    "JY_ELIGIBLE": 3,
    "JY_WHY": 3,
    "JY_BENEFITS": 3,
    "JY_PERIOD_END": 4,
    "JY_SUBSIDY": 6,
    "JY_ASSESS": 2,
    "JY_DEADLINE": 3,
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_meta_lists_every_function_with_chinese_help():
    meta = xlwings_helpers.xs.custom_functions_meta(fn)
    funcs = {f["name"]: f for f in meta["functions"]}
    assert set(funcs) == set(PUBLIC)
    for name, params in PUBLIC.items():
        f = funcs[name]
        assert HAN.search(f["description"]), name
        assert [p["name"] for p in f["parameters"]] == params, name
        for p in f["parameters"]:
            assert HAN.search(p["description"]), (name, p["name"])
        required = REQUIRED.get(name, len(params))
        assert [p.get("optional", False) for p in f["parameters"]] == [
            i >= required for i in range(len(params))
        ], name


def test_module_docstring_names_the_three_hosts():
    doc = inspect.getdoc(fn)
    assert "classic xlwings" in doc and "xlwings Lite" in doc and "xlwings Server" in doc


def test_scripts_meta():
    names = {s["function_name"] for s in xlwings_helpers.xs.custom_scripts_meta(sc)}
    assert names == {
        "jy_fill_columns",
        "jy_check_ledger",
        "jy_make_agreements",
        "jy_make_notice",
        "jy_make_letters",
        "jy_make_report",
    }


def test_empty_cells_arrive_as_defaults():
    # Office.js sends "" for an empty optional cell; xlwings turns it into the default
    assert xlwings_helpers.call(fn, "jy_mask_id", "11010519491231002X", "") == [
        ["110105********002X"]
    ]
    assert xlwings_helpers.call(fn, "jy_id", [[""]]) == [[""]]


def test_serial_and_text_dates_agree():
    serial = xlwings_helpers.call(
        fn, "jy_date_cn", [[xlwings_helpers.serial(dt.date(2024, 2, 29))], ["2024-02-29"]]
    )
    assert serial == [["2024年2月29日"], ["2024年2月29日"]]


def test_version_mismatch_is_tolerated_for_office_js():
    data = xlwings_helpers.payload("jy_rmb", 1.0)
    data["version"] = "0.0.1"
    import asyncio

    assert asyncio.run(xlwings_helpers.xs.custom_functions_call(data, fn)) == [["人民币壹元整"]]


def test_jsnull_workaround_outside_pyodide():
    from xlwings import utils

    assert getattr(utils.is_jsnull, "__jyyz__", False)
    assert utils.is_jsnull(None) is False
