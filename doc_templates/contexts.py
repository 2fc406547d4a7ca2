"""Plain data handed to the three document templates.

Every context is a dataclass of plain values (str, int, Decimal, date, lists
of small dataclasses).  The renderer turns them into display strings (dates
as "2026年11月22日", amounts as "1,000.00" and "人民币壹仟元整"); the
templates only place those strings.  Nothing here reads a ledger: the rules
engine (``calc``) decides categories, benefits and obligations, and
``doc_templates.from_assessment`` maps its results onto these classes.

Policy citations (``source``/``clause``/``category_basis`` fields) are
:class:`calc.clauses.Clause` values — the pack's own (``benefit.clause`` …), a
tuple where a source names several clauses or texts.  A notation string given
instead (``"SX-2008 二(一)"``, as the packs write it) is read once, strictly, when
the context is made.  No paper prints the key: :mod:`doc_templates.citations`
turns the fields into words (titles once in full, then "（第二条第（一）项）").
Obligations and duties are :class:`calc.policies.base.Obligation` — the
type the policy packs use — so an obligation is typed once, in the pack.

Privacy (PIPL art. 25, publication of personal information): the public
notice is built from :class:`NoticeRow`, which has no field for an ID number,
a phone number, an address or an income, and refuses values that look like an
ID number or a phone number.  Use :meth:`NoticeRow.from_record` to build rows
from a ledger record: it copies only the permitted fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from calc.clauses import Clause, Clauses, clause_number, clauses
from calc.errors import InputError
from calc.policies.base import Obligation  # one type for a duty and its clause (the pack's own)

# --------------------------------------------------------------------------
# Shared pieces


@dataclass
class Office:
    """An office or unit that appears as a party, issuer or contact point.

    name: full name as it appears on the seal, e.g. "太原市迎泽区柳巷街道劳动保障事务所".
    address: office address (printed on agreements and in the objection
        paragraph of a notice; an office address is not personal data).
    phone: office telephone (agreement header, notice objection paragraph).
    contact: contact person or responsible leader (optional; printed where
        the template has a "负责人" line).
    seal: the unit whose seal goes on the paper when it is not the office
        itself (用印单位).
    complaint_phone: a supervision / complaint phone (监督电话), if the office
        has one other than its own.
    handler: the person who handles a notice (经办人).
    prefixes: the office's document-number prefixes per kind (编号前缀), so
        each office numbers its own papers.
    """

    name: str
    address: str = ""
    phone: str = ""
    contact: str = ""
    seal: str = ""
    complaint_phone: str = ""
    handler: str = ""
    superior: str = ""
    prefixes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def seal_name(self) -> str:
        """The unit named at the seal (``seal``, or the office itself)."""
        return self.seal or self.name


@dataclass
class PolicyRef:
    """A policy document cited as the basis of a document.

    code: project policy code, e.g. SX-2008.
    title: full title without book-title marks, e.g.
        "山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见".
    doc_no: issuing number, e.g. "皖人社发〔2011〕44号"; empty when the
        document has none.
    clause: the clause(s) of this text relied on (``Clause``, or its number
        written "四(一)"); None for the text as a whole.
    level: "省级" / "市级" (for the short name of a paper citing several texts).
    short: short name used after the first mention (default 《省通知》-style).
    """

    code: str
    title: str
    doc_no: str = ""
    clause: Clause | None = None
    level: str = ""
    short: str = ""

    def __post_init__(self) -> None:
        self.clause = clause_number(self.clause)


@dataclass
class Measure:
    """One assistance measure offered to the person (agreement section 一).

    title: short name, e.g. "职业指导", "职业介绍", "职业技能培训",
        "公益性岗位安置"; may be empty (the policy pack's measures are
        sentences without a name), then only the number is printed.
    text: what is offered, as a sentence without final punctuation.
    source: the clauses it rests on (the pack's, e.g. SX-2008 四(二)).
    """

    title: str
    text: str
    source: Clauses = ()

    def __post_init__(self) -> None:
        self.source = clauses(self.source)


@dataclass
class SubsidyLine:
    """One subsidy or award in an agreement (agreement section 二).

    name: e.g. "公益性岗位补贴", "社会保险补贴", "一次性就业奖励".
    amount: amount per period (per month unless ``unit`` says otherwise), in
        yuan; printed in figures ("1,000.00元") and in capitals
        ("人民币壹仟元整").
    unit: the period the amount is paid for: "月" (monthly, default), "学年",
        "年", or "次" for a one-off payment.
    start: first day of the subsidy period (None for a one-off payment or
        when not yet fixed).
    end: last day of the period.  For a period extended to retirement this is
        the day before the statutory retirement date.
    months: length of the period in months, printed as "共N个月" (optional;
        the renderer does not compute it).
    until_retirement: True when the period runs to retirement because the
        person was within 5 years of statutory retirement age at the first
        approval (SX-2008 三(四), AH-2011 (八)).
    retirement_date: the statutory retirement date used for the extension.
    payee: who receives the money when it is not the person, e.g.
        "用人单位" (AH-2011 (七)4).
    source: the clauses it rests on, e.g. AH-2011 (七)3、(八).
    note: any further condition, printed after the period.
    length_text: the length of the period as the text gives it ("3年（36个月）",
        "至法定退休年龄"), printed "自认定之日起…" when ``start`` is unknown.
    """

    name: str
    amount: Decimal | int | float | str
    unit: str = "月"
    start: date | None = None
    end: date | None = None
    months: int | None = None
    until_retirement: bool = False
    retirement_date: date | None = None
    payee: str = ""
    source: Clauses = ()
    note: str = ""
    length_text: str = ""

    def __post_init__(self) -> None:
        self.source = clauses(self.source)


# --------------------------------------------------------------------------
# 接受就业援助协议书


@dataclass
class PersonParty:
    """Party B of an agreement: the person receiving assistance.

    name, sex ("男"/"女"), id_number (full 18-digit citizen ID: an agreement
    is a private document between the office and the person), address,
    phone: as in the ledger.
    community: the person's community (社区) — also used in the file name.
    street: the street (街道) — optional, printed with the community.
    category: the certified category as printed, e.g. "“4050”人员",
        "零就业家庭成员"; several categories joined with "、".
    category_basis: the clauses the categories come from, e.g. SX-2008 一(一)
        (one per category, each once).
    certified_date: date of certification (认定日期), optional.
    """

    name: str
    sex: str
    id_number: str
    address: str = ""
    phone: str = ""
    community: str = ""
    street: str = ""
    category: str = ""
    category_basis: Clauses = ()
    certified_date: date | None = None

    def __post_init__(self) -> None:
        self.category_basis = clauses(self.category_basis)


@dataclass
class AgreementContext:
    """One 接受就业援助协议书 (SX-2008 四(一); AH-2011 (十) 一人一策).

    number: document number such as "柳巷协议〔2026〕1号"; leave empty to let
        the register assign one (see :mod:`doc_templates.register`).
    party_a: the street or community labour-security office (甲方).
    person: party B (乙方).
    officer: the named assistance officer (援助责任人; AH-2011 (十) 帮扶责任人).
    officer_phone: the officer's phone.
    policies: policy documents the agreement is based on (a Lianyungang
        person: JS-2002 and LYG-2003).
    measures: assistance content and measures (section 一).
    subsidies: subsidies with amounts and periods (section 二; the whole
        section is left out when empty).
    obligations: party B's obligations, from the policy pack (section 三).
    duties: party A's duties, from the policy pack (section 四).
    start: first day of the agreement term.
    end: last day of the term; None prints "至乙方实现稳定就业或不再作为援助对象时止".
    sign_date: date printed under the signatures (defaults to ``start``).
    copies: number of originals ("本协议一式两份").
    year: year used for numbering and the register (defaults to start.year).
    pending: the person is assessed 符合 but not yet certified and the clerk
        asked for an agreement anyway: the paper says 待认定 and the subsidies
        run "自认定之日起".
    row: the ledger row (for the list of papers not made).
    employed: the person is in work (the agreement helps keep the job rather
        than find one).
    """

    party_a: Office
    person: PersonParty
    officer: str
    officer_phone: str = ""
    policies: list[PolicyRef] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    subsidies: list[SubsidyLine] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    duties: list[Obligation] = field(default_factory=list)
    start: date = field(default_factory=date.today)
    end: date | None = None
    sign_date: date | None = None
    copies: int = 2
    number: str = ""
    year: int | None = None
    pending: bool = False
    row: int | None = None
    period_basis: str = ""
    employed: bool = False

    @property
    def doc_year(self) -> int:
        return self.year or self.start.year


# --------------------------------------------------------------------------
# 公示

_ID_RUN = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}[-－ ]?)?[2-9]\d{6,7}(?!\d)")
_DIGITS = re.compile(r"\d")


def _looks_private(text: str) -> str | None:
    """Name the kind of personal number ``text`` contains, or None."""
    if _ID_RUN.search(text):
        return "身份证号码"
    if _MOBILE.search(text):
        return "手机号码"
    if _LANDLINE.search(text):
        return "电话号码"
    return None


@dataclass
class NoticeRow:
    """One line of the public-notice table.

    Deliberately holds only what a public notice may show (PIPL art. 25):
    name, sex, age, community and the category to be certified.  There is
    no field for an ID number, phone, address or income, and the values are
    checked so that none of them carries an ID or phone number by mistake.

    name: 姓名.  sex: 性别 ("男"/"女").  age: 年龄 in full years.
    community: 社区.  category: 认定类别 as printed — one text, or the labels
        of several categories (printed each on a line of its own).
    masked_id: ID number with the middle digits hidden (e.g. from
        ``calc.masking.mask_id``); printed only when the notice asks for the
        optional column.  A full ID number is refused.
    """

    name: str
    sex: str
    age: int | str
    community: str
    category: str | tuple[str, ...]
    masked_id: str = ""

    def __post_init__(self) -> None:
        for label, value in (
            ("姓名", self.name),
            ("性别", self.sex),
            ("年龄", self.age),
            ("社区", self.community),
            (
                "认定类别",
                "、".join(self.category) if isinstance(self.category, tuple) else self.category,
            ),
        ):
            kind = _looks_private(str(value))
            if kind:
                raise InputError(f"公示表“{label}”一栏含有{kind}，公示中不得出现")
        if self.masked_id:
            masked = str(self.masked_id)
            if _looks_private(masked) or len(_DIGITS.findall(masked)) > 10:
                raise InputError("公示中的身份证号码必须隐去中间部分（如 1401**********1234）")

    ALLOWED = ("name", "sex", "age", "community", "category", "masked_id")

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> NoticeRow:
        """Build a row from a ledger record, copying only permitted fields.

        ``record`` may hold anything (id_number, phone, address, income …);
        only ``name``, ``sex``, ``age``, ``community``, ``category`` and an
        already masked ``masked_id`` are read.
        """
        values = {k: record.get(k, "") for k in cls.ALLOWED}
        return cls(
            name=str(values["name"] or ""),
            sex=str(values["sex"] or ""),
            age=values["age"] if values["age"] not in (None, "") else "",
            community=str(values["community"] or ""),
            category=str(values["category"] or ""),
            masked_id=str(values["masked_id"] or ""),
        )


@dataclass
class NoticeContext:
    """One 公示 for a batch of persons (SX-2008 二(一) 社区登记公示;
    JS-2002 五(一) 张榜公示; AH-2011 (四) 公示认定).

    office: the issuing office; also where objections go unless
        ``objection_office`` is given.
    subject: what is to be certified, completing the title
        "关于拟认定{subject}的公示", e.g. "2026年度就业困难人员".
    subject_year: the year ``subject`` opens with when it was composed as year
        and wording ("2026年度" + "就业困难人员"): a title of two lines breaks
        after it.  Empty for a subject given whole (broken in the middle).
    policies: policy documents cited in the opening paragraph.
    rows: the persons listed (see :class:`NoticeRow`).
    start: first day of the notice period.
    workdays: N, the length of the notice period in working days; the end
        date is N working days after ``start`` (Excel WORKDAY with Chinese
        holidays and make-up days, ``calc.workdays.add_workdays``).  Per
        民法典 art. 201 the start day is not counted; set
        ``count_start_day=True`` to count it (end = N-1 working days later
        when the start day is a working day).
    count_start_day: see ``workdays``.
    workday_corrections: local corrections passed to ``add_workdays``.
    objection_office: office receiving objections (defaults to ``office``).
    show_masked_id: print the optional masked-ID column (off by default).
    issue_date: date under the issuer (defaults to ``start``).
    certifier: the department that certifies after the notice period
        ("按程序报{certifier}认定"; SX-2008 二(一): the county labour department).
    number: notice number, e.g. "公示〔2026〕0003号" (optional; printed
        under the title when given).
    year: year for numbering and the register (defaults to start.year).
    office_categories: the detailed categories of each row (their labels),
        for the office's own copy only; the public notice prints the rows' neutral label
        (disability, 低保, income and family status are not published: PIPL
        art. 28 sensitive personal information).
    """

    office: Office
    subject: str
    rows: list[NoticeRow]
    start: date
    workdays: int = 5
    policies: list[PolicyRef] = field(default_factory=list)
    count_start_day: bool = False
    workday_corrections: object = None
    objection_office: Office | None = None
    show_masked_id: bool = False
    issue_date: date | None = None
    certifier: str = "县（市、区）人力资源和社会保障部门"
    number: str = ""
    year: int | None = None
    office_categories: list[tuple[str, ...]] = field(default_factory=list)
    subject_year: str = ""

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if not isinstance(row, NoticeRow):
                raise InputError(
                    f"公示第{i + 1}行不是 NoticeRow；请用 NoticeRow.from_record 从台账记录生成"
                )
        if int(self.workdays) < 1:
            raise InputError("公示期（工作日数）至少为1天")

    @property
    def doc_year(self) -> int:
        return self.year or self.start.year


# --------------------------------------------------------------------------
# 目标责任书


@dataclass
class TargetLine:
    """One target in a target responsibility letter (section 一 table).

    name: the target, e.g. "认定就业困难人员", "零就业家庭动态清零".
    value: the target figure, computed from the ledger and editable
        (int, Decimal or text such as "100%").
    unit: e.g. "人", "户", "个".
    deadline: date by which it must be reached (e.g. zero-employment
        households: one month after certification, SX-2008 四(一)); None
        prints nothing.
    note: how the figure was obtained or what counts, printed in the table.
    source: the clauses it rests on (a pack's; the 目标 sheet's 依据 is read by
        :func:`calc.clauses.read_typed`).
    """

    name: str
    value: int | str | Decimal
    unit: str = ""
    deadline: date | None = None
    note: str = ""
    source: Clauses = ()
    deadline_text: str = ""

    def __post_init__(self) -> None:
        self.source = clauses(self.source)


@dataclass
class PairingLine:
    """One household paired with a named cadre (JS-2002 四(四) 帮扶到户，责任到人;
    AH-2011 (十) 包保).  Internal document: no ID numbers.

    household: household label, e.g. "张某某户" or a household number.
    community: the household's community.
    cadre: the responsible cadre's name.
    cadre_post: the cadre's unit or post (optional).
    """

    household: str
    community: str
    cadre: str
    cadre_post: str = ""


@dataclass
class LetterContext:
    """One 目标责任书 between two levels for a year (SX-2008 二(三) 层层签订;
    GS-2003 一(一) 五项工作目标; JS-2002 四(四) 结对帮扶).

    issuer: the higher level (甲方), e.g. a street office or county bureau.
    receiver: the lower level (乙方), e.g. a community or street; one letter
        per receiving unit.
    year: the target year.
    policies: policy documents cited in the preamble.
    targets: the targets (computed from the ledger, editable before printing).
    duties: duties of party B named by the policy (GS-2003 five work targets,
        SX-2008 level-by-level letters, JS-2002 pairing …).
    pairings: optional household ↔ cadre list (JS-2002 四(四)); the section
        is left out when empty.
    assessment: assessment and reward/penalty clauses.
    start, end: the term (default: 1 January to 31 December of ``year``).
    sign_date: date under the signatures (defaults to ``start``).
    copies: number of originals.
    number: letter number, e.g. "责任〔2026〕0002号" (assigned by the register
        when empty).
    not_set: targets the ledger gives no figure for this year (printed as
        "本年度不设目标：…", never as a silent 0).
    notes: how the figures were computed (printed under the table).
    """

    issuer: Office
    receiver: Office
    year: int
    policies: list[PolicyRef] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    duties: list[Obligation] = field(default_factory=list)
    pairings: list[PairingLine] = field(default_factory=list)
    assessment: list[Obligation] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    sign_date: date | None = None
    copies: int = 2
    number: str = ""
    not_set: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def doc_year(self) -> int:
        return self.year


__all__ = [
    "AgreementContext",
    "LetterContext",
    "Measure",
    "NoticeContext",
    "NoticeRow",
    "Obligation",
    "Office",
    "PairingLine",
    "PersonParty",
    "PolicyRef",
    "SubsidyLine",
    "TargetLine",
]
