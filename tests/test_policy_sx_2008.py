"""SX-2008 beyond its clause cases (calc/policies/sx_2008/cases.yaml): the agreement's
obligations and duties, and ledger and person answers agreeing."""

import datetime as dt

from person_factory import birth_for_age, person

from calc.assess import assess_ledger, assess_person
from calc.policies import get_policy

ON = dt.date(2026, 11, 22)
SX = "SX-2008"


def test_agreement_obligations_and_duties_cite_clauses():
    """四(一) agreement contents, 二(三) level-by-level letters."""
    pack = get_policy(SX)
    r = assess_person(SX, person(age=30, on=ON, household_id="H1"), ON, household=[])
    texts = " ".join(o.text for o in r.obligations)
    assert "超过3次" in texts and "超过半年" in texts and "一个月内" in texts
    assert any("目标责任书" in d.text and str(d.clause) == "SX-2008 二(三)" for d in pack.duties)
    assert any("援助责任人" in m.text for m in r.measures)


def test_ledger_and_person_agree_on_household():
    import pandas as pd

    rows = [
        person(age=30, sex="男", on=ON, household_id="H1"),
        person(age=31, sex="女", on=ON, household_id="H1", seq=30),
        person(age=45, sex="女", on=ON, household_id="H2", former_employer_type="国有", seq=31),
        person(age=20, sex="男", on=ON, household_id="H2", seq=32, employment_status="已就业"),
    ]
    ledger = assess_ledger(SX, pd.DataFrame(rows, dtype=object), ON)
    for i, row in enumerate(rows):
        others = [
            r for j, r in enumerate(rows) if j != i and r["household_id"] == row["household_id"]
        ]
        single = assess_person(SX, row, ON, household=others)
        assert ledger["status"].iloc[i] == single.status
        assert ledger["explanation"].iloc[i] == single.explanation


def test_birth_for_age_helper_is_consistent():
    assert birth_for_age(40, ON) == dt.date(1986, 11, 12)


def test_household_facts_reach_only_their_own_households():
    """一(二) 零就业家庭 counted per 家庭编号: a member whose 就业状态 is blank leaves
    his household's answer open and is named (家庭中有成员…), an in-school student is
    not counted as unemployed and the text says so — each only in that household."""
    import pandas as pd

    recent = {"unemployment_date": "2026-06-01", "unemployment_registration_date": "2026-06-05"}
    rows = [
        person(age=30, sex="男", on=ON, household_id="H1", **recent),
        person(age=31, sex="女", on=ON, household_id="H1", seq=30, employment_status=None),
        person(age=33, sex="男", on=ON, household_id="H2", seq=31, **recent),
        person(age=19, sex="女", on=ON, household_id="H2", seq=32, in_school="是"),
        person(age=34, sex="男", on=ON, household_id="H3", seq=33, **recent),
        person(age=36, sex="女", on=ON, seq=34, **recent),
    ]
    explanation = assess_ledger(SX, pd.DataFrame(rows, dtype=object), ON)["explanation"]
    open_member = ["家庭中有成员" in t and "就业状态" in t for t in explanation]
    students = ["在校学生不计为失业成员" in t for t in explanation]
    assert open_member == [True, True, False, False, False, False]
    assert students[2] and not any(students[:2] + students[4:])
