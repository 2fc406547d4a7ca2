"""One answer per question: every entry point gives the same
entitlement end, benefits and status — the ledger run (assess_ledger and the
workbook job ``fill``), assess_person, JY_ASSESS, JY_PERIOD_END and JY_SUBSIDY
through the xlwings Office.js protocol, and the document contexts.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from calc.assess import assess_ledger, assess_person, run_ledger
from calc.fields import FIELDS
from calc.params import ParameterTable
from calc.synthetic import ledger
from doc_templates.contexts import Office
from doc_templates.from_assessment import agreement_from_assessment, agreements_from_run
from tests import xlwings_helpers
from tests.person_factory import person

fn = xlwings_helpers.load("xl_addin.functions")

ON = dt.date(2026, 11, 22)
OFFICE = Office(name="坞城街道劳动保障事务所")
PARAM_ROWS = [
    ("名称", "数值", "生效日期", "依据"),
    ("补贴期限（年）", 2, "2008-05-28", "某市人社局文件"),
]


def _day(value) -> dt.date | None:
    if value in (None, "") or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dict):  # Office.js formatted date
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value["basicValue"]))
    return pd.Timestamp(value).date()


def _headers_and_row(mapping: dict) -> tuple[list[str], list]:
    headers = [FIELDS[k].header for k in mapping]
    return headers, list(mapping.values())


# ----------------------------------------------------------------- the case in the issue


@pytest.fixture
def post_holder():
    """SX-2008 public-welfare post, 35 years old (far from retirement), approved 2026-09-15."""
    return person(
        age=35,
        on=ON,
        former_employer_type="国有",
        sex="男",
        household_id="H1",
        zero_employment_household="是",
        employment_status="已就业",
        employment_type="公益性岗位",
        employment_date="2026-09-15",
        first_approval_date="2026-09-15",
        last_report_date="2028-08-20",  # still reporting when JY_SUBSIDY looks at 2028
        name="王强",
        community="坞城社区",
    )


def test_every_entry_point_agrees_with_a_two_year_local_period(post_holder, tmp_path):
    """补贴期限（年）=2 in 参数: SX-2008 三(四) far from retirement → 2028-09-14 everywhere."""
    expected = dt.date(2028, 9, 14)
    params = ParameterTable.from_rows(PARAM_ROWS)
    frame = pd.DataFrame([post_holder])

    # ledger run
    whole = assess_ledger("SX-2008", frame, ON, params)
    assert whole["period_end"].iloc[0].date() == expected
    # one person
    one = assess_person("SX-2008", post_holder, ON, params)
    assert one.period_end == expected
    assert one.periods["post_subsidy"].end == expected
    assert "2年" in one.periods["post_subsidy"].reason

    headers, row = _headers_and_row(post_holder)
    table = [list(r) for r in PARAM_ROWS]
    # JY_ASSESS through the protocol
    got = xlwings_helpers.call(
        fn, "jy_assess", "SX-2008", [headers, row], xlwings_helpers.serial(ON), table
    )
    assert _day(got[1][4]) == expected
    # JY_PERIOD_END through the protocol
    got = xlwings_helpers.call(
        fn,
        "jy_period_end",
        "SX-2008",
        "公益性岗位补贴",
        xlwings_helpers.serial(dt.date(2026, 9, 15)),
        post_holder["id_number"],
        None,
        None,
        table,
    )
    assert _day(got[0][0]) == expected
    # JY_SUBSIDY: September 2028 is the last month (3 years would also pay October)
    got = xlwings_helpers.call(
        fn,
        "jy_subsidy",
        "SX-2008",
        "公益性岗位补贴",
        [headers],
        [row],
        xlwings_helpers.serial(dt.date(2028, 9, 1)),
        xlwings_helpers.serial(dt.date(2028, 10, 31)),
        table,
    )
    assert got == [[800.0]]
    # documents: one person and the whole run
    ctx = agreement_from_assessment(one, party_a=OFFICE, start=ON, params=params)
    assert {s.name: s.end for s in ctx.subsidies}["公益性岗位补贴"] == expected
    run = run_ledger("SX-2008", frame, ON, params)
    (doc,), skipped = agreements_from_run(run, party_a=OFFICE, start=ON)
    assert skipped == []
    assert {s.name: s.end for s in doc.subsidies}["公益性岗位补贴"] == expected

    # the workbook job
    from xl_addin import jobs

    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(headers)
    ws.append(row)
    ps = wb.create_sheet("参数")
    for r in PARAM_ROWS:
        ps.append(list(r))
    wb.save(path)
    report = jobs.fill(path, policy="SX-2008", as_of=ON.isoformat())
    out = openpyxl.load_workbook(report.output)["台账"]
    cell = out[f"{report.written['补贴期限截止']}{report.header_row + 1}"].value
    assert _day(cell) == expected


# ----------------------------------------------------------------- generated ledgers


POLICIES = ("JS-2002", "SX-2008", "GS-2003", "LYG-2003", "AH-2011")


@pytest.mark.parametrize("policy", POLICIES)
def test_entry_points_agree_on_a_generated_ledger(policy):
    frame = ledger(90, seed=11)
    run = run_ledger(policy, frame, ON)
    res = run.results
    headers = [FIELDS[c].header for c in frame.columns]
    body = frame.astype(object).where(frame.notna(), None).values.tolist()

    # JY_ASSESS (protocol) = the ledger run
    got = xlwings_helpers.call(
        fn, "jy_assess", policy, [headers, *body], xlwings_helpers.serial(ON), None
    )
    assert [r[1] for r in got[1:]] == res["status"].tolist()
    assert [_day(r[4]) for r in got[1:]] == [_day(x) for x in res["period_end"]]

    # JY_PERIOD_END (protocol) = the ledger run's ends, benefit by benefit
    for code, (ends, _texts) in run.periods.items():
        ben = run.pack.benefit(code)
        rows = [i for i in range(len(frame)) if run.benefit_masks[code][i]]
        if not rows:
            continue
        firsts = [[frame["first_approval_date"].iloc[i]] for i in rows]
        ids = [[frame["id_number"].iloc[i]] for i in rows]
        got = xlwings_helpers.call(
            fn, "jy_period_end", policy, ben.label, firsts, ids, None, None, None
        )
        for (cell,), i in zip(got, rows, strict=True):
            expect = _day(ends.iloc[i])
            assert (_day(cell) if not isinstance(cell, str) else None) == expect, (code, i)

    # assess_person on every third row (with the household) = the ledger run
    for i in range(0, len(frame), 3):
        me = {k: v for k, v in frame.iloc[i].items() if v is not None}
        mates = [
            {k: v for k, v in frame.iloc[j].items() if v is not None}
            for j in range(len(frame))
            if j != i and frame["household_id"].iloc[j] == me["household_id"]
        ]
        one = assess_person(policy, me, ON, household=mates)
        assert one.status == res["status"].iloc[i]
        assert one.period_end == _day(res["period_end"].iloc[i])
        assert [b.code for b in one.benefits] == [
            b.code for b in run.pack.benefits if run.benefit_masks[b.code][i]
        ]

    # documents = the ledger run's ends
    eligible = [i for i in range(len(frame)) if res["status"].iloc[i] == "符合"]
    docs, _skipped = agreements_from_run(run, party_a=OFFICE, start=ON)
    assert len(docs) == len(eligible)
    for doc, i in zip(docs, eligible, strict=True):
        for line in doc.subsidies:
            ben = next(b for b in run.pack.benefits if b.label == line.name)
            if ben.code in run.periods:
                assert line.end == _day(run.periods[ben.code].end.iloc[i])

    # JY_SUBSIDY (protocol) over the assessment month: paid exactly where granted and running
    monthly = [b for b in run.pack.benefits if b.kind == "monthly" and b.code in run.periods]
    if monthly:
        ben = monthly[0]
        got = xlwings_helpers.call(
            fn,
            "jy_subsidy",
            policy,
            ben.label,
            [headers],
            body,
            xlwings_helpers.serial(dt.date(2026, 11, 1)),
            xlwings_helpers.serial(ON),
            None,
        )
        ends = run.periods[ben.code].end
        for i, (cell,) in enumerate(got):
            first = _day(frame["first_approval_date"].iloc[i])
            employed = _day(frame["employment_date"].iloc[i])
            begin = max(d for d in (first, employed) if d) if first else None
            end = _day(ends.iloc[i])
            running = (
                run.benefit_masks[ben.code][i]
                and begin is not None
                and begin <= ON
                and end is not None
                and end >= dt.date(2026, 11, 1)
            )
            if isinstance(cell, str):  # an error names why (e.g. 原退休年龄 missing)
                assert run.benefit_masks[ben.code][i] and end is None, (i, cell)
            else:
                assert (cell > 0) == bool(running), (i, cell)
