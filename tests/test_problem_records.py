"""Issue 10 §1: problems travel as data — (row, field, code, message) — and are
joined into Chinese text only at the edges."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from calc.assess import assess_person
from calc.normalize import normalise
from tests.person_factory import person

ON = dt.date(2026, 11, 22)


def test_normaliser_records_field_and_code_per_problem():
    raw = pd.DataFrame(
        {
            "sex": ["X", "女"],
            "unemployment_registration_date": ["2025-01-10", "2024-02-30"],
            "household_size": ["3", "-1"],
        },
        index=[7, 9],
    )
    persons = normalise(raw)
    columns = ["row", "field", "code", "message"]
    got = list(persons.records[columns].itertuples(index=False, name=None))
    assert (7, "sex", "unreadable", "性别“X”无法识别（应为男或女）") in got
    rows = {(r, f, c) for r, f, c, _ in got}
    assert (9, "unemployment_registration_date", "date_unreadable") in rows
    assert (9, "household_size", "negative") in rows
    # the joined text is the display form of the same records
    assert persons.problems[9] == "；".join(m for r, _, _, m in got if r == 9)


def test_assess_person_reads_problems_as_data():
    me = person(age=45, on=ON, household_size="三口")
    got = assess_person("JS-2002", me, ON)
    assert ("household_size", "not_a_number") in [(f, c) for f, c, _ in got.problem_records]


def test_the_ledger_job_takes_the_field_from_the_record():
    from xl_addin import jobs

    class Ledger:  # the things cell_problems asks of a ledger
        columns = {"sex": 3}
        data = pd.DataFrame(index=[5])

        @staticmethod
        def cell_ref(name, row):
            return f"D{row}"

        @classmethod
        def column_index(cls, name):
            return cls.columns[name]

    records = pd.DataFrame(
        [(5, "sex", "unreadable", "", "与表头无关的说明", "与表头无关的说明")],
        columns=["row", "field", "code", "header", "detail", "message"],
    )
    (problem,) = jobs.cell_problems(Ledger, records)[5]
    assert (problem.cell, problem.field, problem.message) == ("D5", "sex", "与表头无关的说明")


def test_a_headed_problem_shows_its_detail_at_the_cell_and_its_header_elsewhere():
    """The header of a problem travels apart from its detail: the cell note needs
    no header (the column names it), the joined text and a field without a
    column of the ledger keep it — nothing is cut off a text."""
    from xl_addin import jobs

    raw = pd.DataFrame({"unemployment_date": ["2024-02-30"], "name": ["甲"]}, index=[4])
    persons = normalise(raw, as_of=ON)
    (rec,) = persons.records.to_dict("records")
    assert rec["header"] == "失业日期" and rec["message"] == "失业日期：" + rec["detail"]
    assert persons.problems[4] == rec["message"]

    class Ledger:
        columns = {"unemployment_date": 2}
        data = pd.DataFrame(index=[4])

        @staticmethod
        def cell_ref(name, row):
            return f"C{row}"

        @classmethod
        def column_index(cls, name):
            return cls.columns[name]

    (problem,) = jobs.cell_problems(Ledger, persons.records)[4]
    assert (problem.cell, problem.message) == ("C4", rec["detail"])
    Ledger.columns = {}
    (problem,) = jobs.cell_problems(Ledger, persons.records)[4]
    assert (problem.cell, problem.message) == ("", rec["message"])


def test_a_date_cell_holding_a_time_is_said_plainly():
    """Told from the cell (a time of day), not from the words of the date problem."""
    raw = pd.DataFrame(
        {"unemployment_registration_date": [dt.time(0, 0), " 0:00:00 ", "2024-02-30"]},
        index=[3, 4, 5],
    )
    messages = dict(zip(*normalise(raw).records[["row", "message"]].T.to_numpy(), strict=True))
    assert "单元格中是时刻“00:00:00”而不是日期" in messages[3]
    assert "单元格中是时刻“0:00:00”而不是日期" in messages[4]
    assert "时刻" not in messages[5]
