"""nmg-2023's synthetic departments (see :mod:`juesuan.synth` for what they guarantee): the
identities of its eleven tables hold exactly; amounts are whole 元 until :func:`~juesuan.synth.wan`."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from juesuan.formats import load_format
from juesuan.formats.nmg_2023 import COMPARISONS, FORMAT_ID, PERF_STAGES, VEHICLES
from juesuan.money import round2
from juesuan.spec import Format
from juesuan.synth import YUAN_PER_WAN, amount, person, split, wan

REGIONS = ["自治区", "呼和浩特市", "包头市", "乌海市", "赤峰市", "通辽市", "鄂尔多斯市", "呼伦贝尔市", "巴彦淖尔市",
           "乌兰察布市", "兴安盟", "锡林郭勒盟", "阿拉善盟"]
# (agency, its main 类)
AGENCIES = [("教育局", "205"), ("卫生健康委员会", "210"), ("财政局", "201"), ("公安局", "204"), ("农牧局", "213"),
            ("交通运输局", "214"), ("住房和城乡建设局", "212"), ("民政局", "208"), ("自然资源局", "220"),
            ("文化旅游体育局", "207"), ("科学技术局", "206"), ("生态环境局", "211"), ("应急管理局", "224"),
            ("商务局", "216"), ("司法局", "204"), ("人力资源和社会保障局", "208"), ("审计局", "201"), ("统计局", "201"),
            ("档案馆", "201"), ("林业和草原局", "213"), ("水利局", "213"), ("粮食和物资储备局", "222"),
            ("工业和信息化局", "215"), ("地方金融监督管理局", "217"), ("退役军人事务局", "208"), ("医疗保障局", "210")]
NATURES = ["财政拨款的行政单位", "参照公务员法管理的事业单位", "财政补助的事业单位"]
GF_PREFIXES = ("21208", "22960", "234")  # 政府性基金 codes (国有土地出让, 彩票公益金, 抗疫特别国债)
SOE_PREFIXES = ("223",)  # 国有资本经营预算支出
STAFF_CODES = ["2080505", "2080506", "2101101", "2101102", "2210201"]  # every unit pays these
PERSONNEL_ECON = ("301", "303")
SANGONG_ECON = {"出国": "30212", "接待": "30217", "运维": "30231", "购置": "31013"}
CAR_PURCHASE_309 = "30913"  # also 公务用车购置 (X23 sums it with 31013): left empty
# reasons by the direction of the change they explain (a reason never contradicts its change)
REASONS_UP = ["新增重点工作任务，相应增加项目经费。", "上级追加专项资金，相应增加支出。", "人员增加，工资福利支出相应增加。",
              "年中追加预算，用于保障新增工作任务。"]
REASONS_DOWN = ["严格落实过紧日子要求，压减一般性支出。", "部分项目跨年度实施，资金结转下年使用。", "会议、培训等活动减少，相关支出减少。",
                "年中调整预算，压减非刚性支出。"]
REASON_TEXTS = REASONS_UP + REASONS_DOWN
INDICATORS = [("产出指标", "数量指标", "完成项目数量", "个"), ("产出指标", "质量指标", "验收合格率", "%"),
              ("产出指标", "时效指标", "按期完成率", "%"), ("产出指标", "成本指标", "项目成本控制", "万元"),
              ("效益指标", "社会效益", "服务对象覆盖率", "%"), ("效益指标", "经济效益", "带动相关投入", "万元"),
              ("效益指标", "可持续影响", "长效机制建立情况", "项"), ("满意度指标", "服务对象满意度", "群众满意度", "%")]
PROJECTS = ["信息化建设", "办公楼维修改造", "业务培训", "专项调研", "宣传教育", "执法装备购置", "档案数字化",
            "应急演练", "课题研究", "监测体系运行", "网络安全保障", "社会力量购买服务", "设备运行维护"]
PERF_UNIT = 100  # 绩效自评 money in whole 分 of 万元, as the 绩效 system prints it



# ── the department ───────────────────────────────────────────────────────────────────────
class _Department:
    """Builds one department's data file; every amount here is whole 元 until :func:`wan`."""

    def __init__(self, fmt: Format, rng: random.Random, index: int, missing: bool, yuan: bool = False) -> None:
        self.fmt, self.rng, self.index, self.missing = fmt, rng, index, missing
        draw = rng.random()  # drawn even when ``yuan``: the rest of the department stays the same
        self.unit = 1 if yuan or draw < 0.7 else 100  # 元 precision, or whole 分 of 万元
        self.data: dict[str, Any] = {"format": FORMAT_ID}
        self.notes: dict[str, str] = {}

    # ---- profile --------------------------------------------------------------------
    def profile(self) -> None:
        rng, i = self.rng, self.index
        region = rng.choice(REGIONS)
        self.agency, self.main_class = AGENCIES[(i + rng.randrange(len(AGENCIES))) % len(AGENCIES)]
        self.name = f"{region}{self.agency}"
        self.nature = NATURES[0] if i % 3 == 0 else rng.choice(NATURES)
        self.public_unit = "事业" in self.nature
        self.has_gf = i % 4 == 1 or rng.random() < 0.12
        self.has_soe = i % 8 == 5 or rng.random() < 0.04
        self.has_projects = i % 11 != 4  # some departments have no project spending at all
        self.nonfiscal = self.public_unit or i % 6 == 2 or rng.random() < 0.25
        if i % 17 == 7:
            self.n_codes = 10_000  # every code of the list, every fund
            self.has_gf = self.has_soe = self.nonfiscal = True
        elif i % 10 == 3:
            self.n_codes = rng.randint(60, 160)
        else:
            self.n_codes = rng.choice([rng.randint(3, 8), rng.randint(5, 15), rng.randint(12, 40)])
        # mean spending per 项 in 元: 10 万 … 5 000 万
        self.scale = rng.choice([1e5, 3e5, 1e6, 3e6, 1e7, 5e7]) if self.n_codes < 200 else 2e6

    def codes(self) -> None:
        fc = self.fmt.function_codes
        items = [c for c in fc if len(c) == 7 and c[:3] in fc and c[:5] in fc]
        gf = [c for c in items if c.startswith(GF_PREFIXES)]
        soe = [c for c in items if c.startswith(SOE_PREFIXES)]
        ordinary = [c for c in items if c not in gf and c not in soe]
        rng = self.rng
        if self.n_codes >= len(items):
            chosen = list(items)
        else:
            chosen = {c for c in STAFF_CODES if c in fc and rng.random() < 0.85}
            main = [c for c in ordinary if c.startswith(self.main_class)]
            runs = [c for c in main if c.endswith(("01", "50"))] or main
            chosen.add(rng.choice(runs))
            while len(chosen) < self.n_codes:
                pool = main if rng.random() < 0.5 and main else ordinary
                chosen.add(rng.choice(pool))
            chosen = sorted(chosen)
        self.gf_codes = sorted(c for c in chosen if c in gf) or (sorted(rng.sample(gf, rng.randint(1, 3)))
                                                                  if self.has_gf else [])
        if not self.has_gf:
            self.gf_codes = []
        self.soe_codes = sorted(c for c in chosen if c in soe) or (sorted(rng.sample(soe, rng.randint(1, 2)))
                                                                    if self.has_soe else [])
        if not self.has_soe:
            self.soe_codes = []
        self.gpb_codes = [c for c in chosen if c not in gf and c not in soe]
        extra_nf = [c for c in ordinary if c not in self.gpb_codes] if self.nonfiscal else []
        self.nf_only = sorted(rng.sample(extra_nf, min(len(extra_nf), rng.randint(0, 2))))
        self.all_codes = sorted(set(self.gpb_codes) | set(self.gf_codes) | set(self.soe_codes) | set(self.nf_only))

    # ---- spending by 项 -------------------------------------------------------------
    def spending(self) -> None:
        rng, u = self.rng, self.unit
        self.t5: dict[str, list[int]] = {}  # code → [基本, 项目]
        for c in self.gpb_codes:
            basic_like = c.endswith(("01", "50")) or c in STAFF_CODES
            a = amount(rng, self.scale, u)
            if not self.has_projects:
                self.t5[c] = [a, 0]
            elif basic_like:
                proj = 0 if rng.random() < 0.7 else a // rng.randint(5, 20) // u * u
                self.t5[c] = [a, proj]
            else:
                basic = 0 if rng.random() < 0.8 else a // rng.randint(3, 10) // u * u
                self.t5[c] = [basic, a]
        self.t8: dict[str, list[int]] = {}  # code → [年初, 本年收入, 基本, 项目, 年末]
        for c in self.gf_codes:
            proj = amount(rng, self.scale / 2, u)
            basic = 0  # 政府性基金 pays projects (a reader takes 九's total as 项目支出)
            begin = 0 if rng.random() < 0.5 else amount(rng, self.scale / 5, u)
            end = 0 if rng.random() < 0.5 else amount(rng, self.scale / 5, u)
            income = proj + basic + end - begin
            if income < 0:
                end, income = end - income, 0
            self.t8[c] = [begin, income, basic, proj, end]
        self.t9: dict[str, list[int]] = {}
        for c in self.soe_codes:
            self.t9[c] = [0, amount(rng, self.scale / 2, u)]  # 国有资本经营 pays projects, as 政府性基金
        # non-fiscal spending (事业收入/其他收入 …) on top of the fiscal funds
        self.extra: dict[str, list[int]] = {c: [0, 0, 0, 0, 0] for c in self.all_codes}  # 基本 项目 上缴 经营 附属
        if self.nonfiscal:
            for c in self.all_codes:
                if c in self.nf_only or rng.random() < 0.3:
                    col = 0 if c.endswith(("01", "50")) or rng.random() < 0.5 else 1
                    self.extra[c][col] += amount(rng, self.scale / (3 if c not in self.nf_only else 1), u)
            if self.public_unit and rng.random() < 0.5:
                c = rng.choice(self.all_codes)
                for col in (2, 3, 4):
                    if rng.random() < 0.4:
                        self.extra[c][col] += amount(rng, self.scale / 5, u)
        for c in self.nf_only:  # a non-fiscal-only row must carry money
            if not any(self.extra[c]):
                self.extra[c][0] = amount(rng, self.scale / 3, u)

    # ---- balances and income ----------------------------------------------------------
    def balances(self) -> None:
        rng, u = self.rng, self.unit
        spend_gpb = sum(b + p for b, p in self.t5.values())
        spend_soe = sum(b + p for b, p in self.t9.values())
        self.gpb_begin = 0 if rng.random() < 0.6 else rng.randint(0, spend_gpb // 10) // u * u
        self.gpb_end = 0 if rng.random() < 0.5 else rng.randint(0, spend_gpb // 8) // u * u
        self.gpb_income = spend_gpb + self.gpb_end - self.gpb_begin
        self.soe_begin = 0 if not self.t9 or rng.random() < 0.6 else rng.randint(0, spend_soe // 5) // u * u
        self.soe_end = 0 if not self.t9 or rng.random() < 0.6 else rng.randint(0, spend_soe // 5) // u * u
        self.soe_income = spend_soe + self.soe_end - self.soe_begin
        self.gf_begin = sum(v[0] for v in self.t8.values())
        self.gf_income = sum(v[1] for v in self.t8.values())
        self.gf_end = sum(v[4] for v in self.t8.values())
        nf_spend = sum(sum(v) for v in self.extra.values())
        self.use_nf = 0
        self.distribution = 0
        if self.public_unit and nf_spend and rng.random() < 0.3:
            self.use_nf = rng.randint(0, nf_spend // 10) // u * u
        if self.public_unit and rng.random() < 0.2:
            self.distribution = amount(rng, self.scale / 20, u)
        self.nf_begin = 0 if not self.nonfiscal or rng.random() < 0.4 else amount(rng, self.scale / 10, u)
        self.nf_end = 0 if not self.nonfiscal or rng.random() < 0.4 else amount(rng, self.scale / 10, u)
        self.nf_income = nf_spend + self.distribution + self.nf_end - self.nf_begin - self.use_nf
        if self.nf_income < 0:
            self.nf_end -= self.nf_income
            self.nf_income = 0

    def income(self) -> None:
        """表2: fiscal income by 项 (Σ = 表4 本年收入合计) and non-fiscal income by source."""
        rng, u = self.rng, self.unit
        fiscal = {c: 0 for c in self.all_codes}
        for c, (b, p) in self.t5.items():
            fiscal[c] += b + p
        for c, v in self.t8.items():
            fiscal[c] += v[1]
        for c, (b, p) in self.t9.items():
            fiscal[c] += b + p
        delta = (self.gpb_end - self.gpb_begin) + (self.soe_end - self.soe_begin)
        targets = [c for c in self.gpb_codes + self.soe_codes if fiscal[c] > 0] or list(fiscal)
        if delta >= 0:
            for c, part in zip(targets, split(rng, delta, len(targets), u)):
                fiscal[c] += part
        else:
            owed = -delta
            for c in sorted(targets, key=lambda c: -fiscal[c]):
                take = min(owed, fiscal[c])
                fiscal[c] -= take
                owed -= take
                if not owed:
                    break
        sources: dict[str, int] = {}
        if self.nf_income:
            names = ["事业收入", "上级补助收入", "附属单位上缴收入", "其他收入"] if self.public_unit else ["其他收入"]
            if self.public_unit and sum(v[3] for v in self.extra.values()):
                names.append("经营收入")
            parts = split(rng, self.nf_income, len(names), u, zeros=0.3)
            sources = dict(zip(names, parts))
        spenders = [c for c in self.all_codes if any(self.extra[c])] or self.all_codes
        t2: dict[str, dict[str, Decimal]] = {}
        for c in self.all_codes:
            if fiscal[c]:
                t2.setdefault(c, {})["财政拨款收入"] = wan(fiscal[c])
        for name, total in sources.items():
            for c, part in zip(spenders, split(rng, total, len(spenders), u)):
                if part:
                    t2.setdefault(c, {})[name] = wan(part)
        self.data["表2"] = dict(sorted(t2.items()))

    # ---- tables -----------------------------------------------------------------------
    def code_tables(self) -> None:
        t3: dict[str, dict[str, Decimal]] = {}
        for c in self.all_codes:
            b = self.t5.get(c, [0, 0])[0] + (self.t8[c][2] if c in self.t8 else 0) + self.t9.get(c, [0, 0])[0]
            p = self.t5.get(c, [0, 0])[1] + (self.t8[c][3] if c in self.t8 else 0) + self.t9.get(c, [0, 0])[1]
            e = self.extra[c]
            row = {"基本支出": wan(b + e[0]), "项目支出": wan(p + e[1])}
            for col, v in zip(("上缴上级支出", "经营支出", "对附属单位补助支出"), e[2:]):
                if v:
                    row[col] = wan(v)
            t3[c] = row
        self.data["表3"] = t3
        self.data["表5"] = {c: {"基本支出": wan(b), "项目支出": wan(p)} for c, (b, p) in self.t5.items()}
        if self.t8:
            self.data["表8"] = {c: {"年初结转和结余": wan(v[0]), "本年收入": wan(v[1]), "基本支出": wan(v[2]),
                                   "项目支出": wan(v[3]), "年末结转和结余": wan(v[4])} for c, v in self.t8.items()}
        if self.t9:
            self.data["表9"] = {c: {"基本支出": wan(b), "项目支出": wan(p)} for c, (b, p) in self.t9.items()}
        self.data["表1"] = {"使用非财政拨款结余": {"金额": wan(self.use_nf)},
                           "年初结转和结余": {"金额": wan(self.gpb_begin + self.gf_begin + self.soe_begin + self.nf_begin)},
                           "结余分配": {"金额": wan(self.distribution)},
                           "年末结转和结余": {"金额": wan(self.gpb_end + self.gf_end + self.soe_end + self.nf_end)}}
        self.data["表4"] = {"一般公共预算财政拨款": {"金额": wan(self.gpb_income)},
                           "国有资本经营预算财政拨款": {"金额": wan(self.soe_income)},
                           "年初一般公共预算财政拨款": {"金额": wan(self.gpb_begin)},
                           "年初国有资本经营预算财政拨款": {"金额": wan(self.soe_begin)},
                           "年末财政拨款结转和结余": {"一般公共预算财政拨款": wan(self.gpb_end),
                                             "国有资本经营预算财政拨款": wan(self.soe_end)}}

    def economic(self) -> None:
        """表6/表7 lines that add up to 表5's 基本/项目 totals, with the 三公 lines of 表10."""
        rng, u = self.rng, self.unit
        basic = sum(b for b, _ in self.t5.values())
        project = sum(p for _, p in self.t5.values())
        t6_lines = [r.key for r in self.fmt.table("表6").fixed_rows() if len(r.key) == 5]
        t7_lines = [r.key for r in self.fmt.table("表7").fixed_rows() if len(r.key) == 5]
        personnel = [c for c in t6_lines if c.startswith(PERSONNEL_ECON)]
        reserved = {*SANGONG_ECON.values(), CAR_PURCHASE_309}
        office = [c for c in t6_lines if not c.startswith(PERSONNEL_ECON) and c not in reserved]
        people = basic * rng.randint(55, 85) // 100 // u * u
        common = basic - people
        # 三公 (决算) within what the tables can carry
        sg = {k: 0 for k in SANGONG_ECON}
        if rng.random() < 0.25:
            sg["出国"] = min(amount(rng, 80_000, u), common // 10 // u * u)
        sg["接待"] = 0 if rng.random() < 0.2 else min(amount(rng, 60_000, u), common // 8 // u * u)
        self.vehicles = 0 if rng.random() < 0.35 else rng.randint(1, 12)
        if self.vehicles:
            sg["运维"] = min(amount(rng, 40_000 * self.vehicles, u), common // 6 // u * u)
        if project and rng.random() < 0.2:
            sg["购置"] = min(amount(rng, 250_000, u), project // 4 // u * u)
        t6: dict[str, int] = {}
        t7: dict[str, int] = {}
        for k in ("出国", "接待", "运维"):  # each paid from basic (表6) or from projects (表7), not both
            to7 = sg[k] if project and rng.random() < 0.3 else 0
            t6[SANGONG_ECON[k]], t7[SANGONG_ECON[k]] = sg[k] - to7, to7
        t7[SANGONG_ECON["购置"]] = sg["购置"]
        if sum(t7.values()) > project:  # not enough project money: the 三公 stay in 表6
            for k in ("出国", "接待", "运维"):
                t6[SANGONG_ECON[k]] += t7[SANGONG_ECON[k]]
                t7[SANGONG_ECON[k]] = 0
        common -= sum(t6.values())  # the caps above keep the 三公 under 40 % of 公用经费
        chosen_p = rng.sample(personnel, min(len(personnel), rng.randint(4, 12)))
        for c, v in zip(chosen_p, split(rng, people, len(chosen_p), u, zeros=0.1)):
            t6[c] = t6.get(c, 0) + v
        chosen_o = rng.sample(office, min(len(office), rng.randint(5, 18)))
        for c, v in zip(chosen_o, split(rng, common, len(chosen_o), u, zeros=0.1)):
            t6[c] = t6.get(c, 0) + v
        rest = project - sum(t7.values())
        other7 = [c for c in t7_lines if c not in reserved]
        chosen7 = rng.sample(other7, min(len(other7), rng.randint(3, 20)))
        for c, v in zip(chosen7, split(rng, rest, len(chosen7), u, zeros=0.1)):
            t7[c] = t7.get(c, 0) + v
        self.sangong = {k: t6.get(SANGONG_ECON[k], 0) + t7.get(SANGONG_ECON[k], 0) for k in SANGONG_ECON}
        self.office_total = sum(v for c, v in t6.items() if not c.startswith(PERSONNEL_ECON))
        self.data["表6"] = {c: {"决算数": wan(v)} for c, v in sorted(t6.items()) if v or rng.random() < 0.3}
        if project:
            self.data["表7"] = {c: {"决算数": wan(v)} for c, v in sorted(t7.items()) if v or rng.random() < 0.3}

    def sangong_tables(self) -> None:
        rng, u = self.rng, self.unit
        names = {"出国": "因公出国（境）费", "购置": "公务用车购置费", "运维": "公务用车运行维护费", "接待": "公务接待费"}
        row: dict[str, Decimal] = {}
        for k, name in names.items():
            spent = self.sangong[k]
            if spent == 0 and rng.random() < 0.6:
                budget = 0  # a zero budget
            else:
                over = self.index % 9 == 4 and k == "接待"  # some departments overspend their 接待费 budget
                budget = spent * rng.randint(*((88, 99) if over else (100, 130))) // 100 // u * u if spent \
                    else amount(rng, 30_000, u)
            row[f"预算数{name}"] = wan(budget)
            row[f"决算数{name}"] = wan(spent)
        self.data["表10"] = {"金额": row}
        abroad = rng.randint(0, self.sangong["接待"] // 5) // u * u if self.sangong["接待"] and rng.random() < 0.1 else 0
        domestic = self.sangong["接待"] - abroad

        def visits(money: int) -> tuple[int, int]:
            if not money:
                return 0, 0
            batches = max(1, money // rng.randint(1_500, 6_000))
            return batches, batches * rng.randint(3, 12)

        db, dp = visits(domestic)
        ab, ap = visits(abroad)
        groups = rng.randint(1, 3) if self.sangong["出国"] else 0
        stats: dict[str, Any] = {
            "出国（境）团组数": groups, "出国（境）人次": groups * rng.randint(2, 6),
            "公务用车购置数": rng.randint(1, 2) if self.sangong["购置"] else 0,
            "公务用车保有量": self.vehicles,
            "国内公务接待费": wan(domestic), "国内接待批次": db, "国内接待人次": dp,
            "国内接待开支内容": "餐费、住宿费、接待用品费" if domestic else "不存在此项内容",
            "国（境）外公务接待费": wan(abroad), "国（境）外接待批次": ab, "国（境）外接待人次": ap,
            "国（境）外接待开支内容": "外宾接待餐费、翻译费" if abroad else "不存在此项内容",
        }
        self.data["三公统计"] = stats

    def table11(self) -> None:
        rng, u = self.rng, self.unit
        t11: dict[str, dict[str, Any]] = {"机构运行经费支出": {"数值": wan(self.office_total)}}
        small_total = 0
        micro_cap = 0
        for t in ("货物", "工程", "服务"):
            bought = 0 if rng.random() < 0.3 else amount(rng, self.scale / 4, u)
            sme = bought * rng.randint(0, 100) // 100 // u * u
            small_total += sme
            micro_cap += sme
            t11[f"政府采购{t}支出"] = {"数值": wan(bought)}
            t11[f"{t}授予中小企业合同金额"] = {"数值": wan(sme)}
        t11["授予中小企业合同金额"] = {"数值": wan(small_total)}
        t11["授予小微企业合同金额"] = {"数值": wan(micro_cap * rng.randint(50, 100) // 100 // u * u)}
        cars = split(rng, self.vehicles, len(VEHICLES), 1, zeros=0.6) if self.vehicles else [0] * len(VEHICLES)
        for v, n in zip(VEHICLES, cars):
            t11[v] = {"数值": n}
        t11["单价100万元以上设备"] = {"数值": rng.choice([0, 0, 0, 1, 2])}
        self.data["表11"] = t11

    # ---- input sheets -----------------------------------------------------------------
    def unit_sheets(self) -> None:
        rng = self.rng
        clerk = person(rng)
        self.data["单位信息"] = {"部门名称": self.name, "年度": "2023", "部门负责人": person(rng),
                             "财务负责人": person(rng), "编制人": clerk, "报送日期": f"2024年{rng.randint(6, 10)}月"
                             f"{rng.randint(1, 28)}日", "单位性质": self.nature, "联系人": clerk,
                             "联系电话": f"0471-{rng.randint(1000000, 9999999)}"}
        self.data["部门概况"] = {
            "部门职能": f"{self.name}负责本地区相关领域的行政管理和公共服务工作。",
            "主要职责": "（一）贯彻执行国家和自治区有关方针政策和法律法规。\n（二）拟订并组织实施本行业发展规划。\n"
                    "（三）承办上级交办的其他事项。",
            "机构设置": f"本部门内设机构{rng.randint(3, 15)}个，下属单位{rng.randint(0, 6)}个。",
            "决算单位构成": "纳入本部门2023年度部门决算编制范围的单位包括本级及所属单位。",
            "年度工作": "2023年，本部门围绕中心工作，完成了年度各项任务。",
        }

    def budgets(self) -> None:
        rng, u = self.rng, self.unit
        plan: dict[str, dict[str, Any]] = {}
        for c, (b, p) in self.t5.items():
            spent = b + p
            r = rng.random()
            budget = 0 if r < 0.08 else spent if r < 0.3 else spent * rng.randint(70, 130) // 100 // u * u
            row: dict[str, Any] = {"年初预算数": wan(budget)}
            if budget != spent:
                row["差异原因"] = (rng.choice(REASONS_UP if spent > budget else REASONS_DOWN) if budget
                                  else "年初未安排预算，年中追加。")
            plan[c] = row
        self.data["年初预算"] = plan
        # one 年初预算 per total, nested as the totals are: 一般公共预算 ≤ 财政拨款 ≤ 收支总计
        general = sum(int(r["年初预算数"] * YUAN_PER_WAN) for r in plan.values())
        if self.gpb_end:  # 财政拨款收支总计 is more than 表5's total: its budget may be too
            general += (self.gpb_begin + self.gpb_end) * rng.randint(0, 100) // 100 // u * u
        other_fiscal = self.gf_income + self.soe_income + self.gf_begin + self.soe_begin
        fiscal = general + other_fiscal * rng.randint(85, 115) // 100 // u * u
        other = self.nf_income + self.use_nf + self.nf_begin
        total = fiscal + other * rng.randint(85, 115) // 100 // u * u
        self.data["预算总数"] = {"收支总计": wan(total), "财政拨款收支总计": wan(fiscal)}

    def income_total(self) -> int:
        return (self.gpb_income + self.gf_income + self.soe_income + self.nf_income + self.use_nf
                + self.gpb_begin + self.gf_begin + self.soe_begin + self.nf_begin)

    def prior_year(self) -> None:
        rng, u = self.rng, self.unit

        def near(v: int) -> int:
            return v * rng.randint(70, 130) // 100 // u * u if v else (0 if rng.random() < 0.7 else amount(rng, 1e5, u))

        end = self.gpb_begin + self.gf_begin + self.soe_begin + self.nf_begin  # X26: 上年年末 = 本年年初
        spend_now = sum(b + p for b, p in self.t5.values()) + sum(v[2] + v[3] for v in self.t8.values()) \
            + sum(b + p for b, p in self.t9.values()) + sum(sum(v) for v in self.extra.values())
        spend = near(spend_now)
        distribution = near(self.distribution) if self.public_unit else 0
        total = spend + distribution + end
        use = near(self.use_nf) if self.public_unit else 0
        begin = near(end)
        income = total - use - begin
        if income < 0:
            begin, income = begin + income, 0
            if begin < 0:
                use, begin = use + begin, 0
        sg = {k: near(v) for k, v in self.sangong.items()}
        prior = {"收支总计": total, "本年收入合计": income, "使用非财政拨款结余": use, "年初结转和结余": begin,
                 "本年支出合计": spend, "结余分配": distribution, "年末结转和结余": end,
                 "财政拨款收支总计": near(self.gpb_income + self.gf_income + self.soe_income),
                 "一般公共预算财政拨款支出": near(sum(b + p for b, p in self.t5.values())),
                 "三公经费合计": sum(sg.values()), "因公出国（境）费": sg["出国"], "公务用车购置费": sg["购置"],
                 "公务用车运行维护费": sg["运维"], "公务接待费": sg["接待"],
                 "政府性基金预算财政拨款支出": near(sum(v[2] + v[3] for v in self.t8.values())),
                 "国有资本经营预算财政拨款支出": near(sum(b + p for b, p in self.t9.values())),
                 "机构运行经费": near(self.office_total)}
        out = {k: wan(v) for k, v in prior.items()}
        if self.missing:  # leave out whole groups, so what remains still adds up (X25-1 … X25-3)
            groups = [["财政拨款收支总计"], ["一般公共预算财政拨款支出"], ["政府性基金预算财政拨款支出"], ["国有资本经营预算财政拨款支出"], ["机构运行经费"],
                      ["三公经费合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
                      ["收支总计", "本年收入合计", "使用非财政拨款结余", "年初结转和结余", "本年支出合计", "结余分配",
                       "年末结转和结余"]]
            for group in rng.sample(groups, rng.randint(1, 3)):
                for k in group:
                    del out[k]
            self.notes["上年决算"] = "故意缺少部分上年决算数 (some prior-year figures left out on purpose)"
        self.data["上年决算"] = out

    def reasons(self) -> None:
        """A reason for every comparison that changed, agreeing with its direction; none where
        the two figures are equal (the text then says 持平)."""
        from juesuan.formats.nmg_2023.checks.reasons import REASONS
        from juesuan.data_file import book_from_data
        from juesuan.derive import compute

        rng = self.rng
        book = book_from_data({k: v for k, v in self.data.items() if k != "notes"})
        values = {**book.values, **compute(book)}

        def figure(key: tuple[str, str, str]) -> int:
            v = values.get(key)
            return int(round2(Decimal(v)) * 100) if isinstance(v, (int, Decimal)) else 0  # as printed, in 分

        out: dict[str, dict[str, str]] = {}
        for c in COMPARISONS:
            current, base = REASONS[c.key]
            if base is None:
                continue
            now, then = figure(current), figure(base)
            if now != then:
                out[c.key] = {"原因": rng.choice(REASONS_UP if now > then else REASONS_DOWN)}
        if figure(("表1", "年末结转和结余", "金额")):
            out["年末结转和结余.事项"] = {"原因": "项目资金跨年度实施形成的结转。"}
        if self.t8:
            out["政府性基金.用途"] = {"原因": "城乡社区公益性基础设施建设。"}
        if self.missing:
            for k in rng.sample(sorted(out), min(len(out), rng.randint(2, 6))):
                del out[k]
            self.notes["变动原因"] = "故意缺少部分变动原因 (some reasons left out on purpose)"
        self.data["变动原因"] = out

    def performance(self) -> None:
        """绩效自评 of part of the 项目支出 (whole 分 of 万元); every 项目支出 of the year evaluated
        (coverage 100 %), the 部门评价 amount the sum of the projects it names."""
        rng = self.rng
        pu = PERF_UNIT
        project_total = sum(p for _, p in self.t5.values())
        n = 0 if self.index % 7 == 0 or project_total < pu * 20 else rng.randint(0, 6)
        names = rng.sample(PROJECTS, n)
        done_parts = split(rng, project_total * rng.randint(30, 90) // 100 // pu * pu, n, pu) if n else []
        projects, indicators = [], []
        for name, done in zip(names, done_parts):
            done = max(done, pu)
            budget = done * 100 // rng.randint(75, 100) // pu * pu
            start = budget * rng.randint(80, 100) // 100 // pu * pu
            rec: dict[str, Any] = {"项目名称": name, "主管部门": self.name, "实施单位": self.name}
            for stage, v in zip(PERF_STAGES, (start, budget, done)):
                rec[f"财政拨款{stage}"] = wan(v)
                rec[f"上年结转资金{stage}"] = Decimal(0)
                rec[f"其他资金{stage}"] = Decimal(0)
            rec.update({"资金分值": Decimal(10), "预期目标": f"按计划完成{name}各项任务。",
                        "实际完成情况": f"{name}已按计划实施。", "目标完成情况": "年度绩效目标基本完成。",
                        "主要问题": "预算执行进度前松后紧。", "改进措施": "加强预算执行监控。"})
            projects.append(rec)
            lines = rng.sample(INDICATORS, rng.randint(3, len(INDICATORS)))
            points = split(rng, 90, len(lines), 1)
            for (first, second, third, unit_name), pts in zip(lines, points):
                target = rng.choice(["100", "95", "90", "10", "5"])
                score = pts if rng.random() < 0.8 else max(0, pts - rng.randint(1, 3))
                indicators.append({"项目名称": name, "一级指标": first, "二级指标": second, "三级指标": third,
                                   "指标性质": "正向", "指标方向": "大于等于", "年度指标值": target,
                                   "实际完成值": target if score == pts else str(max(0, int(target) - 5)),
                                   "计量单位": unit_name, "分值": Decimal(pts), "得分": Decimal(score),
                                   **({"偏差原因": "受客观因素影响未完全达标。"} if score != pts else {})})
        if projects:
            self.data["绩效自评"] = projects
            self.data["绩效指标"] = indicators
        evaluated = names[:2]
        evaluated_money = sum(int(p["财政拨款全年执行数"] * YUAN_PER_WAN) for p in projects[:2])
        fund_projects = [v for v in self.t8.values() if v[3]]
        self.data["绩效管理"] = {
            "一般公共预算一级项目数": 0, "一般公共预算二级项目数": max(len(projects), rng.randint(1, 12)) if project_total else 0,
            "一般公共预算自评资金": wan(project_total), "政府性基金一级项目数": 0,
            "政府性基金二级项目数": len(fund_projects),
            "政府性基金自评资金": wan(sum(v[3] for v in self.t8.values())),
            "部门评价项目": "、".join(evaluated) if evaluated else "无",
            "部门评价一般公共预算资金": wan(evaluated_money), "部门评价政府性基金资金": Decimal(0),
            "第三方评价情况": "本年度未委托第三方机构开展绩效评价。",
            "评价总体情况": "项目总体按计划实施，绩效目标基本实现。",
            "部门评价结果": "评价结果为“优”或“良”。" if evaluated else "本年度未开展部门评价。",
        }

    def footnotes(self) -> None:
        """Every public table left without figures says so in its 注 (rule S-6)."""
        notes: dict[str, str] = {}
        if not self.t8:
            notes["表8"] = "本单位2023年度无政府性基金预算财政拨款收支，故本表为空表。"
        if not self.t9:
            notes["表9"] = "本单位2023年度无国有资本经营预算财政拨款支出，故本表为空表。"
        if "表7" not in self.data:
            notes["表7"] = "本单位2023年度无一般公共预算财政拨款项目支出，故本表为空表。"
        if not any(b for b, _ in self.t5.values()):
            notes["表6"] = "本单位2023年度无一般公共预算财政拨款基本支出，故本表为空表。"
        if not any(self.data["表10"]["金额"].values()):
            notes["表10"] = "本单位2023年度无“三公”经费支出，故本表为空表。"
        if notes:
            self.data["注"] = notes

    def build(self) -> dict[str, Any]:
        self.profile()
        self.codes()
        self.spending()
        self.balances()
        self.income()
        self.code_tables()
        self.economic()
        self.sangong_tables()
        self.table11()
        self.unit_sheets()
        self.budgets()
        self.prior_year()
        self.reasons()
        self.performance()
        self.footnotes()
        self.notes.update(synthetic=f"合成部门 synthetic department #{self.index}", codes=str(len(self.all_codes)))
        self.data["notes"] = self.notes
        order = ["format", "表1", "表2", "表3", "表4", "表5", "表6", "表7", "表8", "表9", "表10", "表11", "单位信息",
                 "部门概况", "年初预算", "预算总数", "上年决算", "变动原因", "三公统计", "绩效管理", "绩效自评", "绩效指标",
                 "注", "notes"]
        return {k: self.data[k] for k in order if k in self.data}




def department(rng: random.Random, index: int, missing: bool = False, yuan: bool = False) -> dict[str, Any]:
    """One department's data file; ``index`` varies the profile (see :func:`juesuan.synth.synth_department`);
    ``yuan``: every amount in whole 元 (otherwise three in ten departments use whole 分 of 万元)."""
    return _Department(load_format(FORMAT_ID), rng, index, missing, yuan).build()
