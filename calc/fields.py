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
    Field("name", "姓名", TEXT, ("名字", "人员姓名", "援助对象姓名")),
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
        ),
    ),
    Field("birth_date", "出生日期", DATE, ("出生年月日", "出生年月", "生日")),
    Field(
        "household_registration", "户籍性质", TEXT, ("户口性质", "户口类型", "户籍类型", "户籍类别")
    ),
    Field("registered_place", "户籍地", TEXT, ("户籍所在地", "户口所在地", "户籍地址")),
    Field("household_id", "家庭编号", TEXT, ("户编号", "户号", "家庭户号", "家庭号")),
    Field("relation", "与户主关系", TEXT, ("家庭关系", "关系")),
    Field("jobseeking_date", "求职登记日期", DATE, ("求职登记时间",)),
    Field(
        "unemployment_registration_date",
        "失业登记日期",
        DATE,
        ("失业登记时间", "登记失业日期", "登记失业时间", "就业失业登记日期"),
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
        ("低保", "是否低保", "是否享受低保", "城市低保", "低保户", "享受城市低保"),
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
    Field("income_per_head", "家庭人均月收入", MONEY, ("人均月收入", "家庭人均收入", "人均收入")),
    Field("other_stable_income", "其他稳定收入", BOOL, ("有无其他稳定收入", "其他稳定经济来源")),
    Field(
        "employment_status",
        "就业状态",
        TEXT,
        ("就业情况", "就业失业状态", "目前状态", "就业状况"),
        "失业 / 已就业",
    ),
    Field(
        "employment_type",
        "就业形式",
        TEXT,
        ("就业方式", "安置方式", "就业渠道"),
        "企业吸纳 / 灵活就业 / 公益性岗位 / 自主创业 / 个体经营 / 组织起来",
    ),
    Field("employment_date", "就业日期", DATE, ("就业时间", "上岗日期", "实现就业日期")),
    Field("contract_years", "劳动合同期限（年）", INT, ("劳动合同期限", "合同期限", "合同年限")),
    Field("able_to_work", "劳动能力", BOOL, ("有无劳动能力", "有劳动能力")),
    Field("wants_work", "就业愿望", BOOL, ("有无就业愿望", "有就业愿望", "就业要求")),
    Field("accepts_any_post", "服从岗位安排", BOOL, ("不挑剔岗位", "不挑不拣")),
    Field("low_skill", "技能偏低", BOOL, ("技能水平偏低", "无技能")),
    Field("skills", "技能特长", TEXT, ("技能", "专长", "职业技能")),
    Field("wishes", "就业意愿", TEXT, ("求职意向", "就业意向")),
    Field("disabled", "残疾人", BOOL, ("是否残疾", "残疾")),
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
    Field("zero_employment_household", "零就业家庭", BOOL, ("是否零就业家庭", "零就业家庭成员")),
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
    Field("pays_si_individually", "个人身份缴纳社保", BOOL, ("以个人身份缴费", "个人缴纳社保")),
    Field(
        "first_approval_date",
        "初次核定日期",
        DATE,
        ("初次认定日期", "首次核定日期", "首次认定日期", "认定日期"),
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
    Field("original_retirement_age", "原退休年龄", INT, ("原法定退休年龄",), "60 / 55 / 50"),
    Field("community", "社区", TEXT, ("所属社区", "社区名称", "居委会", "社区（居委会）")),
    Field("street", "街道", TEXT, ("街道办事处", "所属街道", "乡镇街道", "街道（乡镇）")),
    Field("officer", "援助责任人", TEXT, ("帮扶责任人", "责任人", "包保责任人")),
    Field("officer_phone", "责任人电话", TEXT, ("援助责任人电话", "帮扶责任人电话")),
    Field("phone", "联系电话", TEXT, ("电话", "手机", "手机号码", "联系方式")),
    Field("address", "家庭住址", TEXT, ("住址", "现住址", "居住地址", "现居住地址")),
    Field("employer", "就业单位", TEXT, ("用人单位", "工作单位")),
    Field("services_received", "接受服务情况", TEXT, ("接受就业服务", "已提供服务")),
    Field("policies_enjoyed", "享受政策情况", TEXT, ("享受扶持政策",)),
)

FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}

_PUNCT = re.compile(r"[\s\u3000*＊:：\-_/·•、]+")
_UNIT = re.compile(r"[（(][^）)]*(元|年|次|人)[）)]$")


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


_LOOKUP: dict[str, str] = {}
for _f in _FIELDS:
    for _h in _f.all_headers:
        _LOOKUP.setdefault(normalise_header(_h), _f.name)


def match_header(text: object) -> str | None:
    """The canonical field a header names, or None when it names none."""
    key = normalise_header(text)
    if not key:
        return None
    return _LOOKUP.get(key)


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


def map_headers(headers: Sequence[object]) -> HeaderMap:
    """Map a header row to canonical fields; the first column of a field wins."""
    result = HeaderMap()
    seen: set[str] = set()
    for pos, text in enumerate(headers):
        name = match_header(text)
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
        BOOL: "是/否",
        INT: "整数",
        MONEY: "金额",
    }
    lines = [
        "# 台账字段（规范字段与常见表头）",
        "",
        "由 `python -m calc.fields` 生成，请勿手改。表头匹配时忽略空格、全角/半角差异、星号和单位括注（如“（元）”）。",
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
