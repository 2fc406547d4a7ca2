"""What a policy pack is made of.

A pack is data plus small named predicates: categories (with the clause that
defines them and the requirements a person must meet), benefits (who gets
what in which employment situation), periods, deadlines, obligations a
person accepts in the assistance agreement, measures the office offers, the
duties of a target responsibility letter, the text's law for the papers
(:class:`Documents`), and the local parameters the text leaves open.  A city
pack ``extends`` a provincial one: a Lianyungang ledger obeys LYG-2003 and
JS-2002 together.

Every ``clause`` is a :class:`calc.clauses.Clause`.  Pack authors write the
notation the texts are numbered in (``"SX-2008 一(一)"``); the objects read it
once, strictly, when they are built, so a clause of an unknown shape stops the
pack from loading (see :mod:`calc.clauses`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from calc.clauses import Clause, clause_number
from calc.clauses import clause as read_clause
from calc.params import Parameter

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from calc.context import Context
    from calc.periods import PeriodRule


def _read_clause(obj: object) -> None:
    """Read the authored notation of ``obj.clause`` once, strictly (calc.clauses.clause)."""
    object.__setattr__(obj, "clause", read_clause(obj.clause))


# A test gives a verdict (nullable boolean: NA = cannot tell from the ledger)
# and a text per row describing the value it looked at ("女，45周岁").
Test = Callable[["Context"], "tuple[pd.Series, object]"]


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str  # what the clause asks, in Chinese: "女满40周岁或男满50周岁"
    test: Test


@dataclass(frozen=True)
class Category:
    code: str  # stable key, e.g. "4050"
    label: str  # “4050”人员
    clause: Clause  # written "SX-2008 一(一)"
    requirements: tuple[Requirement, ...]

    __post_init__ = _read_clause


@dataclass(frozen=True)
class Benefit:
    """Something a person (or the employer hiring them) may receive.

    ``kind``: "monthly" (amount per month from parameters), "one_off",
    "per_school_year", "loan" (a ceiling), "tax" or "service" (no amount).
    ``situations``: employment situations it applies in — "unemployed" or an
    employment-type code from calc.normalize; None = any.
    """

    code: str
    label: str
    clause: Clause
    kind: str
    categories: tuple[str, ...] | None = None
    situations: tuple[str, ...] | None = None
    extra: Requirement | None = None
    amount: float | None = None  # fixed by the text
    amount_params: tuple[str, ...] = ()  # monthly amount = product of (base, rate) or one value
    period: PeriodRule | None = None  # how long it runs (calc.periods, or the text's periods.py)
    recipient: str = "本人"
    superseded_by: tuple[str, ...] = ()  # benefits that take its place when granted

    __post_init__ = _read_clause

    @property
    def shown_label(self) -> str:
        """The label as results show it: the recipient named when not the person."""
        return self.label if self.recipient == "本人" else f"{self.label}（{self.recipient}）"

    def describe_amount(self) -> str:
        unit = {"per_school_year": "元/学年", "loan": "元（最高）", "monthly": "元/月"}.get(
            self.kind, "元"
        )
        if self.amount is not None:
            return f"{self.amount:g}{unit}"
        if self.amount_params:
            return "按参数“" + "”×“".join(self.amount_params) + f"”（{unit}）"
        return ""


@dataclass(frozen=True)
class Obligation:
    """A duty party B accepts in the assistance agreement."""

    text: str
    clause: Clause
    categories: tuple[str, ...] | None = None
    #: event of the pack's :class:`DeadlineRule` whose time limit the text states
    #: (“自求职登记之日起7日内”): a paper made after it has passed counts it anew
    deadline: str | None = None

    __post_init__ = _read_clause


@dataclass(frozen=True)
class Measure:
    """Assistance content the office commits to in the agreement."""

    text: str
    clause: Clause
    categories: tuple[str, ...] | None = None
    situations: tuple[str, ...] | None = None
    #: as :attr:`Obligation.deadline`
    deadline: str | None = None

    __post_init__ = _read_clause


@dataclass(frozen=True)
class Duty:
    """A duty of the receiving unit in a target responsibility letter.

    ``units`` are the receiving units the text lays the duty on, by the ledger
    field naming them: ``street`` (a street office, or a government above it)
    and ``community`` (a 社区居委会).  GS-2003 一(一)'s 净增就业岗位 and
    加大再就业资金投入, for example, are assessed on governments and departments,
    and bind no 居委会.
    """

    heading: str
    text: str
    clause: Clause
    units: tuple[str, ...] = ("street", "community")

    __post_init__ = _read_clause


@dataclass(frozen=True)
class WorkTarget:
    """A work target a text sets for governments and street offices (GS-2003 一(一)).

    A street's target responsibility letter lists these first, numbered, with
    the figures the 目标 sheet gives.  ``helped_into_work``: the ledger's count
    of persons still to be helped into work is the figure unless the sheet sets one.
    """

    name: str
    unit: str
    clause: Clause
    helped_into_work: bool = False
    #: only a government or street office can own it (new jobs in the economy, money
    #: put in): never on a 社区居委会's letter, not even from the 目标 sheet
    government: bool = False

    __post_init__ = _read_clause


@dataclass(frozen=True)
class Documents:
    """A text's law for the papers, as data (the papers are rendered by doc_templates).

    ``agreement``, ``notice``, ``letter``: the clause of this text that the 协议书,
    the 拟认定公示 and the 目标责任书 rest on, written without the text's code
    (e.g. "四(一)"; the pack then gives it its code); "" or None where the text
    prescribes no such paper (the paper then cites the text only).
    ``assessment``: the 考核与奖惩 of a target responsibility letter, in the
    text's own words, as duties of the parties.  ``pairing``:
    the text asks for a named cadre per household (结对帮扶, 包保), listed in the
    letter.  ``community_assessment``: the 考核与奖惩 as the text words it on a
    社区居委会's letter, where it differs (GS-2003 assesses governments on its five
    work targets; a 居委会 answers for the targets of its own letter).
    ``street_targets``: work targets for governments and street offices, listed
    in a street's letter (never a 居委会's).
    """

    agreement: Clause | None = None
    notice: Clause | None = None
    letter: Clause | None = None
    assessment: tuple[Obligation, ...] = ()
    community_assessment: tuple[Obligation, ...] = ()
    pairing: bool = False
    street_targets: tuple[WorkTarget, ...] = ()

    def __post_init__(self) -> None:
        for paper in PAPERS:
            object.__setattr__(self, paper, clause_number(getattr(self, paper)))

    def basis(self, paper: str) -> Clause | None:
        """The clause ``paper`` ("agreement", "notice" or "letter") rests on, None for none."""
        if paper not in PAPERS:
            raise KeyError(paper)
        return getattr(self, paper)

    def of(self, policy: str) -> Documents:
        """These papers' law with the basis clauses given the code of the text ``policy``."""
        bound = {paper: getattr(self, paper).of(policy) for paper in PAPERS if getattr(self, paper)}
        return dataclasses.replace(self, **bound)


