"""Hostile cell contents and odd files: formula names, bidi names, a wrong check digit,
a sheet full to column XFD, 参数 attacks, and the safe-write path's own hygiene.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import stat
import time
from pathlib import Path

import openpyxl
import pytest

from calc import csv_safe, safe_files
from calc.errors import InputError
from calc.param_checks import check_rows, raise_problems
from doc_templates import register
from workbooks import sample_path
from xl_addin import jobs

FORMULA_NAMES = [
    '=HYPERLINK("http://example.com/x","点我")&"',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'已有撇号",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _ledger(tmp_path: Path) -> Path:
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    return dst


def _set_text(ws, ref: str, text: str) -> None:
    cell = ws[ref]
    cell.value = text
    cell.data_type = "s"  # text, as the clerk typed it (not a formula)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_every_csv_cell_is_neutralised_but_reads_back(tmp_path):
    ledger = _ledger(tmp_path)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    for i, row in enumerate(range(5, 5 + 60)):
        _set_text(ws, f"B{row}", FORMULA_NAMES[i % len(FORMULA_NAMES)] + str(i))
    wb.save(ledger)
    out = tmp_path / "文书"
    first = jobs.docs(ledger, "协议书", out)
    assert first.files and first.not_made
    for name in (register.REGISTER_NAME, first.not_made.name):
        cells = [c for r in _rows(out / name) for c in r]
        assert not [c for c in cells if c.startswith(DANGEROUS)], name
    targets = [r[2] for r in _rows(out / register.REGISTER_NAME)[1:]]
    assert any(t.startswith("'+1+1") for t in targets) and any(
        t.startswith("'@SUM") for t in targets
    )
    # a name that is a formula (even stored as text) gets no paper: it is listed as not made
    refused = [r for r in _rows(first.not_made)[1:] if "姓名是公式" in r[2]]
    assert refused and not any(t.startswith("'=") for t in targets)
    assert any(t.startswith("''已有撇号") for t in targets)
    # our own reader gets the names back: a re-run changes nothing
    again = jobs.docs(ledger, "协议书", out)
    assert again.unchanged == len(first.files) and not again.replaced


def test_neutralise_rules():
    assert csv_safe.neutralise("=1+1") == "'=1+1"
    assert csv_safe.neutralise("王秀兰") == "王秀兰"
    assert csv_safe.neutralise(-3) == -3  # numbers are numbers
    for text in [*FORMULA_NAMES, "'", "''x", "x"]:
        assert csv_safe.restore(str(csv_safe.neutralise(text))) == text


def test_bidi_and_control_characters_never_reach_file_names_or_the_register(tmp_path):
    ledger = _ledger(tmp_path)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    for row in range(5, 5 + 60):
        _set_text(ws, f"B{row}", "王\u202efdp.exe\u200b\u0085")  # C0 controls are no XML
    wb.save(ledger)
    out = tmp_path / "文书"
    r = jobs.docs(ledger, "协议书", out)
    assert r.files
    bad = ("\u202e", "\u200b", "\u0085")
    for p in out.iterdir():
        assert not any(c in p.name for c in bad), p.name
    text = (out / register.REGISTER_NAME).read_text(encoding="utf-8-sig")
    assert not any(c in text for c in bad) and "王fdp.exe" in text


def test_a_wrong_check_digit_is_listed_as_a_wrong_id_not_as_missing(tmp_path):
    ledger = _ledger(tmp_path)
    out = tmp_path / "a"
    made = jobs.docs(ledger, "协议书", out)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    paper_names = {p.name.split("_")[2] for p in made.files}
    row = next(r for r in range(5, ws.max_row + 1) if ws[f"B{r}"].value in paper_names)
    good = str(ws[f"D{row}"].value)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    _set_text(ws, f"D{row}", wrong)
    name = ws[f"B{row}"].value
    wb.save(ledger)
    r = jobs.docs(ledger, "协议书", tmp_path / "b")
    reasons = {s.name: s.reason for s in r.skipped}
    assert reasons[name].startswith("身份证号码有误"), reasons[name]
    assert "第18位" in reasons[name] and "没有身份证号码" not in reasons[name]


def test_a_sheet_full_to_column_xfd_is_a_chinese_refusal(tmp_path):
    ledger = _ledger(tmp_path)
    wb = openpyxl.load_workbook(ledger)
    ws = wb["台账"]
    last_header = max(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value is not None)
    for col in range(last_header + 1, 16_385):  # the clerk's own columns up to XFD
        ws.cell(3, col).value = f"列{col}"
    wb.save(ledger)
    with pytest.raises(InputError) as info:
        jobs.fill(ledger, tmp_path / "out.xlsx")
    assert "XFD" in info.value.message and "没有空列" in info.value.message
    assert not (tmp_path / "out.xlsx").exists()


# ---------------------------------------------------------------- 参数


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("公益性岗位补贴月标准", "NaN", "不是有效的数字"),
        ("公益性岗位补贴月标准", "inf", "不是有效的数字"),
        ("公益性岗位补贴月标准", float("nan"), "不是有效的数字"),
        ("公益性岗位补贴月标准", 1e9, "大得不合理"),
        ("小额担保贷款最高额度", 1e300, "大得不合理"),
        ("补贴期限（年）", 1e6, "大得不合理"),
        ("长期失业认定月数", "100000个月", "大得不合理"),
        ("公示期（工作日）", 1000, "大得不合理"),
        ("拒绝岗位次数上限", -math.inf, "不是有效的数字"),
    ],
)
def test_parameter_values_out_of_any_sane_range(name, value, words):
    problems = check_rows([[name, value, "2020-01-01", "测试文件", None]])
    assert len(problems) == 1 and words in problems[0].message, problems


def test_real_parameter_values_still_pass():
    rows = [
        ["公益性岗位补贴月标准", 800, "2020-01-01", "晋政发〔2008〕号", None],
        ["小额担保贷款最高额度", "20,000元", "2020-01-01", "依据", None],
        ["补贴期限（年）", "3年", "2020-01-01", "依据", None],
        ["公示期（工作日）", 7, "2020-01-01", "依据", None],
    ]
    assert check_rows(rows) == []


def test_two_rows_of_one_parameter_and_one_date_with_different_values():
    rows = [
        {
            "name": "公益性岗位补贴月标准",
            "value": 800,
            "effective_from": "2024-01-01",
            "source": "甲",
            "row": 5,
            "cells": {"value": "B5"},
        },  # fmt: skip
        {
            "name": "公益性岗位补贴月标准",
            "value": 900,
            "effective_from": "2024-01-01",
            "source": "乙",
            "row": 9,
            "cells": {"value": "B9"},
        },  # fmt: skip
        {
            "name": "公益性岗位补贴月标准",
            "value": 900,
            "effective_from": "2025-01-01",
            "source": "丙",
            "row": 10,
            "cells": {"value": "B10"},
        },  # fmt: skip
        {
            "name": "补贴期限（年）",
            "value": 3,
            "effective_from": "2024-01-01",
            "source": "丁",
            "row": 11,
        },  # fmt: skip
        {
            "name": "补贴期限（年）",
            "value": "3年",
            "effective_from": "2024-01-01",
            "source": "戊",
            "row": 12,
        },  # fmt: skip
    ]
    problems = check_rows(rows)
    assert len(problems) == 1, problems
    text = problems[0].text()
    assert "B5" in text and "B9" in text and "800" in text and "900" in text
    with pytest.raises(InputError, match="同一生效日期"):
        raise_problems(rows)


# ---------------------------------------------------------------- safe writes


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path):
    old = tmp_path / "~jyyz-abcd1234.xlsx.tmp"
    young = tmp_path / "~jyyz-efgh5678.xlsx.tmp"
    theirs = tmp_path / "~jyyz-notes.txt"
    clerk = tmp_path / "~$台账.xlsx"
    for p in (old, young, theirs, clerk):
        p.write_bytes(b"personal data")
    past = time.time() - safe_files.STALE_AFTER_SECONDS - 60
    for p in (old, theirs, clerk):
        os.utime(p, (past, past))
    safe_files._swept.discard(os.path.abspath(tmp_path))
    safe_files.write_bytes_safely(tmp_path / "a.docx", b"x")
    assert not old.exists()
    assert young.exists() and theirs.exists() and clerk.exists()


def test_the_register_key_is_never_readable_by_others(tmp_path, monkeypatch):
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(os, "umask", os.umask)  # keep the real umask
    old_umask = os.umask(0o022)
    seen = []
    real_replace, real_link = os.replace, os.link

    def spy(real):
        def put_in_place(src, dst, *a, **kw):
            seen.append((Path(dst).name, stat.S_IMODE(os.stat(src).st_mode)))
            return real(src, dst, *a, **kw)

        return put_in_place

    # the key takes its name by a hard link (made once) or a rename
    monkeypatch.setattr(os, "replace", spy(real_replace))
    monkeypatch.setattr(os, "link", spy(real_link))
    try:
        register.register_key()
    finally:
        os.umask(old_umask)
    assert (register.KEY_FILE, 0o600) in seen
    assert stat.S_IMODE((tmp_path / "home" / register.KEY_FILE).stat().st_mode) == 0o600


def test_content_is_on_the_disk_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst, *a, **kw):
        events.append(("replace", os.fspath(src)))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with safe_files.safe_replace(tmp_path / "a.xlsx") as tmp:
        tmp.write_bytes(b"written by a library that never fsyncs")
    renamed = next(i for i, e in enumerate(events) if e[0] == "replace")
    src = events[renamed][1]
    assert ("fsync", src) in events[:renamed]
