"""The statistics report through the service's doors gives the command's figures."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import service_helpers as SH

from xl_addin.report import report
from xl_addin.service.runner import Runner

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "台账样例_SX-2008.xlsx"


@pytest.fixture(scope="module")
def c():
    runner = Runner()
    with SH.client(runner) as client:
        yield client
    runner.close()


def _figures(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)["汇总"]
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def test_api_report_job_equals_the_command(c, tmp_path):
    command = report([SAMPLE], tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    r = c.post(
        "/api/v1/jobs",
        headers=SH.AUTH,
        data={"kind": "report", "quarter": "2026Q3"},
        files={"ledger": (SAMPLE.name, SAMPLE.read_bytes())},
    )
    status = SH.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    names = [f["name"] for f in status["files"]]
    assert names[0] == "统计报表_2026年第三季度.xlsx" and names[1].endswith("_通报.docx")
    got = tmp_path / "接口.xlsx"
    got.write_bytes(c.get(status["files"][0]["url"], headers=SH.AUTH).content)
    assert _figures(got) == _figures(command.output)


def test_page_offers_the_report_and_refuses_a_bad_quarter(c):
    r = c.post(
        "/upload",
        data={"token": SH.TOKEN},
        files={"ledger": (SAMPLE.name, SAMPLE.read_bytes())},
        headers={"Origin": SH.BASE, "Cookie": f"jyyz_{SH.PORT}={SH.TOKEN}"},
        follow_redirects=False,
    )
    page = r.headers["location"]
    assert SH.wait(c, page.rsplit("/", 1)[1])["state"] == "done"
    html = c.get(page, headers=SH.AUTH).text
    assert 'action="' + page + '/report"' in html and "生成统计报表" in html
    post = {"headers": {"Origin": SH.BASE, "Cookie": f"jyyz_{SH.PORT}={SH.TOKEN}"}}
    bad = c.post(page + "/report", data={"token": SH.TOKEN, "quarter": "2026Q7"}, **post)
    assert bad.status_code == 400 and "季度“2026Q7”无法识别" in bad.text
    foreign = c.post(
        page + "/report",
        data={"token": SH.TOKEN, "quarter": "2026Q3"},
        headers={"Origin": "http://evil.example", "Cookie": f"jyyz_{SH.PORT}={SH.TOKEN}"},
    )
    assert foreign.status_code == 403
    ok = c.post(page + "/report", data={"token": SH.TOKEN, "quarter": "2026Q3"}, follow_redirects=False, **post)  # fmt: skip
    assert ok.status_code == 303
    job_page = ok.headers["location"]
    assert SH.wait(c, job_page.rsplit("/", 1)[1])["state"] == "done"
    html = c.get(job_page, headers=SH.AUTH).text
    assert "统计报表：2026年第三季度" in html
    assert re.search(r'<a href="[^"]+" download>统计报表_2026年第三季度\.xlsx</a>', html)


def test_sheet_report_on_the_addins_values_equals_the_command(c, tmp_path):
    """The WPS button's door: the open workbook's values (dates as Excel serials)."""
    command = report([SAMPLE], tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    body = {"name": SAMPLE.name, "sheets": SH.sheets_of(SAMPLE), "quarter": "2026Q3"}
    r = c.post("/api/v1/sheet/report", headers=SH.AUTH, json=body)
    status = SH.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    assert status["report"]["period"] == "2026年第三季度"
    assert status["report"]["persons"] == command.persons
    got = tmp_path / "接口.xlsx"
    got.write_bytes(c.get(status["files"][0]["url"], headers=SH.AUTH).content)
    assert _figures(got) == _figures(command.output)
    bad = c.post("/api/v1/sheet/report", headers=SH.AUTH, json={**body, "quarter": "2026Q7"})
    assert bad.status_code == 400 and "季度“2026Q7”无法识别" in bad.json()["detail"]
    no_token = c.post("/api/v1/sheet/report", json=body)
    assert no_token.status_code == 401
