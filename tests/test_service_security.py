"""The service refuses what could leak a clerk's ledger: foreign Host (DNS rebinding),
foreign Origin/Referer on state-changing requests, missing or wrong token, oversized
uploads and zip bombs; job files live in private folders; logs carry no personal data."""

from __future__ import annotations

import io
import logging
import os
import stat
import zipfile

import pytest
import service_helpers

import workbooks
from calc.errors import InputError
from xl_addin import zip_guard
from xl_addin.service import discovery, security
from xl_addin.service.runner import Runner


@pytest.fixture
def c():
    runner = Runner()
    with service_helpers.client(runner) as client:
        yield client
    runner.close()


def ledger_bytes() -> bytes:
    return workbooks.sample_path("SX-2008").read_bytes()


@pytest.mark.parametrize(
    "host", ["evil.example:48765", "127.0.0.1:9999", "127.0.0.1", "localhost.evil.com:48765"]
)
def test_foreign_host_is_refused_even_with_the_token(c, host):
    r = c.get("/api/v1/functions", headers={**service_helpers.AUTH, "Host": host})
    assert r.status_code == 403
    assert "主机名不是本机" in r.json()["detail"]
    r = c.get("/api/v1/health", headers={"Host": host})
    assert r.status_code == 403


@pytest.mark.parametrize("host", ["127.0.0.1:48765", "localhost:48765", "[::1]:48765"])
def test_loopback_hosts_are_served(c, host):
    assert c.get("/api/v1/health", headers={"Host": host}).json()["app"] == "jyyz"


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:9999", "https://127.0.0.1:48765"]
)
def test_foreign_origin_cannot_post(c, origin):
    r = c.post(
        "/api/v1/functions/JY_ID",
        json={"args": ["1"]},
        headers={**service_helpers.AUTH, "Origin": origin},
    )
    assert r.status_code == 403
    assert "其他网站" in r.json()["detail"]
    r = c.post(
        "/upload",
        data={"token": service_helpers.TOKEN},
        files={"ledger": ("a.xlsx", ledger_bytes())},
        headers={
            "Origin": origin,
            "Cookie": f"jyyz_{service_helpers.PORT}={service_helpers.TOKEN}",
        },
    )
    assert r.status_code == 403
    assert "其他网站" in r.text


def test_foreign_referer_without_origin_cannot_post(c):
    r = c.post(
        "/api/v1/sheet/check",
        json={"sheets": {"a": [["姓名"]]}},
        headers={**service_helpers.AUTH, "Referer": "http://evil.example/page"},
    )
    assert r.status_code == 403


def test_own_origin_may_post(c):
    r = c.post(
        "/api/v1/functions/JY_RMB",
        json={"args": [1000]},
        headers={**service_helpers.AUTH, "Origin": service_helpers.BASE},
    )
    assert r.status_code == 200
    assert r.json()["value"] == "人民币壹仟元整"


@pytest.mark.parametrize("token", [None, "", "wrong", service_helpers.TOKEN + "x"])
def test_api_needs_the_token(c, token):
    headers = {} if token is None else {"X-JYYZ-Token": token}
    for method, path in [
        ("get", "/api/v1/functions"),
        ("post", "/api/v1/functions/JY_ID"),
        ("post", "/api/v1/sheet/fill"),
        ("get", "/api/v1/jobs/0123"),
        ("post", "/api/v1/jobs"),
        ("get", "/docs"),
        ("get", "/openapi.json"),
    ]:
        r = getattr(c, method)(path, headers=headers)
        assert r.status_code == 401, (path, r.status_code)
    assert c.get("/api/v1/health").status_code == 200  # only the health check is open


def test_page_needs_the_sign_in(c):
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 401
    assert "jyyz serve" in r.text
    assert service_helpers.TOKEN not in r.text
    r = c.get("/signin?token=wrong", follow_redirects=False)
    assert r.status_code == 401
    r = c.get(f"/signin?token={service_helpers.TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # the token leaves the URL
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = c.get("/")
    assert page.status_code == 200
    assert 'name="token"' in page.text  # every form carries the token


def test_a_form_without_the_token_is_refused(c):
    c.get(f"/signin?token={service_helpers.TOKEN}")
    r = c.post("/upload", files={"ledger": ("a.xlsx", ledger_bytes())})
    assert r.status_code == 400
    assert "访问令牌" in r.text


def test_too_large_upload_is_refused_in_chinese(c, monkeypatch):
    monkeypatch.setattr(security, "MAX_UPLOAD", 50_000)
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "fill"},
        files={"ledger": ("a.xlsx", b"x" * 80_000)},
    )
    assert r.status_code == 413
    assert "上传的文件太大" in r.json()["detail"]


def test_body_without_length_is_counted(c, monkeypatch):
    monkeypatch.setattr(security, "MAX_UPLOAD", 50_000)

    def chunks():
        for _ in range(20):
            yield b"y" * 10_000

    r = c.post(
        "/api/v1/functions/JY_ID",
        headers={**service_helpers.AUTH, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert r.status_code == 413
    assert "太大" in r.json()["detail"]


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buf.getvalue()


def test_zip_bomb_is_refused_in_chinese(c):
    data = _bomb()
    assert len(data) < 200_000  # 60 MB of zeros packs to ~60 KB
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "fill"},
        files={"ledger": ("台账.xlsx", data)},
    )
    assert r.status_code == 400
    assert "压缩炸弹" in r.json()["detail"]


def _zeros(path, mb: int) -> None:
    """A workbook (openpyxl's) with a member of ``mb`` MB of zeros beside its parts."""
    import openpyxl

    openpyxl.Workbook().save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("customXml/item9.xml", b"\0" * (mb * 1024 * 1024))