#: The papers a text's :class:`Documents` names a basis clause for.
PAPERS = ("agreement", "notice", "letter")


@dataclass(frozen=True)
class DeadlineRule:
    """A date the office must meet or watch, computed from an event date."""

    event: str  # Chinese event name a clerk types into JY_DEADLINE
    clause: Clause
    compute: Callable[[dt.date], dt.date]
    source_field: str | None = None  # ledger field giving the event date for JY_ASSESS
    categories: tuple[str, ...] | None = None
    explanation: str = ""
    #: a date to count from where ``source_field`` is unknown.  None (the default):
    #: the deadline is then unknown and the row says which column to fill — a
    #: deadline counted from another date than the clause's is a guess from less
    #: data, e.g. 年审 from the approval date when the last review is unknown
    #: (unknown is not false).
    fallback_field: str | None = None
    #: parameter giving the clause's number (days/months); ``compute(day, value)``
    param: str | None = None
    #: "N日内"/"N个月内": a last day that is a rest day moves to the next working
    #: day (民法典第二百零三条)
    rest_day_rolls: bool = False

    __post_init__ = _read_clause


@dataclass(frozen=True)
class LapseRule:
    """Loss of status (e.g. SX-2008 二(一): more than 3 refused posts)."""

    key: str
    label: str
    clause: Clause
    test: Test  # True = status lost

    __post_init__ = _read_clause


