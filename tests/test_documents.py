"""The three official documents: templates, rendering, privacy, register, batches.

Expected values are written out by hand from the inputs (amount capitals,
holiday calendars, GB/T 9704 measurements), never copied from the code's
own output.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from calc.errors import InputError
from doc_templates import build_templates as bt
from doc_templates.batches import write_agreements, write_letters, write_notice
from doc_templates.contexts import (
    AgreementContext,
    LetterContext,
    Measure,
    NoticeContext,
    NoticeRow,
    Obligation,
    Office,
    PairingLine,
    PersonParty,
    PolicyRef,
    SubsidyLine,
    TargetLine,
)
from doc_templates.naming import safe_name
from doc_templates.register import Register
from doc_templates.render import render_agreement, render_letter, render_notice
from doc_templates.templates import AGREEMENT_TEMPLATE, LETTER_TEMPLATE, NOTICE_TEMPLATE
from doc_templates.views import agreement_view

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MM = 1440 / 25.4  # twips per mm


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def id_with_check(body17: str) -> str:
    """GB 11643 check digit (ISO 7064 MOD 11-2), written independently of calc."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    s = sum(int(c) * w for c, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[s % 11]


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def xml(data: bytes, name: str = "word/document.xml"):
    return etree.fromstring(parts(data)[name])


def all_text(data: bytes) -> str:
    """Every w:t of the main document, paragraphs separated by newlines."""
    root = xml(data)
    lines = []
    for p in root.iter(q("p")):
        lines.append("".join(t.text or "" for t in p.iter(q("t"))))
    return "\n".join(lines)


# ---------------------------------------------------------------- inputs

OFFICE = Office(
    name="太原市迎泽区柳巷街道劳动保障事务所",
    address="太原市迎泽区柳巷南路18号",
    phone="0351-4123456",
)
SX = PolicyRef("SX-2008", "山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见")
AH = PolicyRef("AH-2011", "关于进一步加强就业援助工作的实施意见", doc_no="皖人社发〔2011〕44号")
PERSON_ID = id_with_check("14010619710305123")


def person(**kw) -> PersonParty:
    base = dict(
        name="王秀兰",
        sex="女",
        id_number=PERSON_ID,
        address="太原市迎泽区桥头街7号3单元201室",
        phone="13912345678",
        community="桥头社区",
        street="柳巷街道",
        category="“4050”人员",
        category_basis="SX-2008 一(一)",
    )
    base.update(kw)
    return PersonParty(**base)


SX_OBLIGATIONS = [
    Obligation("积极参加街道、社区劳动保障工作机构组织的培训和招聘活动", "SX-2008 二(一)"),
    Obligation(
        "按要求定期到社区劳动保障工作机构申报就业或失业状况，超过半年未申报的不再作为就业困难人员",
        "SX-2008 二(一)",
    ),
    Obligation("无正当理由超过3次未在提供的就业岗位上岗的，不再作为就业困难人员", "SX-2008 二(一)"),
]
AH_OBLIGATIONS = [
    Obligation(
        "每年第一季度参加就业援助对象年度审验，未参加或不合格的注销援助对象资格", "AH-2011 (六)"
    ),
    Obligation("无正当理由不接受就业援助服务的，取消援助对象资格", "AH-2011 (五)"),
]


def agreement(**kw) -> AgreementContext:
    base = dict(
        party_a=OFFICE,
        person=person(),
        officer="李红梅",
        officer_phone="13803510000",
        policies=[SX],
        measures=[
            Measure("职业指导", "免费提供政策咨询和职业指导", "SX-2008 四(二)"),
            Measure("公益性岗位安置", "优先安排公益性岗位", "SX-2008 三(四)"),
        ],
        subsidies=[
            SubsidyLine(
                "公益性岗位补贴",
                Decimal("1000"),
                start=date(2026, 12, 1),
                end=date(2029, 11, 30),
                months=36,
                source="SX-2008 三(四)",
            ),
            SubsidyLine(
                "社会保险补贴",
                "1234.56",
                start=date(2026, 12, 1),
                end=date(2031, 2, 28),
                until_retirement=True,
                retirement_date=date(2031, 3, 1),
                source="AH-2011 (八)",
            ),
            SubsidyLine(
                "一次性就业奖励", 1000, unit="次", payee="用人单位", source="AH-2011 (七)4"
            ),
        ],
        obligations=list(SX_OBLIGATIONS),
        duties=[Obligation("按月对乙方跟踪随访", "SX-2008 四(一)")],
        start=date(2026, 11, 23),
        end=date(2027, 11, 22),
    )
    base.update(kw)
    return AgreementContext(**base)