def test_an_upload_is_refused_exactly_when_the_reader_refuses_the_file(tmp_path):
    """One answer through every door: a member that packs steeply but is small (a
    sheet of empty styled cells) is read by ``jyyz fill``, so the service takes it too;
    one the reader refuses as a bomb is refused at upload in the reader's words."""
    small = tmp_path / "small.xlsx"
    _zeros(small, 2)  # 2 MB at a ratio of ~1000
    zip_guard.guard_workbook(small)
    security.check_workbook_zip(small, "small.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    _zeros(bomb, 40)
    with pytest.raises(InputError) as by_reader:
        zip_guard.guard_workbook(bomb)
    with pytest.raises(InputError) as by_service:
        security.check_workbook_zip(bomb, "bomb.xlsx")
    assert by_service.value.message == by_reader.value.message
    assert "bomb.xlsx" in by_service.value.message and str(tmp_path) not in by_service.value.message


def test_unpacked_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(security, "MAX_UNCOMPRESSED", 1000)
    path = tmp_path / "a.xlsx"
    _zeros(path, 0)  # a workbook the reader takes, unpacking to more than 1,000 bytes
    with pytest.raises(InputError, match="超过上限"):
        security.check_workbook_zip(path, "a.xlsx")


def test_client_file_names_are_never_paths():
    assert security.safe_display_name("../../etc/passwd") == "passwd"
    assert security.safe_display_name("C:\\Users\\张三\\台账.xlsx") == "台账.xlsx"
    assert security.safe_display_name('a<b>:"|?*.xlsx') == "ab.xlsx"
    assert security.safe_display_name("..") == "台账.xlsx"
    assert "/" not in security.safe_display_name("/" * 10 + "x")


def test_job_folders_are_private_and_removed(c, caplog):
    caplog.set_level(logging.INFO, logger="jyyz.service")
    runner = c.app.app.state.runner
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "fill", "as_of": "2026-11-01"},
        files={"ledger": ("张三的台账.xlsx", ledger_bytes())},
    )
    job_id = r.json()["job"]
    status = service_helpers.wait(c, job_id)
    assert status["state"] == "done", status
    job = runner.get(job_id)
    assert stat.S_IMODE(os.stat(runner.root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(job.folder).st_mode) == 0o700
    assert job.folder.parent == runner.root
    # nothing personal in the URLs or the log: no file name, no name, no ID number
    assert all(job_id in f["url"] and "张三" not in f["url"] for f in status["files"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "张三" not in logged and "台账" not in logged
    assert c.delete(f"/api/v1/jobs/{job_id}", headers=service_helpers.AUTH).json() == {
        "deleted": True
    }
    assert not job.folder.exists()
    assert c.get(f"/api/v1/jobs/{job_id}", headers=service_helpers.AUTH).status_code == 404


def test_expired_and_downloaded_jobs_are_removed(c):
    runner = c.app.app.state.runner
    r = c.post(
        "/api/v1/jobs",
        headers=service_helpers.AUTH,
        data={"kind": "check"},
        files={"ledger": ("a.xlsx", ledger_bytes())},
    )
    job_id = r.json()["job"]
    assert service_helpers.wait(c, job_id)["state"] == "done"
    job = runner.get(job_id)
    assert c.get(f"/api/v1/jobs/{job_id}/files/0", headers=service_helpers.AUTH).status_code == 200
    runner.sweep(now=job.finished + 60)  # downloaded, but a moment ago: kept
    assert job.folder.exists()
    runner.sweep(now=job.finished + 16 * 60)  # downloaded a while ago: removed
    assert not job.folder.exists()
    assert runner.get(job_id) is None


def test_runner_close_removes_everything():
    runner = Runner()
    job = runner.new("fill")
    (job.folder / "x").write_text("1")
    runner.close()
    assert not runner.root.exists()


def test_discovery_file_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path / "state"))
    info = {"url": "http://127.0.0.1:1/", "port": 1, "token": "t", "pid": 5, "version": "0"}
    path = discovery.write(info)
    assert path == tmp_path / "state" / "service.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert discovery.read() == info
    assert discovery.running() is None  # nothing answers on port 1
    discovery.remove(pid=6)  # not ours: kept
    assert path.exists()
    discovery.remove(pid=5)
    assert not path.exists()


def test_state_dir_by_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("JYYZ_HOME", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert discovery.state_dir() == tmp_path / "jyyz"
    monkeypatch.setattr(discovery.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert discovery.state_dir() == tmp_path / "Local" / "jyyz"


def test_an_allowed_extra_origin_may_post():
    from fastapi.testclient import TestClient

    from xl_addin.service.app import create_app, guarded

    runner = Runner()
    app = create_app(port=service_helpers.PORT, token=service_helpers.TOKEN, runner=runner)
    wrapped = guarded(
        app, port=service_helpers.PORT, token=service_helpers.TOKEN, extra_origins=("null",)
    )
    with TestClient(wrapped, base_url=service_helpers.BASE) as client:
        ok = client.post(
            "/api/v1/functions/JY_RMB",
            json={"args": [1]},
            headers={**service_helpers.AUTH, "Origin": "null"},
        )
        assert ok.status_code == 200
        refused = client.post(
            "/api/v1/functions/JY_RMB",
            json={"args": [1]},
            headers={**service_helpers.AUTH, "Origin": "http://evil.example"},
        )
        assert refused.status_code == 403
        no_token = client.post("/api/v1/functions/JY_RMB", json={"args": [1]}, headers={"Origin": "null"})  # fmt: skip
        assert no_token.status_code == 401
    runner.close()
