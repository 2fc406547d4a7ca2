"""Engine results → document contexts (doc_templates.from_assessment)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from test_documents import all_text, id_with_check

from calc.assess import assess_person, run_ledger
from calc.errors import InputError
from calc.params import ParameterTable
from calc.policies import get_policy
from calc.retirement import retirement_date
from calc.synthetic import ledger
from doc_templates.contexts import Office
from doc_templates.from_assessment import (
    agreement_from_assessment,
    agreements_from_run,
    letters_from_run,
    notice_from_run,
)
from doc_templates.render import render_agreement, render_letter, render_notice

AS_OF = dt.date(2026, 11, 22)
OFFICE = Office("柳巷街道劳动保障事务所", "柳巷南路18号", "0351-4123456")


def sx_person(**kw):
    base = {
        "姓名": "周秀梅",
        "家庭编号": "H0001",  # assess_person fails without it (reported to the lead)
        "性别": "女",
        "公民身份号码": id_with_check("14010619760510112"),
        "户籍性质": "城镇",
        "户籍地": "山西省太原市",  # SX-2008 一“具有我省城市户口”
        "失业登记日期": "2025-03-01",
        "失业日期": "2025-02-01",
        "原单位性质": "国有",
        "人员身份": "失业",
        "就业状态": "已就业",
        "就业形式": "公益性岗位",
        "就业日期": "2026-04-01",
        "初次核定日期": "2026-03-01",
        "劳动能力": "是",
        "就业愿望": "是",
        "原退休年龄": 50,
        "社区": "桥头社区",
        "街道": "柳巷街道",
        "援助责任人": "李红梅",
        "责任人电话": "13803510000",
        "联系电话": "13912345678",
        "家庭住址": "桥头街7号",
        "最近申报日期": "2026-10-10",
        "拒绝岗位次数": 0,
    }
    base.update(kw)
    return base


def test_agreement_from_a_person_assessment():
    params = ParameterTable.from_rows([("公益性岗位补贴月标准", 1250, "2020-01-01", "测试")])
    a = assess_person("SX-2008", sx_person(), AS_OF, params)
    assert a.status == "符合", a.explanation
    ctx = agreement_from_assessment(a, party_a=OFFICE, start=AS_OF, params=params)
    assert ctx.person.name == "周秀梅" and ctx.officer == "李红梅"
    assert ctx.person.category == "“4050”人员" and [str(c) for c in ctx.person.category_basis] == [
        "SX-2008 一(一)"
    ]
    assert [o.text for o in ctx.obligations] == [o.text for o in a.obligations]
    subs = {s.name: s for s in ctx.subsidies}
    post = subs["公益性岗位补贴"]
    assert str(post.amount) in ("1250", "1250.00")
    # subsidy from the later of first approval (2026-03-01) and employment (2026-04-01)
    assert post.start == dt.date(2026, 4, 1)
    # born 1976-05-10, original age 50: retirement well within 5 years → extended to retirement
    retire = retirement_date(dt.date(1976, 5, 10), "女", 50)
    assert post.until_retirement and post.end == retire - dt.timedelta(days=1)
    text = all_text(render_agreement(ctx))
    assert "每月1,250.00元（人民币壹仟贰佰伍拾元整）" in text
    assert f"至{post.end.year}年{post.end.month}月{post.end.day}日止" in text
    assert "延长至退休" in text
    assert "《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》" in text
    assert "超过半年未申报的，不再作为就业困难人员" in text
    assert "（第二条第（一）项）" in text and "SX-2008" not in text
    assert (
        "根据《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》第四条第（一）项的规定"
        in text
    )


def test_not_eligible_person_gets_no_agreement():
    a = assess_person("SX-2008", sx_person(原单位性质="私营"), AS_OF)
    assert a.status != "符合"
    with pytest.raises(InputError, match="不能签订援助协议"):
        agreement_from_assessment(a, party_a=OFFICE, start=AS_OF)


@pytest.fixture(scope="module")
def sx_run():
    """A ledger where every third person has no certification date yet (new applicants)."""
    df = ledger(300, seed=7)
    df.loc[df.index[::3], "first_approval_date"] = None
    return run_ledger("SX-2008", df, AS_OF)


def _eligible(run, certified: bool):
    from doc_templates.from_assessment import certified_mask

    el = (run.results["status"] == "符合").to_numpy()
    c = certified_mask(run.persons.frame).to_numpy()
    return run.persons.frame[el & (c if certified else ~c)]


def test_agreements_only_for_certified_persons(sx_run):
    pack = get_policy("SX-2008")
    ctxs, skipped = agreements_from_run(sx_run, party_a=OFFICE, start=AS_OF)
    certified = _eligible(sx_run, True)
    waiting = _eligible(sx_run, False)
    assert len(certified) and len(waiting)
    assert [c.person.name for c in ctxs] == certified["name"].tolist()
    assert [(s.name, s.row) for s in skipped] == list(
        zip(waiting["name"], waiting.index, strict=True)
    )
    assert all("尚未认定" in s.reason and "--pending" in s.reason for s in skipped)
    zero_only = [o.text for o in pack.obligations if o.categories]
    results = sx_run.results.loc[certified.index]
    for ctx, (_, row) in zip(ctxs, results.iterrows(), strict=True):
        codes = row["category_codes"].split(",")
        texts = [o.text for o in ctx.obligations]
        # a deadline already past gets “（自本协议签订之日起计）” appended
        has_zero = any(z.rstrip("。") in t for t in texts for z in zero_only)
        assert has_zero == ("zero_employment" in codes)
        assert ctx.person.category == row["categories"]
        assert ctx.sign_date == ctx.start == AS_OF and not ctx.pending
    for ctx in ctxs[:5]:
        text = all_text(render_agreement(ctx))
        assert "{{" not in text and "待认定" not in text
        assert not re.search(r"[A-Z]{2,3}-20\d\d", text)


def test_pending_agreements_only_on_request_and_marked(sx_run):
    ctxs, skipped = agreements_from_run(sx_run, party_a=OFFICE, start=AS_OF, allow_pending=True)
    assert not skipped
    pending = [c for c in ctxs if c.pending]
    assert [c.person.name for c in pending] == _eligible(sx_run, False)["name"].tolist()
    text = all_text(render_agreement(pending[0]))
    assert "接受就业援助协议书（待认定）" in text and "待认定" in text.split("认定类别：")[1]
    for ctx in pending:  # a subsidy never has no period: "自认定之日起" with its length
        for line in ctx.subsidies:
            if line.unit == "月":
                assert line.start is None and line.length_text


def test_notice_lists_only_persons_not_yet_certified(sx_run):
    start = dt.date(2026, 11, 23)
    ctx, skipped, already = notice_from_run(
        sx_run, start=start, office=OFFICE, certifier="迎泽区人力资源和社会保障局"
    )
    waiting = _eligible(sx_run, False)
    assert sorted(r.name for r in ctx.rows) == sorted(waiting["name"])
    assert [a.name for a in already] == _eligible(sx_run, True)["name"].tolist()
    assert not skipped
    assert ctx.workdays == 7  # the pack's default parameter 公示期（工作日）
    data = render_notice(ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        blob = z.read("word/document.xml").decode()
    for id_number in sx_run.persons.frame["id_number"]:
        assert id_number not in blob
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", blob)
    first = waiting.iloc[0]
    b = first["birth_date"].date()
    age = start.year - b.year - ((start.month, start.day) < (b.month, b.day))
    assert next(r.age for r in ctx.rows if r.name == first["name"]) == age
    masked, _, _ = notice_from_run(
        sx_run, start=start, office=OFFICE, certifier="某局", show_masked_id=True
    )
    assert all("*" in r.masked_id for r in masked.rows)


def test_notice_office_copy_takes_the_categories_from_the_masks():
    """The office copy's 认定类别 are the matched categories' labels, one line each
    in the table cell — taken from the run's masks, never split out of a text."""
    from markupsafe import Markup

    from doc_templates.views import cell_lines

    df = ledger(300, seed=7)
    df.loc[df.index[::3], "first_approval_date"] = None
    run = run_ledger("JS-2002", df, AS_OF)  # several persons in two categories
    ctx, _, _ = notice_from_run(run, start=AS_OF, office=OFFICE, certifier="某局")
    waiting = _eligible(run, False)
    shown = run.results.loc[waiting.index, "categories"].tolist()
    assert [r.name for r in ctx.rows] == waiting["name"].tolist()
    assert all(isinstance(c, tuple) and c for c in ctx.office_categories)
    assert ["、".join(c) for c in ctx.office_categories] == shown
    several = next(c for c in ctx.office_categories if len(c) > 1)
    cell = cell_lines(several)
    assert isinstance(cell, Markup) and cell.count("<w:br/>") == len(several) - 1
    assert cell_lines(("低保<户>", "残疾人")).startswith("低保&lt;户&gt;")
    assert cell_lines("甲、乙") == "甲、乙"  # one text stays one line


