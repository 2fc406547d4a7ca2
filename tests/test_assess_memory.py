"""How run_ledger holds its texts: shared where rows read alike, parts let go of once joined,
details dropped for a caller that writes results only — with the same answers."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from calc import assess
from calc.normalize import normalise
from calc.synthetic import ledger

ON = dt.date(2026, 11, 22)


def _naive(texts, rows, head, prefix):
    out = []
    for i in np.flatnonzero(rows):
        out.append(head + prefix + "，".join(str(t[i]) for t in texts))
    return out


def test_put_builds_the_same_texts_and_shares_equal_ones():
    rng = np.random.default_rng(3)
    n = 500
    a = np.array(rng.choice(["男，45周岁", "女，52周岁", "台账未填“性别”"], n), dtype=object)
    b = np.array(rng.choice(["原单位国有", "原单位集体"], n), dtype=object)
    rows = rng.random(n) < 0.6
    explanation = np.full(n, "", dtype=object)
    body = np.full(n, "", dtype=object)
    assess._put(explanation, body, rows, "符合 一(一)：", "年龄——", [a, b])
    assert explanation[rows].tolist() == _naive([a, b], rows, "符合 一(一)：", "年龄——")
    assert body[rows].tolist() == _naive([a, b], rows, "", "年龄——")
    assert (explanation[~rows] == "").all() and (body[~rows] == "").all()
    taken = explanation[rows]
    assert len({id(t) for t in taken}) == len(set(taken.tolist())) <= 6


def test_put_takes_non_text_values_as_their_text():
    values = np.array([45, None, 45.5, "是"], dtype=object)
    explanation = np.full(4, "", dtype=object)
    assess._put(explanation, None, np.ones(4, dtype=bool), "H", "", [values])
    assert explanation.tolist() == ["H45", "HNone", "H45.5", "H是"]


def test_join_consuming_its_parts_gives_the_same_texts(monkeypatch):
    monkeypatch.setattr(assess, "_JOIN_ROWS", 7)  # several blocks
    rng = np.random.default_rng(5)
    n = 30
    parts = [np.array(rng.choice(["", "甲", "乙乙"], n), dtype=object) for _ in range(3)]
    kept = [p.copy() for p in parts]
    joined = assess._join(parts, n, "；", consume=True)
    assert joined.tolist() == assess._join(kept, n, "；").tolist()
    assert joined.tolist() == ["；".join(t for t in row if t) for row in zip(*kept, strict=True)]
    assert all((p == "").all() for p in parts)  # given up, block by block
    assert any((k != "").any() for k in kept)


@pytest.mark.parametrize("policy", ["SX-2008", "AH-2011", "JS-2002"])
def test_run_without_details_gives_the_same_results(policy):
    raw = ledger(300, seed=11)
    full = assess.run_ledger(policy, raw, ON)
    assert full.periods and full.deadlines  # what the slim run lets go of
    slim = assess.run_ledger(policy, raw, ON, details=False)
    pd.testing.assert_frame_equal(full.results, slim.results)
    assert slim.periods == {} and slim.deadlines == {} and slim.deadline_dates == {}
    for code, mask in full.category_masks.items():
        assert (mask == slim.category_masks[code]).all()
    assert full.causes.keys() == slim.causes.keys() and full.causes
    for cause, rows in full.causes.items():
        assert (rows == slim.causes[cause]).all()


def test_run_without_details_lets_go_of_the_facts_before_the_explanations():
    """The persons' typed facts are the biggest thing a million-row run holds beside its
    explanations; a run that writes results only gives them up, and its results and the
    causes of 待核实 (told from the masks the persons keep) are those of a full run."""
    raw = ledger(300, seed=12)
    full = assess.run_ledger("SX-2008", normalise(raw, as_of=ON), ON)
    persons = normalise(raw, as_of=ON)
    problems = persons.problems.copy()
    slim = assess.run_ledger("SX-2008", persons, ON, details=False)
    assert persons.frame.columns.empty and persons.frame.index.equals(full.results.index)
    assert persons.problems.equals(problems) and persons.unreadable.keys()
    pd.testing.assert_frame_equal(full.results, slim.results)
    assert full.causes.keys() == slim.causes.keys() and full.causes
    for cause, rows in full.causes.items():
        assert (rows == slim.causes[cause]).all()
