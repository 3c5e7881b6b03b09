"""Benchmark of ``juesuan serve``: the reference workbook's round trip through the service.

    PYTHONPATH=src python bench/service.py [--repeat 5]

Starts the service as its own process on a free port (its folder in a temporary HOME), writes
the reference case (``juesuan new --data …/nmg-2023-reference.json``) and sends what the WPS
add-in sends: the snapshot of every sheet (values and formulas).  For 填充, 校验 and 生成说明 it
prints the best and the median of ``--repeat`` round trips, client side (HTTP, the service's
copy of the snapshot, the pipeline, the diff, the answer decoded; the snapshot is read and encoded
once beforehand, as WPS reads its own cells), after one warm-up request each; and the browser
page's upload (fill, check, narrate, no export) likewise.  The service's own CPU time per request
(``seconds.cpu`` in its answer) is printed beside: on a shared machine the wall time also counts
other processes' turns.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.service import snapshot  # noqa: E402
from reference_book import reference_workbook, repeat_option  # noqa: E402  (bench/reference_book.py)


def post(base: str, token: str, path: str, body: bytes) -> dict:
    req = urllib.request.Request(base + path, data=body, method="POST", headers={"X-Juesuan-Token": token})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def main() -> None:
    args = repeat_option()
    with tempfile.TemporaryDirectory() as tmp:
        book = reference_workbook(Path(tmp))
        env = {**os.environ, "HOME": tmp, "PYTHONPATH": str(ROOT / "src")}
        env.pop("JUESUAN_HOME", None)
        proc = subprocess.Popen([sys.executable, "-m", "juesuan.cli", "serve", "--port", "0"], env=env,
                                stdout=subprocess.PIPE, text=True, encoding="utf-8")
        try:
            m = None
            while m is None:
                line = proc.stdout.readline()  # type: ignore[union-attr]
                if not line:
                    raise SystemExit("the service did not start")
                m = re.search(r"(http://127\.0\.0\.1:\d+)/s/([A-Za-z0-9_-]+)/", line)
            base, token = m.group(1), m.group(2)
            print(f"reference workbook through {base} ({os.cpu_count()} cores), best / median of {args.repeat}")
            body = json.dumps(snapshot.from_file(book), ensure_ascii=False).encode("utf-8")
            for command in ("fill", "check", "narrate"):
                def once() -> dict:
                    return post(base, token, f"/api/snapshot/{command}", body)

                answer = once()
                times, cpu = [], []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    answer = once()
                    times.append(time.perf_counter() - t)
                    cpu.append(answer["seconds"]["cpu"])
                print(f"  {command:8s} round trip {min(times):.3f} s / {statistics.median(times):.3f} s, "
                      f"service CPU {statistics.median(cpu):.3f} s ({answer['counts']['cells']} cells in the edits)")
            data = book.read_bytes()
            post(base, token, "/api/upload?name=reference.xlsx&export=0", data)
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                post(base, token, "/api/upload?name=reference.xlsx&export=0", data)
                times.append(time.perf_counter() - t)
            print(f"  upload   fill+check+narrate {min(times):.3f} s / {statistics.median(times):.3f} s")
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
