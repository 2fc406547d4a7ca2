"""The bundled sample ledgers: reproducible, realistic, every category present."""

from __future__ import annotations

import zipfile

import pytest
import python_calamine as pc

from calc.policies import get_policy
from workbooks import SAMPLE_POLICIES, sample_path
from workbooks.generate import REFERENCE_DATE, generate
from xl_addin import jobs
from xl_addin.ledger_read import read_ledger, read_parameter_sheet


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def with_formulas(tmp_path_factory):
    """The samples as ``jyyz fill --formulas`` writes them (live =JY_… formulas)."""
    return generate(tmp_path_factory.mktemp("formulas"), ["SX-2008", "AH-2011"], formulas=True)


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


@pytest.mark.parametrize("policy", SAMPLE_POLICIES)
def test_bundled_sample_matches_a_fresh_regeneration(fresh, policy):
    bundled = sample_path(policy)
    assert bundled.exists(), "run python -m workbooks.generate"
    assert _members(bundled) == _members(fresh[policy].path), (
        f"{bundled.name} is stale: run python -m workbooks.generate"
    )


def test_samples_are_small():
    total = sum(sample_path(p).stat().st_size for p in SAMPLE_POLICIES)
    assert total < 2_000_000


@pytest.mark.parametrize("policy", SAMPLE_POLICIES)
def test_every_category_and_non_eligible_people(policy):
    a = jobs.assess_workbook(sample_path(policy), as_of=REFERENCE_DATE)
    assert a.pack.code == policy and a.policy_source.startswith("工作簿")
    summary = a.summary()
    pack = get_policy(policy)
    missing = [c.label for c in pack.categories if summary.by_category.get(c.label, 0) == 0]
    assert not missing, f"{policy}: no eligible person in {missing}"
    assert summary.by_status.get("不符合", 0) >= 5
    assert 200 <= summary.people <= 400


@pytest.mark.parametrize("policy", SAMPLE_POLICIES)
def test_layout_like_a_real_ledger(policy, fresh):
    path = sample_path(policy)
    ledger = read_ledger(path)
    assert ledger.sheet_name == "台账"
    assert ledger.header_rows == (3, 4)  # two-row header under title and notes rows
    assert ledger.first_data_row == 5
    assert ledger.unknown_columns  # 序号, 备注 and the result columns
    # household numbers: several people share one
    households = ledger.data["household_id"].value_counts()
    assert (households >= 2).sum() >= 20
    # communities, streets, officers with phones
    for name in ("community", "street", "officer", "officer_phone"):
        assert ledger.data[name].notna().all()
    assert ledger.data["community"].nunique() >= 4
    # dates typed as text in several forms, 15-digit IDs
    births = [v for v in ledger.data["birth_date"] if isinstance(v, str)]
    assert any("." in v for v in births) or any("年" in v for v in births)
    ids = [v for v in ledger.data["id_number"] if isinstance(v, str)]
    assert sum(len(v) == 15 for v in ids) == 3
    # the parameter sheet names the policy
    params = read_parameter_sheet(path)
    assert any(r["name"] == "政策代码" and r["value"] == policy for r in params)
    wb = pc.CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["台账", "参数", "目标"]
    # the planted problems are where the generator says
    planted = fresh[policy].planted
    assert len(planted) == 13 and len(fresh[policy].planted_errors) == 10


def test_bundled_samples_show_values_in_any_program():
    """No =JY_… formula (which shows #NAME? without the add-in): the engine's values."""
    import openpyxl

    for policy in SAMPLE_POLICIES:
        path = sample_path(policy)
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/worksheets/sheet1.xml")
        assert b"JY_" not in xml, policy
        a = jobs.assess_workbook(path, as_of=REFERENCE_DATE)
        ws = openpyxl.load_workbook(path)["台账"]
        header = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
        rows = list(a.ledger.data.index)
        shown = [ws.cell(r, header["认定结论"]).value for r in rows]
        assert shown == a.results["status"].tolist(), policy


def test_samples_are_well_kept_ledgers_without_missing_column_causes():
    """A sample's 待核实 have real causes (a blank or unreadable cell, a fact open in
    the household), never a column the sample lacks."""
    for policy in SAMPLE_POLICIES:
        a = jobs.assess_workbook(sample_path(policy), as_of=REFERENCE_DATE)
        open_ = a.results[a.results["status"] == "待核实"]
        lacking = [e for e in open_["explanation"] if "台账无“" in e]
        assert not lacking, (policy, lacking[:1])


