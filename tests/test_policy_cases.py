"""Every case of every policy folder (calc/policies/<text>/cases.yaml), and every
computable clause of every pack has at least one case."""

from __future__ import annotations

import pytest
from policy_cases import all_cases, computable_clauses, load_cases, run_case

from calc.policies import list_policies

CASES = all_cases()


@pytest.mark.parametrize("case", CASES)
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


def test_a_sixth_text_is_one_new_folder(tmp_path):
    """A copied pack folder under a new code registers, answers and passes its cases;
    docs/parameters.md lists it."""
    import shutil

    from calc.assess import assess_person
    from calc.policies import FOLDERS, get_policy, register_folder, unregister
    from calc.policies.catalogue import parameters_markdown

    folder = tmp_path / "xx_2026"
    shutil.copytree(FOLDERS["SX-2008"], folder, ignore=shutil.ignore_patterns("__pycache__"))
    for path in folder.iterdir():
        if path.suffix in (".py", ".yaml"):
            path.write_text(path.read_text(encoding="utf-8").replace("SX-2008", "XX-2026"))
    pack = register_folder(folder)
    try:
        assert pack.code == "XX-2026" and get_policy("xx-2026") is pack
        assert "XX-2026" in [p.code for p in list_policies()]
        cases = load_cases(pack, folder)
        assert cases and computable_clauses(pack) <= {c for case in cases for c in case.clauses}
        for case in cases:
            assert not run_case(case), (case.id, run_case(case))
        assert any(c.id.startswith("XX-2026 一(一) ") for c in cases)
        person = dict(cases[0].data["person"])
        result = assess_person("XX-2026", person, cases[0].data["as_of"])
        assert "XX-2026 一(一)" in result.explanation
        assert "## XX-2026 " in parameters_markdown()
    finally:
        unregister("XX-2026")
    assert "XX-2026" not in [p.code for p in list_policies()]