@dataclass(frozen=True)
class SampleArea:
    """A street of the sample ledger: its 区划代码 (GB/T 2260), district and communities."""

    region: str
    district: str
    street: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class SampleColumn:
    """A column of the sample ledger: header as offices write it, canonical field
    (calc.fields) or None, the upper header cell merged over its group, width, and
    the words for yes/no."""

    header: str
    field: str | None
    group: str | None = None
    width: float = 10
    bool_words: tuple[str, str] = ("是", "否")


@dataclass(frozen=True)
class SampleLedger:
    """Where a pack's sample ledger is set and how it is laid out (workbooks.generate)."""

    province: str
    city: str
    areas: tuple[SampleArea, ...]
    columns: tuple[SampleColumn, ...]
    seed: int
    households: int
    allowance_standard: int
    office: str  # 发文机关 (street office)
    bureau: str  # 上级单位
    basis: str  # 依据 of the local parameters
    title: str


@dataclass
class PolicyPack:
    code: str
    title: str
    doc_number: str
    issuer: str
    issued: dt.date
    level: str  # 省级 / 市级
    region: str
    #: code of the pack this one extends (a city text inside a province), resolved
    #: through the registry: a Lianyungang ledger obeys LYG-2003 and JS-2002 together
    extends: str | None = None
    #: place in lists of policies (the order of the project's source collection)
    position: int = 100
    #: the pack the demo and the document samples open first
    demo: bool = False
    #: its sample ledger (the folder's sample.py), None for a pack without one
    sample: SampleLedger | None = None
    preconditions: tuple[Requirement, ...] = ()
    #: written "SX-2008 一"; None (or "") for a text that adds no preconditions
    precondition_clause: Clause | None = None
    own_categories: tuple[Category, ...] = ()
    own_benefits: tuple[Benefit, ...] = ()
    own_obligations: tuple[Obligation, ...] = ()
    own_measures: tuple[Measure, ...] = ()
    own_duties: tuple[Duty, ...] = ()
    own_deadlines: tuple[DeadlineRule, ...] = ()
    own_lapses: tuple[LapseRule, ...] = ()
    own_parameters: Sequence[Parameter] = field(default_factory=tuple)
    notice_subject: str = "就业援助对象"  # 关于拟认定{notice_subject}的公示
    #: the text's law for the papers (its documents.py): basis clauses, 考核与奖惩 …
    documents: Documents = field(default_factory=Documents)

    def __post_init__(self) -> None:
        if isinstance(self.precondition_clause, str):
            self.precondition_clause = (
                read_clause(self.precondition_clause) if self.precondition_clause else None
            )
        self.documents = self.documents.of(self.code)
        own = {self.code} | ({self.extends} if self.extends else set())
        for item in self._own_cited():
            if item.clause is not None and item.clause.policy not in own:
                from calc.errors import PolicyError

                raise PolicyError(
                    f"{self.code} 的条款“{item.clause}”引用了其他文件（只能引用 "
                    + "、".join(sorted(own))
                    + "）"
                )

    def _own_cited(self) -> list:
        """The pack's own objects that cite a clause."""
        docs = self.documents
        return [
            *self.own_categories,
            *self.own_benefits,
            *(b.period for b in self.own_benefits if b.period is not None),
            *self.own_obligations,
            *self.own_measures,
            *self.own_duties,
            *self.own_deadlines,
            *self.own_lapses,
            *docs.assessment,
            *docs.community_assessment,
            *docs.street_targets,
        ]

    # --- inherited views -------------------------------------------------
    def chain(self) -> list[PolicyPack]:
        """This pack and the packs it extends, province first."""
        packs: list[PolicyPack] = [self]
        while packs[0].extends is not None:
            packs.insert(0, packs[0].parent)
        return packs

    @property
    def parent(self) -> PolicyPack | None:
        """The pack this one extends (None for a provincial text)."""
        if self.extends is None:
            return None
        from calc.policies import get_policy

        return get_policy(self.extends)

    def _collect(self, attr: str) -> tuple:
        items: list = []
        for pack in self.chain():
            items.extend(getattr(pack, attr))
        return tuple(items)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.chain())

    @property
    def categories(self) -> tuple[Category, ...]:
        return self._collect("own_categories")

    @property
    def benefits(self) -> tuple[Benefit, ...]:
        return self._collect("own_benefits")

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        return self._collect("own_obligations")

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self._collect("own_measures")

    @property
    def duties(self) -> tuple[Duty, ...]:
        return self._collect("own_duties")

    @property
    def deadlines(self) -> tuple[DeadlineRule, ...]:
        return self._collect("own_deadlines")

    @property
    def lapses(self) -> tuple[LapseRule, ...]:
        return self._collect("own_lapses")

    def assessment_terms(self, unit: str = "street") -> tuple[Obligation, ...]:
        """The 考核与奖惩 of a target responsibility letter to ``unit`` (``street`` or
        ``community``), province first."""
        out: list[Obligation] = []
        for pack in self.chain():
            docs = pack.documents
            own = docs.community_assessment if unit == "community" else ()
            out.extend(own or docs.assessment)
        return tuple(out)

    @property
    def asks_pairing(self) -> bool:
        """Whether a text of the chain asks for a named cadre per household."""
        return any(pack.documents.pairing for pack in self.chain())

    @property
    def street_targets(self) -> tuple[WorkTarget, ...]:
        """Work targets of the chain's texts for governments and street offices."""
        return tuple(t for pack in self.chain() for t in pack.documents.street_targets)

    @property
    def all_preconditions(self) -> list[tuple[Clause | None, Requirement]]:
        """(clause, requirement) of the base pack: a city pack adds no new preconditions."""
        base = self.chain()[0]
        return [(base.precondition_clause, r) for r in base.preconditions]

    @property
    def parameters(self) -> dict[str, list[Parameter]]:
        table: dict[str, list[Parameter]] = {}
        for pack in self.chain():
            for p in pack.own_parameters:
                table.setdefault(p.name, []).append(p)
        return table

    def category(self, code: str) -> Category:
        for c in self.categories:
            if c.code == code:
                return c
        raise KeyError(code)

    def benefit(self, name: str) -> Benefit:
        """A benefit by code or Chinese label (as a clerk types it)."""
        from calc.errors import PolicyError

        key = name.strip()
        for b in self.benefits:
            if key in (b.code, b.label):
                return b
        labels = "、".join(dict.fromkeys(b.label for b in self.benefits))
        raise PolicyError(f"{self.code} 没有待遇“{name}”；可用：{labels}")

    def deadline_rule(self, event: str):
        from calc.errors import PolicyError

        key = event.strip()
        for d in self.deadlines:
            if d.event == key:
                return d
        events = "、".join(d.event for d in self.deadlines)
        raise PolicyError(f"{self.code} 没有时限事项“{event}”；可用：{events}")

    @property
    def citation(self) -> str:
        return f"《{self.title}》（{self.doc_number}）" if self.doc_number else f"《{self.title}》"
