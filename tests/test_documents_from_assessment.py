"""Engine results → document contexts (doc_templates.from_assessment)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document
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
    assert ctx.person.category == "“4050”人员" and ctx.person.category_basis == "SX-2008 一(一)"
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
    assert "（SX-2008 二(一)）" in text


def test_not_eligible_person_gets_no_agreement():
    a = assess_person("SX-2008", sx_person(原单位性质="私营"), AS_OF)
    assert a.status != "符合"
    with pytest.raises(InputError, match="不能签订援助协议"):
        agreement_from_assessment(a, party_a=OFFICE, start=AS_OF)


@pytest.fixture(scope="module")
def sx_run():
    return run_ledger("SX-2008", ledger(300, seed=7), AS_OF)


def test_agreements_from_run_follow_each_persons_categories(sx_run):
    pack = get_policy("SX-2008")
    ctxs = agreements_from_run(sx_run, party_a=OFFICE, start=AS_OF)
    eligible = sx_run.results[sx_run.results["status"] == "符合"]
    assert len(ctxs) == len(eligible) > 0
    zero_only = [o.text for o in pack.obligations if o.categories]
    for ctx, (_, row) in zip(ctxs, eligible.iterrows(), strict=True):
        codes = row["category_codes"].split(",")
        texts = [o.text for o in ctx.obligations]
        has_zero_obligation = any(t in texts for t in zero_only)
        assert has_zero_obligation == ("zero_employment" in codes)
        assert ctx.person.category == row["categories"]
    for ctx in ctxs[:5]:
        data = render_agreement(ctx)
        assert "{{" not in all_text(data)


def test_notice_from_run_is_private(sx_run):
    start = dt.date(2026, 11, 23)
    ctx = notice_from_run(sx_run, start=start, office=OFFICE)
    eligible = sx_run.results["status"] == "符合"
    frame = sx_run.persons.frame[eligible.to_numpy()]
    assert [r.name for r in ctx.rows] == frame["name"].tolist()
    assert ctx.workdays == 5  # parameter 公示期（工作日）
    data = render_notice(ctx)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        blob = z.read("word/document.xml").decode()
    for id_number in frame["id_number"]:
        assert id_number not in blob
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", blob)
    b = frame["birth_date"].iloc[0].date()
    age = start.year - b.year - ((start.month, start.day) < (b.month, b.day))
    assert ctx.rows[0].age == age
    masked = notice_from_run(sx_run, start=start, office=OFFICE, show_masked_id=True)
    assert all("*" in r.masked_id for r in masked.rows)


def test_letters_from_run_count_targets_per_community(sx_run):
    letters = letters_from_run(sx_run, issuer=Office("柳巷街道办事处"), year=2027)
    frame = sx_run.persons.frame
    eligible = (sx_run.results["status"] == "符合").to_numpy()
    expected = frame[eligible].groupby("community").size().to_dict()
    assert {x.receiver.name: x.targets[0].value for x in letters} == expected
    pack = get_policy("SX-2008")
    for x in letters:
        assert [d.source for d in x.duties] == [d.clause for d in pack.duties]
        unemployed = int(
            (
                (frame["community"] == x.receiver.name).to_numpy()
                & eligible
                & (frame["status"] == "unemployed").to_numpy()
            ).sum()
        )
        assert x.targets[-1].value == unemployed
        text = all_text(render_letter(x))
        assert "目标责任书" in text and "{{" not in text
    doc = Document(io.BytesIO(render_letter(letters[0])))
    assert doc.tables[0].rows[1].cells[1].text == "认定就业困难人员并建立台账"
