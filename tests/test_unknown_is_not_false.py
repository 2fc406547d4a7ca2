"""Unknown is not false: less data never gives a harder answer.

A generic property over every policy pack and every canonical field a ledger
has.  For each ledger (generated ones, the five sample workbooks, the real
layouts of tests/real_layouts.py) the assessment on full data is compared
with the assessment after one field is (a) dropped, (b) blanked in every
cell, (c) made unreadable in every cell ("#N/A").  With less data:

- nobody who was 符合 or 待核实 becomes 不符合 or 资格终止;
- nobody gains a benefit, a subsidy period or a deadline;
- a person whose status became 待核实 is told which column: "台账无“X”列" for
  a dropped one, "“X”…有误" (never "未填"/"为空") for an unreadable one, and
  "未填“X”" for a blank one.

Documented presumptions (not failures): the declarations 劳动能力, 就业愿望,
不挑剔岗位 and the lapse records 自愿放弃 / 拒绝岗位次数 are presumed (yes /
none) when the column or cell is empty — the person registered to seek work
and a lapse is recorded when it happens (calc.rules) — so only their
unreadable form is checked; and the office's recorded certification
(认定类别) adds a category when present, its absence is "not recorded" (calc.certified).
A lapse (资格终止) whose inputs become unknown does not cancel the status: the
person is 符合 again with "待核实 …：是否…" in the explanation (calc.assess).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from real_layouts import AS_OF as LAYOUT_AS_OF
from real_layouts import BUILDERS

from calc import assess, synthetic
from calc import fields as calc_fields
from calc.assess import assess_ledger, assess_person
from calc.policies import PACKS
from tests import xlwings_helpers
from tests.person_factory import person
from xl_addin import jobs

fn = xlwings_helpers.load("xl_addin.functions")

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 22)

#: Presumed when empty (documented in calc.rules): only the unreadable form is checked.
PRESUMED = {"able_to_work", "wants_work", "accepts_any_post", "gave_up", "refused_posts"}
#: A recorded decision that adds a category; its absence is "not recorded".
RECORDED = {"certified_category"}
#: Not facts of the rules (identification and document fields).
NOT_RULE_INPUT = {"name", "phone", "officer", "street", "community", "address", "remarks"}

#: Read from the ID number when the ledger has no column of their own; with the ID
#: unknown too, the explanation names both (calc.normalize keeps them out of ``absent``).
FROM_ID = {"sex", "birth_date"}

KINDS = ("drop", "blank", "unreadable")


def _synthetic(n: int, seed: int) -> pd.DataFrame:
    """A generated ledger with the declarations, lapse records and reviews filled too."""
    raw = synthetic.ledger(n, seed=seed)
    rng = np.random.default_rng(seed + 1)
    yes_no = np.array(["否", "是"], dtype=object)
    raw["able_to_work"] = yes_no[(rng.random(n) < 0.95).astype(int)]
    raw["wants_work"] = yes_no[(rng.random(n) < 0.95).astype(int)]
    raw["accepts_any_post"] = yes_no[(rng.random(n) < 0.9).astype(int)]
    raw["gave_up"] = yes_no[(rng.random(n) < 0.05).astype(int)]
    review = pd.Timestamp("2026-02-10") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    raw["annual_review_date"] = review.strftime("%Y-%m-%d").to_numpy(dtype=object)
    raw["graduate_this_year"] = yes_no[(rng.random(n) < 0.05).astype(int)]
    women = raw["id_number"].str[16].astype(int) % 2 == 0
    ages = pd.Series(rng.choice([50, 55], size=n), index=raw.index).astype(object)
    raw["original_retirement_age"] = ages.where(women, None)
    return raw.astype(object)


def _cases():
    out = []
    for code in PACKS:
        out.append(pytest.param(("synthetic", code), id=f"synthetic-{code}"))
    for code in PACKS:
        out.append(pytest.param(("sample", code), id=f"sample-{code}"))
    for b in BUILDERS:
        out.append(pytest.param(("layout", b), id=f"layout-{b.__name__}"))
    return out


@pytest.fixture(scope="module")
def layout_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("layouts")


def _source(case, layout_dir):
    """(pack, raw frame, as_of, params) of a case."""
    kind, what = case
    if kind == "synthetic":
        return PACKS[what], _synthetic(70, seed=len(what)), AS_OF, None
    if kind == "sample":
        path = ROOT / "workbooks" / f"台账样例_{what}.xlsx"
        a = jobs.assess_workbook(path, what, AS_OF)
        return a.pack, a.ledger.data.head(80).copy(), AS_OF, a.params
    folder = layout_dir / what.__name__
    folder.mkdir(exist_ok=True)
    layout = what(folder)
    a = jobs.assess_workbook(layout.path, layout.policy, LAYOUT_AS_OF)
    return a.pack, a.ledger.data.copy(), LAYOUT_AS_OF, a.params


def _sex_conflicts(run: assess.LedgerRun) -> np.ndarray:
    records = run.persons.records
    rows = set() if records is None else set(records["row"][records["code"] == "conflicts_with_id"])
    return np.array([i in rows for i in run.results.index], dtype=bool)


def _perturb(raw: pd.DataFrame, name: str, kind: str) -> pd.DataFrame:
    if kind == "drop":
        return raw.drop(columns=[name])
    out = raw.copy()
    out[name] = pd.Series([None if kind == "blank" else "#N/A"] * len(raw), index=raw.index)
    return out.astype(object)


def _facts(run: assess.LedgerRun):
    r = run.results
    deadlines = {e: d.dates.where(d.mask) for e, d in run.deadlines.items()}
    return r["status"].to_numpy(), run.benefit_masks, r["period_end"], deadlines


def _named(text: str, header: str, kind: str, name: str) -> bool:
    if kind == "drop":
        if name in FROM_ID:
            return f"“{header}”" in text and "公民身份号码" in text
        return f"台账无“{header}”列" in text
    if kind == "unreadable":
        return f"“{header}”" in text and "有误" in text
    return f"未填“{header}”" in text or f"缺“{header}”" in text


def _violations(pack, raw, as_of, params, name: str, kind: str, base) -> list[str]:
    status0, ben0, period0, dl0, conflict = base
    run = assess.run_ledger(pack, _perturb(raw, name, kind), as_of, params, explain=False)
    status1, ben1, period1, dl1 = _facts(run)
    if name == "id_number":  # an ID contradicting the 性别 column wins over it; without
        keep = ~conflict  # the ID the column speaks: other data, not less data
        status1 = np.where(keep, status1, status0)
        ben1 = {c: m & keep for c, m in ben1.items()}
        dl1 = {e: d.where(keep) for e, d in dl1.items()}
    out = []
    names = raw["name"].astype(str).to_numpy() if "name" in raw else np.arange(len(raw))
    harder = np.isin(status0, ["符合", "待核实"]) & np.isin(status1, ["不符合", "资格终止"])
    for i in np.flatnonzero(harder)[:3]:
        out.append(f"{names[i]}: {status0[i]} → {status1[i]}")
    # A lapse the ledger can no longer decide does not cancel the status (calc.assess):
    # 资格终止 → 符合 with "待核实 …：是否…" in the explanation is that rule, not a gain.
    not_cancelled = (status0 == "资格终止") & (status1 == "符合")
    for code, mask in ben1.items():
        gained = mask & ~ben0.get(code, np.zeros(len(mask), dtype=bool)) & ~not_cancelled
        for i in np.flatnonzero(gained)[:2]:
            out.append(f"{names[i]}: gains benefit {code}")
    appeared = period1.notna().to_numpy() & period0.isna().to_numpy() & ~not_cancelled
    for i in np.flatnonzero(appeared)[:2]:
        out.append(f"{names[i]}: period end appears {period1.iloc[i]}")
    changed = (period1.notna() & period0.notna() & (period1 != period0)).to_numpy()
    for i in np.flatnonzero(changed)[:2]:
        out.append(f"{names[i]}: period end {period0.iloc[i]} → {period1.iloc[i]}")
    for event, dates in dl1.items():
        before = dl0.get(event, pd.Series(pd.NaT, index=dates.index))
        new = (dates.notna() & (before.isna() | (dates != before))).to_numpy() & ~not_cancelled
        for i in np.flatnonzero(new)[:2]:
            out.append(f"{names[i]}: deadline {event} {before.iloc[i]} → {dates.iloc[i]}")
    for i in np.flatnonzero(not_cancelled)[:1]:
        text = assess.run_ledger(pack, _perturb(raw, name, kind), as_of, params).results
        if "：是否" not in text["explanation"].iloc[i]:
            out.append(f"{names[i]}: lapse no longer decided but not shown as 待核实")
    became = (status1 == "待核实") & (status0 != "待核实")
    if became.any():
        texts = assess.run_ledger(pack, _perturb(raw, name, kind), as_of, params).results
        header = calc_fields.header_of(name)
        for i in np.flatnonzero(became):
            text = texts["explanation"].iloc[i]
            if not _named(text, header, kind, name):
                out.append(f"{names[i]}: 待核实 without naming “{header}” ({kind}): {text[:300]}")
                break
            if kind == "unreadable" and f"未填“{header}”" in text:
                out.append(f"{names[i]}: unreadable “{header}” called 未填: {text[:300]}")
                break
    return [f"{name}/{kind}: {v}" for v in out]


@pytest.mark.parametrize("case", _cases())
def test_less_data_never_gives_a_harder_answer(case, layout_dir):
    pack, raw, as_of, params = _source(case, layout_dir)
    run = assess.run_ledger(pack, raw, as_of, params, explain=False)
    base = (*_facts(run), _sex_conflicts(run))
    problems: list[str] = []
    for name in [c for c in raw.columns if c in calc_fields.FIELDS and c not in NOT_RULE_INPUT]:
        for kind in KINDS:
            if kind != "unreadable" and name in PRESUMED | RECORDED:
                continue
            problems += _violations(pack, raw, as_of, params, name, kind, base)
    assert not problems, "\n".join(problems[:40])


# --------------------------------------------------------------- spot checks per policy

ON = dt.date(2026, 11, 22)


def _member(code: str, **fields) -> dict:
    """A person the policy's data puts in a category (all the facts it reads filled)."""
    base = dict(
        age=52,
        sex="男",
        on=ON,
        former_employer_type="国有",
        separation_type="下岗",
        low_skill="是",
        first_approval_date="2026-05-10",
        annual_review_date="2026-03-02",
        last_report_date="2026-09-01",
        household_id=None,
    )
    base.update(fields)
    return person(**base)


