"""The document register never loses a paper: numbers under a lock, written ahead.

Hostile runs against the real ``jyyz docs`` command: two runs into one folder
at once, two communities of one ledger at once (one folder and two folders),
Ctrl-C (SIGINT) at random points of a run, a disk that fills up. After each,
every paper in the folder has exactly one register line, every line its
paper, and no number is given twice — per office and year, across folders.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calc.errors import InputError
from doc_templates import register
from workbooks import sample_path
from xl_addin import jobs

ROOT = Path(__file__).resolve().parents[1]
PAPER = re.compile(r"^协议书_.*\.docx$")


def _ledger(tmp_path: Path) -> Path:
    dst = tmp_path / "台账.xlsx"
    shutil.copyfile(sample_path("SX-2008"), dst)
    return dst


def _lines(folder: Path) -> list[dict[str, str]]:
    path = folder / register.REGISTER_NAME
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _papers(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if PAPER.match(p.name)} if folder.exists() else set()


def assert_register_is_the_papers(folder: Path) -> list[dict[str, str]]:
    if not folder.exists():
        return []
    lines = _lines(folder)
    files = [r["文件"] for r in lines]
    assert len(files) == len(set(files)), "one paper on two lines"
    assert set(files) == _papers(folder), "register lines ≠ papers in the folder"
    assert {r["状态"] for r in lines} <= {register.VALID, register.REPLACED}
    numbers = [r["编号"] for r in lines]
    assert len(numbers) == len(set(numbers)), "one number given twice"
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    return lines


def _docs_cmd(ledger: Path, out: Path, *extra: str) -> list[str]:
    code = "import sys; from xl_addin.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, "docs", str(ledger), "--kind", "协议书", "-o", str(out), *extra]  # fmt: skip


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "JYYZ_HOME": str(home), "PYTHONPATH": str(ROOT)}


def test_concurrent_docs_runs_into_one_folder_and_two_communities(tmp_path):
    ledger = _ledger(tmp_path)
    home = tmp_path / "home"
    one, other = tmp_path / "文书", tmp_path / "文书2"
    runs = [
        _docs_cmd(ledger, one),
        _docs_cmd(ledger, one),
        _docs_cmd(ledger, one, "--where", "社区=双塔社区"),
        _docs_cmd(ledger, other, "--where", "社区=巨轮社区"),
    ]
    procs = [
        subprocess.Popen(c, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in runs
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_o, e) in zip(procs, outs, strict=True):
        assert p.returncode == 0, e.decode()
    lines = assert_register_is_the_papers(one)
    assert len(lines) > 50
    # every person once in the folder (the second run found the first one's papers)
    assert len({r["登记键"] for r in lines}) == len(lines)
    theirs = assert_register_is_the_papers(other)
    assert theirs
    # unique per office and year, not per folder
    assert not {r["编号"] for r in lines} & {r["编号"] for r in theirs}


_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line \d+, in (?P<where>.+)$', re.M)


def _interrupted_before_main(returncode: int, out_text: bytes, err: bytes) -> bool:
    if out_text or returncode not in (-signal.SIGINT, 1):
        return False
    if not err:
        return returncode == -signal.SIGINT
    text = err.decode(errors="replace")
    frames = _FRAME.findall(text)
    return (
        text.rstrip().endswith("KeyboardInterrupt")
        and "已取消" not in text
        and all(where == "<module>" or "<frozen" in file for file, where in frames)
    )


def _interrupted_after_main(returncode: int, out_text: bytes, err: bytes) -> bool:
    """The run had ended (its report printed, which main() does last) and the signal reached
    the interpreter as it shut down, when Python has given Ctrl-C back to the system's default
    handler: killed silently. Inside main() the same signal ends with “已取消。” and 130."""
    report = out_text.decode(errors="replace")
    return (
        returncode == -signal.SIGINT
        and not err
        and bool(re.search(r"协议书：\d+ 份，写入", report))
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_ctrl_c_at_a_random_point_leaves_register_equal_to_papers(tmp_path, seed):
    ledger = _ledger(tmp_path)
    home = tmp_path / "home"
    out = tmp_path / "文书"
    rng = random.Random(seed)
    proc = subprocess.Popen(
        _docs_cmd(ledger, out), env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # seeds 1–2 anywhere in the run (imports, reading, numbering); 3–4 while papers are written
    if seed > 2:
        deadline = time.monotonic() + 120
        while not _papers(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.6))
    else:
        time.sleep(rng.uniform(0.5, 4.0))
    proc.send_signal(signal.SIGINT)
    out_text, err = proc.communicate(timeout=120)
    if proc.returncode not in (0, 130) and not _interrupted_after_main(
        proc.returncode, out_text, err
    ):
        # Only a process that had not yet reached jyyz's main() may end otherwise: killed
        # before the interpreter had its own Ctrl-C handler (no output at all), or a
        # KeyboardInterrupt while Python was still starting up or importing the CLI module
        # (every frame at module level). Nothing may have been written.
        assert _interrupted_before_main(proc.returncode, out_text, err), err.decode()
        assert not out.exists()
    if proc.returncode == 130:
        assert "已取消" in err.decode()
    before = assert_register_is_the_papers(out)
    # a later run completes the batch: the papers made keep their numbers, nothing twice
    r = subprocess.run(_docs_cmd(ledger, out), env=_env(home), capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()
    after = assert_register_is_the_papers(out)
    kept = {x["文件"]: x["编号"] for x in after}
    assert all(kept[x["文件"]] == x["编号"] for x in before)


def _tiny_fs(tmp_path: Path, size: str) -> Path:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True
    )
    if r.returncode != 0:
        pytest.skip("无法挂载小容量 tmpfs（需要 root 且允许 mount）：" + r.stderr.decode()[:200])
    return mnt


def test_disk_full_during_docs_reuses_no_number(tmp_path):
    ledger = _ledger(tmp_path)
    mnt = _tiny_fs(tmp_path, "400k")
    out = mnt / "文书"
    try:
        with pytest.raises(InputError, match="磁盘空间不足"):
            jobs.docs(ledger, "协议书", out)
        made = {e.file: e.number for e in register.Register(out / register.REGISTER_NAME).entries}
        assert set(made) == _papers(out) and made  # settled: a line for each paper, no more
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)
        jobs.docs(ledger, "协议书", out)
        final = assert_register_is_the_papers(out)
        for line in final:
            if line["文件"] in made:  # a paper of the first run keeps its number
                assert made[line["文件"]] == line["编号"]
            else:  # a paper of the second run: a number no paper carried before
                assert line["编号"] not in made.values()
        by_office: dict[str, list[int]] = {}  # each office (number prefix) numbers on its own
        for x in final:
            by_office.setdefault(x["编号"].split("〔")[0], []).append(int(x["序号"]))
        for seqs in by_office.values():  # no gap: numbers without paper went back
            assert sorted(seqs) == list(range(1, len(seqs) + 1))
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_numbers_are_per_office_not_per_folder(tmp_path):
    ledger = _ledger(tmp_path)
    a = jobs.docs(ledger, "协议书", tmp_path / "一", where=["社区=双塔社区"])
    b = jobs.docs(ledger, "协议书", tmp_path / "二", where=["社区=双塔社区"])
    first = {r["编号"] for r in _lines(a.out_dir)}
    second = {r["编号"] for r in _lines(b.out_dir)}
    assert first and second and not first & second


def test_a_register_saved_again_by_excel_in_gbk_is_read(tmp_path):
    ledger = _ledger(tmp_path)
    out = tmp_path / "文书"
    jobs.docs(ledger, "协议书", out, rows="1-40")
    reg = out / register.REGISTER_NAME
    before = _lines(out)
    reg.write_bytes(reg.read_text(encoding="utf-8-sig").encode("gbk"))  # Excel, Chinese PC
    again = jobs.docs(ledger, "协议书", out, rows="1-40")
    assert again.unchanged == len(before)
    assert reg.read_bytes().startswith(b"\xef\xbb\xbf")  # written back as UTF-8
    assert _lines(out) == before
    reg.write_bytes(b"\xff\xfe\x00\xd8garbage\x81")
    with pytest.raises(InputError, match="编码无法识别"):
        jobs.docs(ledger, "协议书", out, rows="1-40")


def test_key_mismatch_advises_copying_the_key_not_another_folder(tmp_path, monkeypatch):
    ledger = _ledger(tmp_path)
    out = tmp_path / "文书"
    jobs.docs(ledger, "协议书", out, rows="1-20")
    monkeypatch.setenv("JYYZ_HOME", str(tmp_path / "another-pc"))
    with pytest.raises(InputError) as info:
        jobs.docs(ledger, "协议书", out, rows="1-20")
    text = info.value.message
    assert "换一个输出文件夹，以免" not in text
    assert (
        register.KEY_FILE in text
        and register.COUNTER_FILE in text
        and "不要换一个输出文件夹" in text
    )


def test_a_killed_run_leaves_making_lines_that_the_next_run_settles(tmp_path):
    ledger = _ledger(tmp_path)
    out = tmp_path / "文书"
    jobs.docs(ledger, "协议书", out, rows="1-30")
    lines = _lines(out)
    # as a run killed between its write-ahead line and its paper leaves the register
    ghost = dict(
        lines[0],
        编号="协议〔2099〕0001号",
        文件="协议书_无_鬼_2099-0001.docx",
        状态=register.MAKING,
    )
    made = dict(lines[1], 状态=register.MAKING)
    rows = [ghost if i == 0 else made if i == 1 else r for i, r in enumerate(lines)]
    rows = [lines[0], *rows[1:], ghost]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=register.COLUMNS, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    torn = "协议〔2099〕0002号,协议书,半行".encode()  # an append cut short by kill -9
    (out / register.REGISTER_NAME).write_bytes(buf.getvalue().encode("utf-8-sig") + torn)
    jobs.docs(ledger, "协议书", out, rows="1-30")
    after = assert_register_is_the_papers(out)
    assert "协议〔2099〕0001号" not in {r["编号"] for r in after}
    assert {r["编号"] for r in after} == {r["编号"] for r in lines}


def test_the_register_lock_is_held_by_a_run(tmp_path):
    """A second run waits for the lock; with no time to wait it stops in Chinese."""
    from filelock import FileLock

    ledger = _ledger(tmp_path)
    out = tmp_path / "文书"
    out.mkdir()
    with FileLock(str(out / register.LOCK_NAME)):
        code = (
            "import sys; from doc_templates import register; register.LOCK_WAIT_SECONDS = 0.5\n"
            "from xl_addin.cli import main; sys.exit(main(sys.argv[1:]))"
        )
        cmd = [sys.executable, "-c", code, "docs", str(ledger), "--kind", "协议书", "-o", str(out), "--rows", "1-20"]  # fmt: skip
        r = subprocess.run(cmd, env=_env(tmp_path / "home"), capture_output=True, timeout=300)
    assert r.returncode == 2
    assert "正被另一个生成文书的程序使用" in r.stderr.decode()
    assert not _papers(out)


def _issue_for(reg: register.Register, who: str) -> str:
    issued = reg.issue(
        "协议书",
        who,
        2026,
        target=who,
        date="2026-03-01",
        summary="",
        fingerprint=who,
        file_for=lambda n: f"{who}.docx",
    )
    (reg.papers_dir / issued.entry.file).write_bytes(b"paper")
    return issued.entry.number


def test_each_office_numbers_on_its_own_in_one_folder(tmp_path):
    """Several offices sharing one folder's register: one office's numbers never push
    another's on (the counter floor is kept per office prefix, not per kind and year)."""
    path = tmp_path / register.REGISTER_NAME
    reg = register.Register(path, prefixes={"协议书": "柳巷援协"}, key=b"k" * 32)
    with reg.session():
        assert [_issue_for(reg, f"甲{i}") for i in range(3)] == [
            "柳巷援协〔2026〕1号",
            "柳巷援协〔2026〕2号",
            "柳巷援协〔2026〕3号",
        ]
        reg.prefixes["协议书"] = "桥东援协"  # the next paper is the other office's
        assert _issue_for(reg, "乙0") == "桥东援协〔2026〕1号"
        reg.save()
    # read back from the disk: each office goes on from its own last number
    again = register.Register(path, prefixes={"协议书": "桥东援协"}, key=b"k" * 32)
    with again.session():
        assert _issue_for(again, "乙1") == "桥东援协〔2026〕2号"
        again.prefixes["协议书"] = "柳巷援协"
        assert _issue_for(again, "甲9") == "柳巷援协〔2026〕4号"
        again.save()
