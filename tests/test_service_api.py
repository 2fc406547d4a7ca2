"""The worksheet functions through the API give what the same formula gives in the
workbook (xlwings Lite / Office.js host), and the API's shape is the documented one."""

from __future__ import annotations

import datetime as dt

import pytest
import service_helpers
import xlwings_helpers

from xl_addin.service.runner import Runner

AS_OF = xlwings_helpers.serial(dt.date(2026, 11, 1))
ID = xlwings_helpers.ID_ZHANG


@pytest.fixture(scope="module")
def c():
    runner = Runner()
    with service_helpers.client(runner) as client:
        yield client
    runner.close()


CALLS = [
    ("JY_ID", [[[ID], ["11010519491231002"], [None], ["abc"]]]),
    ("JY_ID_CHECK", [[[ID, "110105194912310021"]]]),
    ("JY_ID_BIRTH", [ID]),
    ("JY_ID_SEX", [ID]),
    ("JY_MASK_ID", [ID]),
    ("JY_AGE", [ID, AS_OF]),
    ("JY_RETIRE_DATE", [ID]),
    ("JY_RETIRE_AGE", [[[ID], [xlwings_helpers.ID_LI]]]),
    ("JY_WORKDAY", [xlwings_helpers.serial(dt.date(2026, 9, 30)), 5]),
    ("JY_DATE_CN", [AS_OF]),
    ("JY_RMB", [1234.5]),
    ("JY_POLICIES", []),
    ("JY_PARAM", ["SX-2008", "补贴期限（年）", AS_OF]),
    (
        "JY_CATEGORY",
        ["SX-2008", [xlwings_helpers.HEADERS], [xlwings_helpers.ledger_rows()[0]], AS_OF],
    ),
    ("JY_ELIGIBLE", ["SX-2008", [xlwings_helpers.HEADERS], xlwings_helpers.ledger_rows(), AS_OF]),
    ("JY_WHY", ["SX-2008", [xlwings_helpers.HEADERS], [xlwings_helpers.ledger_rows()[2]], AS_OF]),
    ("JY_BENEFITS", ["SX-2008", [xlwings_helpers.HEADERS], xlwings_helpers.ledger_rows(), AS_OF]),
    ("JY_ASSESS", ["SX-2008", [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()], AS_OF]),
    (
        "JY_CATEGORY",
        ["XX-1999", [xlwings_helpers.HEADERS], [xlwings_helpers.ledger_rows()[0]], AS_OF],
    ),  # an error
]


def lite_cells(result) -> list[list]:
    """What the xlwings Office.js host writes: formatted dates → their serial."""

    def cell(v):
        if isinstance(v, dict) and "basicValue" in v:
            return v["basicValue"]
        return v

    return [[service_helpers.norm(cell(v)) for v in row] for row in result]


def api_cells(value) -> list[list]:
    rows = value if isinstance(value, list) else [[value]]
    return [[service_helpers.norm(v) for v in row] for row in rows]


@pytest.mark.parametrize("name,args", CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CALLS)])
def test_a_function_through_the_api_gives_what_the_workbook_gives(c, name, args):
    fm = xlwings_helpers.load("xl_addin.functions")
    expected = lite_cells(xlwings_helpers.call(fm, name.lower(), *args, date_format="yyyy-mm-dd"))
    r = c.post(f"/api/v1/functions/{name}", json={"args": args}, headers=service_helpers.AUTH)
    assert r.status_code == 200, r.text
    assert api_cells(r.json()["value"]) == expected


def test_dates_come_back_as_serials_with_a_format(c):
    r = c.post(
        "/api/v1/functions/JY_ID_BIRTH", json={"args": [ID]}, headers=service_helpers.AUTH
    ).json()
    assert r == {
        "value": xlwings_helpers.serial(dt.date(1980, 3, 15)),
        "number_format": "yyyy-mm-dd",
    }
    r = c.post(
        "/api/v1/functions/jy_rmb", json={"args": [1000]}, headers=service_helpers.AUTH
    ).json()
    assert r == {"value": "人民币壹仟元整", "number_format": None}


def test_errors_are_the_cells_chinese_text(c):
    r = c.post(
        "/api/v1/functions/JY_ID", json={"args": ["123"]}, headers=service_helpers.AUTH
    ).json()
    assert r["value"].startswith("错误：") and "18位" in r["value"]
    r = c.post("/api/v1/functions/JY_NOPE", json={"args": []}, headers=service_helpers.AUTH)
    assert r.status_code == 404 and "JY_NOPE" in r.json()["detail"]
    r = c.post("/api/v1/functions/JY_ID", json={"args": []}, headers=service_helpers.AUTH)
    assert r.status_code == 400 and "需要 1 个参数" in r.json()["detail"]
    r = c.post("/api/v1/functions/JY_ID", content=b"{not json", headers=service_helpers.AUTH)
    assert r.status_code == 400 and "JSON" in r.json()["detail"]


