"""Canonical person fields of an assistance ledger (就业援助台账).

Real ledgers name the same column in many ways ("身份证号码", "公民身份号码",
"身份证号"…).  This table is the one place that says which header means
which field; the engine works on the canonical English names only.

The field list follows what the policies ask about: SX-2008 二(二) names the
ledger contents (age, skills, services, wishes, outcome, policies enjoyed);
the categories of JS-2002 二, SX-2008 一, AH-2011 (三) and the periods of
AH-2011 (八) need the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Kinds of value; calc.normalize converts raw cells by kind.
TEXT, ID, SEX, DATE, BOOL, INT, MONEY = "text", "id", "sex", "date", "bool", "int", "money"
#: A date field whose values may be whole months ("2024年12月", "202412", "2024.12").
MONTH = "month"
#: Two months in one cell: “2022.03-2022.12”, “2023年7月至2023年12月”.
PERIOD = "period"


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    kind: str
    synonyms: tuple[str, ...] = ()
    note: str = ""

    @property
    def all_headers(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        "姓名",
        TEXT,
        (
            "名字",
            "人员姓名",
            "援助对象姓名",
            "个人姓名",
            "职工姓名",
            "申请人姓名",
            "家属姓名",
            "成员姓名",
            "家庭成员姓名",
        ),
        "家属信息表的“家属姓名”即其成员的姓名",
    ),
    Field("sex", "性别", SEX),
    Field(
        "id_number",
        "公民身份号码",
        ID,
        (
            "身份证号码",
            "身份证号",
            "身份证",
            "公民身份证号码",
            "身份证件号码",
            "证件号码",
            "居民身份证号码",
            "公民身份证号",
            "证件号",
            "社会保障号码",
            "社会保障号",
            "社会保障卡号",
            "个人身份证号码",
            "家属公民身份号码",
            "家属身份证号码",
            "成员公民身份号码",
            "成员身份证号码",
        ),
        "“证件号码”“社会保障号码”列须为身份证号码",
    ),
    Field("birth_date", "出生日期", DATE, ("出生年月日", "出生年月", "生日", "出生时间")),
    Field(
        "household_registration",
        "户籍性质",
        TEXT,
        ("户口性质", "户口类型", "户籍类型", "户籍类别", "户口类别", "户籍"),
    ),
    Field("registered_place", "户籍地", TEXT, ("户籍所在地", "户口所在地", "户籍地址")),
    Field("household_id", "家庭编号", TEXT, ("户编号", "户号", "家庭户号", "家庭号", "家庭编码")),
    Field(
        "household_head_id",
        "户主公民身份号码",
        TEXT,
        ("户主身份证号码", "户主身份证号", "户主证件号码", "户主公民身份证号码"),
        "家属信息表以户主身份证号码成户（无“家庭编号”时作家庭编号用）",
    ),
    Field("relation", "与户主关系", TEXT, ("家庭关系", "关系", "与户主的关系", "家庭成员关系")),
    Field("jobseeking_date", "求职登记日期", DATE, ("求职登记时间",)),
    Field(
        "unemployment_registration_date",
        "失业登记日期",
        DATE,
        (
            "失业登记时间",
            "登记失业日期",
            "登记失业时间",
            "就业失业登记日期",
            "失业登记办理日期",
            "失业登记办理时间",
        ),
    ),
    Field(
        "unemployment_date", "失业日期", DATE, ("失业时间", "下岗日期", "下岗失业日期", "下岗时间")
    ),
    Field(
        "former_employer_type",
        "原单位性质",
        TEXT,
        ("原单位所有制", "原工作单位性质", "原单位类型", "原单位经济类型"),
        "国有 / 集体 / 其他",
    ),
    Field(
        "separation_type",
        "人员身份",
        TEXT,
        ("人员类别", "下岗失业类型", "失业类型"),
        "下岗 / 失业 / 关闭破产安置",
    ),
    Field(
        "minimum_allowance",
        "享受低保",
        BOOL,
        (
            "低保",
            "是否低保",
            "是否享受低保",
            "城市低保",
            "低保户",
            "享受城市低保",
            "是否低保户",
            "低保人员",
            "是否低保人员",
            "是否享受城市低保",
        ),
    ),
    Field("marital_status", "婚姻状况", TEXT, ("婚姻",), "已婚 / 离异 / 丧偶 / 未婚"),
    Field(
        "supports_dependants",
        "抚养赡养",
        BOOL,
        ("抚养未成年子女或赡养老人", "抚养子女或赡养老人", "抚养赡养情况"),
    ),
    Field("household_size", "家庭人口", INT, ("家庭人数", "家庭成员数", "家庭人口数")),
    Field("household_income", "家庭月收入", MONEY, ("家庭月总收入", "家庭收入（月）")),
    Field(
        "income_per_head",
        "家庭人均月收入",
        MONEY,
        ("人均月收入", "家庭人均收入", "人均收入", "家庭月人均收入"),
    ),
    Field("other_stable_income", "其他稳定收入", BOOL, ("有无其他稳定收入", "其他稳定经济来源")),
    Field(
        "employment_status",
        "就业状态",
        TEXT,
        (
            "就业情况",
            "就业失业状态",
            "目前状态",
            "就业状况",
            "就业去向",
            "目前就业状态",
            "人员状态",
            "当前状态",
            "工作状态",
            "身份",
            "目前状况",
        ),
        "失业 / 已就业",
    ),
    Field(
        "employment_type",
        "就业形式",
        TEXT,
        ("就业方式", "安置方式", "就业渠道", "就业类型", "就业形式类别"),
        "企业吸纳 / 灵活就业 / 公益性岗位 / 自主创业 / 个体经营 / 组织起来",
    ),
    Field(
        "employment_date",
        "就业日期",
        DATE,
        (
            "就业时间",
            "上岗日期",
            "实现就业日期",
            "再就业时间",
            "再就业日期",
            "登记就业时间",
            "登记就业日期",
            "就业登记时间",
            "就业登记日期",
            "上岗时间",
            "实现就业时间",
        ),
    ),
    Field(
        "contract_years",
        "劳动合同期限（年）",
        INT,
        ("劳动合同期限", "合同期限", "合同年限", "劳动合同期限年"),
    ),
    Field("able_to_work", "劳动能力", BOOL, ("有无劳动能力", "有劳动能力")),
    Field("wants_work", "就业愿望", BOOL, ("有无就业愿望", "有就业愿望", "就业要求")),
    Field("accepts_any_post", "服从岗位安排", BOOL, ("不挑剔岗位", "不挑不拣")),
    Field("low_skill", "技能偏低", BOOL, ("技能水平偏低", "无技能")),
    Field("skills", "技能特长", TEXT, ("技能", "专长", "职业技能")),
    Field("wishes", "就业意愿", TEXT, ("求职意向", "就业意向")),
    Field("disabled", "残疾人", BOOL, ("是否残疾", "残疾", "是否残疾人", "残疾人员", "持残疾人证")),
    Field(
        "in_school",
        "在校学生",
        BOOL,
        ("是否在校学生", "在校生", "在读学生"),
        "在校学生不计为失业成员",
    ),
    Field("landless", "失地人员", BOOL, ("失地失林", "失地（失林）人员", "是否失地")),
    Field("poor_graduate", "困难家庭高校毕业生", BOOL, ("家庭经济困难高校毕业生",)),
    Field("graduate_this_year", "毕业年度高校毕业生", BOOL, ("毕业年度内高校毕业生",)),
    Field("locally_designated", "地方确定其他", BOOL, ("其他就业困难人员", "政府确定其他")),
    Field("special_hardship", "特困群体", BOOL, ("特困人员", "特困群体认定")),
    Field("community_project", "社区新项目安置", BOOL, ("社区新办项目吸纳", "社区服务项目安置")),
    Field("si_paid_on_time", "按时缴纳社保", BOOL, ("按时缴纳社会保险费", "社保按时缴纳")),
    Field(
        "zero_employment_household",
        "零就业家庭",
        BOOL,
        ("是否零就业家庭", "零就业家庭成员", "是否为零就业家庭", "是否零就业家庭成员"),
    ),
    Field("household_unemployed", "家庭失业人数", INT, ("家庭下岗失业人数", "户内失业人数")),
    Field("child_in_technical_school", "子女就读技工院校", BOOL, ("子女考入技工学校",)),
    Field("rural_zero_transfer", "零转移就业农户", BOOL, ("零转移农户",)),
    Field("rural_allowance", "享受农村低保", BOOL, ("农村低保",)),
    Field("holds_reemployment_card", "持再就业优惠证", BOOL, ("再就业优惠证",)),
    Field("certified_4050_date", "4050认定日期", DATE, ("“4050”认定日期", "4050人员认定日期")),
    Field(
        "flexible_si_subsidy_start",
        "灵活就业社保补贴起始日期",
        DATE,
        ("社保补贴起始日期", "社会保险补贴起始日期"),
    ),
    Field(
        "subsidy_start_month",
        "补贴开始年月",
        MONTH,
        ("补贴起始年月", "补贴开始时间", "享受补贴开始年月", "补贴起始时间", "享受开始年月"),
    ),
    Field(
        "subsidy_end_month",
        "补贴结束年月",
        MONTH,
        ("补贴截止年月", "补贴结束时间", "享受补贴结束年月", "补贴终止年月", "享受截止年月"),
    ),
    Field(
        "subsidy_period",
        "补贴起止年月",
        PERIOD,
        (
            "补贴起止时间",
            "补贴时段",
            "申领补贴时段",
            "享受补贴起止年月",
            "享受补贴起止时间",
            "补贴期间",
            "补贴起止月份",
            "享受期限",
        ),
        "一格写起止两个年月（如“2022.03-2022.12”），无单独的开始、结束年月列时拆开使用",
    ),
    Field("pays_si_individually", "个人身份缴纳社保", BOOL, ("以个人身份缴费", "个人缴纳社保")),
    Field(
        "first_approval_date",
        "初次核定日期",
        DATE,
        (
            "初次认定日期",
            "首次核定日期",
            "首次认定日期",
            "认定日期",
            "认定时间",
            "就业援助对象认定时间",
            "就业援助对象认定日期",
            "就业困难人员认定时间",
            "就业困难人员认定日期",
            "困难认定时间",
            "认定通过时间",
        ),
        "台账记载的认定日期；补贴期限自此起算",
    ),
    Field(
        "last_report_date",
        "最近申报日期",
        DATE,
        ("最近一次申报日期", "最近登记日期", "最近申报时间"),
    ),
    Field(
        "refused_posts", "拒绝岗位次数", INT, ("无正当理由未上岗次数", "拒绝次数", "推荐未上岗次数")
    ),
    Field("annual_review_date", "最近年审日期", DATE, ("年审日期", "年审时间")),
    Field("gave_up", "自愿放弃", BOOL, ("本人自愿放弃", "放弃就业要求")),
    Field(
        "registered_unemployed_flag",
        "是否登记失业人员",
        BOOL,
        ("登记失业人员", "是否登记失业", "是否失业登记", "已失业登记", "是否进行失业登记"),
        "无“失业登记日期”时，按此判断是否已失业登记",
    ),
    Field(
        "certified_category",
        "就业困难人员类型",
        TEXT,
        (
            "就业困难人员类别",
            "困难人员类别",
            "困难人员类型",
            "援助对象类型",
            "援助对象类别",
            "就业援助对象类别",
            "就业援助对象类型",
            "就业困难类型",
            "就业困难类别",
            "就业困难人员认定类别",
            "认定类型",
            "困难类型",
            "申请人员类别",
            "申请认定类别",
        ),
        "台账记载的已认定类别（如“大龄失业人员”；可写编码①…，编码说明写在表下“填表说明”中）",
    ),
    Field("original_retirement_age", "原退休年龄", INT, ("原法定退休年龄",), "60 / 55 / 50"),
    Field(
        "community",
        "社区",
        TEXT,
        (
            "所属社区",
            "社区名称",
            "居委会",
            "社区（居委会）",
            "社区（村）",
            "村（社区）",
            "户籍所属社区（村）",
            "所属社区（村）",
            "社区居委会",
        ),
    ),
    Field(
        "street",
        "街道",
        TEXT,
        (
            "街道办事处",
            "所属街道",
            "乡镇街道",
            "街道（乡镇）",
            "乡镇（街道）",
            "所属街道（乡镇）",
            "街道办",
        ),
    ),
    Field("officer", "援助责任人", TEXT, ("帮扶责任人", "责任人", "包保责任人")),
    Field("officer_phone", "责任人电话", TEXT, ("援助责任人电话", "帮扶责任人电话")),
    Field(
        "phone",
        "联系电话",
        TEXT,
        ("电话", "手机", "手机号码", "联系方式", "手机号", "本人电话", "联系手机"),
    ),
    Field(
        "address",
        "家庭住址",
        TEXT,
        (
            "住址",
            "现住址",
            "居住地址",
            "现居住地址",
            "常住地址",
            "家庭地址",
            "通讯地址",
            "现居住地",
        ),
    ),
    Field(
        "employer",
        "就业单位",
        TEXT,
        (
            "用人单位",
            "工作单位",
            "就业单位名称",
            "工作单位名称",
            "用工单位",
            "用人单位名称",
            "安置单位",
        ),
    ),
    Field("services_received", "接受服务情况", TEXT, ("接受就业服务", "已提供服务")),
    Field("policies_enjoyed", "享受政策情况", TEXT, ("享受扶持政策",)),
)

FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}

_PUNCT = re.compile(r"[\s\u3000*＊:：\-_/·•、]+")
_UNIT = re.compile(r"[（(][^）)]*(元|年|次|人)[）)]$")
_BRACKETS = re.compile(r"[（(\[【〔][^）)\]】〕]*[）)\]】〕]")
_NOTE_WORDS = re.compile(r"(必填|选填|非必填)项?$")


def normalise_header(text: object) -> str:
    """Fold a header cell for matching: NFKC, no spaces, no units or markers."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = s.replace("\n", "").replace("\r", "")
    s = _UNIT.sub("", s)
    s = _PUNCT.sub("", s)
    s = s.replace("“", "").replace("”", "").replace('"', "")
    return s