@pytest.mark.parametrize("code", list(PACKS))
def test_a_missing_column_is_named_and_contrary_data_is_not_met(code):
    """Per policy: no 公民身份号码 column → 待核实 naming it (not 不符合); an unreadable
    ID → “公民身份号码”单元格有误; a blank one → 未填; a known age past retirement → 不符合."""
    full = _member(code)
    assert assess_person(code, full, ON).status == "符合", assess_person(code, full, ON).explanation
    header = calc_fields.header_of("id_number")
    without = {k: v for k, v in full.items() if k != "id_number"}
    for changed, said in (
        (without, f"台账无“{header}”列（可在“字段对照”中指定）"),
        ({**full, "id_number": "#N/A"}, f"“{header}”单元格有误"),
        ({**full, "id_number": None}, f"台账未填“{header}”"),
    ):
        r = assess_person(code, changed, ON)
        assert r.status == "待核实", r.explanation
        assert said in r.explanation, r.explanation
        assert not r.benefits
    if "“公民身份号码”单元格有误" in said:
        assert "为空" not in r.explanation
    retired = _member(code, age=70)
    r = assess_person(code, retired, ON)
    assert r.status == "不符合", r.explanation
    assert "在法定劳动年龄内" in r.explanation


def test_unreadable_presumed_declaration_is_unknown_not_presumed():
    """劳动能力 is presumed yes when the ledger says nothing, but "#N/A" there is unknown."""
    full = _member("JS-2002", able_to_work="是")
    silent = {k: v for k, v in full.items() if k != "able_to_work"}
    assert assess_person("JS-2002", silent, ON).status == "符合"
    r = assess_person("JS-2002", {**full, "able_to_work": "#N/A"}, ON)
    assert r.status == "待核实", r.explanation
    assert "“有无劳动能力”单元格有误" in r.explanation or "单元格有误" in r.explanation
    no = assess_person("JS-2002", {**full, "able_to_work": "否"}, ON)
    assert no.status == "不符合"


