"""Clause references as data: which text, which article, item and point.

The packs cite the law in the notation the policy texts are numbered in:
``"SX-2008 一(一)"`` is chapter 一、 item （一） of SX-2008, ``"AH-2011 (七)3、(八)"``
is point 3. of item （七） and item （八） of AH-2011 (a text numbered by items only),
``"JS-2002 二、三"`` two chapters.  That notation is what explanations, the check
report and the ledger show; a paper cites the same clause in words
(:mod:`doc_templates.citations`: 第四条第（一）项).  Both are made from the
fields of :class:`Clause`, never from each other.

Pack authors keep writing the notation: :func:`clause` reads it once, strictly,
where the pack objects are built (``calc.policies.base``), and refuses any other
shape, so a mistyped clause stops the pack from loading instead of printing a
wrong citation.  :func:`read_typed` is the lenient reader for a 依据 a clerk types
(the workbook's 目标 sheet), where text that is not a clause number is kept as
written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from calc.errors import PolicyError

#: Chinese numerals of the texts' chapters and items
_NUMERALS = "一二三四五六七八九十百零"
#: a policy code as the packs name texts: SX-2008, LYG-2003
_CODE = re.compile(r"[A-Z]{2,4}-\d{4}")
#: one point of the notation: 四, 四(一), (七)3, 三(三)（晋政发〔2006〕4号） — a remark in
#: full-width parentheses that is not an item number (an item is written "(一)")
_POINT = re.compile(
    rf"(?P<article>[{_NUMERALS}]*)(?:\((?P<item>[{_NUMERALS}]+)\))?(?P<point>\d*)(?P<note>（(?![{_NUMERALS}]+）)[^（）]+）)?"
)
_EXAMPLES = "“SX-2008 一(一)”“SX-2008 二(一)、(二)”“AH-2011 (七)3、(八)”“JS-2002 二、三”"


@dataclass(frozen=True)
class ClausePoint:
    """One numbered place in a text.

    ``article``: the chapter numbered “四、” (cited 第四条); ``item``: the item
    numbered “（一）” (第（一）项); ``point``: the point numbered “3.” (第3点);
    ``note``: a remark the pack adds after the number, e.g. the number of the
    document the clause refers to (“（晋政发〔2006〕4号）”).  A text numbered by
    items only (AH-2011) has no article.
    """

    article: str = ""
    item: str = ""
    point: str = ""
    note: str = ""

    def notation(self, *, with_article: bool = True) -> str:
        """``四(一)``, ``(七)3`` … (the article left out after a point of the same article)."""
        out = self.article if with_article else ""
        if self.item:
            out += f"({self.item})"
        return out + self.point + self.note


def _points_notation(points: Iterable[ClausePoint]) -> str:
    """The points joined as the packs write them: ``二(一)、(二)`` — an item under the
    article of the point before it does not repeat the article."""
    out, article = [], ""
    for p in points:
        out.append(p.notation(with_article=not (p.item and p.article == article)))
        article = p.article or article
    return "、".join(out)


@dataclass(frozen=True)
class Clause:
    """A reference to clauses of one policy text: its code and the points cited.

    ``str()`` gives the notation the rules engine shows (``"SX-2008 二(一)、(二)"``).
    No points: the text as a whole (``"LYG-2003"``).  ``policy`` is empty for a
    clause of a text named elsewhere (a pack's ``documents.py`` names the clause
    each paper rests on before the pack has its code).
    """

    policy: str
    points: tuple[ClausePoint, ...] = ()

    def __str__(self) -> str:
        number = _points_notation(self.points)
        return " ".join(x for x in (self.policy, number) if x)

    def of(self, policy: str) -> Clause:
        """This clause of the text ``policy`` (one named without its code)."""
        if self.policy and self.policy != policy:
            raise PolicyError(f"条款“{self}”不属于 {policy}")
        return Clause(policy, self.points)


#: Several clauses a source names (several texts, or clauses cited apart).
Clauses = tuple[Clause, ...]


def _bad(text: str, why: str) -> PolicyError:
    return PolicyError(f"条款写法“{text}”无法识别（{why}）；应写作{_EXAMPLES}等")


def points(notation: str) -> tuple[ClausePoint, ...]:
    """The points of a clause number written without its code (``二(一)、(二)``).

    Strict: each point is an article, an item in parentheses, a point number and
    a remark in full-width parentheses, in this order; an item after a point of
    the same article is written without the article.  Anything else raises
    :class:`~calc.errors.PolicyError`.
    """
    out: list[ClausePoint] = []
    article = ""
    for part in notation.split("、"):
        m = _POINT.fullmatch(part)
        if not m or not (m["article"] or m["item"]):
            raise _bad(notation, f"“{part}”不是条款编号")
        if m["article"] and m["article"] == article and m["item"]:
            raise _bad(notation, f"同一条下的项不重复写条号，应写“({m['item']})”")
        article = m["article"] or article
        # an item written without its article belongs to the article before it
        out.append(
            ClausePoint(
                article if m["item"] else m["article"], m["item"] or "", m["point"], m["note"] or ""
            )
        )
    result = tuple(out)
    if _points_notation(result) != notation:  # pragma: no cover - the pattern is exact
        raise _bad(notation, "写法不规范")
    return result


def clause(notation: str | Clause) -> Clause:
    """A pack's clause from its notation: ``"SX-2008 一(一)"``, or ``"LYG-2003"`` for the
    text as a whole.  Strict (see :func:`points`); a :class:`Clause` is returned as is."""
    if isinstance(notation, Clause):
        return notation
    if not isinstance(notation, str):
        raise PolicyError(f"条款应为文字或 Clause，而不是 {type(notation).__name__}")
    code, space, number = notation.partition(" ")
    if not _CODE.fullmatch(code):
        raise _bad(notation, "开头应为政策代码")
    if not space:
        return Clause(code)
    return Clause(code, points(number))


def clause_number(notation: str | Clause | None) -> Clause | None:
    """A clause named without its code (``"四(一)"``, as a pack's ``documents.py`` names
    the clause a paper rests on); ``""`` or None: no clause."""
    if notation is None or isinstance(notation, Clause):
        return notation
    if not isinstance(notation, str):
        raise PolicyError(f"条款应为文字或 Clause，而不是 {type(notation).__name__}")
    return Clause("", points(notation)) if notation else None


def clauses(value: str | Clause | Iterable[str | Clause] | None) -> Clauses:
    """Several clauses: a tuple of :class:`Clause` from clauses or notations (each read
    by :func:`clause`); None or ``""`` for none."""
    if value is None or value == "":
        return ()
    if isinstance(value, str | Clause):
        return (clause(value),)
    return tuple(clause(v) for v in value)


# --- a 依据 a clerk typed ------------------------------------------------------

_TYPED_CODE = re.compile(r"\b([A-Z]{2,4}-\d{4})\s*")
_TYPED_POINT = re.compile(
    rf"^(?P<article>[{_NUMERALS}]+)?\s*(?:[(（](?P<item>[{_NUMERALS}]+)[)）])?\s*(?P<point>\d+)?\s*(?P<rest>.*)$"
)


def _typed_points(text: str) -> tuple[ClausePoint, ...]:
    out: list[ClausePoint] = []
    article = ""
    for part in re.split(r"[、，,]", text):
        part = part.strip()
        m = _TYPED_POINT.match(part)
        if not part:
            continue
        if not m or not (m["article"] or m["item"]):
            out.append(ClausePoint(note=part))  # not a clause number: kept as written
            continue
        article = m["article"] or article
        out.append(
            ClausePoint(
                article if m["item"] else m["article"], m["item"] or "", m["point"] or "", m["rest"]
            )
        )
    return tuple(out)


def read_typed(text: object) -> Clauses:
    """The clauses a clerk typed as a 依据 (the 目标 sheet): ``"SX-2008 四(一)"``,
    ``"SX-2008"``, ``"四(一)"`` or free words.

    Lenient, as any clerk input: several codes give several clauses; text before
    the first code is dropped; a part that is not a clause number (“区政府下达”)
    is kept as written, in a point's ``note``, and printed as it is.
    """
    text = str(text or "").strip()
    if not text:
        return ()
    found = list(_TYPED_CODE.finditer(text))
    if not found:
        return (Clause("", _typed_points(text)),)
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.append(Clause(m[1], _typed_points(text[m.end() : end].strip(" ；;，,、"))))
    return tuple(out)


__all__ = [
    "Clause",
    "ClausePoint",
    "Clauses",
    "clause",
    "clause_number",
    "clauses",
    "points",
    "read_typed",
]
