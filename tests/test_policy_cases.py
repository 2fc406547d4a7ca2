"""Every case of every policy folder (calc/policies/<text>/cases.yaml), and every
computable clause of every pack has at least one case."""

from __future__ import annotations

import pytest
from policy_cases import all_cases, computable_clauses, load_cases, run_case

from calc.policies import list_policies

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case):
    errors = run_case(case)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("pack", list_policies(), ids=lambda p: p.code)
def test_every_clause_of_the_pack_has_a_case(pack):
    cited = {c for case in load_cases(pack) for c in case.clauses}
    assert computable_clauses(pack) - cited == set()


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
