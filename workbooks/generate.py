"""Generate the bundled sample ledgers (台账样例), one per policy.

    python -m workbooks.generate            # rewrites workbooks/台账样例_*.xlsx
    python -m workbooks.generate -o DIR     # somewhere else

Each sample is a synthetic but realistic community ledger: a title row and a
notes row above a two-row header with merged cells (“家庭情况” over 家庭人口 |
家庭月收入, “失业情况” over the two unemployment dates), headers written with
the synonyms real offices use, a few hundred people in households (every
working-age member listed, employed or not, so the engine can find
zero-employment households and households with two or more unemployed),
communities, streets and assistance officers, dates typed as text in some
rows, a few 15-digit IDs, and deliberately planted problems (wrong check
digits, blank IDs, an impossible date …).  :func:`generate` returns the
planted problems so the tests compare the ``check`` command against them.

Beside the ledger each workbook has a 参数 sheet (名称 | 数值 | 生效日期 | 依据 |
政策, with a 政策代码 row so ``jyyz fill`` takes the policy from the workbook)
and a 目标 sheet for the target responsibility letters.  The computed columns
(认定类别 … 数据问题) hold the values ``jyyz fill`` writes over the freshly
generated raw workbook — exactly the engine's answers on :data:`REFERENCE_DATE`,
shown in any program (``--formulas`` writes live ``=JY_…`` formulas instead).

Everything is deterministic: a fixed random seed per policy, fixed document
properties and xlsxwriter's fixed zip timestamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from stdnum.cn.ric import calc_check_digit

from calc.fields import match_header
from calc.policies import list_policies
from calc.policies.base import SampleArea, SampleColumn
from workbooks import SAMPLE_DIR, SAMPLE_POLICIES, sample_name

#: The date the cached values of the samples are computed on.
REFERENCE_DATE = dt.date(2026, 11, 1)
LEDGER_SHEET = "台账"
PARAM_SHEET = "参数"
TARGET_SHEET = "目标"
HEADER_ROWS = (3, 4)  # Excel rows of the two-row header
FIRST_DATA_ROW = 5

CHECK_CHARS = "10X98765432"  # the eleven check characters of GB 11643-1999

# Kinds of planted problem (what ``jyyz check`` must report).
BAD_CHECK_DIGIT = "身份证号码校验位错误"
BLANK_ID = "身份证号码为空"
BLANK_NAME = "姓名为空"
BAD_DATE = "日期无效"
SEX_CONFLICT = "性别与身份证号码不一致"
BAD_BOOL = "是否类取值无法识别"
OLD_ID = "15位旧身份证号码"
ERROR_KINDS = (BAD_CHECK_DIGIT, BLANK_ID, BLANK_NAME, BAD_DATE, SEX_CONFLICT, BAD_BOOL)


def id18(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    # python-stdnum's function takes a whole number and ignores its last character
    return body + calc_check_digit(body + "0")


def id15(region: str, birth: dt.date, seq: int) -> str:
    return f"{region}{birth:%y%m%d}{seq:03d}"


# --------------------------------------------------------------------------- places and people


#: A street and a column of a sample (declared in each pack folder's sample.py).
Area = SampleArea
Col = SampleColumn


#: GB/T 2260 province codes of the sample areas (户籍地 column).
PROVINCE_OF = {"14": "山西省太原市", "32": "江苏省", "34": "安徽省合肥市", "62": "甘肃省兰州市"}


@dataclass
class Spec:
    policy: str
    province: str
    city: str
    areas: tuple[Area, ...]
    columns: tuple[Col, ...]
    seed: int
    households: int
    allowance_standard: int
    office: str  # 发文机关 (street office)
    bureau: str  # 上级单位
    basis: str  # 依据 of the local parameters
    title: str


@dataclass(frozen=True)
class Planted:
    """A problem put into a sample on purpose."""

    cell: str  # "C15"
    field: str  # canonical field
    kind: str  # one of the constants above

    @property
    def is_error(self) -> bool:
        return self.kind in ERROR_KINDS


@dataclass
class Sample:
    policy: str
    path: Path
    people: int
    households: int
    planted: list[Planted] = field(default_factory=list)

    @property
    def planted_errors(self) -> list[Planted]:
        return [p for p in self.planted if p.is_error]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉建国志斌鹏华飞鑫波宇浩凯健俊峰海林东文云龙兵德生成"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华玲红梅琳燕兰萍洁琴慧莉颖雪婷云凤春桂珍玉"

STATE_FIRMS = ("国有", "国营", "国有企业", "集体", "集体企业")
OTHER_FIRMS = ("私营", "个体", "外资", "股份制", "民营")
EMPLOYERS = (
    "{city}恒达物业管理有限公司",
    "{city}鑫源商贸有限公司",
    "{district}环卫所",
    "{district}社区服务中心",
    "{city}顺通物流有限公司",
    "{city}康乐家政服务部",
)
SKILLS = ("无", "电工", "焊工", "驾驶", "家政", "厨师", "缝纫", "保安", "计算机操作", "营业员")
WISHES = ("保洁", "保安", "门卫", "营业员", "家政服务", "公益性岗位", "灵活就业", "自主创业")
ROADS = ("建设路", "解放路", "人民路", "新华街", "朝阳路", "和平路", "胜利街", "文化路")


# --------------------------------------------------------------------------- the five ledgers


#: Columns a well-kept ledger has so that no conclusion is 待核实 for want of a column:
#: 是否登记失业人员 (the record where 失业登记日期 is blank) and 原退休年龄 (50 or 55
#: for a woman, deciding her retirement date under the 2025 reform).
KEPT_COLS = (
    Col("是否登记失业人员", "registered_unemployed_flag", width=8),
    Col("原退休年龄", "original_retirement_age", width=6),
)


def _cols(*cols: Col) -> tuple[Col, ...]:
    # the kept columns go before the officer columns and 备注 at the right
    at = next(
        (
            i
            for i, c in enumerate(cols)
            if c.field in ("officer", "officer_phone") or c.field is None and i > 1
        ),
        len(cols),
    )
    if not any(c.field == "registered_unemployed_flag" for c in cols):
        cols = (*cols[:at], *KEPT_COLS, *cols[at:])
    for c in cols:
        if c.field is not None and match_header(c.header) != c.field:
            raise AssertionError(f"{c.header} does not map to {c.field}")
    return cols


def _specs() -> dict[str, Spec]:
    """One sample per registered pack that declares one (its folder's sample.py)."""
    out = {}
    for pack in list_policies():
        if pack.sample is None:
            continue
        sample = pack.sample
        out[pack.code] = Spec(
            pack.code,
            sample.province,
            sample.city,
            sample.areas,
            _cols(*sample.columns),
            sample.seed,
            sample.households,
            sample.allowance_standard,
            sample.office,
            sample.bureau,
            sample.basis,
            sample.title,
        )
    return out


SPECS = _specs()


# --------------------------------------------------------------------------- people


class _People:
    """Households of one ledger, as dicts of canonical field -> Python value."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.used_ids: set[str] = set()
        self.officers: dict[str, tuple[str, str]] = {}
        self.rows: list[dict] = []
        self.households = 0

    def name(self, sex: str, surname: str | None = None) -> str:
        r = self.rng
        sn = surname or r.choice(SURNAMES)
        chars = MALE_CHARS if sex == "男" else FEMALE_CHARS
        given = r.choice(chars) + (r.choice(chars) if r.random() < 0.7 else "")
        return sn + given

    def officer(self, community: str) -> tuple[str, str]:
        if community not in self.officers:
            sex = self.rng.choice("男女")
            phone = (
                "1"
                + self.rng.choice("358")
                + "".join(self.rng.choice("0123456789") for _ in range(9))
            )
            self.officers[community] = (self.name(sex), phone)
        return self.officers[community]

    def birth(self, age: int) -> dt.date:
        ref = REFERENCE_DATE
        days = self.rng.randint(0, 364)
        return dt.date(ref.year - age - 1, ref.month, 1) + dt.timedelta(days=days)

    def id_number(self, region: str, birth: dt.date, sex: str) -> str:
        while True:
            seq = self.rng.randint(1, 499) * 2 - (1 if sex == "男" else 0)
            seq = max(seq, 1)
            if (seq % 2 == 1) != (sex == "男"):
                seq += 1
            number = id18(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def months_ago(self, lo: int, hi: int) -> dt.date:
        ref = REFERENCE_DATE
        m = self.rng.randint(lo, hi)
        y, mo = divmod(ref.year * 12 + ref.month - 1 - m, 12)
        # never after the reference date (a later date would be a data problem)
        return min(dt.date(y, mo + 1, self.rng.randint(1, 28)), ref - dt.timedelta(days=1))

    def person(self, area: Area, community: str, hid: str, relation: str, sex: str, age: int,
               surname: str | None = None) -> dict:  # fmt: skip
        r = self.rng
        birth = self.birth(age)
        officer, officer_phone = self.officer(community)
        p: dict = {
            "name": self.name(sex, surname),
            "sex": sex,
            "birth_date": birth,
            "id_number": self.id_number(area.region, birth, sex),
            "household_registration": r.choice(("城镇", "城镇", "非农业", "城镇户口")),
            # SX-2008 一“具有我省城市户口” reads 户籍地 (calc.rules.hukou_in_province)
            "registered_place": PROVINCE_OF.get(area.region[:2], "") + area.district,
            "household_id": hid,
            "relation": relation,
            "street": area.street,
            "community": community,
            "phone": "1" + r.choice("35789") + "".join(r.choice("0123456789") for _ in range(9)),
            "officer": officer,
            "officer_phone": officer_phone,
            "able_to_work": True,
            "wants_work": True,
            "accepts_any_post": True,
            "skills": r.choice(SKILLS),
            "wishes": r.choice(WISHES),
            "_age": age,
        }
        return p

    def unemployed(self, p: dict, months: tuple[int, int] = (3, 96), registered: bool = True):
        r = self.rng
        p["employment_status"] = r.choice(("失业", "失业", "下岗", "未就业"))
        since = self.months_ago(*months)
        # Nobody is unemployed (or registers) before 16: clamp to the 16th birthday.
        birth = p["birth_date"]
        adult = dt.date(birth.year + 16, birth.month, min(birth.day, 28)) + dt.timedelta(days=30)
        since = max(since, min(adult, REFERENCE_DATE - dt.timedelta(days=90)))
        p["unemployment_date"] = since
        if registered:
            reg = since + dt.timedelta(days=r.randint(3, 40))
            p["unemployment_registration_date"] = min(reg, REFERENCE_DATE - dt.timedelta(days=20))
            p["jobseeking_date"] = p["unemployment_registration_date"]
            first = p["unemployment_registration_date"] + dt.timedelta(days=r.randint(10, 45))
            p["first_approval_date"] = min(first, REFERENCE_DATE - dt.timedelta(days=5))
            p["last_report_date"] = self.months_ago(0, 4)
            if p["first_approval_date"].year < REFERENCE_DATE.year:
                p["annual_review_date"] = dt.date(
                    REFERENCE_DATE.year, r.randint(1, 3), r.randint(1, 28)
                )
        older = p["_age"] >= 38
        if older and r.random() < 0.7:
            p["former_employer_type"] = r.choice(STATE_FIRMS)
            p["separation_type"] = r.choice(("下岗", "下岗", "失业", "关闭破产安置"))
        else:
            p["former_employer_type"] = r.choice(OTHER_FIRMS) if r.random() < 0.8 else "无"
            p["separation_type"] = "失业"
        p["low_skill"] = older and r.random() < 0.6
        p["refused_posts"] = 0

    def employed(self, p: dict, kind: str | None = None):
        r = self.rng
        kind = kind or r.choice(("企业吸纳", "企业吸纳", "灵活就业", "公益性岗位", "自主创业"))
        p["employment_status"] = "已就业"
        p["employment_type"] = kind
        p["employment_date"] = self.months_ago(2, 40)
        if kind in ("企业吸纳", "公益性岗位"):
            p["employer"] = r.choice(EMPLOYERS).format(
                city=self.spec.city, district=self.spec.areas[0].district
            )
            p["contract_years"] = r.choice((1, 2, 3, 3, 5))
            p["si_paid_on_time"] = True
        p["former_employer_type"] = r.choice(STATE_FIRMS + OTHER_FIRMS)
        p["separation_type"] = r.choice(("下岗", "失业"))
        p["low_skill"] = False

    def household(self, kind: str):
        r = self.rng
        self.households += 1
        area = r.choice(self.spec.areas)
        community = r.choice(area.communities)
        code = self.spec.policy.split("-")[0]
        hid = f"{code}{self.households:04d}"
        surname = r.choice(SURNAMES)
        members: list[dict] = []
        head_sex = r.choice("男女")
        other = "女" if head_sex == "男" else "男"
        if kind == "couple_unemployed":
            age = r.randint(36, 55)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            b = self.person(area, community, hid, "配偶", other, max(25, age + r.randint(-5, 4)))
            self.unemployed(a)
            self.unemployed(b, registered=r.random() < 0.85)
            members = [a, b]
            marital = "已婚"
        elif kind == "couple_mixed":
            age = r.randint(30, 56)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            b = self.person(area, community, hid, "配偶", other, max(25, age + r.randint(-5, 4)))
            self.unemployed(a)
            self.employed(b)
            members = [a, b]
            if r.random() < 0.4:
                c = self.person(
                    area, community, hid, "子女", r.choice("男女"), r.randint(19, 26), surname
                )
                if r.random() < 0.5:
                    self.unemployed(c, months=(2, 20))
                else:
                    self.employed(c)
                members.append(c)
            marital = "已婚"
        elif kind == "single":
            age = r.randint(22, 58)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            self.unemployed(a)
            members = [a]
            marital = r.choice(("未婚", "已婚"))
        elif kind == "single_parent":
            age = r.randint(32, 50)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            self.unemployed(a)
            a["supports_dependants"] = True
            members = [a]
            marital = r.choice(("离异", "丧偶"))
        elif kind == "employed_family":
            age = r.randint(28, 55)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            self.employed(a)
            members = [a]
            if r.random() < 0.6:
                b = self.person(
                    area, community, hid, "配偶", other, max(25, age + r.randint(-5, 4))
                )
                self.employed(b)
                members.append(b)
            marital = "已婚" if len(members) > 1 else r.choice(("未婚", "已婚", "离异"))
        else:  # "with_parent": unemployed adult with a retired parent listed
            age = r.randint(28, 45)
            a = self.person(area, community, hid, "户主", head_sex, age, surname)
            self.unemployed(a)
            parent = self.person(
                area, community, hid, "父母", r.choice("男女"), r.randint(66, 75), surname
            )
            parent["_note"] = "退休"
            parent["wants_work"] = False
            members = [a, parent]
            marital = r.choice(("未婚", "离异"))
        # Household-level facts.
        allowance = r.random() < 0.3
        size = len(members) + r.choice((0, 0, 1, 1, 2))
        standard = self.spec.allowance_standard
        if allowance:
            income = r.randint(0, max(1, standard * size - 200)) // 10 * 10
        else:
            income = r.randint(standard * size, standard * size * 4) // 10 * 10
        employed_any = any(m.get("employment_status") == "已就业" for m in members)
        road = r.choice(ROADS)
        address = f"{self.spec.city}{area.district}{road}{r.randint(1, 300)}号{r.randint(1, 12)}栋{r.randint(1, 6)}0{r.randint(1, 4)}室"
        for m in members:
            m.setdefault("marital_status", marital if m["relation"] in ("户主", "配偶") else "未婚")
            m.setdefault("supports_dependants", r.random() < 0.3)
            m["minimum_allowance"] = allowance
            m["rural_allowance"] = False
            m["household_size"] = size
            m["household_income"] = income
            m["other_stable_income"] = employed_any or (not allowance and r.random() < 0.3)
            m["address"] = address
            if m["relation"] == "父母":
                m["other_stable_income"] = True
            self.rows.append(m)


def _people(spec: Spec) -> _People:
    ppl = _People(spec)
    r = ppl.rng
    kinds = (
        ["couple_unemployed"] * 5
        + ["couple_mixed"] * 6
        + ["single"] * 5
        + ["single_parent"] * 3
        + ["employed_family"] * 3
        + ["with_parent"] * 2
    )
    for _ in range(spec.households):
        ppl.household(r.choice(kinds))
    rows = ppl.rows
    unemployed = [p for p in rows if p.get("employment_status") in ("失业", "下岗", "未就业")]
    # Non-eligible people on purpose: rural household registration, never registered.
    for p in r.sample(unemployed, 4):
        p["household_registration"] = r.choice(("农村", "农业"))
    for p in r.sample(unemployed, 4):
        for k in ("unemployment_registration_date", "first_approval_date", "jobseeking_date"):
            p.pop(k, None)
        p.pop("annual_review_date", None)
    for p in r.sample(unemployed, 2):
        p["able_to_work"] = False
    # Categories needing a flag (a handful of people each).
    for p in r.sample(unemployed, 3):
        p["locally_designated"] = True
    for p in r.sample(unemployed, 4):
        p["disabled"] = True
    for p in r.sample(unemployed, 3):
        p["landless"] = True
    for p in r.sample(unemployed, 3):
        p["special_hardship"] = True
    young = [p for p in unemployed if p["_age"] <= 26] or unemployed
    for p in r.sample(young, min(3, len(young))):
        p["poor_graduate"] = True
        p["graduate_this_year"] = r.random() < 0.5
        p["former_employer_type"] = "无"
    for p in r.sample(unemployed, 2):
        p["rural_zero_transfer"] = True
        p["household_registration"] = "农村"
        p["rural_allowance"] = True
    employed = [p for p in rows if p.get("employment_status") == "已就业"]
    for p in r.sample(employed, 3):
        p["community_project"] = True
        p["employment_type"] = "企业吸纳"
        p["contract_years"] = 3
        p["si_paid_on_time"] = True
    for p in r.sample(employed, 2):
        p["child_in_technical_school"] = True
    # Lapses: refused posts, no report for more than half a year, gave up, missed review.
    for p in r.sample(unemployed, 2):
        p["refused_posts"] = 4
    for p in r.sample(unemployed, 2):
        p["last_report_date"] = ppl.months_ago(8, 14)
    for p in r.sample(unemployed, 1):
        p["gave_up"] = True
    reviewed = [p for p in unemployed if "annual_review_date" in p]
    for p in r.sample(reviewed, 2):
        p.pop("annual_review_date")
    # New applicants awaiting certification (SX-2008 二(一)): registered, no 认定日期 yet;
    # the documents put them in the 拟认定 notice, not in an agreement.  A separate
    # random stream, so every other sampled person stays the same.
    awaiting = random.Random(spec.seed * 7 + 1)
    candidates = [
        p for p in unemployed if "first_approval_date" in p and not p.get("refused_posts")
    ]
    for p in awaiting.sample(candidates, min(6, len(candidates))):
        p.pop("first_approval_date")
        p.pop("annual_review_date", None)
    # 是否登记失业人员 and 原退休年龄 are kept for everyone (a well-kept ledger): the record
    # of registration follows the 失业登记日期, and a woman's original retirement age is
    # 50 (worker) or 55 (cadre), a man's 60.  A separate random stream: nobody else changes.
    kept = random.Random(spec.seed * 11 + 3)
    for p in rows:
        p["registered_unemployed_flag"] = bool(p.get("unemployment_registration_date"))
        if p.get("sex") == "女":
            p["original_retirement_age"] = 55 if kept.random() < 0.3 else 50
        else:
            p["original_retirement_age"] = 60
    # Yes/no columns are answered for everyone (a blank answer makes the engine say 待核实).
    flags = ("locally_designated", "disabled", "landless", "special_hardship", "poor_graduate",
             "graduate_this_year", "rural_zero_transfer", "community_project",
             "child_in_technical_school", "gave_up")  # fmt: skip
    for p in rows:
        for f in flags:
            p.setdefault(f, False)
        if p.get("employment_status") == "已就业":
            p.setdefault("si_paid_on_time", False)
    # Cards and policies enjoyed (display only).
    for p in rows:
        if "first_approval_date" in p:
            p["holds_reemployment_card"] = True
            if p.get("employment_type") == "公益性岗位":
                p["policies_enjoyed"] = "公益性岗位补贴、社会保险补贴"
            elif p.get("employment_status") == "已就业":
                p["policies_enjoyed"] = "职业介绍"
            else:
                p["policies_enjoyed"] = r.choice(("职业指导", "职业培训", "职业介绍", ""))
    return ppl


# --------------------------------------------------------------------------- writing


def _text_date(d: dt.date, style: int) -> str:
    return (
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y%m%d}",
        f"{d.year}/{d.month:02d}/{d.day:02d}",
    )[style % 4]


def _plant(ppl: _People, spec: Spec, cols: Sequence[Col]) -> list[Planted]:
    """Put the known problems into the rows; return them with their cells."""
    r = ppl.rng
    letter = {c.field: xlsxwriter.utility.xl_col_to_name(i) for i, c in enumerate(cols) if c.field}
    rows = ppl.rows
    planted: list[Planted] = []
    chosen = r.sample(range(len(rows)), 12)

    def cell(i: int, fieldname: str) -> str:
        return f"{letter[fieldname]}{FIRST_DATA_ROW + i}"

    # Wrong check digits.
    for i in chosen[0:3]:
        good = rows[i]["id_number"]
        wrong = CHECK_CHARS[(CHECK_CHARS.index(good[-1]) + 1) % 11]
        rows[i]["id_number"] = good[:-1] + wrong
        planted.append(Planted(cell(i, "id_number"), "id_number", BAD_CHECK_DIGIT))
    # Blank IDs and a blank name.
    for i in chosen[3:5]:
        rows[i]["id_number"] = None
        planted.append(Planted(cell(i, "id_number"), "id_number", BLANK_ID))
    i = chosen[5]
    rows[i]["name"] = None
    planted.append(Planted(cell(i, "name"), "name", BLANK_NAME))
    # Impossible dates typed as text.
    i = chosen[6]
    rows[i]["unemployment_registration_date"] = "2019.2.30"
    planted.append(
        Planted(
            cell(i, "unemployment_registration_date"), "unemployment_registration_date", BAD_DATE
        )
    )
    i = chosen[7]
    rows[i]["birth_date"] = f"{rows[i]['birth_date'].year}年13月5日"
    planted.append(Planted(cell(i, "birth_date"), "birth_date", BAD_DATE))
    # Sex contradicting the ID number.
    i = chosen[8]
    rows[i]["sex"] = "男" if rows[i]["sex"] == "女" else "女"
    planted.append(Planted(cell(i, "sex"), "sex", SEX_CONFLICT))
    # An unreadable yes/no answer.
    yn_field = next(
        f for f in ("minimum_allowance", "able_to_work", "other_stable_income") if f in letter
    )
    i = chosen[9]
    rows[i][yn_field] = "待定"
    planted.append(Planted(cell(i, yn_field), yn_field, BAD_BOOL))
    # First-generation 15-digit numbers (valid, reported as a notice).
    older = [
        k
        for k, p in enumerate(rows)
        if k not in chosen and p["_age"] >= 47 and isinstance(p.get("id_number"), str)
    ]
    for i in r.sample(older, 3):
        p = rows[i]
        seq = int(p["id_number"][14:17])
        p["id_number"] = id15(p["id_number"][:6], p["birth_date"], seq)
        planted.append(Planted(cell(i, "id_number"), "id_number", OLD_ID))
    return planted


def _write_ledger(wb, spec: Spec, ppl: _People, planted: list[Planted]) -> None:
    cols = spec.columns
    ws = wb.add_worksheet(LEDGER_SHEET)
    last = len(cols) - 1
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter", "font_name": "宋体"})  # fmt: skip
    note = wb.add_format({"font_size": 9, "text_wrap": True, "valign": "top", "font_color": "#595959"})  # fmt: skip
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#DDEBF7", "font_size": 10})  # fmt: skip
    cell = wb.add_format({"border": 1, "font_size": 10})
    text = wb.add_format({"border": 1, "font_size": 10, "num_format": "@"})
    date = wb.add_format({"border": 1, "font_size": 10, "num_format": "yyyy-mm-dd"})
    money = wb.add_format({"border": 1, "font_size": 10, "num_format": "#,##0"})
    footer = wb.add_format({"font_size": 10})

    ws.merge_range(0, 0, 0, last, spec.title, title)
    ws.set_row(0, 30)
    ws.merge_range(
        1,
        0,
        1,
        last,
        "填表说明：1. 本台账由社区劳动保障工作站按户逐人填写，家庭中法定劳动年龄内成员无论是否就业均须列入；"
        "2. 身份证号码按文本录入，日期格式为“年-月-日”；3. 是否类栏目填“是/否”或“有/无”；"
        "4. 右侧“认定类别”至“数据问题”各栏由就业援助加载项（jyyz）计算，请勿手工修改。（样例数据，人物均为虚构）",
        note,
    )
    ws.set_row(1, 42)
    # Two-row header: group cells merged across, single headers merged down.
    top, low = HEADER_ROWS[0] - 1, HEADER_ROWS[1] - 1
    i = 0
    while i <= last:
        c = cols[i]
        if c.group:
            j = i
            while j + 1 <= last and cols[j + 1].group == c.group:
                j += 1
            ws.merge_range(top, i, top, j, c.group, head)
            for k in range(i, j + 1):
                ws.write_string(low, k, cols[k].header, head)
            i = j + 1
        else:
            ws.merge_range(top, i, low, i, c.header, head)
            i += 1
    ws.set_row(top, 22)
    ws.set_row(low, 30)
    for k, c in enumerate(cols):
        ws.set_column(k, k, c.width)

    r = ppl.rng
    text_dates = {id(p): r.random() < 0.12 for p in ppl.rows}
    for n, p in enumerate(ppl.rows):
        row = FIRST_DATA_ROW - 1 + n
        for k, c in enumerate(cols):
            if c.field is None:
                if c.header == "序号":
                    ws.write_number(row, k, n + 1, cell)
                elif p.get("_note"):
                    ws.write_string(row, k, p["_note"], cell)
                else:
                    ws.write_blank(row, k, None, cell)
                continue
            v = p.get(c.field)
            if v is None or v == "":
                ws.write_blank(row, k, None, cell)
            elif isinstance(v, bool):
                ws.write_string(row, k, c.bool_words[0] if v else c.bool_words[1], cell)
            elif isinstance(v, dt.date):
                if text_dates[id(p)] and c.field in ("birth_date", "unemployment_date", "unemployment_registration_date", "first_approval_date"):  # fmt: skip
                    ws.write_string(row, k, _text_date(v, n + k), text)
                else:
                    ws.write_datetime(row, k, dt.datetime(v.year, v.month, v.day), date)
            elif isinstance(v, int):
                if c.field in ("refused_posts",) and v == 0:
                    ws.write_blank(row, k, None, cell)
                else:
                    ws.write_number(row, k, v, money if c.field == "household_income" else cell)
            else:
                ws.write_string(row, k, str(v), text if c.field in ("id_number", "phone", "officer_phone") else cell)  # fmt: skip
    end = FIRST_DATA_ROW - 1 + len(ppl.rows)
    officer = ppl.officer(spec.areas[0].communities[0])[0]
    ws.write_string(end + 1, 0, f"填表人：{officer}", footer)
    ws.write_string(end + 1, 6, "审核人：（街道劳动保障事务所盖章）", footer)
    ws.write_string(end + 1, 14, f"填表日期：{REFERENCE_DATE.year}年{REFERENCE_DATE.month}月{REFERENCE_DATE.day}日", footer)  # fmt: skip
    ws.freeze_panes(FIRST_DATA_ROW - 1, 3)
    sex_col = next(k for k, c in enumerate(cols) if c.field == "sex")
    ws.data_validation(FIRST_DATA_ROW - 1, sex_col, end, sex_col, {"validate": "list", "source": ["男", "女"]})  # fmt: skip
    ws.autofilter(HEADER_ROWS[1] - 1, 0, end - 1 + 1, last)
    ws.set_landscape()
    ws.repeat_rows(HEADER_ROWS[0] - 1, HEADER_ROWS[1] - 1)


def _parameter_rows(spec: Spec) -> list[list]:
    from calc.policies import get_policy

    pack = get_policy(spec.policy)
    since = pack.issued
    recent = dt.date(2024, 1, 1)
    doc = pack.doc_number or pack.issuer
    s = spec.allowance_standard
    rows = [
        ["政策代码", spec.policy, since, f"{pack.title}（{doc}）", ""],
        ["城市居民最低生活保障标准", s - 120, since, spec.basis, ""],
        ["城市居民最低生活保障标准", s, recent, spec.basis, ""],
        ["最低工资标准", 1980, recent, spec.basis, ""],
        ["公益性岗位补贴月标准", 600, since, spec.basis, ""],
        ["公益性岗位补贴月标准", 1000, recent, spec.basis, ""],
        ["社会保险补贴缴费基数", 4200, recent, spec.basis, ""],
        ["社会保险补贴缴费基数", 3000, since, spec.basis, ""],
        ["补贴期限（年）", 3, since, spec.basis, ""],
        ["公示期（工作日）", 7, since, spec.basis, ""],
    ]
    # Ages and months the text names but does not fix: the pack's example values,
    # written out so that the clerk sees them and replaces them with the city's.
    for name in ("大龄女性年龄", "大龄男性年龄", "长期失业认定月数"):
        declared = pack.parameters.get(name)
        if declared and declared[-1].example:
            value = declared[-1].value
            rows.append([name, value, since, "按通常理解（示例，请按当地文件修改）", spec.policy])
    return rows


def _write_parameters(wb, spec: Spec) -> None:
    ws = wb.add_worksheet(PARAM_SHEET)
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#E2EFDA", "align": "center"})
    cell = wb.add_format({"border": 1})
    date = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    for k, h in enumerate(("名称", "数值", "生效日期", "依据", "政策")):
        ws.write_string(0, k, h, head)
    for n, row in enumerate(_parameter_rows(spec), start=1):
        for k, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(n, k, dt.datetime(v.year, v.month, v.day), date)
            elif isinstance(v, int | float):
                ws.write_number(n, k, v, cell)
            elif v == "":
                ws.write_blank(n, k, None, cell)
            else:
                ws.write_string(n, k, v, cell)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 4, 10)
    wb.define_name("政策代码", f"='{PARAM_SHEET}'!$B$2")


SETTINGS_SHEET = "设置"
SETTINGS_HEADERS = ("街道", "社区", "发文机关", "地址", "电话", "上级单位", "编号前缀")
#: Telephone area codes of the sample cities (local numbers: 8 digits in 南京 and 合肥).
AREA_CODES = {"南京市": ("025", 8), "太原市": ("0351", 7), "兰州市": ("0931", 7),
              "连云港市": ("0518", 8), "合肥市": ("0551", 8)}  # fmt: skip


def street_office(spec: Spec, area: Area) -> str:
    """The street (town) office of an area: 甲方 of its agreements, issuer of its
    notice, and the unit that sets its communities' targets."""
    return f"{spec.city}{area.district}{area.street}劳动保障事务所"


def _settings_rows(spec: Spec) -> list[list]:
    """The 设置 sheet: one office a row, each for its own street (fictional data in
    the right district: address, phone with the city's area code, district bureau)."""
    code, digits = next((v for k, v in AREA_CODES.items() if spec.city.endswith(k)), ("0000", 7))
    rows = []
    for area in spec.areas:
        local = ("6" + area.region[-3:] + "12333")[:digits]
        rows.append(
            [
                area.street,
                None,
                street_office(spec, area),
                f"{spec.city}{area.district}{area.street}办事处一楼劳动保障窗口",
                f"{code}-{local}",
                f"{spec.city}{area.district}人力资源和社会保障局",
                area.street.removesuffix("街道").removesuffix("镇")[:2],
            ]
        )
    return rows


def _write_settings(wb, spec: Spec) -> None:
    ws = wb.add_worksheet(SETTINGS_SHEET)
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "align": "center"})
    cell = wb.add_format({"border": 1})
    for k, h in enumerate(SETTINGS_HEADERS):
        ws.write_string(0, k, h, head)
    for n, row in enumerate(_settings_rows(spec), start=1):
        for k, v in enumerate(row):
            if v is None:
                ws.write_blank(n, k, None, cell)
            else:
                ws.write_string(n, k, v, cell)
    for k, w in enumerate((12, 10, 36, 44, 14, 34, 10)):
        ws.set_column(k, k, w)


