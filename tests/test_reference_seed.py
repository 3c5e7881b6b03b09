"""The reference data file against the seed: every figure of its 第二部分, one by one.

``src/juesuan/reference/nmg-2023-reference.json`` rebuilds the seed's department (2023,
阿拉善高新技术产业开发区（乌斯太镇）党政综合办公室) as nmg-2023 inputs.  The seed prints the
narrative but no table bodies, so this file lists **every number printed in 第二部分** (amounts,
percentages, counts, scores; one entry per occurrence) with the section it sits in, what it is and
how it follows from the data: a derived cell of ``compute(book)`` or an input, an amount rounded
half-up to two decimals, a share/change/rate recomputed as the narrative defines it
(tables.md §4: 占比 = part/total, 增减额 = 本年 − 上年, 增减率 = 增减额/上年, 完成率 = 决算/年初预算,
no percentage against a zero base; the 绩效 table's 执行率 and 得分 as the format derives them).

Each figure is either *reproduced* or is one of the seed's own contradictions, named by an id of
``notes.contradictions`` in the data file; a listed contradiction that is in fact reproduced fails,
and so does any figure that is neither.  ``test_every_seed_figure_is_listed`` extracts the numbers
of the seed text section by section and requires the list below to match them exactly (years,
dates, list numbering and chart numbers are not figures).

Example: 五（三）"社会保障和就业支出类决算数为 139.35 万元，与年初预算相比减少 36.55 万元": the
208 row of 表5 is 139.3468 (its 项 carry 元 precision), so it prints 139.35, and its 年初预算 is
175.8922, so the decrease is 36.5454 → 36.55; both are reproduced although the printed 项 add up to
139.36.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Union

import jsonschema
import pytest

from juesuan.data_file import data_from_book, read_data
from juesuan.derive import compute
from juesuan.expr import Const, RatePercent
from juesuan.money import percent, round2

PKG = Path(__file__).resolve().parents[1] / "src" / "juesuan"
REF = PKG / "reference" / "nmg-2023-reference.json"
SEED = PKG / "reference" / "seed_2023.txt"
SCHEMA = PKG / "formats" / "nmg-2023.schema.json"

Result = Union[Decimal, int, str, None]


# ── the data ──────────────────────────────────────────────────────────────────────────────
@lru_cache(maxsize=None)
def book():  # type: ignore[no-untyped-def]
    return read_data(REF)


@lru_cache(maxsize=None)
def values() -> dict:
    return compute(book())


def cell(table: str, row: str, col: str) -> Result:
    key = (table, row, col)
    if key in values():
        return values()[key]
    return book().values.get(key)


def amt(table: str, row: str, col: str) -> Decimal:
    v = cell(table, row, col)
    return Decimal(0) if v is None else Decimal(v)


def t1(row: str) -> Decimal:
    return amt("表1", row, "金额")


def t3(row: str, col: str) -> Decimal:
    return amt("表3", row, col)


def t4(row: str, col: str = "金额") -> Decimal:
    return amt("表4", row, col)


def t5(row: str, col: str = "小计") -> Decimal:
    return amt("表5", row, col)


def t6(row: str) -> Decimal:
    return amt("表6", row, "决算数")


def t7(row: str) -> Decimal:
    return amt("表7", row, "决算数")


def t8(row: str, col: str) -> Decimal:
    return amt("表8", row, col)


def t10(col: str) -> Decimal:
    return amt("表10", "金额", col)


def t11(row: str) -> Decimal:
    return amt("表11", row, "数值")


def bud(row: str) -> Decimal:
    """年初预算 of a 项 (input) or of a 类 / the 合计 (derived)."""
    return amt("年初预算", row, "年初预算数")


def kv(table: str, key: str) -> Result:
    return cell(table, key, "值")


def prior(key: str) -> Decimal:
    return Decimal(kv("上年决算", key) or 0)


def btot(key: str) -> Decimal:
    return Decimal(kv("预算总数", key) or 0)


def reason(key: str) -> str:
    return str(cell("变动原因", key, "原因") or "")


def diff_reason(code: str) -> str:
    return str(cell("年初预算", code, "差异原因") or "")


def inc(now: Decimal, before: Decimal) -> Decimal:
    """'增加 x': 本年 − 上年 (negative when it fell, which then prints no match)."""
    return now - before


def dec(now: Decimal, before: Decimal) -> Decimal:
    """'减少 x': 上年 − 本年."""
    return before - now


def inc_rate(now: Decimal, before: Decimal) -> Decimal | None:
    return percent(now - before, before)


def dec_rate(now: Decimal, before: Decimal) -> Decimal | None:
    return percent(before - now, before)


def same(*xs: Decimal) -> Decimal | None:
    """One printed figure standing for several cells: reproduced only when they print alike."""
    return xs[0] if len({round2(x) for x in xs}) == 1 else None


def record(table: str, **match: str) -> str:
    for i in range(1, book().records.get(table, 0) + 1):
        if all(cell(table, str(i), k) == v for k, v in match.items()):
            return str(i)
    raise KeyError((table, match))


def proj(name: str, col: str) -> Result:
    """A 绩效自评 cell of one project (input or derived)."""
    return cell("绩效自评", record("绩效自评", 项目名称=name), col)


def proj_rate(name: str, money: str) -> Decimal:
    """执行率 of one money row of a 自评表, as the format derives it (0 against a zero budget)."""
    done, plan = Decimal(proj(name, f"{money}全年执行数") or 0), Decimal(proj(name, f"{money}全年预算数") or 0)
    return RatePercent(Const(done), Const(plan)).value(lambda key: Decimal(0))


def ind(name: str, third: str, col: str) -> Result:
    """A 绩效指标 cell of one indicator line (project, 三级指标)."""
    return cell("绩效指标", record("绩效指标", 项目名称=name, 三级指标=third), col)


def points_total(name: str) -> Decimal:
    """总分 column '分值' of a 自评表: 资金分值 + Σ indicator 分值."""
    n = book().records.get("绩效指标", 0)
    pts = sum((Decimal(cell("绩效指标", str(i), "分值") or 0) for i in range(1, n + 1)
               if cell("绩效指标", str(i), "项目名称") == name), Decimal(0))
    return Decimal(proj(name, "资金分值") or 0) + pts


def label_of(table: str, row: str) -> str:
    return book().format.table(table).row(row).label


# ── the figures ───────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Fig:
    section: str  # top-level section of 第二部分: 一 … 十四
    printed: str  # the number exactly as the seed prints it
    what: str
    value: Callable[[], Result]  # Decimal/int: compared rounded; str: the printed number must occur in it
    contradiction: str | None = None


NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")


def number(printed: str) -> Decimal:
    return Decimal(printed.replace(",", "").rstrip("%"))


def reproduced(fig: Fig) -> bool:
    got = fig.value()
    if got is None:
        return False
    if isinstance(got, str):
        return fig.printed in NUM.findall(got)
    return round2(Decimal(got)) == number(fig.printed)


FIGS: list[Fig] = []


def add(section: str, *figs: tuple) -> None:
    for f in figs:
        FIGS.append(Fig(section, *f))


# 一、收入支出决算总体情况说明
add("一",
    ("3,041.69", "收入、支出决算总计 (表1 总计, 收 = 支)", lambda: same(t1("收入总计"), t1("支出总计"))),
    ("213.63", "收支总计与年初预算相比减少 (预算总数 收支总计)", lambda: dec(t1("收入总计"), btot("收支总计"))),
    ("6.56%", "收支总计与年初预算相比减少率", lambda: dec_rate(t1("收入总计"), btot("收支总计"))),
    ("830.53", "收支总计与上年决算相比增加", lambda: inc(t1("收入总计"), prior("收支总计"))),
    ("37.56%", "收支总计与上年决算相比增加率", lambda: inc_rate(t1("收入总计"), prior("收支总计"))),
    ("3,041.69", "（一）收入决算总计", lambda: t1("收入总计")),
    ("3,041.67", "（一）1. 本年收入决算合计", lambda: t1("本年收入合计")),
    ("853.43", "（一）1. 本年收入与上年相比增加", lambda: inc(t1("本年收入合计"), prior("本年收入合计"))),
    ("39.00%", "（一）1. 本年收入增加率", lambda: inc_rate(t1("本年收入合计"), prior("本年收入合计"))),
    ("0.00", "（一）2. 使用非财政拨款结余", lambda: t1("使用非财政拨款结余")),
    ("0.00", "（一）2. 使用非财政拨款结余与上年相比增加",
     lambda: inc(t1("使用非财政拨款结余"), prior("使用非财政拨款结余"))),
    ("0.02", "（一）3. 年初结转和结余", lambda: t1("年初结转和结余")),
    ("22.89", "（一）3. 年初结转和结余与上年相比减少", lambda: dec(t1("年初结转和结余"), prior("年初结转和结余"))),
    ("99.91%", "（一）3. 年初结转和结余减少率", lambda: dec_rate(t1("年初结转和结余"), prior("年初结转和结余"))),
    ("3,041.69", "（二）支出决算总计", lambda: t1("支出总计")),
    ("3,041.07", "（二）1. 本年支出决算合计", lambda: t1("本年支出合计")),
    ("829.93", "（二）1. 本年支出与上年相比增加", lambda: inc(t1("本年支出合计"), prior("本年支出合计"))),
    ("37.53%", "（二）1. 本年支出增加率", lambda: inc_rate(t1("本年支出合计"), prior("本年支出合计"))),
    ("0.00", "（二）2. 结余分配", lambda: t1("结余分配")),
    ("0.00", "（二）2. 结余分配与上年相比增加", lambda: inc(t1("结余分配"), prior("结余分配"))),
    ("0.62", "（二）3. 年末结转和结余", lambda: t1("年末结转和结余")),
    ("0.60", "（二）3. 年末结转和结余与上年相比增加", lambda: inc(t1("年末结转和结余"), prior("年末结转和结余"))),
    ("3,000.00%", "（二）3. 年末结转和结余增加率", lambda: inc_rate(t1("年末结转和结余"), prior("年末结转和结余"))),
    ("0.3", "（二）3. 变动原因: 先进基层组织奖金 (变动原因 text)", lambda: reason("年末结转和结余.上年")),
    ("0.3", "（二）3. 变动原因: 最强党支部奖金 (变动原因 text)", lambda: reason("年末结转和结余.上年")),
)

# 二、收入决算情况说明
INCOME = [("3,038.13", "99.88%", "一般公共预算财政拨款收入"), ("2.85", "0.09%", "政府性基金预算财政拨款收入"),
          ("0.00", "0.00%", "国有资本经营预算财政拨款收入"), ("0.00", "0.00%", "上级补助收入"),
          ("0.00", "0.00%", "事业收入"), ("0.00", "0.00%", "经营收入"), ("0.00", "0.00%", "附属单位上缴收入"),
          ("0.69", "0.02%", "其他收入")]
add("二", ("3,041.67", "本年收入决算合计 (表1 = 表2 合计)", lambda: same(t1("本年收入合计"),
                                                                  amt("表2", "合计", "本年收入合计"))))
for _amount, _share, _line in INCOME:
    add("二", (_amount, f"本年{_line} (表1)", lambda k=_line: t1(k)),
        (_share, f"本年{_line}占本年收入合计", lambda k=_line: percent(t1(k), t1("本年收入合计"))))

# 三、支出决算情况说明
add("三", ("3,041.07", "本年支出决算合计 (表1 = 表3 合计)",
          lambda: same(t1("本年支出合计"), t3("合计", "本年支出合计"))))
for _amount, _share, _col in [("1,468.45", "48.29%", "基本支出"), ("1,572.62", "51.71%", "项目支出"),
                              ("0.00", "0.00%", "上缴上级支出"), ("0.00", "0.00%", "经营支出"),
                              ("0.00", "0.00%", "对附属单位补助支出")]:
    add("三", (_amount, f"本年{_col} (表3 合计)", lambda c=_col: t3("合计", c)),
        (_share, f"本年{_col}占本年支出合计", lambda c=_col: percent(t3("合计", c), t3("合计", "本年支出合计"))))

# 四、财政拨款收入支出决算总体情况说明
add("四",
    ("3,040.98", "财政拨款收入、支出决算总计 (表4 总计, 收 = 支)",
     lambda: same(t4("收入总计"), t4("支出总计", "合计"))),
    ("214.34", "与年初预算相比减少 (预算总数 财政拨款收支总计)", lambda: dec(t4("收入总计"), btot("财政拨款收支总计"))),
    ("6.58%", "与年初预算相比减少率", lambda: dec_rate(t4("收入总计"), btot("财政拨款收支总计"))),
    ("852.94", "与上年决算相比增加", lambda: inc(t4("收入总计"), prior("财政拨款收支总计"))),
    ("38.98%", "与上年决算相比增加率", lambda: inc_rate(t4("收入总计"), prior("财政拨款收支总计"))),
)

# 五、一般公共预算支出决算情况说明
add("五",
    ("3,038.13", "一般公共预算财政拨款支出决算 (表5 合计 = 表4 一般公共预算 本年支出)",
     lambda: same(t5("合计"), t4("本年支出合计", "一般公共预算财政拨款"))),
    ("3,255.32", "年初预算 (年初预算 合计)", lambda: bud("合计")),
    ("93.33%", "完成年初预算", lambda: percent(t5("合计"), bud("合计"))),
)


def add_class(code: str, amount: str, change: str, direction: str, name: str) -> None:
    fn = inc if direction == "增加" else dec
    add("五", (amount, f"{name}（类）决算数 (表5 {code})", lambda: t5(code)),
        (change, f"{name}（类）与年初预算相比{direction}", lambda: fn(t5(code), bud(code))))


def add_item(code: str, budget: str, actual: str, rate: str, name: str, contradiction: str | None = None) -> None:
    add("五", (budget, f"{name}（项）{code} 年初预算", lambda: bud(code)),
        (actual, f"{name}（项）{code} 支出决算 (表5)", lambda: t5(code)),
        (rate, f"{name}（项）{code} 完成年初预算", lambda: percent(t5(code), bud(code)), contradiction))


add_class("201", "2,657.40", "305.48", "减少", "一般公共服务支出")
add_item("2010301", "1,363.42", "1,314.65", "96.42%", "行政运行")
add_item("2010303", "1,205.44", "1,042.76", "86.50%", "机关服务")
add_item("2010305", "25.00", "19.21", "76.84%", "专项业务及机关事务管理")
add_item("2010399", "369.02", "280.78", "76.09%", "其他政府办公厅（室）及相关机构事务支出")
add_class("204", "15.00", "0.00", "增加", "公共安全支出")
add_item("2040605", "5.00", "5.00", "100.00%", "普法宣传")
add_item("2040607", "10.00", "10.00", "100.00%", "公共法律服务")
add_class("208", "139.35", "36.55", "减少", "社会保障和就业支出")
add_item("2080501", "11.60", "12.63", "108.88%", "行政单位离退休")
add_item("2080505", "42.32", "71.77", "169.59%", "机关事业单位基本养老保险缴费支出")
add_item("2080506", "32.77", "24.01", "73.27%", "机关事业单位职业年金缴费支出")
add_item("2080801", "7.92", "28.56", "360.61%", "死亡抚恤")
add_item("2089999", "81.28", "2.39", "2.94%", "其他社会保障和就业支出")
add_class("210", "168.72", "128.89", "增加", "卫生健康支出")
add_item("2100410", "0.00", "133.47", "0%", "突发公共卫生事件应急处理", "wu-zero-budget-rate")
add_item("2101101", "39.83", "35.26", "88.53%", "行政单位医疗")
add_class("221", "57.42", "25.70", "增加", "住房保障支出")
add_item("2210201", "31.72", "57.42", "181.02%", "住房公积金")
add_class("229", "0.23", "29.77", "减少", "其他支出")
add_item("2299999", "30.00", "0.23", "0.77%", "其他支出")
add("五", ("30", "2299999 差异原因: 基层政权建设资金 30 万元 (text)", lambda: diff_reason("2299999")),
    ("0.23", "2299999 差异原因: 疫情防控人员临时性工作补助 0.23 万元 (text)", lambda: diff_reason("2299999")))

# 六、一般公共预算财政拨款基本支出决算情况说明
add("六", ("1,468.36", "基本支出决算 (表5 合计 基本支出 = 表6 人员经费 + 公用经费)",
          lambda: same(t5("合计", "基本支出"), t6("人员经费合计") + t6("公用经费合计"))),
    ("978.10", "人员经费 (表6 人员经费合计)", lambda: amt("表6", "人员经费合计", "决算数")))
for _printed, _code, _name in [("73.92", "30101", "基本工资"), ("163.68", "30102", "津贴补贴"),
                               ("71.77", "30108", "机关事业单位基本养老保险缴费"), ("24.01", "30109", "职业年金缴费"),
                               ("35.26", "30110", "职工基本医疗保险缴费"), ("0.39", "30112", "其他社会保障缴费"),
                               ("57.42", "30113", "住房公积金"), ("510.46", "30199", "其他工资福利支出"),
                               ("12.63", "30302", "退休费"), ("28.56", "30304", "抚恤金")]:
    add("六", (_printed, f"人员经费 {_name} (表6 {_code})", lambda c=_code: t6(c)))
add("六", ("490.26", "公用经费 (表6 公用经费合计)", lambda: amt("表6", "公用经费合计", "决算数")))
for _printed, _code, _name in [("36.48", "30201", "办公费"), ("2.84", "30205", "水费"), ("48.83", "30206", "电费"),
                               ("2.24", "30207", "邮电费"), ("133.57", "30208", "取暖费"),
                               ("182.52", "30209", "物业管理费"), ("39.73", "30211", "差旅费"),
                               ("0.10", "30216", "培训费"), ("3.96", "30227", "委托业务费"),
                               ("13.56", "30228", "工会经费"), ("11.77", "30229", "福利费"),
                               ("13.81", "30239", "其他交通费用"), ("0.84", "30299", "其他商品和服务支出")]:
    add("六", (_printed, f"公用经费 {_name} (表6 {_code})", lambda c=_code: t6(c)))

# 七、一般公共预算财政拨款项目支出决算情况说明
add("七", ("1,569.77", "项目支出决算 (表7 合计 = 表5 合计 项目支出)",
          lambda: same(amt("表7", "合计", "决算数"), t5("合计", "项目支出"))))
for _printed, _code, _name in [("169.14", "301", "工资福利支出"), ("169.14", "30106", "伙食补助费"),
                               ("1,216.31", "302", "商品和服务支出"), ("2.92", "30201", "办公费"),
                               ("10.10", "30213", "维修（护）费"), ("497.84", "30214", "租赁费"),
                               ("13.53", "30215", "会议费"), ("66.20", "30217", "公务接待费"),
                               ("160.97", "30227", "委托业务费"), ("23.46", "303", "对个人和家庭的补助支出"),
                               ("23.46", "30305", "生活补助"), ("160.85", "310", "资本性支出"),
                               ("160.85", "31006", "大型修缮")]:
    add("七", (_printed, f"{_name} (表7 {_code})", lambda c=_code: t7(c)))

# 八、财政拨款“三公”经费支出决算情况说明
add("八",
    ("80.00", "（一）“三公”经费预算 (表10 预算数合计)", lambda: t10("预算数合计")),
    ("66.20", "（一）“三公”经费支出决算 (表10 决算数合计)", lambda: t10("决算数合计")),
    ("0%", "（一）“三公”经费完成预算", lambda: percent(t10("决算数合计"), t10("预算数合计")), "sangong-total-rate"),
    ("0.00", "（一）因公出国（境）费预算", lambda: t10("预算数因公出国（境）费")),
    ("0.00", "（一）因公出国（境）费支出决算", lambda: t10("决算数因公出国（境）费")),
    ("0%", "（一）因公出国（境）费完成预算",
     lambda: percent(t10("决算数因公出国（境）费"), t10("预算数因公出国（境）费")), "sangong-zero-budget-rate"),
    ("0.00", "（一）公务用车购置及运行维护费预算", lambda: t10("预算数公务用车购置及运行维护费小计")),
    ("0.00", "（一）公务用车购置及运行维护费支出决算", lambda: t10("决算数公务用车购置及运行维护费小计")),
    ("0%", "（一）公务用车购置及运行维护费完成预算",
     lambda: percent(t10("决算数公务用车购置及运行维护费小计"), t10("预算数公务用车购置及运行维护费小计")),
     "sangong-zero-budget-rate"),
    ("80.00", "（一）公务接待费预算", lambda: t10("预算数公务接待费")),
    ("66.20", "（一）公务接待费支出决算 (表10 = 表7 30217)", lambda: same(t10("决算数公务接待费"), t7("30217"))),
    ("82.75%", "（一）公务接待费完成预算", lambda: percent(t10("决算数公务接待费"), t10("预算数公务接待费"))),
    ("66.20", "（二）“三公”经费支出", lambda: t10("决算数合计")),
    ("0.00", "（二）因公出国（境）费支出", lambda: t10("决算数因公出国（境）费")),
    ("0.00%", "（二）因公出国（境）费占“三公”经费",
     lambda: percent(t10("决算数因公出国（境）费"), t10("决算数合计"))),
    ("0.00", "（二）公务用车购置及运行维护费支出", lambda: t10("决算数公务用车购置及运行维护费小计")),
    ("0.00%", "（二）公务用车购置及运行维护费占“三公”经费",
     lambda: percent(t10("决算数公务用车购置及运行维护费小计"), t10("决算数合计"))),
    ("66.20", "（二）公务接待费支出", lambda: t10("决算数公务接待费")),
    ("100.00%", "（二）公务接待费占“三公”经费", lambda: percent(t10("决算数公务接待费"), t10("决算数合计"))),
    ("0.00", "（二）1. 因公出国（境）费支出", lambda: t10("决算数因公出国（境）费")),
    ("0", "（二）1. 出国（境）团组数", lambda: kv("三公统计", "出国（境）团组数")),
    ("0", "（二）1. 出国（境）人次", lambda: kv("三公统计", "出国（境）人次")),
    ("0.00", "（二）1. 因公出国（境）费与上年相比增加",
     lambda: inc(t10("决算数因公出国（境）费"), prior("因公出国（境）费"))),
    ("0.00", "（二）2. 公务用车购置及运行维护费支出", lambda: t10("决算数公务用车购置及运行维护费小计")),
    ("0.00", "（二）2.（1）公务用车购置支出", lambda: t10("决算数公务用车购置费")),
    ("0", "（二）2.（1）公务用车购置数", lambda: kv("三公统计", "公务用车购置数")),
    ("0.00", "（二）2.（1）公务用车购置费与上年相比增加", lambda: inc(t10("决算数公务用车购置费"), prior("公务用车购置费"))),
    ("0.00", "（二）2.（2）公务用车运行维护费支出", lambda: t10("决算数公务用车运行维护费")),
    ("0", "（二）2.（2）公务用车保有量", lambda: kv("三公统计", "公务用车保有量")),
    ("0.00", "（二）2.（2）公务用车运行维护费与上年相比增加",
     lambda: inc(t10("决算数公务用车运行维护费"), prior("公务用车运行维护费"))),
    ("66.20", "（二）3. 公务接待费支出", lambda: t10("决算数公务接待费")),
    ("66.20", "（二）3. 国内公务接待支出 (三公统计 = 表10 − 国（境）外)",
     lambda: same(Decimal(kv("三公统计", "国内公务接待费") or 0),
                  t10("决算数公务接待费") - Decimal(kv("三公统计", "国（境）外公务接待费") or 0))),
    ("477", "（二）3. 国内接待批次", lambda: kv("三公统计", "国内接待批次")),
    ("5,645", "（二）3. 国内接待人次", lambda: kv("三公统计", "国内接待人次")),
    ("0.00", "（二）3. 国（境）外公务接待支出", lambda: kv("三公统计", "国（境）外公务接待费")),
    ("0", "（二）3. 国（境）外接待批次", lambda: kv("三公统计", "国（境）外接待批次")),
    ("0", "（二）3. 国（境）外接待人次", lambda: kv("三公统计", "国（境）外接待人次")),
    ("5.42", "（二）3. 公务接待费与上年相比增加", lambda: inc(t10("决算数公务接待费"), prior("公务接待费"))),
    ("8.92%", "（二）3. 公务接待费增加率", lambda: inc_rate(t10("决算数公务接待费"), prior("公务接待费"))),
)

# 九、政府性基金预算财政拨款支出决算情况说明
add("九",
    ("2.85", "政府性基金支出决算 (表8 合计 本年支出 = 表4 政府性基金 本年支出)",
     lambda: same(t8("合计", "本年支出小计"), t4("本年支出合计", "政府性基金预算财政拨款"))),
    ("2.85", "与上年决算相比增加", lambda: inc(t8("合计", "本年支出小计"), prior("政府性基金预算财政拨款支出"))),
    ("2.85", "城市建设支出（项）2120803 支出 (表8)", lambda: t8("2120803", "本年支出小计")),
)

# 十、国有资本经营预算财政拨款支出决算情况说明
add("十",
    ("0.00", "国有资本经营预算支出决算 (表9 合计)", lambda: amt("表9", "合计", "合计")),
    ("0.00", "与上年决算相比增加", lambda: inc(amt("表9", "合计", "合计"), prior("国有资本经营预算财政拨款支出"))),
)

# 十一、机构运行经费支出决算情况说明
add("十一",
    ("490.26", "机构运行经费支出决算 (表11 = 表6 公用经费合计)",
     lambda: same(t11("机构运行经费支出"), t6("公用经费合计"))),
    ("27.73", "与上年决算相比减少", lambda: dec(t11("机构运行经费支出"), prior("机构运行经费"))),
    ("5.35%", "减少率", lambda: dec_rate(t11("机构运行经费支出"), prior("机构运行经费"))),
)

# 十二、政府采购支出决算情况说明
add("十二",
    ("467.93", "政府采购支出总额 (表11)", lambda: t11("政府采购支出总额")),
    ("123.15", "政府采购货物支出", lambda: t11("政府采购货物支出")),
    ("12.41", "政府采购工程支出", lambda: t11("政府采购工程支出")),
    ("332.37", "政府采购服务支出", lambda: t11("政府采购服务支出")),
    ("352.90", "授予中小企业合同金额", lambda: t11("授予中小企业合同金额")),
    ("75.42%", "授予中小企业合同金额占政府采购支出总额",
     lambda: percent(t11("授予中小企业合同金额"), t11("政府采购支出总额"))),
    ("343.17", "授予小微企业合同金额", lambda: t11("授予小微企业合同金额")),
    ("73.34%", "授予小微企业合同金额占政府采购支出总额",
     lambda: percent(t11("授予小微企业合同金额"), t11("政府采购支出总额"))),
    ("19.85%", "货物采购授予中小企业合同金额占货物支出金额",
     lambda: percent(t11("货物授予中小企业合同金额"), t11("政府采购货物支出")), "procurement-type-shares"),
    ("2%", "工程采购授予中小企业合同金额占工程支出金额",
     lambda: percent(t11("工程授予中小企业合同金额"), t11("政府采购工程支出")), "procurement-type-shares"),
    ("53.57%", "服务采购授予中小企业合同金额占服务支出金额",
     lambda: percent(t11("服务授予中小企业合同金额"), t11("政府采购服务支出")), "procurement-type-shares"),
)

# 十三、国有资产占用情况说明
add("十三", ("2", "车辆数合计 (表11)", lambda: cell("表11", "车辆数合计", "数值")))
for _printed, _kind in [("0", "副部（省）级及以上领导用车"), ("0", "主要领导干部用车"), ("0", "机要通信用车"),
                        ("2", "应急保障用车"), ("0", "执法执勤用车"), ("0", "特种专业技术用车"),
                        ("0", "离退休干部用车"), ("0", "其他用车")]:
    add("十三", (_printed, f"{_kind} (表11)", lambda k=_kind: cell("表11", k, "数值")))
add("十三", ("100", "单价 100 万元（含）以上设备: the threshold in the 表11 row label",
            lambda: label_of("表11", "单价100万元以上设备")),
    ("0", "单价 100 万元（含）以上设备（不含车辆）台（套） (表11)", lambda: cell("表11", "单价100万元以上设备", "数值")))


# 十四、预算绩效情况说明
def perf(key: str) -> Result:
    return kv("绩效管理", key)


def count_sum(*keys: str) -> int:
    return sum(int(perf(k) or 0) for k in keys)


add("十四",
    ("0", "（一）一般公共预算一级项目数", lambda: perf("一般公共预算一级项目数")),
    ("33", "（一）一般公共预算二级项目数", lambda: perf("一般公共预算二级项目数")),
    ("1572.62", "（一）一般公共预算自评项目涉及资金", lambda: perf("一般公共预算自评资金"), "perf-coverage-amount"),
    ("100%", "（一）自评资金占一般公共预算项目支出总额 (表5 合计 项目支出)",
     lambda: percent(Decimal(perf("一般公共预算自评资金") or 0), t5("合计", "项目支出"))),
    ("0", "（一）政府性基金预算自评项目数 (一级 + 二级)", lambda: count_sum("政府性基金一级项目数", "政府性基金二级项目数")),
    ("0", "（一）政府性基金一级项目数", lambda: perf("政府性基金一级项目数")),
    ("0", "（一）政府性基金二级项目数", lambda: perf("政府性基金二级项目数")),
    ("0", "（一）政府性基金自评项目涉及资金", lambda: perf("政府性基金自评资金")),
    ("100%", "（一）政府性基金自评资金占政府性基金项目支出总额 (表8 合计 项目支出)",
     lambda: percent(Decimal(perf("政府性基金自评资金") or 0), t8("合计", "项目支出")), "perf-fund-coverage"),
    ("5", "（一）部门评价项目数 (部门评价项目 names)", lambda: len(str(perf("部门评价项目") or "").split("、"))),
    ("416.24", "（一）部门评价涉及一般公共预算支出", lambda: perf("部门评价一般公共预算资金")),
    ("0", "（一）部门评价涉及政府性基金支出", lambda: perf("部门评价政府性基金资金")),
    ("33", "（二）在决算中反映的一般公共预算项目 (一级 + 二级)",
     lambda: count_sum("一般公共预算一级项目数", "一般公共预算二级项目数")),
    ("0", "（二）在决算中反映的政府性基金项目 (一级 + 二级)",
     lambda: count_sum("政府性基金一级项目数", "政府性基金二级项目数")),
    ("5", "（二）绩效自评结果 (绩效自评 records)", lambda: book().records.get("绩效自评", 0)),
)

# （二）the five 自评综述: 得分, 全年预算数, 执行数, 完成预算
SUMMARIES = [
    ("公务接待费", "98.3", "perf-score-from-rounded-rate", "80", "66.20", "83%"),
    ("维护费", "99", "perf-maintenance-score-text", "37.24", "36.86", "99%"),
    ("社会力量购买服务", "99", "perf-score-from-rounded-rate", "166.85", "150.97", "90%"),
    ("职工食堂补贴", "99.4", None, "180.00", "169.14", "94%"),
    ("电梯维修维保", "98.07", None, "12.51", "10.10", "81%"),
]
R, S = "perf-rate-rounding", "perf-score-from-rounded-rate"
for _name, _score, _score_c, _plan, _done, _rate in SUMMARIES:
    add("十四",
        (_score, f"（二）{_name} 自评综述: 自评得分 (总分)", lambda n=_name: proj(n, "总分"), _score_c),
        (_plan, f"（二）{_name} 自评综述: 全年预算数", lambda n=_name: proj(n, "年度资金总额全年预算数")),
        (_done, f"（二）{_name} 自评综述: 执行数", lambda n=_name: proj(n, "年度资金总额全年执行数")),
        (_rate, f"（二）{_name} 自评综述: 完成预算 (执行率)", lambda n=_name: proj(n, "执行率"), R))

# （二）the five 项目支出绩效自评表, cell by cell.  Money rows: (printed, contradiction) per column.
TABLES = {
    "公务接待费": {
        "总额": [("80.00", None), ("80.00", None), ("80.00", "perf-reception-total-executed"), ("10", None), ("83", R),
               ("8.3", S)],
        "财政拨款": [("80.00", None), ("80.00", None), ("66.20", None), ("83", R)],
        "indicators": [("接待批次", "288", "288", "10", "10"), ("公务接待质量达标率", "90", "90", "15", "15"),
                       ("接待清单梳理及时率", "90", "90", "15", "15"), ("公务接待费", "80", "66.2", "10", "10"),
                       ("确保公务接待实现热情而不铺张精细而不超标", "10", "10", "15", "15"),
                       ("公务接待标准执行率", "90", "90", "15", "15"), ("服务对象满意度", "90", "90", "10", "10")],
        "总分": [("100", None), ("98.3", S)],
    },
    "维护费": {
        "总额": [("37.24", None), ("37.24", None), ("36.86", None), ("10", None), ("99", R), ("9.9", None)],
        "财政拨款": [("37.24", None), ("37.24", None), ("36.86", None), ("99", R)],
        "indicators": [("设备维护数量", "100", "100", "15", "15"), ("维修维护标准合格率", "90", "90", "15", "15"),
                       ("运行成本节约率", "1", "1", "20", "20"), ("提高设施设备使用便捷度", "90", "90", "10", "10"),
                       ("温控节能效率", "90", "90", "10", "10"), ("长效管理健全性", "95", "95", "10", "10"),
                       ("工作人员满意度", "90", "90", "10", "10")],
        "总分": [("100", None), ("99.9", None)],
    },
    "社会力量购买服务": {
        "总额": [("166.85", None), ("166.85", None), ("150.97", None), ("10", None), ("90.00", R), ("9", S)],
        "财政拨款": [("166.85", None), ("166.85", None), ("150.97", None), ("90", R)],
        "indicators": [("政府购买服务购买人数", "13", "13", "25", "25"), ("政府购买服务质量达标率", "90", "90", "25", "25"),
                       ("政府向社会力量购买服务带动社会就业增加就业", "90", "90", "15", "15"),
                       ("通过政府购买服务弥补人员不足提高工作效率", "90", "90", "15", "15"),
                       ("服务对象满意度", "90", "90", "10", "10")],
        "总分": [("100", None), ("99", S)],
    },
    "职工食堂补贴": {
        "总额": [("180.00", None), ("180.00", None), ("169.14", None), ("10", None), ("94", R), ("9.4", None)],
        "财政拨款": [("180.00", None), ("180.00", None), ("169.14", None), ("94", R)],
        "indicators": [("职工食堂用餐人数", "200", "200", "25", "25"), ("餐补费用", "180", "169.14", "25", "25"),
                       ("通过财政补贴提高职工幸福指数吸引人才", "10", "10", "30", "30"),
                       ("全体职工满意度", "90", "90", "10", "10")],
        "总分": [("100", None), ("99.4", None)],
    },
    "电梯维修维保": {
        "总额": [("12.51", None), ("12.51", None), ("10.10", None), ("10", None), ("80.74", None), ("8.07", None)],
        "财政拨款": [("12.51", None), ("12.51", None), ("10.10", None), ("80.74", None)],
        "indicators": [("电梯正常运行率", "90", "90", "25", "25"), ("电梯维保成本", "12.51", "10.1", "25", "25"),
                       ("提升工作效率", "90", "90", "30", "30"), ("使用人员满意度", "90", "90", "10", "10")],
        "总分": [("100", None), ("98.07", None)],
    },
}
TOTAL_COLS = ["年度资金总额年初预算数", "年度资金总额全年预算数", "年度资金总额全年执行数", "资金分值", "执行率", "资金得分"]
STAGES = ["年初预算数", "全年预算数", "全年执行数"]
for _name, _t in TABLES.items():
    for (_p, _c), _col in zip(_t["总额"], TOTAL_COLS):
        add("十四", (_p, f"（二）{_name} 自评表 年度资金总额 {_col}", lambda n=_name, c=_col: proj(n, c), _c))
    for (_p, _c), _stage in zip(_t["财政拨款"], STAGES + ["执行率"]):
        if _stage == "执行率":
            add("十四", (_p, f"（二）{_name} 自评表 财政拨款 执行率", lambda n=_name: proj_rate(n, "财政拨款"), _c))
        else:
            add("十四", (_p, f"（二）{_name} 自评表 财政拨款 {_stage}", lambda n=_name, s=_stage: proj(n, f"财政拨款{s}"),
                       _c))
    for _money in ["上年结转资金", "其他资金"]:
        for _p, _stage in zip(["0.00", "0", "0.00"], STAGES):
            add("十四", (_p, f"（二）{_name} 自评表 {_money} {_stage}",
                       lambda n=_name, m=_money, s=_stage: proj(n, f"{m}{s}")))
        add("十四", ("0", f"（二）{_name} 自评表 {_money} 执行率 (0 against a zero budget, as the 自评表 derives it)",
                   lambda n=_name, m=_money: proj_rate(n, m)))
    for _third, _target, _actual, _points, _got in _t["indicators"]:
        add("十四",
            (_target, f"（二）{_name} 指标「{_third}」年度指标值", lambda n=_name, x=_third: ind(n, x, "年度指标值")),
            (_actual, f"（二）{_name} 指标「{_third}」实际完成值", lambda n=_name, x=_third: ind(n, x, "实际完成值")),
            (_points, f"（二）{_name} 指标「{_third}」分值", lambda n=_name, x=_third: ind(n, x, "分值")),
            (_got, f"（二）{_name} 指标「{_third}」得分", lambda n=_name, x=_third: ind(n, x, "得分")))
    (_pp, _pc), (_sp, _sc) = _t["总分"]
    add("十四", (_pp, f"（二）{_name} 自评表 总分 分值 (资金分值 + Σ指标分值)", lambda n=_name: points_total(n), _pc),
        (_sp, f"（二）{_name} 自评表 总分 得分", lambda n=_name: proj(n, "总分"), _sc))
add("十四", ("99.9", "（三）维护费项目绩效评价综合得分 (its 自评表 总分)", lambda: proj("维护费", "总分")))


# Claims of the seed that are not figures but contradict the tables (checked the same way).
@dataclass(frozen=True)
class Claim:
    contradiction: str
    section: str
    claim: str
    holds: Callable[[], bool]  # True when the tables support the seed's claim


CLAIMS = [
    Claim("carryover-nature", "一", "年末结转和结余 0.62 万元的结转和结余事项是“一般公共预算结余”",
          lambda: t4("年末财政拨款结转和结余", "一般公共预算财政拨款") >= t1("年末结转和结余") > 0),
    Claim("shiyi-reason-reception", "十一", "机构运行经费比上年减少的原因是“接待费减少”",
          lambda: t10("决算数公务接待费") < prior("公务接待费") and t6("30217") > 0),
    Claim("perf-count-total", "十四", "33 个一般公共预算项目、0 个政府性基金项目，“共 5 个项目”",
          lambda: count_sum("一般公共预算一级项目数", "一般公共预算二级项目数", "政府性基金一级项目数",
                            "政府性基金二级项目数") == book().records.get("绩效自评", 0)),
]


# ── the seed's numbers ────────────────────────────────────────────────────────────────────
SECTIONS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]


def seed_numbers() -> dict[str, list[str]]:
    """Section → the numbers it prints, leaving out years and dates, list numbering and chart numbers."""
    text = SEED.read_text(encoding="utf-8")
    body = text[text.rindex("第二部分 2023 年度部门决算情况说明"):text.rindex("第三部分 名词解释")]
    heads = list(re.finditer(r"^(十[一二三四]|[一二三四五六七八九十])、", body, re.M))
    assert [h.group(1) for h in heads] == SECTIONS
    out = {}
    for i, h in enumerate(heads):
        seg = body[h.start(): heads[i + 1].start() if i + 1 < len(heads) else len(body)]
        seg = re.sub(r"(?m)^\s*\d+\s*[.、](?!\d)", "", seg)  # 1. 2、 list numbering
        seg = re.sub(r"[（(]\d+[）)]", "", seg)  # （1）
        seg = re.sub(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?", "", seg)  # 2023 年, 2023年12月31日
        seg = re.sub(r"图\d", "", seg)  # 图1 收入决算图
        out[h.group(1)] = NUM.findall(seg)
    return out


# ── tests ─────────────────────────────────────────────────────────────────────────────────
def notes_contradictions() -> dict[str, dict]:
    return {c["id"]: c for c in book().notes.get("contradictions", [])}


def test_file_validates_against_the_json_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(REF.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_file_loads_and_round_trips() -> None:
    """read_data accepts it (only input cells), and writing the book back gives the same data."""
    b = read_data(REF)
    assert b.codes["表5"] and b.records["绩效自评"] == 5

    def norm(x):  # type: ignore[no-untyped-def]
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items()}
        if isinstance(x, list):
            return [norm(v) for v in x]
        if isinstance(x, (int, float, Decimal)) and not isinstance(x, bool):
            return Decimal(repr(x) if isinstance(x, float) else x).normalize()
        return x

    original = json.loads(REF.read_text(encoding="utf-8"), parse_float=Decimal)
    assert norm(data_from_book(b)) == norm(original)


def test_every_seed_figure_is_listed() -> None:
    """The list above holds exactly the numbers the seed prints in each section of 第二部分."""
    seed = seed_numbers()
    for sec in SECTIONS:
        listed = Counter(f.printed for f in FIGS if f.section == sec)
        printed = Counter(seed[sec])
        assert listed == printed, (sec, "missing", printed - listed, "not in the seed", listed - printed)
    assert len(FIGS) == sum(len(v) for v in seed.values())


@pytest.mark.parametrize("fig", FIGS, ids=[f"s{SECTIONS.index(f.section) + 1:02d}-{i:03d}-{f.printed}"
                                           for i, f in enumerate(FIGS)])
def test_figure(fig: Fig) -> None:
    if fig.contradiction is None:
        assert reproduced(fig), f"{fig.section} {fig.what}: seed prints {fig.printed}, data gives {fig.value()!r}"
    else:
        assert fig.contradiction in notes_contradictions(), f"{fig.contradiction} is not in notes.contradictions"
        assert not reproduced(fig), (f"{fig.section} {fig.what}: listed as contradiction {fig.contradiction} "
                                     f"but the data reproduces {fig.printed}")


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.contradiction for c in CLAIMS])
def test_claim_contradicts_the_tables(claim: Claim) -> None:
    assert claim.contradiction in notes_contradictions()
    assert not claim.holds(), f"{claim.section}: the data supports the seed's claim “{claim.claim}”"


def test_notes_list_choices_and_every_contradiction_once() -> None:
    notes = book().notes
    choices = notes.get("choices", [])
    assert choices and all(c.get("id") and c.get("choice") for c in choices)
    assert len({c["id"] for c in choices}) == len(choices)
    contras = notes.get("contradictions", [])
    ids = [c["id"] for c in contras]
    assert len(set(ids)) == len(ids)
    for c in contras:
        assert {"id", "seed_says", "tables_say", "section", "reason"} <= set(c), c
    used = {f.contradiction for f in FIGS if f.contradiction} | {c.contradiction for c in CLAIMS}
    assert used == set(ids), ("listed but never used", set(ids) - used, "used but not listed", used - set(ids))


def test_stored_texts_follow_the_tables() -> None:
    assert "一般公共预算结余" not in reason("年末结转和结余.事项")
    assert book().footnotes.get("表9", "").endswith("空表。") and not book().codes.get("表9")


def test_relations_hold_exactly_in_the_held_amounts() -> None:
    """The held (元-precision) amounts satisfy the table relations exactly, not just within 尾差."""
    assert t1("收入总计") == t1("支出总计")
    assert t4("收入总计") == t4("支出总计", "合计") == t4("本年收入合计")
    assert t4("一般公共预算财政拨款") == t5("合计")  # X6/X7: no 财政拨款 carry-over
    assert amt("表2", "合计", "本年收入合计") == t1("本年收入合计")  # X1
    assert amt("表2", "合计", "财政拨款收入") == t4("本年收入合计")  # X2
    assert t3("合计", "本年支出合计") == t1("本年支出合计")  # X4
    assert t5("合计", "基本支出") == t6("人员经费合计") + t6("公用经费合计")  # X13
    assert t5("合计", "项目支出") == amt("表7", "合计", "决算数")  # X14
    assert t3("合计", "项目支出") == t5("合计", "项目支出") + t8("合计", "项目支出")  # X16 (equal)
    assert t3("合计", "基本支出") - t5("合计", "基本支出") == t1("本年支出合计") - t4("本年支出合计", "合计")
    assert t11("机构运行经费支出") == t6("公用经费合计")  # X19
    assert t10("决算数公务接待费") == t7("30217")  # X20
    for econ, code in [("30108", "2080505"), ("30109", "2080506"), ("30110", "2101101"), ("30113", "2210201"),
                       ("30302", "2080501"), ("30304", "2080801")]:
        assert t6(econ) == t5(code), (econ, code)
    assert (t11("货物授予中小企业合同金额") + t11("工程授予中小企业合同金额") + t11("服务授予中小企业合同金额")
            == t11("授予中小企业合同金额"))
    assert t1("年初结转和结余") + t1("本年收入合计") - t1("本年支出合计") == t1("年末结转和结余")
    assert prior("收支总计") == prior("本年收入合计") + prior("使用非财政拨款结余") + prior("年初结转和结余")
    assert prior("收支总计") == prior("本年支出合计") + prior("结余分配") + prior("年末结转和结余")
    assert Decimal(perf("一般公共预算自评资金") or 0) == t5("合计", "项目支出")
