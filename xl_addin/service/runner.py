"""Jobs of the local service: each in its own private folder, run off the request thread.

A :class:`Job` is one piece of work a clerk or an add-in asked for (fill a
ledger, check it, make papers).  It runs on a worker thread, reports
progress through the same ``progress(done, total, label)`` callable the
command line's bar uses, and keeps its files in a folder only this account
can open (mode 0700, under one private root per start).  A job's folder is
removed :data:`AFTER_DOWNLOAD` seconds after all its files were downloaded,
:data:`EXPIRY` seconds after it finished, and when the service stops.
Failures keep the jobs' Chinese message (:class:`calc.errors.InputError`);
the log names the job and the kind of failure, never the ledger's content.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calc.errors import InputError

logger = logging.getLogger("jyyz.service")

EXPIRY = 2 * 3600.0
AFTER_DOWNLOAD = 15 * 60.0
RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Job:
    id: str
    kind: str
    folder: Path
    created: float = field(default_factory=time.monotonic)
    state: str = RUNNING
    done: float = 0.0
    total: float = 1.0
    label: str = "排队中"
    message: str = ""
    #: (name the clerk sees, file in the job's folder)
    files: list[tuple[str, Path]] = field(default_factory=list)
    #: What the page and the API show of the result (summary, table, problems …).
    result: dict[str, Any] = field(default_factory=dict)
    finished: float | None = None
    downloaded: set[int] = field(default_factory=set)
    #: The uploaded ledger (kept for papers made later from the same upload).
    source: Path | None = None
    display: str = ""
    parent: str | None = None

    def progress(self, done: float, total: float, label: str = "") -> None:
        self.done, self.total = float(done), float(total or 1)
        if label:
            self.label = label

    def status(self, url_prefix: str = "/api/v1/jobs") -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "progress": {
                "done": self.done,
                "total": self.total,
                "label": self.label,
                "seconds": round((self.finished or time.monotonic()) - self.created, 1),
            },
            "message": self.message,
            "files": [
                {"name": name, "url": f"{url_prefix}/{self.id}/files/{k}"}
                for k, (name, _) in enumerate(self.files)
            ],
        }


class Runner:
    """The jobs of one service start (see module doc)."""

    def __init__(self, workers: int = 2, expiry: float = EXPIRY):
        self.root = Path(tempfile.mkdtemp(prefix="jyyz-serve-"))  # mode 0700
        self.expiry = expiry
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jyyz-job")

    def new(self, kind: str, parent: Job | None = None) -> Job:
        self.sweep()
        folder = Path(tempfile.mkdtemp(prefix="job-", dir=self.root))  # mode 0700
        job = Job(secrets.token_hex(16), kind, folder, parent=parent.id if parent else None)
        if parent is not None:
            job.source, job.display = parent.source, parent.display
        with self._lock:
            self.jobs[job.id] = job
        return job

    def submit(self, job: Job, work: Callable[[Job], None]) -> None:
        self._pool.submit(self._run, job, work)

    def run_now(self, job: Job, work: Callable[[Job], None]) -> None:
        self._run(job, work)

    def _run(self, job: Job, work: Callable[[Job], None]) -> None:
        started = time.monotonic()
        try:
            work(job)
            job.state = DONE
            job.label = "完成"
            job.done = job.total
        except InputError as err:
            job.state, job.message = FAILED, err.describe()
        except OSError as err:
            from calc.safe_files import describe_os_error

            job.state, job.message = FAILED, describe_os_error(err, action="读写")
        except Exception as err:  # noqa: BLE001 - the clerk gets a message, never a traceback
            job.state = FAILED
            job.message = f"程序内部错误（{type(err).__name__}），请将本页面截图发给技术支持"
            logger.error("任务 %s（%s）内部错误：%s", job.id[:8], job.kind, type(err).__name__)
        finally:
            job.finished = time.monotonic()
            logger.info(
                "任务 %s（%s）%s，用时 %.1f 秒",
                job.id[:8],
                job.kind,
                "完成" if job.state == DONE else "失败",
                job.finished - started,
            )

    def get(self, job_id: str) -> Job | None:
        self.sweep()
        with self._lock:
            return self.jobs.get(job_id)

    def mark_downloaded(self, job: Job, k: int) -> None:
        job.downloaded.add(k)

    def _expired(self, job: Job, now: float) -> bool:
        if job.finished is None:
            return False
        if now - job.finished > self.expiry:
            return True
        everything = job.files and len(job.downloaded) >= len(job.files)
        children = any(j.parent == job.id and j.finished is None for j in self.jobs.values())
        return bool(everything) and not children and now - job.finished > AFTER_DOWNLOAD

    def sweep(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            gone = [j for j in self.jobs.values() if self._expired(j, now)]
            for job in gone:
                del self.jobs[job.id]
        for job in gone:
            shutil.rmtree(job.folder, ignore_errors=True)

    def remove(self, job: Job) -> None:
        with self._lock:
            self.jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)
