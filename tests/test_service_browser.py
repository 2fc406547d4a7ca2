"""The page in a real browser (Debian chromium + chromium-driver, headless, via selenium)
against a real ``jyyz serve``: upload → summary as ``jyyz fill`` gives it → the filled
ledger and the papers downloaded and compared with the command's; a corrupt file → the
command's Chinese message; the result page's layout in a screenshot under a fixed font.

Skipped when chromium or chromedriver is missing (``make test`` installs both)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import service_helpers
from real_layouts import AS_OF as LAYOUT_AS_OF
from real_layouts import jilin_unemployed_ledger

import workbooks
from xl_addin import cli, jobs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium/chromedriver not installed"),
]
AS_OF = dt.date(2026, 11, 1)
FONT = "Noto Sans CJK SC"
#: Where the screenshots are kept for a person to look at (also after the test).
SHOTS = Path(os.environ.get("JYYZ_SCREENSHOTS", "/tmp/jyyz-screenshots"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "JYYZ_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "xl_addin.cli", "serve", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    url = proc.stdout.readline().strip()
    info = json.loads((home / "service.json").read_text())
    yield url, info
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


def _chrome(downloads: Path, javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1600",
        "--lang=zh-CN",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
    ):
        opts.add_argument(arg)
    opts.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
            "profile.managed_default_content_settings.javascript": 1 if javascript else 2,
        },
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    return driver


@pytest.fixture(scope="module")
def browser(server, downloads):
    driver = _chrome(downloads)
    url, info = server
    driver.get(f"{url}signin?token={info['token']}")
    assert "token" not in driver.current_url  # the sign-in leaves the address bar at once
    yield driver
    driver.quit()


def _wait(driver, css: str, timeout: float = 300.0):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def _upload(driver, url: str, path: Path, policy: str = "", as_of: dt.date = AS_OF) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(url)
    driver.find_element(By.ID, "ledger").send_keys(str(path))
    if policy:
        Select(driver.find_element(By.ID, "policy")).select_by_value(policy)
    driver.find_element(By.ID, "as_of").send_keys(as_of.isoformat())
    driver.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()


def _submit_and_wait(driver, button_css: str, css: str, timeout: float = 300.0):
    """Click a button that loads a new page, then wait for ``css`` on the new page: the
    old page may hold the same element, and reading it while the browser replaces the
    document finds no rows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, button_css).click()
    WebDriverWait(driver, timeout, poll_frequency=0.2).until(expected_conditions.staleness_of(old))
    return _wait(driver, css, timeout)


def _table(driver, css: str) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, f"{css} tr")
    return [[c.text for c in r.find_elements(By.CSS_SELECTOR, "th, td")] for r in rows]


def _download(driver, folder: Path, text: str, timeout: float = 120.0) -> Path:
    from selenium.webdriver.common.by import By

    link = driver.find_element(By.PARTIAL_LINK_TEXT, text)
    name = link.text
    before = set(folder.iterdir())
    link.click()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in set(folder.iterdir()) - before if not p.name.endswith(".crdownload")]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            assert done[0].name == name
            return done[0]
        time.sleep(0.1)
    raise TimeoutError(name)


