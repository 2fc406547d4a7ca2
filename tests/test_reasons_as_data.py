"""The 待核实 cause counts are facts of the run, not of its wording.

The run summary ("缺少列“失业登记日期”：30人") counts the 待核实 persons by
cause: a missing column, an unreadable cell, a blank one.  Rewording how an
explanation names a cause must leave the counts alone: the causes travel as
data from the rules to the summary (calc.missing.Cause), the text is only
rendered from them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from calc import missing, stats
from calc.assess import run_ledger
from calc.synthetic import ledger
from xl_addin import jobs

AS_OF = dt.date(2026, 11, 22)


def _run():
    df = ledger(300, seed=7).drop(columns=["unemployment_registration_date"])
    df.loc[df.index[::5], "unemployment_date"] = "#N/A"  # unreadable
    df.loc[df.index[1::7], "employment_status"] = None  # blank
    run = run_ledger("GS-2003", df, AS_OF)
    return run, jobs.summarise(run, {}).uncertain_causes


def _stats_causes(run) -> Counter:
    return Counter(c for causes in stats.person_table(run, "台账")["causes"] for c in causes)


def test_cause_counts_do_not_depend_on_the_explanation_wording(monkeypatch):
    run, before = _run()
    kinds = {k.split("“")[0] for k in before}
    assert {"缺少列", "", "未填"} <= kinds, before  # every kind of cause occurs
    explanations = "".join(run.results["explanation"])
    assert "台账无“失业登记日期”列" in explanations and "“失业日期”单元格有误" in explanations
    stats_before = _stats_causes(run)

    monkeypatch.setattr(missing, "NO_COLUMN", "台账中没有“{h}”这一列")
    monkeypatch.setattr(missing, "BAD_CELL", "“{h}”一栏无法识别")
    monkeypatch.setattr(missing, "UNFILLED", "“{h}”空着")
    reworded, after = _run()
    texts = "".join(reworded.results["explanation"])
    # the rewording took effect: the old phrases are gone, the new ones shown
    assert "台账无“" not in texts and "单元格有误" not in texts and "台账未填“" not in texts
    assert "台账中没有“失业登记日期”这一列" in texts and "“失业日期”一栏无法识别" in texts
    assert "“就业状态”空着" in texts
    assert after == before
    assert _stats_causes(reworded) == stats_before
    # the same rows are 待核实, for the same causes
    assert (reworded.results["status"] == run.results["status"]).all()


def test_an_amount_says_as_data_whether_it_used_an_example_value():
    """The statistics report's 含示例参数 is taken from this flag (the parameter's
    own), not from finding “示例值” in the text of how the amount was formed."""
    from calc import subsidy
    from calc.params import ParameterTable
    from calc.policies import get_policy

    pack = get_policy("JS-2002")
    ben = pack.benefit("post_subsidy")
    on = dt.date(2026, 11, 1)
    amount, how, example = subsidy.amount_formed(pack, ben, on, None)
    assert example and "（示例值）" in how  # the program's own example value, marked
    table = ParameterTable.from_rows([("公益性岗位补贴月标准", 900, "2020-01-01", "市人社局文件")])
    amount, how, example = subsidy.amount_formed(pack, ben, on, table)
    assert amount == 900 and not example and "示例值" not in how


def _damaged(seed: int):
    """A ledger with columns left out and cells blanked or unreadable across the fields."""
    df = ledger(400, seed=seed)
    rng = np.random.default_rng(seed)
    for i, column in enumerate(list(df.columns)):
        if column in ("name", "id_number"):
            continue
        if i % 4 == 0:
            df = df.drop(columns=[column])
            continue
        rows = rng.choice(len(df), size=len(df) // 6, replace=False)
        df.loc[df.index[rows], column] = "#N/A" if i % 2 else None
    return df


@pytest.mark.parametrize("policy", ["JS-2002", "SX-2008", "GS-2003", "LYG-2003", "AH-2011"])
def test_the_explanation_names_exactly_the_fields_the_run_carries_as_causes(policy):
    """What the counts count and what the clerk reads are one: on every row, the
    fields the explanation names as missing, blank or unreadable (read here, in the
    test, with the phrases' own patterns) are the fields of the run's causes."""
    import re

    from calc import fields

    phrases = re.compile(r"台账未填“([^”]+)”|台账无“([^”]+)”列|“([^”]+)”单元格有误")
    for seed in (3, 4):
        run = run_ledger(policy, _damaged(seed), AS_OF)
        per_row: list[set[str]] = [set() for _ in range(len(run.results))]
        for cause, rows in run.causes.items():
            for i in np.flatnonzero(rows):
                per_row[i].add(fields.header_of(cause.field))
        for i, text in enumerate(run.results["explanation"].tolist()):
            named = {next(g for g in m if g) for m in phrases.findall(text)}
            assert named == per_row[i], (i, text)