def test_letters_set_goals_with_formulas_and_never_a_silent_zero(sx_run):
    made = dt.date(2026, 12, 1)
    letters, skipped, warnings = letters_from_run(
        sx_run, issuer=Office("柳巷街道办事处"), year=2027, made_on=made
    )
    frame = sx_run.persons.frame
    eligible = (sx_run.results["status"] == "符合").to_numpy()
    pack = get_policy("SX-2008")
    for x in letters:
        assert [d.clause for d in x.duties] == [d.clause for d in pack.duties]
        in_unit = (frame["community"] == x.receiver.name).to_numpy() & eligible
        unemployed = int((in_unit & (frame["status"] == "unemployed").to_numpy()).sum())
        help_line = [t for t in x.targets if t.name == "帮助尚未就业的援助对象实现就业"]
        if unemployed:
            assert help_line[0].value == unemployed and "目标数＝" in help_line[0].note
        else:
            assert not help_line and "帮助尚未就业的援助对象实现就业" in x.not_set
        assert all(str(t.value) not in ("0", "") for t in x.targets)
        assert all(t.deadline is None or t.deadline >= made for t in x.targets)
        assert x.sign_date == made and x.start == dt.date(2027, 1, 1)
        assert [str(o.clause) for o in x.assessment] == ["SX-2008 二(三)"] * 3
        text = all_text(render_letter(x))
        assert "目标责任书" in text and "{{" not in text
        assert not re.search(r"[A-Z]{2,3}-20\d\d", text)
        assert "日期：2026年12月1日" in text