def letter(**kw) -> LetterContext:
    base = dict(
        issuer=Office("太原市迎泽区柳巷街道办事处"),
        receiver=Office("桥头社区居民委员会"),
        year=2027,
        policies=[SX],
        targets=[
            TargetLine("认定就业困难人员", 24, "人", source="SX-2008 二(二)"),
            TargetLine("零就业家庭至少一人就业", 3, "户", deadline=date(2027, 1, 31)),
            TargetLine("开发公益性岗位", Decimal("6"), "个"),
        ],
        duties=[
            Obligation("层层签订目标责任书，将就业困难人员就业列入年度考核目标", "SX-2008 二(三)"),
            Obligation("净增就业岗位", "GS-2003 一(一)"),
        ],
        pairings=[PairingLine("王某某户", "桥头社区", "赵志刚", "社区工作站")],
        assessment=[Obligation("年终对照本责任书考核", "SX-2008 二(三)")],
    )
    base.update(kw)
    return LetterContext(**base)


RECORDS = [
    {
        "name": f"测试{i}号",
        "sex": "男" if i % 2 else "女",
        "age": 40 + i,
        "community": "桥头社区",
        "category": "零就业家庭成员",
        "id_number": id_with_check(f"1401061975{i:02d}0112{i % 10}"),
        "phone": f"1391234{i:04d}",
        "landline": f"0351-88{i:05d}",
        "address": f"迎泽区秘密路{i}号",
        "income_per_head": f"{517 + i}.35",
    }
    for i in range(1, 13)
]


def notice(rows=None, **kw) -> NoticeContext:
    base = dict(
        office=OFFICE,
        subject="2025年度就业困难人员",
        rows=rows if rows is not None else [NoticeRow.from_record(r) for r in RECORDS],
        start=date(2025, 9, 26),
        workdays=5,
        policies=[SX],
    )
    base.update(kw)
    return NoticeContext(**base)


def leftover_tags(data: bytes) -> list[str]:
    found = []
    for name, blob in parts(data).items():
        if name.endswith(".xml"):
            text = blob.decode("utf-8")
            for tag in ("{{", "}}", "{%", "%}", "{#"):
                if tag in text:
                    found.append(f"{name}: {tag}")
    return found


# ---------------------------------------------------------------- templates


def test_committed_templates_match_the_build_script():
    assert bt.stale_templates() == [], "运行 python -m doc_templates.build_templates 重新生成模板"


def test_build_is_deterministic():
    assert bt.build_agreement() == bt.build_agreement()
    assert parts(bt.build_notice()) == parts(bt.build_notice())


def test_template_text_is_real_document_text():
    for path in (AGREEMENT_TEMPLATE, NOTICE_TEMPLATE, LETTER_TEMPLATE):
        text = all_text(path.read_bytes())
        for bad in ("lorem", "TODO", "XXX", "placeholder"):
            assert bad.lower() not in text.lower(), (path.name, bad)


def test_every_placeholder_is_documented_in_readme():
    readme = (ROOT / "doc_templates" / "README.md").read_text(encoding="utf-8")
    for path in (AGREEMENT_TEMPLATE, NOTICE_TEMPLATE, LETTER_TEMPLATE):
        doc_xml = parts(path.read_bytes())["word/document.xml"].decode()
        plain = re.sub(r"<[^>]+>", "", doc_xml)
        names = set(re.findall(r"\{\{\s*([a-z_][a-z_0-9.]*)\s*\}\}", plain))
        assert names, path
        for name in names:
            assert f"`{{{{ {name} }}}}`" in readme, f"{path.name}: {name} 未写入 README"


