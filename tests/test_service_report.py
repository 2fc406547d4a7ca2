"""The statistics report through the service's doors gives the command's figures."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import service_helpers

from xl_addin.report import report
from xl_addin.service.runner import Runner

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "台账样例_SX-2008.xlsx"


@pytest.fixture(scope="module")
def c():
    runner = Runner()
    with service_helpers.client(runner) as client:
        yield client
    runner.close()


def _figures(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)["汇总"]
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def test_api_report_job_equals_the_command(c, tmp_path):
    command = report([SAMPLE], tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "report", "quarter": "2026Q3"},
        files={"ledger": (SAMPLE.name, SAMPLE.read_bytes())},
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    names = [f["name"] for f in status["files"]]
    assert names[0] == "统计报表_2026年第三季度.xlsx" and names[1].endswith("_通报.docx")
    got = tmp_path / "接口.xlsx"
    got.write_bytes(c.get(status["files"][0]["url"], headers=service_helpers.AUTH).content)
    assert _figures(got) == _figures(command.output)


def test_page_offers_the_report_and_refuses_a_bad_quarter(c):
    r = c.post(
        "/upload",
        data={"token": service_helpers.TOKEN},
        files={"ledger": (SAMPLE.name, SAMPLE.read_bytes())},
        headers={
            "Origin": service_helpers.BASE,
            "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
        },
        follow_redirects=False,
    )
    page = r.headers["location"]
    assert service_helpers.wait(c, page.rsplit("/", 1)[1])["state"] == "done"
    html = c.get(page, headers=service_helpers.AUTH).text
    assert 'action="' + page + '/report"' in html and "生成统计报表" in html
    post = {
        "headers": {
            "Origin": service_helpers.BASE,
            "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
        }
    }
    bad = c.post(
        page + "/report", data={"token": service_helpers.TOKEN, "quarter": "2026Q7"}, **post
    )
    assert bad.status_code == 400 and "季度“2026Q7”无法识别" in bad.text
    foreign = c.post(
        page + "/report",
        data={"token": service_helpers.TOKEN, "quarter": "2026Q3"},
        headers={
            "Origin": "http://evil.example",
            "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
        },
    )
    assert foreign.status_code == 403
    ok = c.post(page + "/report", data={"token": service_helpers.TOKEN, "quarter": "2026Q3"}, follow_redirects=False, **post)  # fmt: skip
    assert ok.status_code == 303
    job_page = ok.headers["location"]
    assert service_helpers.wait(c, job_page.rsplit("/", 1)[1])["state"] == "done"
    html = c.get(job_page, headers=service_helpers.AUTH).text
    assert "统计报表：2026年第三季度" in html
    assert re.search(r'<a href="[^"]+" download>统计报表_2026年第三季度\.xlsx</a>', html)


def test_sheet_report_on_the_addins_values_equals_the_command(c, tmp_path):
    """The WPS button's door: the open workbook's values (dates as Excel serials)."""
    command = report([SAMPLE], tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    body = {"name": SAMPLE.name, "sheets": service_helpers.sheets_of(SAMPLE), "quarter": "2026Q3"}
    r = c.post("/api/v1/sheet/report", headers=service_helpers.AUTH, json=body)
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    assert status["report"]["period"] == "2026年第三季度"
    assert status["report"]["persons"] == command.persons
    got = tmp_path / "接口.xlsx"
    got.write_bytes(c.get(status["files"][0]["url"], headers=service_helpers.AUTH).content)
    assert _figures(got) == _figures(command.output)
    bad = c.post(
        "/api/v1/sheet/report", headers=service_helpers.AUTH, json={**body, "quarter": "2026Q7"}
    )
    assert bad.status_code == 400 and "季度“2026Q7”无法识别" in bad.json()["detail"]
    no_token = c.post("/api/v1/sheet/report", json=body)
    assert no_token.status_code == 401


def _parts(folder: Path) -> list[Path]:
    """The sample split into one ledger per street, plus a copy of the first under another
    name (each of its persons then on two ledgers)."""
    from test_report import _split

    folder.mkdir()
    parts = _split(SAMPLE, folder, "所属街道")
    assert len(parts) >= 2
    again = folder / "台账_再次上报.xlsx"
    again.write_bytes(parts[0].read_bytes())
    return [*parts, again]


def _summary_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)["汇总"]
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def test_several_ledgers_are_rolled_up_as_the_command_does(c, tmp_path):
    parts = _parts(tmp_path / "各街道")
    command = report(parts, tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    assert command.duplicates > 0
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "report", "quarter": "2026Q3"},
        files=[("ledger", (p.name, p.read_bytes())) for p in parts],
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    got = status["report"]
    assert (got["ledgers"], got["persons"], got["duplicates"]) == (
        len(parts),
        command.persons,
        command.duplicates,
    )
    book = tmp_path / "接口.xlsx"
    book.write_bytes(c.get(status["files"][0]["url"], headers=service_helpers.AUTH).content)
    # every column: each street, each community and the total
    assert _summary_rows(book) == _summary_rows(command.output)
    listed = openpyxl.load_workbook(book, read_only=True)["说明"]
    names = {r[0] for r in listed.iter_rows(values_only=True) if r and r[0]}
    assert {p.name for p in parts} <= names


def test_two_uploads_of_the_same_name_are_both_counted(c, tmp_path):
    """Two folders' 台账.xlsx: kept apart, the second named 台账（2）.xlsx."""
    parts = _parts(tmp_path / "同名")[:2]
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "report", "quarter": "2026Q3"},
        files=[("ledger", ("台账.xlsx", p.read_bytes())) for p in parts],
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    command = report(parts, tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    assert status["report"]["ledgers"] == 2
    assert status["report"]["persons"] == command.persons


def _job_folders(c) -> set[str]:
    runner = c.app.app.state.runner
    return {p.name for p in runner.root.iterdir()}


def test_report_upload_refusals(c, tmp_path, monkeypatch):
    from xl_addin.service import security

    before = _job_folders(c)
    tiny = [("ledger", (f"台账{k}.xlsx", b"PK")) for k in range(security.MAX_LEDGERS + 1)]
    many = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "report"}, files=tiny)
    assert many.status_code == 400
    assert many.json()["detail"] == f"一次最多上传 {security.MAX_LEDGERS} 本台账，这次选了 {security.MAX_LEDGERS + 1} 本"  # fmt: skip
    # beyond that the form is not even read to its end
    tiny.append(("ledger", ("台账x.xlsx", b"PK")))
    more = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "report"}, files=tiny)
    assert more.status_code == 400
    assert (
        more.json()["detail"] == f"一次最多上传 {security.MAX_LEDGERS} 本台账（合计不超过 100 MB）"
    )
    # several ledgers only for a report
    two = [("ledger", (f"台账{k}.xlsx", SAMPLE.read_bytes())) for k in range(2)]
    fill = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "fill"}, files=two)
    assert fill.status_code == 400 and "一次只能处理一本台账（选了 2 本）" in fill.json()["detail"]
    bad = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "report", "quarter": "2026Q9"}, files=two)  # fmt: skip
    assert bad.status_code == 400 and "2026Q9" in bad.json()["detail"]
    # the whole request counts against the upload limit: two ledgers that fit alone, not together
    size = SAMPLE.stat().st_size
    monkeypatch.setattr(security, "MAX_UPLOAD", int(size * 1.5))
    big = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "report"}, files=two)
    assert big.status_code == 413 and "太大" in big.json()["detail"]
    one = c.post("/api/v1/jobs", headers=service_helpers.AUTH, data={"kind": "report", "quarter": "2026Q3"}, files=two[:1])  # fmt: skip
    assert one.status_code == 200
    assert service_helpers.wait(c, one.json()["job"])["state"] == "done"
    # refused uploads leave no job folder behind
    assert len(_job_folders(c) - before) == 1


