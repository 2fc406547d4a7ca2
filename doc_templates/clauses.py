"""Which clause of each text a paper rests on, and the 考核与奖惩 each text sets.

The law is the pack's (``documents`` of :class:`calc.policies.base.PolicyPack`,
kept in each text's folder as ``documents.py``); this module reads it for the
papers.  A text that prescribes no paper of a kind has no basis clause for it:
the paper then cites the text only.  No paper prints a policy key (see
:mod:`doc_templates.citations`).
"""

from __future__ import annotations

from calc.clauses import Clause
from calc.policies.base import Obligation, PolicyPack
from doc_templates.templates import KIND_AGREEMENT, KIND_LETTER, KIND_NOTICE

#: paper kind → the field of the pack's documents naming its basis clause
PAPERS = {KIND_AGREEMENT: "agreement", KIND_NOTICE: "notice", KIND_LETTER: "letter"}


def basis_clause(kind: str, pack: PolicyPack) -> Clause | None:
    """The clause of ``pack``'s own text that a paper of ``kind`` rests on (None for none)."""
    paper = PAPERS.get(kind)
    return pack.documents.basis(paper) if paper else None


def cited_basis(kind: str, pack: PolicyPack) -> Clause | None:
    """The first basis of ``kind`` along the chain (JS-2002 五(一) for a Lianyungang
    notice), or None."""
    return next((c for p in pack.chain() if (c := basis_clause(kind, p))), None)


def assessment_terms(pack: PolicyPack, unit: str = "community") -> list[Obligation]:
    """The 考核与奖惩 clauses of every text of the pack (province first) for a
    letter to a ``unit`` (``community`` or ``street``)."""
    return list(pack.assessment_terms(unit))