# ---------------------------------------------------------------- layout


def _sect(data: bytes):
    return xml(data).find(".//w:body/w:sectPr", NS)


@pytest.mark.parametrize("render", ["agreement", "notice", "letter"])
def test_page_layout_gbt9704(render):
    data = {
        "agreement": lambda: render_agreement(agreement()),
        "notice": lambda: render_notice(notice()),
        "letter": lambda: render_letter(letter()),
    }[render]()
    sect = _sect(data)
    pg = sect.find("w:pgSz", NS)
    mar = sect.find("w:pgMar", NS)

    def mm(el, attr):
        return int(el.get(q(attr))) / MM

    assert mm(pg, "w") == pytest.approx(210, abs=0.1)
    assert mm(pg, "h") == pytest.approx(297, abs=0.1)
    assert mm(mar, "top") == pytest.approx(37, abs=0.1)
    assert mm(mar, "bottom") == pytest.approx(35, abs=0.1)
    assert mm(mar, "left") == pytest.approx(28, abs=0.1)
    assert mm(mar, "right") == pytest.approx(26, abs=0.1)
    # text block 156 × 225 mm
    assert mm(pg, "w") - mm(mar, "left") - mm(mar, "right") == pytest.approx(156, abs=0.1)
    assert mm(pg, "h") - mm(mar, "top") - mm(mar, "bottom") == pytest.approx(225, abs=0.1)
    grid = sect.find("w:docGrid", NS)
    assert grid.get(q("linePitch")) == "579"  # 28.95 pt
    assert 225 * 72 / 25.4 / 28.95 == pytest.approx(22, abs=0.05)

    # odd/even page-number footers with a PAGE field
    settings = xml(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    refs = {r.get(q("type")): r.get(f"{{{NS_R}}}id") for r in sect.findall("w:footerReference", NS)}
    assert set(refs) == {"default", "even"}
    rels = etree.fromstring(parts(data)["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    for kind, align in (("default", "right"), ("even", "left")):
        ftr = xml(data, "word/" + target[refs[kind]])
        text = "".join(t.text for t in ftr.iter(q("t")))
        assert text == "— 1 —"
        instr = "".join(t.text for t in ftr.iter(q("instrText")))
        assert instr.strip() == "PAGE"
        assert ftr.find(".//w:jc", NS).get(q("val")) == align
        for rpr in ftr.iter(q("rPr")):
            assert rpr.find("w:rFonts", NS).get(q("eastAsia")) == "宋体"
            assert rpr.find("w:sz", NS).get(q("val")) == "28"  # 4号 = 14 pt


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _styles(data: bytes):
    root = xml(data, "word/styles.xml")
    return root, {s.get(q("styleId")): s for s in root.findall("w:style", NS)}


def _resolve(styles, style_id, prop):
    """Follow basedOn until an rPr child ``prop`` is found."""
    while style_id:
        st = styles[style_id]
        el = st.find(f"w:rPr/w:{prop}", NS)
        if el is not None:
            return el
        based = st.find("w:basedOn", NS)
        style_id = based.get(q("val")) if based is not None else None
    return None


def test_east_asian_fonts_and_sizes():
    data = render_agreement(agreement())
    root, styles = _styles(data)
    # no theme font may override the explicit names
    raw = parts(data)["word/styles.xml"].decode()
    assert "eastAsiaTheme" not in raw and "asciiTheme" not in raw
    expect = {
        "Normal": ("仿宋_GB2312", "32"),  # 3号 仿宋
        "GWTitle": ("方正小标宋简体", "44"),  # 2号 小标宋
        "GWH1": ("黑体", "32"),
        "GWH2": ("楷体_GB2312", "32"),
        "GWKai": ("楷体_GB2312", "32"),
        "GWTable": ("仿宋_GB2312", "28"),
    }
    for sid, (font, size) in expect.items():
        assert _resolve(styles, sid, "rFonts").get(q("eastAsia")) == font, sid
        assert _resolve(styles, sid, "sz").get(q("val")) == size, sid
    default_fonts = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default_fonts.get(q("eastAsia")) == "仿宋_GB2312"
    spacing = styles["Normal"].find("w:pPr/w:spacing", NS)
    assert spacing.get(q("line")) == "579" and spacing.get(q("lineRule")) == "exact"
    # every paragraph of the document resolves to an East Asian font
    doc = xml(data)
    for p in doc.iter(q("p")):
        ps = p.find("w:pPr/w:pStyle", NS)
        sid = ps.get(q("val")) if ps is not None else "Normal"
        assert _resolve(styles, sid, "rFonts").get(q("eastAsia")), sid
    # the font table names fallbacks Word can use when the GB2312 fonts are missing
    fonts = xml(data, "word/fontTable.xml")
    alt = {
        f.get(q("name")): f.find("w:altName", NS).get(q("val"))
        for f in fonts.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert "仿宋" in alt["仿宋_GB2312"] and "宋体" in alt["方正小标宋简体"]
    # 28 characters of the condensed body fit the 156 mm line
    sp = int(_resolve(styles, "Normal", "spacing").get(q("val")))
    assert 28 * (16 + sp / 20) <= 156 * 72 / 25.4


# ---------------------------------------------------------------- agreement


def test_agreement_every_field_filled():
    data = render_agreement(agreement(number="协议〔2026〕0007号"))
    assert leftover_tags(data) == []
    text = all_text(data)
    for expected in (
        "编号：协议〔2026〕0007号",
        "甲方（援助方）：太原市迎泽区柳巷街道劳动保障事务所",
        "地址：太原市迎泽区柳巷南路18号",
        "乙方（受援助方）：王秀兰",
        "性别：女",
        f"公民身份号码：{PERSON_ID}",
        "家庭住址：太原市迎泽区桥头街7号3单元201室",
        "13912345678",
        "柳巷街道桥头社区",
        "认定类别：“4050”人员（第一条第（一）项）",
        "援助责任人：李红梅",
        "13803510000",
        "《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》",
        "（一）职业指导。免费提供政策咨询和职业指导。（第四条第（二）项）",
        "（二）公益性岗位安置。",
        "本协议自双方签字（盖章）之日起生效，至2027年11月22日止",
        "一式两份",
    ):
        assert expected in text, expected
    assert "None" not in text


def test_agreement_amounts_in_figures_and_capitals_and_periods():
    text = all_text(render_agreement(agreement()))
    assert "每月1,000.00元（人民币壹仟元整），自2026年12月1日起至2029年11月30日止，共36个月" in text
    assert "每月1,234.56元（人民币壹仟贰佰叁拾肆元伍角陆分）" in text
    assert "至2031年2月28日止" in text
    assert "距法定退休年龄不足5年，补贴期限延长至退休（2031年3月1日）" in text
    assert "（三）一次性就业奖励。一次性1,000.00元（人民币壹仟元整），由用人单位申领" in text
    # a clause of a text the paper did not name: its full title and number, no policy key
    assert "（《关于进一步加强就业援助工作的实施意见》（皖人社发〔2011〕44号）第（八）项）" in text
    # dates in Arabic numerals only
    assert not re.search(r"[〇零一二三四五六七八九]{4}年", text)


def test_agreement_headings_renumber_without_subsidies():
    text = all_text(render_agreement(agreement(subsidies=[], duties=[])))
    headings = re.findall(r"^([一二三四五六七八九十]+)、(\S+)$", text, flags=re.M)
    assert headings == [
        ("一", "援助内容和措施"),
        ("二", "乙方义务"),
        ("三", "协议期限"),
        ("四", "双方权利"),
        ("五", "协议的变更、解除和终止"),
        ("六", "其他"),
    ]
    assert "补贴" not in text.split("二、乙方义务")[0].split("一、援助内容和措施")[1]


def test_obligations_follow_the_policy_in_the_context():
    sx = all_text(render_agreement(agreement()))
    ah = all_text(render_agreement(agreement(policies=[AH], obligations=list(AH_OBLIGATIONS))))
    assert "1.积极参加街道、社区劳动保障工作机构组织的培训和招聘活动。（第二条第（一）项）" in sx
    assert "3.无正当理由超过3次未在提供的就业岗位上岗的" in sx
    assert "第一季度" not in sx
    assert "1.每年第一季度参加就业援助对象年度审验" in ah
    assert "（第（六）项）" in ah
    assert "超过3次" not in ah and "超过半年" not in ah
    assert "（皖人社发〔2011〕44号）" in ah


def test_agreement_refuses_missing_policy_content():
    with pytest.raises(InputError, match="义务"):
        render_agreement(agreement(obligations=[]))
    with pytest.raises(InputError, match="援助责任人"):
        render_agreement(agreement(officer=" "))
    with pytest.raises(InputError, match="不是数字"):
        render_agreement(agreement(subsidies=[SubsidyLine("x", "abc")]))


def test_values_are_xml_escaped():
    data = render_agreement(agreement(person=person(address="A&B<路>“7”号")))
    assert "家庭住址：A&B<路>“7”号" in all_text(data)


def test_fast_path_matches_docxtpl():
    from docxtpl import DocxTemplate

    ctx = agreement(number="协议〔2026〕0001号")
    fast = Document(io.BytesIO(render_agreement(ctx)))
    tpl = DocxTemplate(str(AGREEMENT_TEMPLATE))
    tpl.render(agreement_view(ctx), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    slow = Document(io.BytesIO(buf.getvalue()))

    def dump(d):
        out = [p.text for p in d.paragraphs]
        for t in d.tables:
            out += [c.text for r in t.rows for c in r.cells]
        return out

    assert dump(fast) == dump(slow)


# ---------------------------------------------------------------- notice


def test_notice_period_uses_working_days_with_holidays_and_makeup_days():
    # 2025 National Day/Mid-Autumn: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are working days.
    # Start Fri 26 Sep, 5 working days later (start not counted):
    # Sun 28 Sep, Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    text = all_text(render_notice(notice()))
    assert "公示期为5个工作日，自2025年9月26日起至2025年10月10日止" in text
    counted = all_text(render_notice(notice(count_start_day=True)))
    assert "自2025年9月26日起至2025年10月9日止" in counted
    longer = all_text(render_notice(notice(workdays=7)))
    # Sat 11 Oct is a make-up working day: 6th = Sat 11 Oct, 7th = Mon 13 Oct
    assert "公示期为7个工作日，自2025年9月26日起至2025年10月13日止" in longer


def test_notice_content():
    data = render_notice(notice(number="公示〔2025〕0002号"))
    assert leftover_tags(data) == []
    text = all_text(data)
    assert "关于拟认定2025年度就业困难人员的公示" in text
    assert "公示〔2025〕0002号" in text
    assert "12名人员名单" in text
    assert "《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》" in text
    assert (
        "向太原市迎泽区柳巷街道劳动保障事务所反映（联系电话：0351-4123456；地址：太原市迎泽区柳巷南路18号）"
        in text
    )
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == 1
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "姓名", "性别", "年龄", "社区", "认定类别"]
    assert rows[1] == ["1", "测试1号", "男", "41", "桥头社区", "零就业家庭成员"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 13)]
    assert doc.tables[0].rows[0]._tr.find(".//w:tblHeader", NS) is not None  # header repeats
    # issuer and date at the end
    assert text.rstrip().endswith("太原市迎泽区柳巷街道劳动保障事务所\n2025年9月26日")


ID18 = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
ID15 = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


@pytest.mark.parametrize("masked", [False, True])
def test_notice_privacy(masked):
    from calc.masking import mask_id

    records = [dict(r) for r in RECORDS]
    if masked:
        for r in records:
            r["masked_id"] = mask_id(r["id_number"])
    rows = [NoticeRow.from_record(r) for r in records]
    data = render_notice(notice(rows=rows, show_masked_id=masked))
    blob = "\n".join(
        b.decode("utf-8", "replace") for n, b in parts(data).items() if n.endswith(".xml")
    )
    text = re.sub(r"<[^>]+>", "", blob)
    assert not ID18.search(text) and not ID15.search(text)
    assert not MOBILE.search(text)
    for r in records:
        assert r["id_number"] not in text
        assert r["id_number"][6:14] not in text  # birth date part
        assert r["phone"] not in text
        assert r["landline"] not in text and r["landline"].replace("-", "") not in text
        assert r["address"] not in text
        assert r["income_per_head"] not in text
    doc = Document(io.BytesIO(data))
    header = [c.text for c in doc.tables[0].rows[0].cells]
    if masked:
        assert header[-1].startswith("公民身份号码")
        assert (
            doc.tables[0].rows[1].cells[-1].text
            == records[0]["id_number"][:6] + "*" * 8 + records[0]["id_number"][-4:]
        )
    else:
        assert "公民身份号码" not in "".join(header)


def test_notice_row_cannot_hold_private_data():
    with pytest.raises(TypeError):
        NoticeRow(name="张三", sex="男", age=50, community="c", category="k", id_number=PERSON_ID)
    with pytest.raises(InputError, match="身份证号码"):
        NoticeRow(name=f"张三{PERSON_ID}", sex="男", age=50, community="c", category="k")
    with pytest.raises(InputError, match="手机号码"):
        NoticeRow(name="张三", sex="男", age=50, community="13912345678", category="k")
    with pytest.raises(InputError, match="隐去"):
        NoticeRow(name="张三", sex="男", age=50, community="c", category="k", masked_id=PERSON_ID)
    with pytest.raises(InputError):
        NoticeContext(office=OFFICE, subject="s", rows=[RECORDS[0]], start=date(2026, 1, 5))
    for field_name in ("id_number", "phone", "address", "income", "income_per_head"):
        assert field_name not in NoticeRow.__dataclass_fields__


def test_notice_with_many_rows_keeps_every_row():
    rows = [NoticeRow(f"人员{i}", "男", 45, f"第{i % 7}社区", "“4050”人员") for i in range(1, 501)]
    doc = Document(io.BytesIO(render_notice(notice(rows=rows))))
    # short tables of 25 rows, each with its header row (repeated on a new page)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    data_rows = [r for r in rows if r[0] != "序号"]
    # 7 communities of 71-72 people: 3 tables each, numbered 1…500 in the order printed
    assert len(data_rows) == 500 and len(doc.tables) == 21
    assert all(t.rows[0].cells[0].text == "序号" and len(t.rows) <= 26 for t in doc.tables)
    assert [int(r[0]) for r in data_rows] == list(range(1, 501))
    assert sorted(r[1] for r in data_rows) == sorted(f"人员{i}" for i in range(1, 501))
    heads = [p.text for p in doc.paragraphs if re.fullmatch(r"第\d社区（\d+人）", p.text)]
    assert len(heads) == 7


# ---------------------------------------------------------------- letter


def test_letter_content():
    data = render_letter(letter(number="责任〔2027〕0001号"))
    assert leftover_tags(data) == []
    text = all_text(data)
    assert "2027年度就业援助工作目标责任书" in text
    assert "甲方：太原市迎泽区柳巷街道办事处" in text and "乙方：桥头社区居民委员会" in text
    assert "1.层层签订目标责任书，将就业困难人员就业列入年度考核目标。（第二条第（三）项）" in text
    assert (
        "2.净增就业岗位。（《甘肃省人民政府关于加快推进再就业工作的实施意见》第一条第（一）项）"
        in text
    )
    assert "三、结对帮扶" in text and "四、考核与奖惩" in text and "五、责任期限" in text
    assert "本责任书期限自2027年1月1日起至2027年12月31日止" in text
    doc = Document(io.BytesIO(data))
    targets = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert targets[0] == ["序号", "目标项目", "目标数", "完成时限", "说明"]
    assert targets[1][:4] == ["1", "认定就业困难人员", "24人", "2027年12月31日前"]
    assert targets[2][2:4] == ["3户", "2027年1月31日前"]
    assert targets[3][2] == "6个"
    pairing = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert pairing[1] == ["1", "王某某户", "桥头社区", "赵志刚（社区工作站）"]
    table = doc.tables[2]
    signature = [[c.text for c in r.cells] for r in table.rows]
    # one column: each party's name on the line of its label, never broken inside a word
    lines = signature[0][0].split("\n")
    assert lines[0] == "甲方（盖章）：太原市迎泽区柳巷街道办事处"
    assert "乙方（盖章）：桥头社区居民委员会" in lines
    assert lines[2] == "日期：2027年1月1日" and lines[-1] == "日期：　　　　年　　月　　日"
    # a row that cannot split across pages, every line kept with the next
    from docx.oxml.ns import qn

    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    paras = table.rows[0].cells[0].paragraphs
    assert all(p.paragraph_format.keep_with_next for p in paras[:-1])


def test_letter_without_pairings_renumbers():
    text = all_text(render_letter(letter(pairings=[])))
    assert "结对帮扶" not in text
    assert "三、考核与奖惩" in text and "四、责任期限" in text


# ---------------------------------------------------------------- batches and register


def test_safe_file_names():
    assert safe_name('张/三:*?"<>|') == "张_三_______"
    assert safe_name("CON") == "_CON"
    assert safe_name("  ") == "未命名"
    assert safe_name("a. ") == "a"


def _register_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_write_agreements_numbers_files_and_register(tmp_path):
    people = [
        person(name="王秀兰", id_number=id_with_check("14010619710305123")),
        person(name="李/明", id_number=id_with_check("14010619700101151"), community="新民社区"),
        person(name="赵强", id_number=id_with_check("14010619690707101")),
    ]
    paths = write_agreements([agreement(person=p) for p in people], tmp_path)
    assert [p.name for p in paths] == [
        "协议书_桥头社区_王秀兰_2026-0001.docx",
        "协议书_新民社区_李_明_2026-0002.docx",
        "协议书_桥头社区_赵强_2026-0003.docx",
    ]
    assert "编号：协议〔2026〕2号" in all_text(paths[1].read_bytes())
    reg = tmp_path / "文书登记簿.csv"
    rows = _register_rows(reg)
    assert [r["编号"] for r in rows] == [
        "协议〔2026〕1号",
        "协议〔2026〕2号",
        "协议〔2026〕3号",
    ]
    assert list(rows[0])[:6] == ["编号", "类别", "对象", "日期", "文件", "关键字段摘要"]
    assert rows[0]["类别"] == "协议书" and rows[0]["文件"] == paths[0].name
    assert rows[0]["日期"] == "2026-11-23"
    assert "1,000.00" in rows[0]["关键字段摘要"] and "李红梅" in rows[0]["关键字段摘要"]
    for r, p in zip(rows, people, strict=True):  # no full ID in the register
        assert p.id_number not in "".join(r.values())
    # re-run (fresh contexts, other order, one new person): same numbers and files, no duplicates
    people2 = [
        people[2],
        people[0],
        person(name="孙丽", id_number=id_with_check("14010619720202202")),
        people[1],
    ]
    paths2 = write_agreements([agreement(person=p) for p in people2], tmp_path)
    assert [p.name for p in paths2] == [
        "协议书_桥头社区_赵强_2026-0003.docx",
        "协议书_桥头社区_王秀兰_2026-0001.docx",
        "协议书_桥头社区_孙丽_2026-0004.docx",
        "协议书_新民社区_李_明_2026-0002.docx",
    ]
    rows = _register_rows(reg)
    assert len(rows) == 4
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == sorted(p.name for p in paths2)
    # another year starts again at 0001
    next_year = write_agreements([agreement(start=date(2027, 1, 4))], tmp_path)
    assert next_year[0].name == "协议书_桥头社区_王秀兰_2027-0001.docx"


def test_file_names_are_made_from_the_numbers_parts(tmp_path):
    """A number the register gives names its file from its parts (prefix, year,
    sequence), whatever the office's number format; a number typed in the ledger is
    read as 前缀〔年〕号 where it is written so."""
    reg = Register(tmp_path / "文书登记簿.csv", number_format="{prefix}{year}-{seq}号", load=False)
    paths = write_agreements([agreement()], tmp_path, register=reg)
    assert "编号：协议2026-1号" in all_text(paths[0].read_bytes())
    assert paths[0].name == "协议书_桥头社区_王秀兰_2026-0001.docx"
    office = write_agreements(
        [agreement()], tmp_path / "b", prefixes={"协议书": "柳巷协议"}, register=True
    )
    assert office[0].name == "协议书_桥头社区_王秀兰_柳巷2026-0001.docx"
    typed = write_agreements(
        [agreement(number="柳巷协议〔2026〕7号")], tmp_path / "c", register=False
    )
    assert typed[0].name == "协议书_桥头社区_王秀兰_柳巷2026-0007.docx"
    kept = write_agreements([agreement(number="援字第7号")], tmp_path / "d", register=False)
    assert kept[0].name == "协议书_桥头社区_王秀兰_援字第7号.docx"


def test_register_prefix_is_configurable(tmp_path):
    paths = write_agreements([agreement()], tmp_path, prefixes={"协议书": "柳巷援协"})
    assert "编号：柳巷援协〔2026〕1号" in all_text(paths[0].read_bytes())


def test_write_letters_and_notice(tmp_path):
    letters = write_letters(
        [letter(), letter(receiver=Office("新民社区居民委员会"))], tmp_path, merged=True
    )
    assert [p.name for p in letters] == [
        "责任书_桥头社区居民委员会_2027-0001.docx",
        "责任书_新民社区居民委员会_2027-0002.docx",
    ]
    path = write_notice(notice(), tmp_path).paths[0]
    assert path.name == "公示_2025年度就业困难人员_2025-0001.docx"
    assert "公示〔2025〕1号" in all_text(path.read_bytes())
    again = write_notice(notice(), tmp_path).paths[0]
    assert again == path
    rows = _register_rows(tmp_path / "文书登记簿.csv")
    assert [r["类别"] for r in rows] == ["责任书", "责任书", "公示"]
    assert (tmp_path / "合并打印_责任书.docx").exists()


def test_merged_print_file_has_one_section_per_document(tmp_path):
    people = [
        person(name=f"人员{i}", id_number=id_with_check(f"140106197001{i:02d}123"))
        for i in range(1, 6)
    ]
    write_agreements([agreement(person=p) for p in people], tmp_path, merged=True, duplex=True)
    data = (tmp_path / "合并打印_协议书_双面.docx").read_bytes()
    root = xml(data)
    sects = list(root.iter(q("sectPr")))
    assert len(sects) == 5
    for s in sects:
        assert s.find("w:pgNumType", NS).get(q("start")) == "1"
        assert len(s.findall("w:footerReference", NS)) == 2
    assert [s.find("w:type", NS) is not None for s in sects] == [False, True, True, True, True]
    text = all_text(data)
    for p in people:
        assert f"乙方（受援助方）：{p.name}" in text
    assert text.count("接受就业援助协议书") == 5
    Document(io.BytesIO(data))  # opens


def test_bench_runs_with_small_sizes():
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_documents.py"),
            "--agreements",
            "20",
            "--notice-rows",
            "200",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "20 份协议书" in out.stdout and "200 行公示" in out.stdout


def test_merge_docx_for_edited_files(tmp_path):
    from doc_templates.merge import merge_docx

    a = tmp_path / "a.docx"
    b = tmp_path / "b.docx"
    a.write_bytes(render_agreement(agreement(number="协议〔2026〕0001号")))
    b.write_bytes(render_letter(letter(number="责任〔2027〕0001号")))
    out = merge_docx([a, b], tmp_path / "合并.docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "接受就业援助协议书" in text and "2027年度就业援助工作目标责任书" in text