TARGET_HEADERS = (
    "责任单位",
    "下达单位",
    "年度",
    "目标项目",
    "目标值",
    "计量单位",
    "完成时限",
    "说明",
    "依据",
)


def _household_targets(spec: Spec, ppl: _People) -> tuple[object, dict[str, int]]:
    """The pack's household deadline rule (e.g. SX-2008 四(一) one month) and, per
    community, the households the engine puts under it."""
    import numpy as np
    import pandas as pd

    from calc.assess import run_ledger
    from calc.policies import get_policy

    pack = get_policy(spec.policy)
    rule = next((d for d in pack.deadlines if d.categories and d.source_field), None)
    if rule is None:
        return None, {}
    frame = pd.DataFrame(ppl.rows, dtype=object)
    frame = frame[[c for c in frame.columns if match_header(c) or c in _canonical_names()]]
    run = run_ledger(pack, frame, REFERENCE_DATE, explain=False)
    hit = np.zeros(len(frame), dtype=bool)
    for code in rule.categories:
        if code in run.category_masks:
            hit |= run.category_masks[code]
    counts: dict[str, int] = {}
    for community, households in frame[hit].groupby("community")["household_id"]:
        counts[community] = households.nunique()
    return rule, counts


def _canonical_names() -> set[str]:
    from calc.fields import FIELDS

    return set(FIELDS)


