"""The batch's caches never leak one department into another: same outputs in any order.

The batch remembers work across departments in a worker process (memoised name matching and
text spans of the audit engine, cell kinds and rule ids per format, the narrative per book, the
writer's label and formula caches).  Each department must come out exactly as if it were the
only one: two fresh processes run the same departments of both formats (nmg-2023 with missing
cells, national-2023) in opposite orders, and every finding (rule, severity, message, cells,
quotes, figures), every outcome field and every workbook part (uncompressed, core.xml's time
stamp aside) must agree.  ``bench/batch_equal.py`` (the harness this uses) also compares a run
against a dump made with another version of the code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.synth import write_synth

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "bench" / "batch_equal.py"


def _run(src: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, str(HARNESS), "run", str(src), str(out)], check=True, env=env, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))["run"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    root = tmp_path_factory.mktemp("equal")
    files = write_synth(5, root / "synth-nmg", seed=11, missing_every=3)
    files += write_synth(3, root / "synth-national", seed=12, format_id="national-2023")
    forward, backward = root / "forward", root / "backward"
    forward.mkdir()
    backward.mkdir()
    names = [f"{f.parent.name}-{f.stem}" for f in files]
    for i, (f, name) in enumerate(zip(files, names)):
        (forward / f"{i:02d}-{name}.json").write_bytes(f.read_bytes())
        (backward / f"{len(files) - 1 - i:02d}-{name}.json").write_bytes(f.read_bytes())

    def by_name(result: dict) -> dict:
        return {k.split("-", 1)[1]: v for k, v in result.items()}

    return by_name(_run(forward, root / "forward.json")), by_name(_run(backward, root / "backward.json"))


def test_every_department_has_the_same_findings_in_either_order(runs: tuple[dict, dict]) -> None:
    a, b = runs
    assert sorted(a) == sorted(b) and len(a) == 8
    assert sum(len(v["findings"]) for v in a.values()) > 0
    for name in a:
        assert a[name]["findings"] == b[name]["findings"], name
        assert {**a[name]["outcome"], "name": ""} == {**b[name]["outcome"], "name": ""}, name


def test_every_workbook_part_is_the_same_in_either_order(runs: tuple[dict, dict]) -> None:
    a, b = runs
    for name in a:
        assert a[name]["parts"] and a[name]["parts"] == b[name]["parts"], name
