"""Ledgers laid out like real ones (tests/real_layouts.py): check, fill and docs run
without hand edits, and nobody the ledger records as certified comes out 不符合."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from real_layouts import AS_OF, BUILDERS, Layout

from xl_addin import jobs, ledger_read

IDS = [b.__name__ for b in BUILDERS]


@pytest.fixture(params=BUILDERS, ids=IDS)
def layout(request, tmp_path) -> Layout:
    return request.param(tmp_path)


def _results(path: Path, sheet: str) -> dict[str, dict[str, object]]:
    """Name → {header: value} for every row of the filled sheet that got a 认定结论."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head_i = next(i for i, r in enumerate(rows) if "认定结论" in r)
    head = list(rows[head_i])
    name_col = next(
        i for i, h in enumerate(head) if h and str(h).lstrip("*").startswith(("姓名", "个人姓名"))
    )
    out = {}
    for r in rows[head_i + 1 :]:
        d = dict(zip(head, r, strict=False))
        if d.get("认定结论"):
            out[str(r[name_col])] = d
    return out


def test_the_layouts_come_from_at_least_three_provinces_or_systems():
    assert len(BUILDERS) >= 6
    sources = [b.__doc__ for b in BUILDERS]
    # each names where its layout comes from (a public page)
    assert all(s and re.search(r"[a-z0-9-]+\.(com|cn|net|org)\b", s) for s in sources)
    places = {p for p in ("山西", "吉林", "安徽", "江苏", "总工会") if any(p in s for s in sources)}
    assert len(places) >= 3


def test_check_fill_and_documents_run_without_hand_edits(layout, tmp_path):
    report = jobs.check(layout.path, out=tmp_path / "检查结果.xlsx")
    assert report.people == layout.people  # footers, legends, sub-headers are not people
    assert report.output is not None, report.write_error
    filled = jobs.fill(layout.path, out=tmp_path / "已填写.xlsx", policy=layout.policy, as_of=AS_OF)
    assert filled.summary.people == layout.people
    results = _results(filled.output, filled.sheet)
    assert len(results) == layout.people
    for name in layout.certified:
        r = results[name]
        assert r["认定结论"] == "符合", (name, r["认定依据"])
        assert "已认定：" in r["认定依据"], r["认定依据"]
    for name in layout.expect.get("not_eligible", []):
        assert results[name]["认定结论"] == "不符合", results[name]["认定依据"]
    made = {}
    for kind in jobs.DOC_KINDS:
        docs = jobs.docs(
            layout.path, kind, out_dir=tmp_path / kind, policy=layout.policy, as_of=AS_OF
        )
        assert all(f.exists() and f.stat().st_size > 0 for f in docs.files)
        made[kind] = docs
    # The procedure in order: certified people get agreements, people who
    # qualify but are not yet certified go into the 拟认定 notice — every eligible person
    # gets one paper or the other, and the report says why a paper was not made.
    agreements, notice = made["协议书"], made["公示"]
    assert agreements.files or notice.files
    assert all(s.reason.startswith("尚未认定") for s in agreements.skipped), agreements.skipped
    if not notice.files:
        assert "都已有认定日期" in notice.note, notice
    letters = made["责任书"]
    # a unit the ledger gives no goal to gets no letter of 0 targets, and is named
    assert letters.files or (
        letters.skipped and all("没有目标任务" in s.reason for s in letters.skipped)
    ), letters


def test_street_and_community_from_the_title(layout):
    ledger = ledger_read.read_ledger(layout.path)
    for name in ("street", "community"):
        if name in layout.expect:
            assert set(ledger.data[name]) == {layout.expect[name]}
            assert "标题行" in ledger.sources[name]


def test_no_certified_person_is_not_eligible_for_want_of_data(layout):
    a = jobs.assess_workbook(layout.path, layout.policy, AS_OF)
    names = a.ledger.data["name"].tolist()
    status = dict(zip(names, a.results["status"].tolist(), strict=True))
    for name in layout.certified:
        assert status[name] != "不符合"


def test_shanxi_ledger_title_legend_footer_and_error_cell(tmp_path):
    layout = BUILDERS[0](tmp_path)
    ledger = ledger_read.read_ledger(layout.path)
    assert len(ledger.data) == layout.people
    assert set(ledger.data["street"]) == {"坞城街道"}
    assert "机构名称" in ledger.sources["street"]
    # 申请人员类别 1/7/2/4/9 decoded with the 填表说明 legend
    cats = dict(zip(ledger.data["name"], ledger.data["certified_category"], strict=True))
    assert cats["王秀英"] == "大龄失业人员" and cats["李建国"] == "长期失业人员"
    a = jobs.assess_workbook(layout.path, "SX-2008", AS_OF)
    by_name = dict(zip(a.ledger.data["name"], a.ledger.data.index, strict=True))
    row = by_name["杨志强"]
    texts = [p.text() for p in a.problems.get(row, [])]
    assert any("I" + str(row) in t and "#N/A" in t for t in texts), texts
    assert not any("为空" in t for t in texts)
    res = a.results.loc[row]
    assert res["status"] == "待核实"
    # the column a clerk would add is named, with the way to map it
    assert "台账无“户籍性质”列（可在“字段对照”中指定）" in res["explanation"]
    causes = a.summary().uncertain_causes
    assert causes.get("缺少列“户籍性质”") == 2


def test_certified_category_is_a_fact_with_the_rules_disagreement_shown(tmp_path):
    layout = BUILDERS[0](tmp_path)
    a = jobs.assess_workbook(layout.path, "SX-2008", AS_OF)
    by_name = dict(zip(a.ledger.data["name"], range(len(a.ledger.data)), strict=True))
    res = a.results.iloc[by_name["王秀英"]]
    assert res["status"] == "符合" and "4050" in res["categories"]
    assert "已认定：“4050”人员（台账记载“大龄失业人员”，2024-06-20）" in res["explanation"]
    assert "提示：按 SX-2008 一(一) 核对" in res["explanation"]
    # a category the policy does not have is kept as written and counts as certified
    res = a.results.iloc[by_name["张桂兰"]]
    assert res["status"] == "符合" and res["categories"] == "低保人员"
    assert "不是 SX-2008 的认定类别" in res["explanation"]


def test_multi_sheet_export_takes_the_person_sheet_and_joins_by_id(tmp_path):
    layout = BUILDERS[IDS.index("jiangsu_query_export")](tmp_path)
    ledger = ledger_read.read_ledger(layout.path)
    assert ledger.sheet_name == "人员基本信息"  # not the first sheet (查询条件)
    assert "失业登记信息" in ledger.sources["unemployment_registration_date"]
    assert "就业困难人员认定信息" in ledger.sources["certified_category"]
    assert "补贴信息" in ledger.sources["subsidy_start_month"]
    report = jobs.check(layout.path, write=False)
    assert "人员信息取自工作表“人员基本信息”" in report.columns_text
    assert not report.errors  # 202405 in 补贴开始年月 is a month, not a bad serial


def test_households_from_the_head_id(tmp_path):
    layout = BUILDERS[IDS.index("family_members_export")](tmp_path)
    a = jobs.assess_workbook(layout.path, "SX-2008", AS_OF)
    frame = a.run.persons.frame
    names = a.ledger.data["name"].tolist()
    got = dict(zip(names, frame["household_id"].tolist(), strict=True))
    assert got == layout.expect["households"]