def test_unknown_contract_does_not_give_the_superseded_subsidy():
    """AH-2011 (七)3 社会保险补贴 gives way to (七)4 吸纳零就业家庭成员社会保险补贴; with the
    contract term unknown the latter is 待核实, so the former is not granted in its place."""
    hired = _member(
        "AH-2011",
        age=46,
        employment_status="已就业",
        employment_type="企业吸纳",
        employment_date="2026-06-01",
        zero_employment_household="是",
        contract_years=3,
    )
    full = assess_person("AH-2011", hired, ON)
    assert "zero_hire_insurance_subsidy" in {b.code for b in full.benefits}
    assert "insurance_subsidy" not in {b.code for b in full.benefits}
    unknown = assess_person("AH-2011", {**hired, "contract_years": None}, ON)
    codes = {b.code for b in unknown.benefits}
    assert not codes & {"insurance_subsidy", "zero_hire_insurance_subsidy"}, codes
    assert "社会保险补贴（与“吸纳零就业家庭成员社会保险补贴”择一）" in unknown.explanation


def test_unknown_lapse_does_not_cancel_and_says_so():
    """AH-2011 (六): a review outside the first quarter cancels; an unknown review does not."""
    lapsed = _member("AH-2011", first_approval_date="2024-05-10", annual_review_date="2026-06-01")
    assert assess_person("AH-2011", lapsed, ON).status == "资格终止"
    for review in (None, "#N/A"):
        r = assess_person("AH-2011", {**lapsed, "annual_review_date": review}, ON)
        assert r.status == "符合", r.explanation
        assert "待核实 AH-2011 (六)：是否未参加年审或年审不合格" in r.explanation
    gone = {k: v for k, v in lapsed.items() if k != "annual_review_date"}
    r = assess_person("AH-2011", gone, ON)
    assert "台账无“最近年审日期”列" in r.explanation, r.explanation
    assert (
        "台账无“最近年审日期”列"
        in assess_ledger("AH-2011", pd.DataFrame([gone]), ON)["deadlines"].iloc[0]
    )