def _check_upload(driver, server, downloads, path, policy, as_of, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, _ = server
    _upload(driver, url, path, policy, as_of)
    _wait(driver, "#summary")
    command = tmp_path / f"{path.stem}.command.xlsx"
    args = ["fill", str(path), "-o", str(command), "--as-of", as_of.isoformat()]
    assert cli.main(args + (["--policy", policy] if policy else [])) == 0
    report = jobs.fill(path, out=tmp_path / "again.xlsx", policy=policy or None, as_of=as_of)
    # the summary as jyyz fill prints it
    shown = _table(driver, "#summary")
    expected = [[label.strip(), str(value)] for label, value in cli.summary_rows(report.summary)]
    assert shown == expected  # (the sub-rows are indented by the style sheet)
    # the filled ledger: the link says 已填写, the cells are the command's
    filled = _download(driver, downloads, "已填写")
    assert filled.name == f"{path.stem}.已填写.xlsx"
    assert service_helpers.cells(filled) == service_helpers.cells(command)
    # the data problems by cell
    problems = _table(driver, "#problems table")[1:] if report.problems else []
    errors = [p for p in report.problems if p.level == jobs.ERROR]
    assert [r[0] for r in problems] == [p.cell for p in errors][:500]
    # the per-person table filtered by conclusion
    Select(driver.find_element(By.ID, "status")).select_by_visible_text("符合")
    _submit_and_wait(driver, "form.filter button", "#people-table")
    rows = _table(driver, "#people-table")[1:]
    assert rows and all(r[3] == "符合" for r in rows)
    assert len(rows) == min(200, report.summary.eligible)


def test_upload_a_sample_read_the_summary_download_the_filled_ledger(
    browser, server, downloads, tmp_path
):
    path = workbooks.sample_path("SX-2008")
    _check_upload(browser, server, downloads, path, "", AS_OF, tmp_path)


def test_upload_a_real_layout(browser, server, downloads, tmp_path):
    layout = jilin_unemployed_ledger(tmp_path)
    _check_upload(browser, server, downloads, layout.path, layout.policy, LAYOUT_AS_OF, tmp_path)


def _docx_texts(data: bytes) -> dict[str, str]:
    from docx import Document

    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            if n.endswith(".docx"):
                doc = Document(io.BytesIO(z.read(n)))
                out[Path(n).name] = "\n".join(p.text for p in doc.paragraphs)
    return out


def test_papers_from_the_page_are_the_command_s(browser, server, downloads, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, _ = server
    path = workbooks.sample_path("SX-2008")
    _upload(browser, url, path)
    _wait(browser, "#summary")
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("公示")
    browser.find_element(By.CSS_SELECTOR, "#papers button").click()
    _wait(browser, "#docs-report")
    archive = _download(browser, downloads, ".zip")
    command = jobs.docs(path, "公示", tmp_path / "cli", as_of=AS_OF)
    expected = {p.name: p for p in command.files}
    got = _docx_texts(archive.read_bytes())
    assert set(expected) <= set(got)
    for name, p in expected.items():
        assert got[name] == _docx_texts(_zip_of(p))[name]


def _zip_of(path: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.write(path, path.name)
    return buf.getvalue()


def test_a_corrupt_file_shows_the_command_s_message(browser, server, tmp_path, capsys):
    from selenium.webdriver.common.by import By

    bad = tmp_path / "损坏的台账.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    assert cli.main(["fill", str(bad)]) == 2
    printed = capsys.readouterr().err.strip()
    url, _ = server
    _upload(browser, url, bad)
    message = _wait(browser, "#message", 60).text
    assert message.startswith("错误：")
    assert message.replace(bad.name, "") == printed.replace(str(bad), "").replace(bad.name, "")
    assert "Traceback" not in browser.find_element(By.TAG_NAME, "body").text


def test_result_page_layout_in_a_screenshot(browser, server):
    url, _ = server
    _upload(browser, url, workbooks.sample_path("SX-2008"))
    _wait(browser, "#summary")
    family = browser.execute_script(
        "return getComputedStyle(document.body).fontFamily.split(',')[0].replace(/\"/g, '')"
    )
    assert family == FONT
    fc = subprocess.run(["fc-match", FONT], capture_output=True, text=True).stdout
    assert FONT in fc, fc  # the fixed font is really installed, no fallback rendering
    # nothing wider than the window, the summary and the downloads above the fold
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")
    for css in ("#downloads", "#summary"):
        top = browser.execute_script(f"return document.querySelector('{css}').getBoundingClientRect().top")  # fmt: skip
        assert 0 < top < 1600, css
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "result.png"
    browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page
    width_px, height_px = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width_px == 1280 and height_px >= 600


def test_the_page_works_with_javascript_off(server, tmp_path):
    """Old 信创 browsers, locked-down profiles: forms, the refreshing progress page, links."""
    url, info = server
    driver = _chrome(tmp_path, javascript=False)
    try:
        driver.get(f"{url}signin?token={info['token']}")
        layout = jilin_unemployed_ledger(tmp_path)
        _upload(driver, url, layout.path, layout.policy, LAYOUT_AS_OF)
        _wait(driver, "#summary", 300)  # reached through <meta refresh>, without a script
        filled = _download(driver, tmp_path, "已填写")
        command = tmp_path / "command.xlsx"
        args = ["fill", str(layout.path), "-o", str(command), "--policy", layout.policy]
        assert cli.main(args + ["--as-of", LAYOUT_AS_OF.isoformat()]) == 0
        assert service_helpers.cells(filled) == service_helpers.cells(command)
    finally:
        driver.quit()


def test_the_progress_page_follows_a_long_job(browser, server, tmp_path):
    """A 20,000-row ledger: the progress page shows the step and the time, then the result."""
    from selenium.webdriver.common.by import By

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from bench_fill import make_ledger

    src = tmp_path / "大台账.xlsx"
    make_ledger(str(src), 20_000)
    url, _ = server
    _upload(browser, url, src, "SX-2008")
    _wait(browser, "#bar", 60)
    # a mark on the loaded page: with scripts on, the page is updated in place and reloaded
    # only when the job has ended (a reload that raced the script's replaced the result page
    # under a reader's eyes)
    browser.execute_script("window.jyyzMark = 1;")
    labels, reloads_while_running = set(), 0
    end = time.monotonic() + 600
    while time.monotonic() < end:
        running, marked = browser.execute_script(
            "return [!!document.getElementById('label'), window.jyyzMark === 1];"
        )
        if not running:
            break
        if not marked:
            reloads_while_running += 1
            browser.execute_script("window.jyyzMark = 1;")
        try:
            labels.add(browser.find_element(By.ID, "label").text)
        except Exception:  # noqa: BLE001 - the page was replaced between the two calls
            pass
        time.sleep(0.2)
    _wait(browser, "#summary", 60)
    assert reloads_while_running == 0
    assert any(x.startswith(("读取台账", "认定资格")) for x in labels), labels
    rows = _table(browser, "#summary")
    assert rows[0] == ["台账人数", "20000"]


def test_report_of_several_ledgers_from_the_start_page(browser, server, downloads, tmp_path):
    """Several community ledgers chosen at once in the start page's 统计报表 form: the
    report is ``jyyz report a.xlsx b.xlsx …``'s, a person on two ledgers counted once."""
    import openpyxl
    from selenium.webdriver.common.by import By
    from test_report import _split

    from xl_addin.report import report

    folder = tmp_path / "各街道台账"
    folder.mkdir()
    parts = _split(workbooks.sample_path("SX-2008"), folder, "所属街道")
    again = folder / "台账_再次上报.xlsx"
    again.write_bytes(parts[0].read_bytes())
    parts.append(again)
    command = report(parts, tmp_path / "命令.xlsx", quarter="2026Q3", paper=False, workers=1)
    url, _ = server
    browser.get(url)
    browser.find_element(By.ID, "report-ledgers").send_keys("\n".join(str(p) for p in parts))
    browser.find_element(By.ID, "report-quarter").send_keys("2026Q3")
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "report-form.png"))
    browser.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    _wait(browser, "#report-result")
    scope = browser.find_element(By.ID, "report-scope").text
    assert scope.startswith(f"统计台账 {len(parts)} 本，{command.persons} 人")
    assert f"{command.duplicates} 人在多本台账中出现，只计一次" in scope
    totals = command.report.figures[command.report.figures.columns[0]]
    shown = _table(browser, "#report-figures")[1:]
    assert [(r[1], int(r[2])) for r in shown] == [(item, int(v)) for (_, item), v in totals.items()]
    book = _download(browser, downloads, "统计报表_2026年第三季度.xlsx")

    def summary(path):
        ws = openpyxl.load_workbook(path, read_only=True)["汇总"]
        return [r for r in ws.iter_rows(min_row=4, values_only=True)]

    assert summary(book) == summary(command.output)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")
    shot = SHOTS / "report.png"
    browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
