"""The local service (``jyyz serve``) against the same work done in-process.

Starts a real ``jyyz serve --no-browser`` (its own state folder) and measures,
through HTTP on 127.0.0.1 as the add-ins call it:

1. a one-row worksheet-function call (JY_CATEGORY with a header row and one
   data row, and JY_ID), keep-alive connection, median of many round trips —
   what an add-in pays per cell; goal ≤ 30 ms;
2. JY_ASSESS over a whole ledger (default 100,000 rows) through
   ``POST /api/v1/functions/JY_ASSESS`` (JSON encoding both ways included; the
   client encodes with orjson when installed, as an add-in's native JSON.stringify
   would) against the same call in this process; goal ≤ 1.3×;
3. a ledger file (default 100,000 rows) uploaded → filled → downloaded through
   ``POST /api/v1/jobs`` against ``jyyz fill`` on the same file (both as the
   clerk runs them: the command's wall time includes its start); goal ≤ 1.3×.

    python bench/bench_service.py                  # 100,000 rows
    python bench/bench_service.py --rows 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

GOAL_CALL_MS = 30.0
GOAL_RATIO = 1.3
AS_OF = dt.date(2026, 11, 22)
EPOCH = dt.date(1899, 12, 30)
JYYZ = str(Path(sys.executable).with_name("jyyz"))


def serial(d: dt.date) -> float:
    return float((d - EPOCH).days)


def table(rows: int) -> list[list]:
    """A ledger as Value2 gives it: a header row, then rows, dates as serials."""
    from calc.fields import header_of
    from calc.synthetic import ledger

    frame = ledger(rows, seed=5)
    head = [header_of(c) for c in frame.columns]
    body = frame.astype(object).where(frame.notna(), None).values.tolist()
    return [head, *body]


def start(home: str) -> tuple[subprocess.Popen, dict]:
    env = {**os.environ, "JYYZ_HOME": home, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [JYYZ, "serve", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
    )
    proc.stdout.readline()
    info = json.loads(Path(home, "service.json").read_text(encoding="utf-8"))
    return proc, info


try:  # a native JSON codec, as an add-in's JavaScript (JSON.stringify/parse) has
    import orjson

    def _encode(data: object) -> bytes:
        return orjson.dumps(data)

    _decode = orjson.loads
except ImportError:  # pragma: no cover

    def _encode(data: object) -> bytes:
        return json.dumps(data).encode("utf-8")

    _decode = json.loads


class Client:
    """One keep-alive HTTP connection, as an add-in keeps one."""

    def __init__(self, info: dict):
        self.conn = http.client.HTTPConnection("127.0.0.1", info["port"], timeout=3600)
        self.headers = {"X-JYYZ-Token": info["token"], "Content-Type": "application/json"}

    def post(self, path: str, data: object) -> dict:
        self.conn.request("POST", path, _encode(data), self.headers)
        r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status} {body[:300]!r}")
        return _decode(body)

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        return r.status, r.read()


def bench_call(c: Client, data: list[list], repeat: int) -> float:
    head, row = data[0], data[1]
    cases = {
        "JY_CATEGORY（表头+一行）": ("JY_CATEGORY", ["SX-2008", [head], [row], serial(AS_OF)]),
        "JY_ID（一个单元格）": ("JY_ID", [row[head.index("公民身份号码")]]),
    }
    from xl_addin import functions as fm

    worst = 0.0
    for label, (name, args) in cases.items():
        c.post(f"/api/v1/functions/{name}", {"args": args})  # warm
        f = getattr(fm, name.lower())
        f(*args)
        times, local = [], []
        for _ in range(repeat):  # interleaved, so a busy machine weighs on both alike
            t0 = time.perf_counter()
            c.post(f"/api/v1/functions/{name}", {"args": args})
            times.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            f(*args)
            local.append((time.perf_counter() - t0) * 1000)
        med, own = statistics.median(times), statistics.median(local)
        worst = max(worst, med)
        print(
            f"{label}：往返中位数 {med:.1f} ms（本进程计算 {own:.1f} ms，接口开销 {med - own:.1f} ms），"
            f"最慢 {max(times):.1f} ms（{repeat} 次）"
        )
    print(f"目标 ≤ {GOAL_CALL_MS:.0f} ms：{'达到' if worst <= GOAL_CALL_MS else '未达到'}")
    return worst


def bench_assess(c: Client, data: list[list]) -> float:
    from xl_addin import functions as fm

    args = ["SX-2008", data, serial(AS_OF)]
    t0 = time.perf_counter()
    local = fm.jy_assess(*args)
    inproc = time.perf_counter() - t0
    c.conn.close()  # idle longer than the keep-alive: the next request opens a new connection
    t0 = time.perf_counter()
    got = c.post("/api/v1/functions/JY_ASSESS", {"args": args})["value"]
    api = time.perf_counter() - t0
    assert len(got) == len(local) and got[0] == local[0], (got[:2], local[:2])
    ratio = api / inproc
    n = len(data) - 1
    print(f"JY_ASSESS {n:,} 行：本进程 {inproc:.2f} 秒，经接口 {api:.2f} 秒，{ratio:.2f} 倍")
    print(f"目标 ≤ {GOAL_RATIO} 倍：{'达到' if ratio <= GOAL_RATIO else '未达到'}")
    return ratio


def _multipart(path: Path, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----jyyzbench" + os.urandom(8).hex()
    parts = []
    for k, v in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="ledger"; filename="ledger.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = b"".join(parts) + head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def bench_upload(c: Client, src: Path, tmp: Path) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(
        [JYYZ, "fill", str(src), "-o", str(tmp / "cli.xlsx"), "--policy", "SX-2008",
         "--as-of", AS_OF.isoformat()],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    cli = time.perf_counter() - t0
    if out.returncode:
        raise SystemExit(out.stderr)
    c.conn.close()
    t0 = time.perf_counter()
    body, ctype = _multipart(src, {"kind": "fill", "policy": "SX-2008", "as_of": AS_OF.isoformat()})
    c.conn.request("POST", "/api/v1/jobs", body, {**c.headers, "Content-Type": ctype})
    r = c.conn.getresponse()
    job = json.loads(r.read())["job"]
    while True:
        _, data = c.get(f"/api/v1/jobs/{job}")
        status = json.loads(data)
        if status["state"] != "running":
            break
        time.sleep(0.1)
    if status["state"] != "done":
        raise SystemExit(status["message"])
    code, content = c.get(status["files"][0]["url"])
    (tmp / "api.xlsx").write_bytes(content)
    api = time.perf_counter() - t0
    ratio = api / cli
    print(
        f"上传→填写→下载 {src.stat().st_size / 1e6:.1f} MB：jyyz fill {cli:.2f} 秒，"
        f"经服务 {api:.2f} 秒，{ratio:.2f} 倍"
    )
    print(f"目标 ≤ {GOAL_RATIO} 倍：{'达到' if ratio <= GOAL_RATIO else '未达到'}")
    return ratio


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="本机服务（jyyz serve）基准测试")
    ap.add_argument("--rows", type=int, default=100_000, help="台账行数（默认 100000）")
    ap.add_argument("--repeat", type=int, default=50, help="单行调用的次数（默认 50）")
    args = ap.parse_args(argv)
    from bench_fill import make_ledger

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        proc, info = start(str(tmp_path / "home"))
        try:
            c = Client(info)
            bench_call(c, table(2), args.repeat)  # before the big table is in memory
            data = table(args.rows)
            bench_assess(c, data)
            del data
            src = tmp_path / f"台账_{args.rows}.xlsx"
            make_ledger(str(src), args.rows)
            bench_upload(c, src, tmp_path)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