# ------------------------------------------------------------------- one-person path


def _harder(before: str, after: str) -> bool:
    return before in ("符合", "待核实") and after in ("不符合", "资格终止")


@pytest.mark.parametrize(
    ("code", "who"),
    [
        ("AH-2011", _member("AH-2011", age=46, minimum_allowance="是")),
        ("SX-2008", _member("SX-2008", age=45, sex="女", household_id="H1")),
    ],
)
def test_one_person_and_worksheet_functions_never_harder_on_less_data(code, who):
    """assess_person and JY_ASSESS / JY_ELIGIBLE (Office.js protocol) on a person with
    each of their fields dropped, blanked or unreadable in turn."""
    full = assess_person(code, who, ON, household=[])  # alone, as one row of JY_ASSESS
    granted = {b.code for b in full.benefits}
    unknown_household = assess_person(code, who, ON)
    headers = [calc_fields.FIELDS[k].header for k in who]
    got = xlwings_helpers.call(
        fn, "jy_assess", code, [headers, list(who.values())], xlwings_helpers.serial(ON), None
    )
    status_col = got[0].index("认定结论")
    assert got[1][status_col] == full.status
    for key in [k for k in who if k not in PRESUMED | NOT_RULE_INPUT]:
        for kind in KINDS:
            if kind == "drop":
                changed = {k: v for k, v in who.items() if k != key}
            else:
                changed = {**who, key: None if kind == "blank" else "#N/A"}
            r = assess_person(code, changed, ON, household=[])
            assert not _harder(full.status, r.status), (key, kind, r.explanation)
            assert {b.code for b in r.benefits} <= granted, (key, kind)
            if kind == "blank":
                continue  # the functions read a blank cell as the person mapping does
            hs = [calc_fields.FIELDS[k].header for k in changed]
            row = list(changed.values())
            got = xlwings_helpers.call(
                fn, "jy_assess", code, [hs, row], xlwings_helpers.serial(ON), None
            )
            assert got[1][status_col] == r.status, (key, kind)
            # one row of JY_ELIGIBLE: the household is unknown (assess_person's default)
            alone = assess_person(code, changed, ON)
            assert not _harder(unknown_household.status, alone.status), (key, kind)
            eligible = xlwings_helpers.call(
                fn, "jy_eligible", code, [hs], [row], xlwings_helpers.serial(ON), None
            )
            assert eligible == [[alone.status == "符合"]], (key, kind, eligible)
