"""Synthetic national-2023 departments: valid data files whose error-level relations hold exactly.

Amounts are drawn in whole 元 and every total is split into parts that add up exactly, so:
表2 per 项 = 表3 per 项 (财政拨款收入 = the 一般公共预算 part, the rest 事业收入 / 其他收入);
表5 per 项 ≤ 表3 (基本 and 项目 each); 表4 一般公共预算 income = 表5 合计 (no 结转); 表5 合计基本 =
表6 人员经费 + 公用经费; 表7 决算 公务用车运行维护费 = 表6 30231; 机关运行经费 ≤ 公用经费;
表8 and 表9 empty with the 注 saying so.

Example: ``department(random.Random(7), 7)`` → a dict ``data_file.book_from_data`` accepts.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from juesuan.formats.national_2023 import (COMPARISONS, ECONOMIC_CODES, FORMAT_ID, NATIONAL_FUNCTION_CODES,
                                           PERF_MANAGEMENT, PURCHASE_TYPES, VEHICLES)

YUAN = 10_000
# 项 codes a department draws from: (code, 基本 share of its spending)
CODES = [("2010101", 0.9), ("2010102", 0.2), ("2010199", 0.0), ("2013101", 0.9), ("2050101", 0.9),
         ("2060101", 0.8), ("2070101", 0.9), ("2080501", 1.0), ("2080505", 1.0), ("2080506", 1.0), ("2101101", 1.0),
         ("2101102", 1.0), ("2110101", 0.9), ("2110301", 0.0), ("2120101", 0.9), ("2130101", 0.9), ("2130104", 0.7),
         ("2210201", 1.0), ("2210203", 1.0)]
REASONS = ["人员调整导致工资福利支出变化", "新增重点工作任务，相应增加项目经费", "严格落实过紧日子要求，压减一般性支出",
           "部分项目按进度调减经费", "上级追加专项资金"]
DEPARTMENTS = ["统计局", "档案局", "生态环境局", "林业和草原局", "气象局", "知识产权局", "审计署", "文物局"]


def wan(yuan: int) -> Decimal:
    return Decimal(yuan) / YUAN


def split(rng: random.Random, total: int, n: int) -> list[int]:
    """``total`` 元 into ``n`` non-negative parts that add up exactly."""
    if n <= 0:
        return []
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def department(rng: random.Random, index: int, missing: bool = False, yuan: bool = False) -> dict[str, Any]:
    """One department's data file (amounts always in whole 元, so ``yuan`` changes nothing)."""
    codes = sorted(rng.sample([c for c in CODES if c[0] in NATIONAL_FUNCTION_CODES], rng.randint(4, 10)))
    t2: dict[str, dict[str, Decimal]] = {}
    t3: dict[str, dict[str, Decimal]] = {}
    t5: dict[str, dict[str, Decimal]] = {}
    budget: dict[str, dict[str, Any]] = {}
    basic_fiscal = 0
    for code, share in codes:
        total = rng.randint(50_000, 20_000_000)
        basic = int(total * share)
        project = total - basic
        fiscal = total if rng.random() < 0.7 else int(total * rng.uniform(0.6, 0.95))
        f_basic = min(basic, fiscal)
        f_project = fiscal - f_basic
        other = total - fiscal
        t2[code] = {"财政拨款收入": wan(fiscal), **({"事业收入": wan(other)} if other else {})}
        t3[code] = {"基本支出": wan(basic), "项目支出": wan(project)}
        t5[code] = {"基本支出": wan(f_basic), "项目支出": wan(f_project)}
        basic_fiscal += f_basic
        budget[code] = {"年初预算数": wan(int(fiscal * rng.uniform(0.85, 1.1))), "主要用途": f"保障{NATIONAL_FUNCTION_CODES[code]}工作",
                        "差异原因": rng.choice(REASONS)}
    fiscal_total = sum(int(Decimal(v["财政拨款收入"]) * YUAN) for v in t2.values())
    # 表6: 人员经费 and 公用经费 split the 一般公共预算 基本支出 exactly
    personnel = int(basic_fiscal * rng.uniform(0.7, 0.9))
    office = basic_fiscal - personnel
    running_car = min(office // 10, rng.randint(0, 300_000))
    t6: dict[str, dict[str, Decimal]] = {}
    pers_codes = ["30101", "30102", "30103", "30107", "30108", "30109", "30110", "30113", "30199", "30302"]
    for code, v in zip(pers_codes, split(rng, personnel, len(pers_codes))):
        if v:
            t6[code] = {"决算数": wan(v)}
    office_codes = ["30201", "30205", "30206", "30207", "30209", "30211", "30213", "30216", "30228", "30229", "30299",
                    "31002"]
    t6["30231"] = {"决算数": wan(running_car)}
    for code, v in zip(office_codes, split(rng, office - running_car, len(office_codes))):
        if v:
            t6[code] = {"决算数": wan(v)}
    assert all(c in ECONOMIC_CODES for c in t6)
    sangong_budget = running_car + rng.randint(0, 200_000)
    reception = 0
    prior = {k: wan(int(fiscal_total * rng.uniform(0.85, 1.15))) for k in
             ["收入支出总计", "财政拨款收入支出总计", "一般公共预算财政拨款支出"]}
    prior.update({"三公经费合计": wan(int(running_car * 0.9)), "因公出国（境）费": 0,
                  "公务用车购置及运行维护费": wan(int(running_car * 0.9)), "公务接待费": 0,
                  "政府性基金预算财政拨款支出": 0, "国有资本经营预算财政拨款支出": 0,
                  "机关运行经费": wan(int(office * 0.8))})
    prior["收入支出总计"] = wan(int(Decimal(sum(int(Decimal(t["基本支出"] + t["项目支出"]) * YUAN) for t in t3.values()))
                                * Decimal("0.95")))
    purchases = split(rng, rng.randint(0, 5_000_000), len(PURCHASE_TYPES))
    sme = int(sum(purchases) * rng.uniform(0.5, 1.0))
    vehicles = {v: rng.randint(0, 3) for v in VEHICLES}
    reasons = {c.key: {"原因": rng.choice(REASONS)} for c in COMPARISONS}
    if missing:
        for key in list(reasons)[::2]:
            del reasons[key]
    perf = {k: (rng.randint(0, 40) if kind == "count" else wan(rng.randint(0, 9_000_000)) if kind == "amount"
                else Decimal(rng.randint(8_000, 10_000)) / 100 if kind == "number" else "按规定开展预算绩效管理")
            for k, kind in PERF_MANAGEMENT}
    name = f"合成第{index}号{rng.choice(DEPARTMENTS)}"
    return {
        "format": FORMAT_ID,
        "单位信息": {"部门名称": name, "年度": "2023", "单位性质": "行政单位"},
        "部门概况": {"主要职能": f"{name}负责本系统业务工作。", "决算单位构成": f"{name}本级。"},
        "表1": {"使用非财政拨款结余": {"金额": 0}, "年初结转和结余": {"金额": 0}, "结余分配": {"金额": 0},
               "年末结转和结余": {"金额": 0}},
        "表2": t2, "表3": t3,
        "表4": {"一般公共预算财政拨款": {"金额": wan(fiscal_total)}, "国有资本经营预算财政拨款": {"金额": 0},
               "年初一般公共预算财政拨款": {"金额": 0}, "年初国有资本经营预算财政拨款": {"金额": 0},
               "年末财政拨款结转和结余": {"一般公共预算财政拨款": 0, "国有资本经营预算财政拨款": 0}},
        "表5": t5, "表6": t6,
        "表7": {"金额": {"预算数因公出国（境）费": 0, "预算数公务用车购置费": 0, "预算数公务用车运行维护费": wan(sangong_budget),
                        "预算数公务接待费": 0, "决算数因公出国（境）费": 0, "决算数公务用车购置费": 0,
                        "决算数公务用车运行维护费": wan(running_car), "决算数公务接待费": wan(reception)}},
        "年初预算": budget,
        "上年决算": prior,
        "变动原因": reasons,
        "三公统计": {"出国（境）团组数": 0, "出国（境）人次": 0, "公务用车购置数": 0,
                  "公务用车保有量": sum(vehicles.values()), "公务用车运行维护费用途": "公务用车燃料、维修、保险等支出",
                  "国内公务接待批次": 0, "国内公务接待人次": 0, "外宾接待费": 0, "外宾接待批次": 0, "外宾接待人次": 0},
        "其他事项": {"机关运行经费支出": wan(int(office * rng.uniform(0.5, 1.0))),
                  **{f"政府采购{t}采购金额": wan(v) for t, v in zip(PURCHASE_TYPES, purchases)},
                  "面向中小企业预留项目预算金额": wan(sme), "面向小微企业预留项目预算金额": wan(sme // 2),
                  "中小企业预留项目中小企业成交金额": wan(sme), "小微企业预留项目小微企业成交金额": wan(sme // 2),
                  "其他项目中小企业成交金额": 0, **vehicles, "单价100万元以上设备": rng.randint(0, 5)},
        "绩效管理": perf,
        "注": {"表8": f"{name}本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
              "表9": f"{name}本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。"},
    }
