"""One application behind every door: on every sample ledger and real-layout fixture the
service's API (the add-ins' sheet calls and the file jobs) gives exactly the cells, problems
and papers that ``jyyz fill`` / ``jyyz check`` / ``jyyz docs`` give."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
import service_helpers
from markupsafe import escape
from python_calamine import CalamineWorkbook
from real_layouts import AS_OF as LAYOUT_AS_OF
from real_layouts import BUILDERS

import workbooks
from xl_addin import cli, jobs
from xl_addin.service.runner import Runner

AS_OF = dt.date(2026, 11, 1)
SAMPLES = sorted(workbooks.sample_paths().items())


@pytest.fixture(scope="module")
def c():
    runner = Runner()
    with service_helpers.client(runner) as client:
        yield client
    runner.close()


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> list[tuple[str, Path, str | None, dt.date]]:
    """(id, path, policy, as_of) of every sample and every real-layout fixture."""
    out = [(code, path, None, AS_OF) for code, path in SAMPLES]
    for build in BUILDERS:
        layout = build(tmp_path_factory.mktemp(build.__name__))
        out.append((build.__name__, layout.path, layout.policy, LAYOUT_AS_OF))
    return out


def merges_of(path: Path) -> dict[str, list[list[int]]]:
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: [
                [a, b, c, d]
                for (a, b), (c, d) in wb.get_sheet_by_name(name).merged_cell_ranges or []
            ]
            for name in wb.sheet_names
        }
    finally:
        wb.close()


def sheet_body(path: Path, policy: str | None, as_of: dt.date) -> dict:
    return {
        "name": path.name,
        "sheets": service_helpers.sheets_of(path),
        "merges": merges_of(path),
        "active": None,
        "policy": policy,
        "as_of": as_of.isoformat(),
    }


def cli_fill(path: Path, out: Path, policy: str | None, as_of: dt.date) -> None:
    args = ["fill", str(path), "-o", str(out), "--as-of", as_of.isoformat()]
    if policy:
        args += ["--policy", policy]
    assert cli.main(args) == 0


def test_every_door_fills_the_same_cells(c, ledgers, tmp_path):
    for name, path, policy, as_of in ledgers:
        command = tmp_path / f"{name}.command.xlsx"
        cli_fill(path, command, policy, as_of)
        before, after = service_helpers.cells(path), service_helpers.cells(command)
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}

        # the add-ins' door: the open workbook's values in, the cells to write out
        r = c.post(
            "/api/v1/sheet/fill", json=sheet_body(path, policy, as_of), headers=service_helpers.AUTH
        )
        assert r.status_code == 200, (name, r.text)
        got = r.json()
        sheet = got["sheet"]
        written = {(sheet, got["header_row"], int(col)): h for col, h in got["new_headers"].items()}
        for i, row in enumerate(got["row_numbers"]):
            for j, col in enumerate(got["column_numbers"]):
                written[(sheet, row, col)] = service_helpers.norm(got["values"][i][j])
        assert changed <= set(written), (name, sorted(changed - set(written))[:5])
        for key, value in written.items():
            assert after.get(key) == value, (name, key, value, after.get(key))
        assert got["columns"] == list(jobs.RESULT_HEADERS.values())
        assert got["first_col"] == min(got["column_numbers"])

        # the page's and the file API's door: the uploaded file, the filled file back
        data = {"kind": "fill", "as_of": as_of.isoformat(), "policy": policy or ""}
        r = c.post(
            "/api/v1/jobs",
            headers=service_helpers.AUTH,
            data=data,
            files={"ledger": (path.name, path.read_bytes())},
        )
        status = service_helpers.wait(c, r.json()["job"])
        assert status["state"] == "done", (name, status)
        assert status["files"][0]["name"] == path.stem + ".已填写.xlsx"
        download = c.get(status["files"][0]["url"], headers=service_helpers.AUTH)
        by_api = tmp_path / f"{name}.api.xlsx"
        by_api.write_bytes(download.content)
        assert service_helpers.cells(by_api) == after, name

        # the page: the form posted as the browser posts it, the 已填写 link followed
        r = c.post(
            "/upload",
            data={
                "token": service_helpers.TOKEN,
                "as_of": as_of.isoformat(),
                "policy": policy or "",
            },
            files={"ledger": (path.name, path.read_bytes())},
            headers={
                "Origin": service_helpers.BASE,
                "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, (name, r.text)
        page = r.headers["location"]
        job = page.rsplit("/", 1)[1]
        assert service_helpers.wait(c, job)["state"] == "done"
        html = c.get(page, headers=service_helpers.AUTH).text
        link = re.search(r'<a href="([^"]+)" download>([^<]*已填写[^<]*)</a>', html)
        assert link and link.group(2) == path.stem + ".已填写.xlsx", name
        # what was recognised: the 字段对照 suggestions of jyyz check, on the page
        for row in jobs.check(path, write=False).field_map_rows[1:30]:
            assert f"<td>{escape(row[0])}</td>" in html, (name, row)
        by_page = tmp_path / f"{name}.page.xlsx"
        by_page.write_bytes(c.get(link.group(1), headers=service_helpers.AUTH).content)
        assert service_helpers.cells(by_page) == after, name
        assert status["summary"]["rows"] == [list(r) for r in cli.summary_rows(_summary(path, policy, as_of))]  # fmt: skip


def _summary(path: Path, policy, as_of) -> jobs.Summary:
    return jobs.assess_workbook(path, policy, as_of).summary()


def test_every_door_finds_the_same_problems(c, ledgers):
    for name, path, policy, as_of in ledgers:
        command = jobs.check(path, write=False)
        r = c.post(
            "/api/v1/sheet/check",
            json=sheet_body(path, policy, as_of),
            headers=service_helpers.AUTH,
        )
        assert r.status_code == 200, (name, r.text)
        got = r.json()
        expected = [(p.cell or None, p.level, p.message) for p in command.errors + command.notices]
        assert [(p["cell"], p["level"], p["message"]) for p in got["problems"]] == expected, name
        assert got["summary"] == {
            "people": command.people,
            "errors": len(command.errors),
            "notices": len(command.notices),
        }
        assert got["recognised"]["text"] == command.columns_text
        marks = jobs.check_marks(command)
        assert {m["cell"] for m in got["marks"]} == set(marks)


def _docx_texts(files: dict[str, bytes]) -> dict[str, str]:
    from docx import Document

    out = {}
    for name, data in files.items():
        if name.endswith(".docx"):
            doc = Document(io.BytesIO(data))
            body = [p.text for p in doc.paragraphs]
            body += [c.text for t in doc.tables for r in t.rows for c in r.cells]
            out[Path(name).name] = "\n".join(body)
    return out


def _zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _own_office_pc(monkeypatch, tmp_path, door: str) -> None:
    """Each door as on its own PC: numbers are unique per office and year across the
    folders of one profile (doc_templates.register), so the doors' papers are compared
    each with its own register key and counter."""
    home = tmp_path / f"home-{door}"
    home.mkdir()
    monkeypatch.setenv("JYYZ_HOME", str(home))


@pytest.mark.parametrize("kind,api_kind", [("公示", "notice"), ("责任书", "letter")])
def test_every_door_makes_the_same_papers(c, tmp_path, kind, api_kind, monkeypatch):
    path = workbooks.sample_path("SX-2008")
    _own_office_pc(monkeypatch, tmp_path, "cli")
    command = jobs.docs(path, kind, tmp_path / "cli", as_of=AS_OF)
    expected = _docx_texts({p.name: p.read_bytes() for p in command.files})
    assert expected

    # file job (the page and the add-ins' upload)
    _own_office_pc(monkeypatch, tmp_path, "api")
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "docs", "doc_kind": api_kind, "as_of": AS_OF.isoformat()},
        files={"ledger": (path.name, path.read_bytes())},
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    zipped = next(f for f in status["files"] if f["name"].endswith(".zip"))
    got = _docx_texts(_zip_files(c.get(zipped["url"], headers=service_helpers.AUTH).content))
    assert {k: v for k, v in got.items() if k in expected} == expected
    assert any("合并打印" in n or "合并" in n for n in got) or kind == "公示"

    # sheet job (the add-ins on the open workbook)
    _own_office_pc(monkeypatch, tmp_path, "sheet")
    r = c.post(
        "/api/v1/sheet/docs",
        json={**sheet_body(path, None, AS_OF), "kind": api_kind},
        headers=service_helpers.AUTH,
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    zipped = next(f for f in status["files"] if f["name"].endswith(".zip"))
    got = _docx_texts(_zip_files(c.get(zipped["url"], headers=service_helpers.AUTH).content))
    assert {k: v for k, v in got.items() if k in expected} == expected


def test_save_copies_into_a_folder_the_service_chooses(c, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = workbooks.sample_path("SX-2008")
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "check", "folder": "/etc"},  # a client's folder is never used
        files={"ledger": (path.name, path.read_bytes())},
    )
    job = r.json()["job"]
    assert service_helpers.wait(c, job)["state"] == "done"
    folder = Path(c.post(f"/api/v1/jobs/{job}/save", headers=service_helpers.AUTH).json()["folder"])
    assert folder.parent == tmp_path / "Documents" / "jyyz"
    assert folder.name.startswith("check_")
    assert [p.name for p in folder.iterdir()] == [path.stem + ".检查结果.xlsx"]


def test_a_corrupt_file_gets_the_command_s_message(c, tmp_path, capsys):
    bad = tmp_path / "坏的台账.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    assert cli.main(["fill", str(bad)]) == 2
    message = capsys.readouterr().err.strip().removeprefix("错误：")
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "fill"},
        files={"ledger": (bad.name, bad.read_bytes())},
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "failed"
    # the command names the file by its path, the service by the clerk's file name
    assert status["message"].replace(bad.name, "") == message.replace(str(bad), "").replace(
        bad.name, ""
    )


def test_office_details_typed_on_the_page_are_the_office_file_of_the_command(
    c, tmp_path, monkeypatch
):
    path = workbooks.sample_path("SX-2008")
    office = {
        "issuer": "太原市小店区坞城街道劳动保障事务所",
        "address": "坞城路 1 号",
        "phone": "0351-1234567",
        "superior": "小店区人力资源和社会保障局",
    }
    given = tmp_path / "单位信息.txt"
    given.write_text(
        "发文机关：{issuer}\n地址：{address}\n电话：{phone}\n上级单位：{superior}\n".format(
            **office
        ),
        encoding="utf-8",
    )
    _own_office_pc(monkeypatch, tmp_path, "cli")
    command = jobs.docs(path, "公示", tmp_path / "cli", as_of=AS_OF, office=given)
    expected = _docx_texts({p.name: p.read_bytes() for p in command.files})
    assert any(office["issuer"] in t for t in expected.values())
    _own_office_pc(monkeypatch, tmp_path, "api")
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "docs", "doc_kind": "公示", "as_of": AS_OF.isoformat(), **office},
        files={"ledger": (path.name, path.read_bytes())},
    )
    status = service_helpers.wait(c, r.json()["job"])
    assert status["state"] == "done", status
    zipped = next(f for f in status["files"] if f["name"].endswith(".zip"))
    got = _docx_texts(_zip_files(c.get(zipped["url"], headers=service_helpers.AUTH).content))
    assert {k: v for k, v in got.items() if k in expected} == expected
