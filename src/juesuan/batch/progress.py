"""Progress of a batch: a bar on a terminal, plain lines in a log (and always in OUT/batch.log).

On a terminal (stderr is a tty) one line is redrawn: ``[#####-----] 120/200  38.2 个/s  剩余 2s``.
Otherwise — a cron job, a CI log, a pipe — each department gets one line, so the log reads
afterwards::

    [120/200] dept-0120 通过 ok (错误 0，警告 3)
    [121/200] bad 失败 failed: 文件「bad.json」：数据文件不是有效的 JSON…

``OUT/batch.log`` gets the plain lines of every run (appended, one header per run), and the
traceback of any internal error.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import TextIO

from juesuan.batch.job import Outcome

STATUS_ZH = {"ok": "通过 ok", "errors": "有错误 errors", "failed": "失败 failed"}
BAR = 30


def describe(o: Outcome) -> str:
    """One line about a department's outcome."""
    if o.status == "failed":
        text = f"{o.name} {STATUS_ZH['failed']}: {o.reason}"
    else:
        c = o.counts
        text = (f"{o.name} {STATUS_ZH[o.status]} (错误 error {c.get('error', 0)}，警告 warning {c.get('warning', 0)}，"
                f"提示 info {c.get('info', 0)})")
    if o.export == "ok":
        text += "，已导出 Word/PDF exported"
    elif o.export == "failed":
        text += f"；导出失败 export failed: {o.export_reason}"
    return text + ("（未变化，已跳过 unchanged, skipped）" if o.skipped else "")


class Progress:
    def __init__(self, total: int, log_path: Path | None = None, stream: TextIO | None = None,
                 tty: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.start = time.perf_counter()
        self.log: TextIO | None = None
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            self.log = open(log_path, "a", encoding="utf-8", errors="backslashreplace")
            self.log.write(f"\n=== juesuan batch {dt.datetime.now().isoformat(timespec='seconds')}: "
                           f"{total} 个输入 inputs ===\n")

    def message(self, text: str) -> None:
        """A line outside the per-department flow (start, summary)."""
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()
        if self.log:
            self.log.write(text + "\n")

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {describe(outcome)}"
        if self.log:
            self.log.write(line + "\n")
            if outcome.detail:
                self.log.write(outcome.detail)
        if self.tty:
            if outcome.status == "failed" and not outcome.skipped:
                self.stream.write("\r\033[K" + line + "\n")  # failures stay visible above the bar
            self._bar()
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _bar(self) -> None:
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        filled = int(BAR * self.done / self.total) if self.total else BAR
        self.stream.write(f"\r\033[K[{'#' * filled}{'-' * (BAR - filled)}] {self.done}/{self.total}  "
                          f"{rate:.1f} 个/s  剩余 {left:.0f}s")

    def close(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()
        if self.log:
            self.log.close()
            self.log = None