def header_keys(text: object) -> list[str]:
    """Keys to try for a header, most literal first.

    Real templates add notes: "公民身份号码（必填）", "性别\n(男/女)",
    "出生日期(年/月/日)", "*姓名：", "失业登记日期\n格式：2024-01-01".  After
    the literal form come: the text without bracketed notes of either width,
    the first line alone, and either without a trailing 必填/选填.
    """
    if text is None:
        return []
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    forms = [raw, _BRACKETS.sub("", raw)]
    lines = [ln for ln in raw.replace("\r", "\n").split("\n") if ln.strip()]
    if len(lines) > 1:
        forms += [lines[0], _BRACKETS.sub("", lines[0])]
    keys: list[str] = []
    for form in forms:
        for k in (normalise_header(form), _NOTE_WORDS.sub("", normalise_header(form))):
            if k and k not in keys:
                keys.append(k)
    return keys


_LOOKUP: dict[str, str] = {}
for _f in _FIELDS:
    for _h in _f.all_headers:
        _LOOKUP.setdefault(normalise_header(_h), _f.name)
for _f in _FIELDS:
    for _h in _f.all_headers:
        for _k in header_keys(_h)[1:]:
            _LOOKUP.setdefault(_k, _f.name)

#: Standard header (and every synonym), normalised → field name: what a clerk may
#: write in the 标准字段 column of a 字段对照 sheet.
STANDARD_NAMES: dict[str, str] = dict(_LOOKUP)