def test_the_catalogue_lists_every_function_with_help(c):
    fm = xlwings_helpers.load("xl_addin.functions")
    got = c.get("/api/v1/functions", headers=service_helpers.AUTH).json()
    assert [f["name"] for f in got] == [n.upper() for n in fm.__all__]
    for f in got:
        assert f["help"], f["name"]
        for a in f["args"]:
            assert a["help"], (f["name"], a["name"])  # every argument as the wizard shows it
    category = next(f for f in got if f["name"] == "JY_CATEGORY")
    assert [a["name"] for a in category["args"]] == [
        "policy",
        "headers",
        "row",
        "as_of",
        "param_table",
    ]
    assert [a["optional"] for a in category["args"]] == [False, False, False, True, True]
    assert "表头" in category["args"][1]["help"]


def test_health_and_openapi(c):
    assert c.get("/api/v1/health").json()["app"] == "jyyz"
    spec = c.get("/openapi.json", headers=service_helpers.AUTH).json()
    assert "/api/v1/sheet/fill" in spec["paths"]
    assert "/api/v1/jobs/{job_id}/save" in spec["paths"]


def test_sheet_fill_names_the_first_problem(c):
    rows = xlwings_helpers.ledger_rows()
    rows[1][2] = ID[:-1] + ("0" if ID[-1] != "0" else "1")  # a wrong check digit in C3
    body = {
        "sheets": {"台账": [xlwings_helpers.HEADERS, *rows]},
        "policy": "SX-2008",
        "as_of": "2026-11-01",
    }
    got = c.post("/api/v1/sheet/fill", json=body, headers=service_helpers.AUTH).json()
    assert got["header_row"] == 1 and got["row_numbers"] == [2, 3, 4]
    assert got["first_col"] == len(xlwings_helpers.HEADERS) + 1
    assert got["first_problem_cell"] == "C3"
    assert any(p["cell"] == "C3" and "第18位" in p["message"] for p in got["problems"])
    assert len(got["values"]) == 3 and all(len(r) == len(got["columns"]) for r in got["values"])
    assert got["formats"]["number_formats"][got["columns"].index("补贴期限截止")] == "yyyy-mm-dd"
    # the formats jyyz fill writes (jobs.result_formats), as the button applies them
    from xl_addin import jobs, ledger_read

    a = jobs.assess_workbook(
        ledger_read.WorkbookValues("台账", body["sheets"]), "SX-2008", "2026-11-01"
    )
    positions, _, _, columns = jobs.result_columns(a)
    look = jobs.result_formats(a, positions, columns)
    letters = [ledger_read.column_letter(c) for c in got["column_numbers"]]
    assert got["formats"]["widths"] == [look["columns"][x]["width"] for x in letters]
    assert got["formats"]["wraps"] == [look["columns"][x]["wrap"] for x in letters]
    assert got["formats"]["fills"]["符合"] == "#C6EFCE"


def test_sheet_calls_refuse_bad_input_in_chinese(c):
    r = c.post("/api/v1/sheet/fill", json={"sheets": {}}, headers=service_helpers.AUTH)
    assert r.status_code == 400 and "工作表" in r.json()["detail"]
    body = {"sheets": {"台账": [["甲", "乙"], [1, 2]]}, "policy": "SX-2008"}
    r = c.post("/api/v1/sheet/fill", json=body, headers=service_helpers.AUTH)
    assert r.status_code == 400 and r.json()["detail"]
    r = c.post("/api/v1/sheet/docs", json={**body, "kind": "poster"}, headers=service_helpers.AUTH)
    assert r.status_code == 400 and "文书种类" in r.json()["detail"]


@pytest.mark.slow
def test_a_big_ledger_goes_through_with_progress(c, tmp_path):
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from bench_fill import make_ledger

    src = tmp_path / "大台账.xlsx"
    make_ledger(str(src), 20_000)
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "fill", "policy": "SX-2008", "as_of": "2026-11-22"},
        files={"ledger": (src.name, src.read_bytes())},
    )
    job = r.json()["job"]
    labels, fractions = [], []
    while True:
        s = c.get(f"/api/v1/jobs/{job}", headers=service_helpers.AUTH).json()
        labels.append(s["progress"]["label"])
        fractions.append(s["progress"]["done"] / s["progress"]["total"])
        if s["state"] != "running":
            break
        time.sleep(0.05)
    assert s["state"] == "done", s
    assert s["summary"]["people"] == 20_000
    seen = list(dict.fromkeys(labels))
    assert any("认定资格（20000人" in x for x in seen), seen  # people assessed, with the count
    assert "写入工作簿" in seen and seen[-1] == "完成"
    assert fractions == sorted(fractions)  # progress never goes back


def test_the_reference_page_and_every_template_load_nothing_from_elsewhere(c):
    import re
    from pathlib import Path

    html = c.get("/docs", headers=service_helpers.AUTH).text
    assert "/api/v1/sheet/fill" in html and "/api/v1/jobs/{job_id}/save" in html
    folder = Path(__file__).resolve().parents[1] / "xl_addin" / "service"
    texts = [html] + [p.read_text("utf-8") for p in (folder / "templates").glob("*.html")]
    texts += [p.read_text("utf-8") for p in (folder / "static").iterdir()]
    for text in texts:
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)  # no CDN
        assert "@import" not in text and "url(http" not in text
