"""``juesuan batch`` also writes summary_figures.xlsx: every department's key figures side by side."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from juesuan.batch.figures import RATE, RULES_SHEET, SHEET
from juesuan.batch.runner import run_batch
from juesuan.formats import load_format
from juesuan.frames import frame
from juesuan.roles import roles_for
from juesuan.synth import write_synth


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("figures")
    write_synth(4, root / "in", seed=11, missing_every=2)  # every 2nd leaves reasons out: S-8 warnings
    (root / "in" / "corrupt.json").write_text("{不是 JSON", encoding="utf-8")
    run_batch(root / "in", root / "out", jobs=1, narrate=False)
    return root / "out"


def test_the_key_figures_are_the_cells_of_each_workbook(out: Path) -> None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["figures_workbook"] == "summary_figures.xlsx"
    sheet = pd.read_excel(out / "summary_figures.xlsx", sheet_name=SHEET, engine="openpyxl")
    assert list(sheet["文件"]) == ["corrupt", "dept-0001", "dept-0002", "dept-0003", "dept-0004"]
    key_figures = roles_for(load_format("nmg-2023")).key_figures
    cells = frame(sorted(out.glob("dept-*.xlsx")))  # an independent reading of the workbooks
    for d in summary["departments"]:
        if d["status"] == "failed":
            assert d["figures"] == {}
            continue
        mine = cells[cells.file == f"{d['name']}.xlsx"]
        for name, (t, r, c) in key_figures.items():
            stored = mine[(mine.table == t) & (mine.row == r) & (mine.column == c)].value.iloc[0]
            assert Decimal(d["figures"][name]) == stored, (d["name"], name)
            row = sheet[sheet["文件"] == d["name"]].iloc[0]
            assert abs(row[name] - float(stored)) < 1e-6


def test_the_sangong_completion_rate_is_spent_over_budget(out: Path) -> None:
    sheet = pd.read_excel(out / "summary_figures.xlsx", sheet_name=SHEET, engine="openpyxl").dropna(subset=["三公经费预算数"])
    with_budget = sheet[sheet["三公经费预算数"] > 0]
    assert len(with_budget) >= 2
    expected = (with_budget["三公经费决算数"] / with_budget["三公经费预算数"] * 100).round(2)
    assert (with_budget[RATE] - expected).abs().max() < 1e-9


def test_findings_are_counted_by_rule_and_the_chart_is_there(out: Path) -> None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rules = pd.read_excel(out / "summary_figures.xlsx", sheet_name=RULES_SHEET, engine="openpyxl").set_index("文件")
    warned = [d for d in summary["departments"] if d["counts"].get("warning")]
    assert warned  # the departments with reasons left out
    for d in summary["departments"]:
        if d["status"] == "failed":
            continue
        assert sum(d["rules"].values()) == d["counts"]["error"] + d["counts"]["warning"]
        for rule, n in d["rules"].items():
            assert rules.loc[d["name"], rule] == n
    ws = openpyxl.load_workbook(out / "summary_figures.xlsx")[SHEET]
    assert len(ws._charts) == 1