def test_person_not_yet_certified_gets_no_agreement_unless_asked():
    a = assess_person("SX-2008", sx_person(初次核定日期=None), AS_OF)
    assert a.status == "符合"
    with pytest.raises(InputError, match="尚未认定"):
        agreement_from_assessment(a, party_a=OFFICE, start=AS_OF)
    ctx = agreement_from_assessment(a, party_a=OFFICE, start=AS_OF, allow_pending=True)
    text = all_text(render_agreement(ctx))
    assert "（待认定）" in text
    # no first approval yet: the subsidy runs from certification, with its length
    assert "自认定之日起" in text and "个月" in text


def test_zero_employment_households_without_a_date_count_from_the_letter(sx_run):
    made = dt.date(2026, 12, 1)
    letters, _, _ = letters_from_run(
        sx_run, issuer=Office("柳巷街道办事处"), year=2027, made_on=made
    )
    frame = sx_run.persons.frame
    zero = (
        sx_run.matched("zero_employment").to_numpy()
        & (sx_run.results["status"] == "符合").to_numpy()
    )
    lines = [(x, t) for x in letters for t in x.targets if t.name == "零就业家庭就业目标"]
    assert lines
    undated_seen = False
    for x, t in lines:
        sub = frame[zero & (frame["community"] == x.receiver.name).to_numpy()]
        households = sub["household_id"].fillna(sub["id_number"])
        assert t.value == households.nunique()  # every household of the unit, dated or not
        undated = (
            sub.groupby(households)["first_approval_date"].apply(lambda s: s.isna().all()).sum()
        )
        if undated:
            undated_seen = True
            assert f"其中{undated}户认定日期待核实，自本责任书签订之日起计" in t.note
        assert t.deadline >= made  # one month from certification, or from the letter date
        assert "一个月内" in t.note
    assert undated_seen


@pytest.mark.parametrize("code", ["AH-2011", "GS-2003", "JS-2002"])
def test_agreements_promise_only_what_is_still_true_for_the_person(code):
    """A person already in work is helped to keep the job, not “尽快实现就业”; a
    subsidy whose period ended before the agreement is dated is not promised.  The
    sample ledgers hold no employed person assessed 符合, so a synthetic ledger of
    each text that does (public-welfare posts, self-employment) is read here."""
    from doc_templates.views import agreement_view

    made = dt.date(2026, 12, 5)
    run = run_ledger(code, ledger(300, seed=7), made)
    ctxs, _ = agreements_from_run(run, party_a=OFFICE, start=made, allow_pending=True)
    employed = [c for c in ctxs if c.employed]
    lines = [s for c in ctxs for s in c.subsidies if s.end]
    assert employed and [c for c in ctxs if not c.employed] and lines
    for c in ctxs:
        purpose = agreement_view(c)["purpose"]
        assert purpose == ("帮助乙方稳定就业" if c.employed else "帮助乙方尽快实现就业")
    assert not [s for s in lines if s.end < made], [(s.name, s.end) for s in lines if s.end < made]
    text = all_text(render_agreement(employed[0]))
    assert "为帮助乙方稳定就业" in text and "尽快实现就业" not in text
