"""Every case of every policy folder (calc/policies/<text>/cases.yaml), and every
computable clause of every pack has at least one case."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from policy_cases import all_cases, computable_clauses, load_cases, run_case

from calc.policies import list_policies

CASES = all_cases()
ROOT = Path(__file__).resolve().parents[1]
#: the folders outside calc/policies that must not spell a policy code as a string
OUTSIDE_THE_PACKS = ("xl_addin", "doc_templates", "workbooks")


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
    docs/parameters.md lists it; its papers cite its own title and clauses."""
    import shutil

    from calc.assess import assess_person
    from calc.policies import FOLDERS, get_policy, register_folder, unregister
    from calc.policies.catalogue import parameters_markdown

    folder = tmp_path / "xx_2026"
    shutil.copytree(FOLDERS["SX-2008"], folder, ignore=shutil.ignore_patterns("__pycache__"))
    for path in folder.iterdir():
        if path.suffix in (".py", ".yaml"):
            path.write_text(path.read_text(encoding="utf-8").replace("SX-2008", "XX-2026"))
    # The new text's own title and the clause its agreement rests on (its documents.py).
    _edit(folder / "pack.py", get_policy("SX-2008").title, SIXTH_TITLE)
    _edit(folder / "documents.py", 'agreement="四(一)"', 'agreement="六(二)"')
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
        _papers_cite_the_sixth_text(pack, cases)
    finally:
        unregister("XX-2026")
    assert "XX-2026" not in [p.code for p in list_policies()]


SIXTH_TITLE = "某市就业援助办法"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    text = [p.text for p in doc.paragraphs]
    text += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(text)


def _papers_cite_the_sixth_text(pack, cases) -> None:
    """The copied pack's papers take their law from its folder, nothing else edited:
    the agreement rests on the clause its documents.py names, the letter carries
    its 考核与奖惩 and basis clause."""
    from calc.assess import assess_person, person_frame, run_ledger
    from calc.identity import check_character
    from calc.policies import get_policy
    from doc_templates.contexts import Office
    from doc_templates.from_assessment import agreement_from_assessment
    from doc_templates.render import render_agreement, render_letter
    from doc_templates.targets import letters_from_run

    case = next(
        c
        for c in cases
        if "person" in c.data and (c.data.get("expect") or {}).get("status") == "符合"
    )
    born = dt.date.fromisoformat(str(case.data["person"]["出生日期"]))
    body = f"140105{born:%Y%m%d}03{2 if case.data['person']['性别'] == '女' else 1}"
    person = {**case.data["person"], "社区": "某社区", "身份证号码": body + check_character(body)}
    as_of = case.data["as_of"]
    assessment = assess_person(pack.code, person, as_of)
    agreement = agreement_from_assessment(
        assessment,
        party_a=Office("某街道劳动保障事务所"),
        start=as_of,
        officer="张援助",
        allow_pending=True,
    )
    text = _docx_text(render_agreement(agreement))
    assert f"《{SIXTH_TITLE}》第六条第（二）项" in text
    assert "第四条第（一）项的规定" not in text
    assert str(get_policy("SX-2008").documents.agreement) == "SX-2008 四(一)"  # untouched

    today = dt.date.today()
    run = run_ledger(pack, person_frame(person), as_of)
    letters, _, _ = letters_from_run(
        run, issuer=Office("某街道劳动保障事务所"), year=today.year, made_on=today
    )
    text = _docx_text(render_letter(letters[0]))
    assert f"《{SIXTH_TITLE}》第二条第（三）项" in text
    terms = pack.assessment_terms("community")
    assert terms and all(t.text in text for t in terms)
    assert all(t.clause.policy == "XX-2026" for t in terms)


def test_no_policy_code_is_spelled_outside_the_packs():
    """The law of a text lives in its folder: the add-in, the papers and the sample
    workbooks name no policy code as a string (they read the packs)."""
    codes = "|".join(re.escape(p.code) for p in list_policies())
    quoted = re.compile(rf"[\"']({codes})[\"']")
    found, scanned = [], 0
    for folder in OUTSIDE_THE_PACKS:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            data = path.read_bytes()
            if b"\0" in data:
                continue  # a binary file (a workbook, a template)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            scanned += 1
            found += [
                f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                for n, line in enumerate(text.splitlines(), 1)
                if quoted.search(line)
            ]
    assert scanned > 20
    assert found == []