def match_header(text: object, aliases: dict[str, str] | None = None) -> str | None:
    """The canonical field a header names, or None when it names none.

    ``aliases`` (normalised ledger header → field name) are the clerk's own
    mappings from a 字段对照 sheet; they win over the built-in synonyms.
    """
    keys = header_keys(text)
    if not keys:
        return None
    if aliases:
        for k in keys:
            if k in aliases:
                return aliases[k]
    for k in keys:
        name = _LOOKUP.get(k)
        if name is not None:
            return name
    return None


def field_for_standard(text: object) -> str | None:
    """The field a 字段对照 "标准字段" cell names (standard header, synonym or English name)."""
    if text is None:
        return None
    t = str(text).strip()
    if t in FIELDS:
        return t
    return match_header(t)


def guess_field(text: object) -> tuple[str | None, float]:
    """The most similar field for an unrecognised header, and how similar (0–1).

    Used to pre-fill the 字段对照 sheet; the clerk confirms or corrects it.
    """
    import difflib

    keys = header_keys(text)
    if not keys:
        return None, 0.0
    best, score = None, 0.0
    for k in keys:
        for cand, name in _LOOKUP.items():
            r = difflib.SequenceMatcher(None, k, cand).ratio()
            if k in cand or cand in k:
                r = max(r, 0.6 + 0.4 * min(len(k), len(cand)) / max(len(k), len(cand)))
            if r > score:
                best, score = name, r
    return best, score


