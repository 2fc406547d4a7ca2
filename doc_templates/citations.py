"""Citations a citizen can read: document titles, numbers and clauses in words.

The rules engine cites a clause as a :class:`calc.clauses.Clause` (shown
``"SX-2008 四(一)"`` or ``"AH-2011 (七)3、(八)"`` in explanations).  No paper may
show such a key: the words here are made from the clause's fields, never from
its notation.  A document names its policy documents once, in full, in its opening
sentence — ``《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》
第四条第（一）项`` (with the document number where the text has one, e.g.
``（皖人社发〔2011〕44号）``) — and afterwards cites clauses by number only:
``（第四条第（一）项）``.  A document based on two texts (a Lianyungang
paper: JS-2002 and LYG-2003) gives each a short name in the opening sentence
("以下简称《省通知》") and cites ``（《省通知》第四条第（一）项）``.

Clause numbering follows the texts: a chapter "四、" is 第四条, its item
"（一）" is 第（一）项, a numbered point "3." is 第3点; texts numbered by items
only (AH-2011 "（十）") are cited 第（十）项.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from calc.clauses import Clause, ClausePoint
from doc_templates.contexts import PolicyRef
from doc_templates.formatting import fullwidth


def clause_in_words(clause: Clause | Iterable[ClausePoint] | None) -> str:
    """The points of a clause in words: 四(一) → ``第四条第（一）项``; 二(一)、(二) →
    ``第二条第（一）项、第（二）项``; (七)3、(八) → ``第（七）项第3点、第（八）项``;
    二、三 → ``第二条、第三条``.

    An item under the article of the point before it does not repeat the article;
    a point's note (and a point a clerk typed that is no clause number) is printed
    as written, with full-width punctuation.
    """
    if clause is None:
        return ""
    points = clause.points if isinstance(clause, Clause) else tuple(clause)
    out: list[str] = []
    article = ""
    for p in points:
        words = ""
        if p.article and not (p.article == article and p.item):
            words += f"第{p.article}条"  # 一(一)、一(二) → 第一条第（一）项、第（二）项
        article = p.article or article
        if p.item:
            words += f"第（{p.item}）项"
        if p.point:
            words += f"第{p.point}点"
        words += fullwidth(p.note)
        out.append(words)
    return "、".join(x for x in out if x)


def _as_clauses(source: Clause | Iterable[Clause] | None) -> tuple[Clause, ...]:
    if source is None:
        return ()
    return (source,) if isinstance(source, Clause) else tuple(source)


def _suffix(title: str) -> str:
    for word in ("实施意见", "意见", "通知", "办法", "决定"):
        if title.endswith(word):
            return word
    return "文件"


def short_names(policies: Sequence[PolicyRef]) -> dict[str, str]:
    """Short names for a paper citing several texts: 《省通知》, 《市意见》 …"""
    names: dict[str, str] = {}
    for p in policies:
        name = p.short or (("市" if p.level == "市级" else "省") + _suffix(p.title))
        while name in names.values():
            name = name + "二"
        names[p.code] = name
    return names


def full_title(p: PolicyRef) -> str:
    """``《标题》（文号）`` (no number when the text has none)."""
    s = f"《{p.title.strip('《》')}》"
    return s + (f"（{p.doc_no}）" if p.doc_no else "")


class Citer:
    """Cites clauses for one paper: full titles once, clause numbers afterwards."""

    def __init__(self, policies: Sequence[PolicyRef]):
        self.policies = list(policies)
        self.by_code = {p.code: p for p in self.policies}
        self.short = short_names(self.policies) if len(self.policies) > 1 else {}

    def basis(self, default: str) -> str:
        """The opening citation: ``《标题》（文号）第四条第（一）项`` (and short names)."""
        out = []
        for p in self.policies:
            s = full_title(p) + clause_in_words(p.clause)
            if self.short:
                s += f"（以下简称《{self.short[p.code]}》）"
            out.append(s)
        if not out:
            return default
        return out[0] if len(out) == 1 else "、".join(out[:-1]) + "和" + out[-1]

    def words(self, source: Clause | Iterable[Clause] | None) -> str:
        """The clauses of a source in words, without brackets (see :meth:`cite`).

        Consecutive clauses of one text are cited together (SX-2008 一(一) and
        SX-2008 一(二): 第一条第（一）项、第（二）项).
        """
        merged: list[Clause] = []
        for c in _as_clauses(source):
            if merged and merged[-1].policy == c.policy and c.points:
                merged[-1] = Clause(c.policy, merged[-1].points + c.points)
            else:
                merged.append(c)
        parts = []
        for c in merged:
            words = clause_in_words(c)
            if c.policy and c.policy not in self.by_code:
                words = self._outside(c.policy) + words
            elif c.policy and self.short:
                words = f"《{self.short[c.policy]}》" + words
            if words:
                parts.append(words)
        return "；".join(parts)

    def cite(self, source: Clause | Iterable[Clause] | None) -> str:
        """SX-2008 四(一) → ``（第四条第（一）项）``; ``""`` when there is no source."""
        cited = _as_clauses(source)
        # a text as a whole (LYG-2003, no clause) cites nothing a reader can find
        if len(cited) == 1 and cited[0].policy and not cited[0].points:
            return ""
        words = self.words(cited)
        return f"（{words}）" if words else ""

    @staticmethod
    def _outside(code: str) -> str:
        """A text the paper did not name in its opening: its full title."""
        try:
            from calc.policies import get_policy

            pack = get_policy(code)
        except Exception:
            return ""
        return full_title(PolicyRef(code, pack.title, doc_no=pack.doc_number))
