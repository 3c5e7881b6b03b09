"""Synthetic departments: valid, realistic data files that follow a format and its identities.

Each format pack generates its own (``formats/<id>/synth.py``: ``department(rng, index, missing)``);
this module holds the shared helpers and writes many of them.

Tests and benchmarks need many departments unlike the reference one: a handful of 项 rows or
every code of the list, no 政府性基金 or 国有资本经营 at all, zero budgets, 事业收入 and
其他收入, 元 precision.  Each is built so that the checker's error-level relations hold exactly
(tables.md §3): amounts are drawn in whole 元 (or whole 分 of 万元) and every total is split
into parts that add up exactly, so, for nmg-2023,

- 表5 per 项 = 基本 + 项目; 表5 合计基本 = 表6 人员经费 + 公用经费; 表5 合计项目 = 表7 合计;
- per fund 年初 + 本年收入 = 本年支出 + 年末 (表4, and 表8 per 项);
- 表1 收入总计 = 支出总计 (fiscal and non-fiscal money each balance);
- 表2 财政拨款收入 (Σ) = 表4 本年收入合计; 表3 per 项 ≥ 表5 + 表8 + 表9;
- 表10 决算 = 表6 + 表7 30212 / 30217 / 30231 / 31013; 表11 机构运行经费 = 表6 公用经费合计;
- 上年决算 balances both ways and its 年末 is this year's 年初; every empty public table's 注 says so.

Example: ``synth_department(random.Random(7), 7)`` → a dict that ``data_file.book_from_data``
accepts; ``write_synth(50, "out", seed=1)`` writes ``out/dept-0001.json`` … ``dept-0050.json``.
"""

from __future__ import annotations

import argparse
import os
import random
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.data_file import dumps
from juesuan.formats import DEFAULT_FORMAT, get_pack

YUAN_PER_WAN = 10_000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅宏彦志鹏海燕建国文斌俊峰晓东亮"


# ── small helpers ────────────────────────────────────────────────────────────────────────
def wan(yuan: int) -> Decimal:
    """Whole 元 → 万元 as an exact Decimal (``12345`` → ``1.2345``)."""
    return (Decimal(yuan) / YUAN_PER_WAN).normalize() if yuan else Decimal(0)


def split(rng: random.Random, total: int, n: int, unit: int = 1, zeros: float = 0.0) -> list[int]:
    """``total`` split into ``n`` non-negative multiples of ``unit`` that add up exactly.

    ``zeros`` is the chance of a part being zero (at least one part stays positive when
    ``total`` is).  ``total`` must be a multiple of ``unit``.
    """
    if n <= 0:
        return []
    units = total // unit
    weights = [0.0 if rng.random() < zeros else rng.expovariate(1.0) for _ in range(n)]
    if not any(weights):
        weights[rng.randrange(n)] = 1.0
    s = sum(weights)
    parts = [int(units * w / s) for w in weights]
    rest = units - sum(parts)
    live = [i for i, w in enumerate(weights) if w > 0]
    for k in range(rest):
        parts[live[k % len(live)]] += 1
    return [p * unit for p in parts]


def amount(rng: random.Random, mean_yuan: float, unit: int) -> int:
    """A positive amount around ``mean_yuan`` (log-normal), a multiple of ``unit``."""
    value = rng.lognormvariate(0, 0.8) * mean_yuan
    return max(unit, int(value) // unit * unit)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def synth_department(rng: random.Random, index: int, missing: bool = False,
                     format_id: str = DEFAULT_FORMAT, yuan: bool = False) -> dict[str, Any]:
    """One synthetic department's data file of ``format_id`` (a dict ``data_file.book_from_data`` accepts).

    ``index`` varies the profile deterministically (every 17th has every code of the list,
    every 4th a 政府性基金, every 8th a 国有资本经营 …); ``rng`` draws the rest.  ``missing``
    leaves some 上年决算 figures and 变动原因 texts out on purpose (the checker's S-8 cases).
    ``yuan``: every amount in whole 元 (元 precision, what 舍位平衡 is for).
    """
    if yuan:
        return get_pack(format_id).synth.department(rng, index, missing, yuan=True)
    return get_pack(format_id).synth.department(rng, index, missing)


def write_synth(n: int, out_dir: str | Path, seed: int | str = 0, missing_every: int = 0,
                format_id: str = DEFAULT_FORMAT, yuan: bool = False) -> list[Path]:
    """Write ``n`` departments of ``format_id`` as ``out_dir/dept-0001.json`` …; ``missing_every`` k:
    every k-th has gaps; ``yuan``: every amount in whole 元."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        rng = random.Random(f"{seed}:{i}")  # one stream per department: any subset reproduces
        missing = bool(missing_every) and i % missing_every == 0
        path = out / f"dept-{i:04d}.json"
        data = synth_department(rng, i, missing=missing, format_id=format_id, yuan=yuan)
        path.write_text(dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def _filled_workbook(job: tuple[int, str, str, bool]) -> str:
    from juesuan.book_io import new_book
    from juesuan.data_file import book_from_data

    index, seed, out_dir, missing = job
    data = synth_department(random.Random(f"{seed}:{index}"), index, missing=missing)
    path = Path(out_dir) / f"dept-{index:04d}.xlsx"
    new_book(book_from_data(data), path)
    return str(path)


def write_synth_workbooks(n: int, out_dir: str | Path, seed: int | str = 0, jobs: int | None = None) -> list[Path]:
    """``n`` synthetic departments written as filled workbooks ``dept-0001.xlsx`` … (in parallel).

    The same (seed, index) gives the same department as :func:`write_synth`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = [(i, str(seed), str(out), False) for i in range(1, n + 1)]
    jobs = jobs or min(4, os.cpu_count() or 1)
    if jobs <= 1 or n <= 2:
        return [Path(_filled_workbook(w)) for w in work]
    from juesuan.xlformula import parse

    parse("=SUM(A1)")  # load the formula parser once, before the workers fork
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [Path(p) for p in pool.map(_filled_workbook, work, chunksize=max(1, n // (4 * jobs)))]


def run_synth(args: argparse.Namespace) -> int:
    """``juesuan synth --n N -o DIR [--seed S] [--format ID] [--yuan]`` (called by the batch command module)."""
    paths = write_synth(args.n, args.output, getattr(args, "seed", 0) or 0,
                        format_id=getattr(args, "format", None) or DEFAULT_FORMAT, yuan=getattr(args, "yuan", False))
    print(f"已生成 {len(paths)} 个合成部门数据文件 wrote {len(paths)} synthetic departments to {args.output}")
    return 0


__all__ = ["synth_department", "write_synth", "write_synth_workbooks", "run_synth", "split", "wan"]