@pytest.mark.parametrize("policy", ["SX-2008", "AH-2011"])
def test_computed_columns_hold_formulas_with_the_engines_values(policy, with_formulas):
    import openpyxl

    path = with_formulas[policy].path
    a = jobs.assess_workbook(path, as_of=REFERENCE_DATE)
    wb = openpyxl.load_workbook(path)
    ws = wb["台账"]
    header = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
    col = header["认定类别"]
    rows = list(a.ledger.data.index)
    anchor = ws.cell(rows[0], col).value  # one array formula for the whole column
    formula = anchor.text
    letter = ws.cell(rows[0], col).column_letter
    assert anchor.ref == f"{letter}{rows[0]}:{letter}{rows[-1]}"
    assert formula.startswith(f'=JY_CATEGORY("{policy}",')
    assert f"$A${rows[0]}:" in formula and f"${rows[-1]}," in formula
    assert "DATE(2026,11,1)" in formula and "'参数'!$A$1:$E$" in formula
    cached = openpyxl.load_workbook(path, data_only=True)["台账"]
    expected = a.results["categories"].tolist()
    got = [cached.cell(r, col).value or "" for r in rows]
    assert got == expected
    status = [cached.cell(r, header["认定结论"]).value for r in rows]
    assert status == a.results["status"].tolist()


@pytest.mark.parametrize("policy", ["SX-2008", "AH-2011"])
def test_array_formulas_recompute_to_their_cached_values(policy, with_formulas):
    """What Excel shows after recalculation equals what the workbook shows before."""
    import re

    import openpyxl

    from xl_addin import functions as fn

    path = with_formulas[policy].path
    formula_wb = openpyxl.load_workbook(path)
    values_wb = openpyxl.load_workbook(path, data_only=True)
    ws, cached = formula_wb["台账"], values_wb["台账"]
    header = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
    for title, function in (("认定类别", fn.jy_category), ("是否符合", fn.jy_eligible)):
        col = header[title]
        first = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, col).value is not None)
        anchor = ws.cell(first, col).value
        m = re.match(
            r'=(?:IF\(ISLOGICAL\()?JY_\w+\("([^"]+)",(\{.*?\}|\$A\$\d+:\$\w+\$\d+),\$A\$(\d+):\$(\w+)\$(\d+),DATE\((\d+),(\d+),(\d+)\),\'参数\'!\$A\$1:\$E\$(\d+)\)',
            anchor.text,
        )
        assert m, anchor.text
        code, headers_arg, r0, last_col, r1, y, mo, d, prow = m.groups()
        if headers_arg.startswith("{"):
            headers = [[t.strip('"') for t in headers_arg[1:-1].split(",")]]
        else:
            row = int(headers_arg.split("$")[2].rstrip(":"))
            headers = [
                [c.value for c in cached[row][: openpyxl.utils.column_index_from_string(last_col)]]
            ]
        width = openpyxl.utils.column_index_from_string(last_col)
        data = [[c.value for c in cached[r][:width]] for r in range(int(r0), int(r1) + 1)]
        params = [
            [c.value for c in r[:5]]
            for r in values_wb["参数"].iter_rows(min_row=1, max_row=int(prow))
        ]
        import datetime as dt

        result = function(code, headers, data, dt.date(int(y), int(mo), int(d)), params)
        shown = [cached.cell(r, col).value for r in range(int(r0), int(r1) + 1)]
        got = [row[0] for row in result]
        got = got[: int(r1) - int(r0) + 1]
        if anchor.text.startswith("=IF("):  # 是否符合: the same 是/否 as the values file
            got = [("是" if v else "否") if isinstance(v, bool) else v for v in got]
        norm = [None if v in ("", None) else v for v in got]
        assert norm == [None if v in ("", None) else v for v in shown], title


@pytest.mark.parametrize(
    ("policy", "clause"), [("SX-2008", "SX-2008 四(一)"), ("JS-2002", "JS-2002 三")]
)
def test_targets_sheet_has_the_household_employment_target(policy, clause):
    """Target letters carry the households to resolve within the policy's deadline."""
    from xl_addin.ledger_read import read_targets_sheet

    rows = [r for r in read_targets_sheet(sample_path(policy)) if r.get("依据") == clause]
    assert rows and all(r["计量单位"] == "户" for r in rows)
    assert sum(r["目标值"] for r in rows) > 0
    for r in read_targets_sheet(sample_path(policy)):
        street = r["下达单位"].split("区")[-1].replace("劳动保障事务所", "")
        assert r["责任单位"].startswith(street), (r["下达单位"], r["责任单位"])
