"""The 待核实 cause counts are facts of the run, not of its wording.

The run summary ("缺少列“失业登记日期”：30人") counts the 待核实 persons by
cause: a missing column, an unreadable cell, a blank one.  Rewording how an
explanation names a cause must leave the counts alone.  Today the counts are
still read back from the explanation text (calc.missing.count_causes), so
the test is marked as the known failure it is: the marker goes once the
causes travel as data from the rules to the summary.
"""

from __future__ import annotations

import datetime as dt

import pytest

from calc import missing
from calc.assess import run_ledger
from calc.synthetic import ledger
from xl_addin import jobs

AS_OF = dt.date(2026, 11, 22)


def _counts() -> dict[str, int]:
    df = ledger(300, seed=7).drop(columns=["unemployment_registration_date"])
    df.loc[df.index[::5], "unemployment_date"] = "#N/A"  # unreadable
    df.loc[df.index[1::7], "employment_status"] = None  # blank
    run = run_ledger("GS-2003", df, AS_OF)
    return jobs.summarise(run, {}).uncertain_causes


@pytest.mark.xfail(
    strict=True, reason="待核实的原因仍从说明文字中解析（calc.missing.count_causes）"
)
def test_cause_counts_do_not_depend_on_the_explanation_wording(monkeypatch):
    before = _counts()
    kinds = {k.split("“")[0] for k in before}
    assert {"缺少列", "", "未填"} <= kinds, before  # every kind of cause occurs
    monkeypatch.setattr(missing, "NO_COLUMN", "台账中没有“{h}”这一列")
    monkeypatch.setattr(missing, "BAD_CELL", "“{h}”一栏无法识别")
    assert _counts() == before