def _target_rows(spec: Spec, ppl: _People) -> list[list]:
    """The 目标 sheet of a sample.  年度 and 完成时限 are left empty: the letter is then
    for the year it is made in and each target runs to that year's end, so the bundled
    samples never ask for a letter for a year that is already over."""
    year = None
    rule, households = _household_targets(spec, ppl)
    rows = []
    for area in spec.areas:
        # Each community's letter comes from its own street office (SX-2008 二(三): level by level).
        issuer = street_office(spec, area)
        for community in area.communities:
            people = [p for p in ppl.rows if p["community"] == community]
            unemployed = [
                p for p in people if p.get("employment_status") in ("失业", "下岗", "未就业")
            ]
            n = len(people)
            rows.append([f"{area.street}{community}", issuer, year, "认定对象并建立台账", n, "人", None, "按本台账核定人数", f"{spec.policy}"])  # fmt: skip
            rows.append([f"{area.street}{community}", issuer, year, "援助对象实现就业", max(1, len(unemployed) // 2), "人", None, "全年累计", f"{spec.policy}"])  # fmt: skip
            rows.append([f"{area.street}{community}", issuer, year, "开发公益性岗位", max(1, len(unemployed) // 6), "个", None, "", f"{spec.policy}"])  # fmt: skip
            if rule is not None:
                rows.append([f"{area.street}{community}", issuer, year, f"{rule.event}（{rule.explanation}）", households.get(community, 0), "户", None, "按台账核定户数，每户按时限实现至少1人就业", str(rule.clause)])  # fmt: skip
    return rows


def _write_targets(wb, spec: Spec, ppl: _People) -> None:
    ws = wb.add_worksheet(TARGET_SHEET)
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#FFF2CC", "align": "center"})
    cell = wb.add_format({"border": 1})
    date = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    for k, h in enumerate(TARGET_HEADERS):
        ws.write_string(0, k, h, head)
    for n, row in enumerate(_target_rows(spec, ppl), start=1):
        for k, v in enumerate(row):
            if v is None:
                ws.write_blank(n, k, None, cell)
            elif isinstance(v, dt.date):
                ws.write_datetime(n, k, dt.datetime(v.year, v.month, v.day), date)
            elif isinstance(v, int):
                ws.write_number(n, k, v, cell)
            else:
                ws.write_string(n, k, v, cell)
    for k, w in enumerate((24, 30, 6, 20, 8, 8, 11, 16, 10)):
        ws.set_column(k, k, w)


def write_raw(spec: Spec, path: Path) -> Sample:
    """The ledger workbook without computed columns; returns what was planted."""
    ppl = _people(spec)
    planted = _plant(ppl, spec, spec.columns)
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    wb.set_properties(
        {
            "title": spec.title,
            "author": spec.office,
            "company": spec.office,
            "comments": "jyyz 样例台账（虚构数据），由 python -m workbooks.generate 生成",
            "created": dt.datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day),
        }
    )
    _write_ledger(wb, spec, ppl, planted)
    _write_parameters(wb, spec)
    _write_settings(wb, spec)
    _write_targets(wb, spec, ppl)
    wb.close()
    return Sample(spec.policy, path, len(ppl.rows), ppl.households, planted)


def generate(out_dir: str | os.PathLike[str] | None = None, policies: Sequence[str] | None = None,
             *, filled: bool = True, formulas: bool = False) -> dict[str, Sample]:  # fmt: skip
    """Write the sample ledgers into ``out_dir`` (default: the package folder).

    With ``filled`` (default) the computed columns are filled by
    :func:`xl_addin.jobs.fill` as values, formatted like the ledger, so the
    sample shows its results in any program (WPS, LibreOffice, an Excel without
    the add-in); ``formulas`` writes live ``=JY_…`` formulas with cached values
    instead (what ``jyyz fill --formulas`` makes).
    """
    from xl_addin import jobs

    out = Path(out_dir) if out_dir is not None else SAMPLE_DIR
    out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Sample] = {}
    for code in policies or SAMPLE_POLICIES:
        spec = SPECS[code]
        final = out / sample_name(code)
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            raw = Path(tmp) / sample_name(code)
            sample = write_raw(spec, raw)
            if filled or formulas:
                done = Path(tmp) / ("filled_" + sample_name(code))
                jobs.fill(raw, out=done, as_of=REFERENCE_DATE, formulas=formulas)
                shutil.move(str(done), final)
            else:
                shutil.move(str(raw), final)
        sample.path = final
        result[code] = sample
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m workbooks.generate", description="生成样例台账")
    ap.add_argument("-o", "--out", default=None, help="输出目录（默认 workbooks/）")
    ap.add_argument("--policy", action="append", help="只生成指定政策的样例（可多次）")
    ap.add_argument("--raw", action="store_true", help="不写计算列")
    ap.add_argument("--formulas", action="store_true", help="计算列写成 =JY_… 公式（带缓存值）")
    args = ap.parse_args(argv)
    samples = generate(args.out, args.policy, filled=not args.raw, formulas=args.formulas)
    for s in samples.values():
        size = s.path.stat().st_size
        errors = len(s.planted_errors)
        print(f"{s.path}  {s.people}人 {s.households}户  预置问题{errors}处  {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