@dataclass
class HeaderMap:
    """Which ledger column holds which canonical field."""

    columns: dict[int, str] = field(default_factory=dict)  # column position -> field name
    unknown: list[tuple[int, str]] = field(default_factory=list)  # position, header text
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # second column for a field

    @property
    def fields(self) -> dict[str, int]:
        return {name: pos for pos, name in self.columns.items()}

    def missing(self, required: Iterable[str]) -> list[str]:
        have = set(self.columns.values())
        return [name for name in required if name not in have]


def map_headers(headers: Sequence[object], aliases: dict[str, str] | None = None) -> HeaderMap:
    """Map a header row to canonical fields; the first column of a field wins."""
    result = HeaderMap()
    seen: set[str] = set()
    for pos, text in enumerate(headers):
        name = match_header(text, aliases)
        if name == "":  # the clerk's 字段对照 says: do not use this column
            continue
        if name is None:
            if text not in (None, ""):
                result.unknown.append((pos, str(text)))
            continue
        if name in seen:
            result.duplicates.append((pos, str(text)))
            continue
        seen.add(name)
        result.columns[pos] = name
    return result


def header_of(name: str) -> str:
    """The Chinese header for a canonical field name."""
    return FIELDS[name].header


def frame_from_table(headers: Sequence[object], rows: Sequence[Sequence[object]], index=None):
    """A canonical-column DataFrame (object dtype) from a header row and data rows.

    Columns whose header names no field are dropped (see the returned
    :class:`HeaderMap` for what was recognised); short rows are padded.
    """
    import pandas as pd

    hmap = map_headers(headers)
    width = len(headers)
    data = {}
    lengths = set(map(len, rows))
    if width and len(lengths) == 1:  # rows of one width (a range): transposed at once
        (have,) = lengths
        cols = list(zip(*rows, strict=True)) if have else []
        for pos, name in hmap.columns.items():
            data[name] = list(cols[pos]) if pos < have else [None] * len(rows)
    else:
        for pos, name in hmap.columns.items():
            data[name] = [row[pos] if pos < len(row) else None for row in rows] if width else []
    frame = pd.DataFrame(data, dtype=object, index=index)
    if not hmap.columns:
        frame = pd.DataFrame(index=index if index is not None else range(len(rows)))
    return frame, hmap