def test_page_rolls_up_several_ledgers_and_refuses_without_token(c, tmp_path):
    parts = _parts(tmp_path / "页面")
    cookie = {
        "Origin": service_helpers.BASE,
        "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
    }
    home = c.get("/", headers=cookie).text
    assert 'action="/report"' in home and 'name="ledger"' in home and "multiple" in home
    files = [("ledger", (p.name, p.read_bytes())) for p in parts]
    r = c.post("/report", data={"token": service_helpers.TOKEN, "quarter": "2026Q3"}, files=files, headers=cookie, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    job_page = r.headers["location"]
    assert service_helpers.wait(c, job_page.rsplit("/", 1)[1])["state"] == "done"
    html = c.get(job_page, headers=cookie).text
    command = report(parts, tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    assert f"统计台账 {len(parts)} 本，{command.persons} 人" in html
    assert f"{command.duplicates} 人在多本台账中出现，只计一次" in html
    assert f"{parts[0].name} 等 {len(parts)} 本台账" in html
    no_token = c.post("/report", data={"quarter": "2026Q3"}, files=files, headers=cookie)
    assert no_token.status_code == 400 and "访问令牌" in no_token.text
    foreign = c.post(
        "/report",
        data={"token": service_helpers.TOKEN},
        files=files,
        headers={**cookie, "Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
