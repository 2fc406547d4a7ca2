"""Clause references as data (calc.clauses): the packs' notation read once, strictly."""

from __future__ import annotations

import dataclasses

import pytest

from calc.clauses import Clause, ClausePoint, clause, clause_number, read_typed
from calc.errors import PolicyError
from calc.policies import list_policies
from calc.policies.base import Category, Documents


@pytest.mark.parametrize(
    "written",
    [
        "SX-2008 一",
        "SX-2008 一(一)",
        "SX-2008 二(一)、(二)",
        "GS-2003 一(一)、二(三)",
        "JS-2002 二、三",
        "AH-2011 (七)3、(八)",
        "AH-2011 (十六)",
        "SX-2008 三(三)（晋政发〔2006〕4号）",
        "LYG-2003",
    ],
)
def test_notation_round_trips(written):
    assert str(clause(written)) == written


def test_fields():
    c = clause("AH-2011 (七)3、(八)")
    assert c == Clause("AH-2011", (ClausePoint(item="七", point="3"), ClausePoint(item="八")))
    # an item written without its article belongs to the article before it
    assert clause("SX-2008 二(一)、(二)").points[1] == ClausePoint("二", "二")
    assert clause("SX-2008 三(三)（晋政发〔2006〕4号）").points[0].note == "（晋政发〔2006〕4号）"
    assert hash(clause("SX-2008 一(一)")) == hash(clause("SX-2008 一(一)"))


@pytest.mark.parametrize(
    "written",
    [
        "一(一)",  # no code
        "SX-2008一(一)",
        "SX-2008 一（一）",  # full-width brackets
        "SX-2008 一(一)、一(二)",  # the article repeated
        "SX-2008 第一条",
        "SX-2008 一(一)，(二)",
        "SX-2008 一(一)、SX-2008 一(二)",  # two clauses joined: a tuple instead
        "SX-2008 一(一)“失业一年以上”",
        "SX-2008 ",
    ],
)
def test_an_unknown_shape_is_refused(written):
    with pytest.raises(PolicyError, match="无法识别"):
        clause(written)


def test_a_pack_object_refuses_a_wrong_clause_when_built():
    with pytest.raises(PolicyError, match="无法识别"):
        Category("x", "某类人员", "SX-2008 一(一", ())
    with pytest.raises(PolicyError, match="无法识别"):
        Documents(agreement="第四条")
    assert Documents(agreement="四(一)").agreement == clause_number("四(一)")


def test_a_pack_cites_only_its_own_texts():
    pack = list_policies()[0]
    other = next(p for p in list_policies() if p.code not in pack.codes)
    wrong = Category("x", "某类人员", f"{other.code} 一(一)", ())
    with pytest.raises(PolicyError, match="引用了其他文件"):
        dataclasses.replace(pack, own_categories=(*pack.own_categories, wrong))


def test_every_clause_of_every_pack_is_data():
    for pack in list_policies():
        for item in pack._own_cited():
            assert item.clause is None or isinstance(item.clause, Clause)
        for paper in ("agreement", "notice", "letter"):
            basis = pack.documents.basis(paper)
            assert basis is None or basis.policy == pack.code


def test_typed_basis_is_read_leniently():
    assert read_typed("") == ()
    assert read_typed("SX-2008") == (Clause("SX-2008"),)
    assert read_typed("区政府下达") == (Clause("", (ClausePoint(note="区政府下达"),)),)
    assert [str(c) for c in read_typed("SX-2008 四(一)；LYG-2003 二")] == [
        "SX-2008 四(一)",
        "LYG-2003 二",
    ]