def fields_markdown() -> str:
    """The canonical field table as Markdown (docs/fields.md is generated from it)."""
    kinds = {
        TEXT: "文本",
        ID: "身份证号码",
        SEX: "性别",
        DATE: "日期",
        MONTH: "年月（或日期）",
        PERIOD: "起止年月",
        BOOL: "是/否",
        INT: "整数",
        MONEY: "金额",
    }
    lines = [
        "# 台账字段（规范字段与常见表头）",
        "",
        "由 `python -m calc.fields` 生成，请勿手改。表头匹配时忽略空格、全角/半角差异、星号、冒号、单位括注（如“（元）”）和括号中的说明（如“（必填）”“(18位)”），换行后的说明也不影响匹配。\n台账中没有列出的表头，可在工作簿的“字段对照”工作表中指定对应的标准字段（`jyyz check` 会预填这张表）。",
        "缺少“性别”“出生日期”列时从身份证号码推算；两者都有而不一致时，在“数据问题”中指出。",
        "",
        "| 字段 | 标准表头 | 类型 | 也可写作 | 说明 |",
        "|---|---|---|---|---|",
    ]
    for f in _FIELDS:
        lines.append(
            f"| `{f.name}` | {f.header} | {kinds[f.kind]} | {'、'.join(f.synonyms)} | {f.note} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(fields_markdown(), end="")
