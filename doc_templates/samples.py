"""Sample contexts (fictitious people, SX-2008 and AH-2011 texts) for the
benchmark, the tests and a demo run.  Real runs build contexts from the rules
engine (:mod:`doc_templates.from_assessment`).

Names, ID numbers and phone numbers here are invented; ID numbers carry a
valid check digit (GB 11643) so the masking functions accept them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from calc.identity import check_character
from doc_templates.clauses import assessment_terms
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


def _sx_pack():
    """The pack of the samples (a Taiyuan street office: SX-2008)."""
    from calc.policies import demo_policy

    return demo_policy()


SX_2008 = PolicyRef(
    code=_sx_pack().code,
    title=_sx_pack().title,
    clause=_sx_pack().documents.agreement,
    level=_sx_pack().level,
)

STREET_OFFICE = Office(
    name="太原市迎泽区柳巷街道劳动保障事务所",
    address="太原市迎泽区柳巷南路18号",
    phone="0351-4123456",
    contact="王建国",
)


def _benefit(code: str):
    return _sx_pack().benefit(code)


def _deadline(event: str):
    return _sx_pack().deadline_rule(event)


def _duty(heading: str):
    return next(d for d in _sx_pack().duties if d.heading == heading)


# Obligations and letter duties come from the policy pack (typed once, in calc),
# and so do the clauses the samples cite.
SX_OBLIGATIONS = [o for o in _sx_pack().obligations if o.categories is None]
SX_DUTIES = [
    Obligation(
        "按月对乙方进行跟踪随访，及时了解乙方就业、失业动态变化情况",
        _deadline("下次跟踪随访").clause,
    ),
    Obligation("乙方稳定就业半年以上的，可以结束跟踪随访", _deadline("可结束跟踪随访").clause),
]
SX_MEASURES = [
    Measure("职业指导", "免费提供劳动保障政策咨询和职业指导", _benefit("free_services").clause),
    Measure(
        "职业介绍",
        "通过集中招聘、个别介绍、送岗位到家等方式推荐合适的就业岗位",
        _benefit("free_services").clause,
    ),
    Measure(
        "职业技能培训",
        "组织参加职业技能培训，初次参加特殊工种职业技能鉴定的免费",
        _benefit("free_appraisal").clause,
    ),
    Measure(
        "公益性岗位安置",
        "优先安排到公益性岗位就业，落实岗位补贴和社会保险补贴",
        _benefit("post_subsidy").clause,
    ),
]


def sample_person(i: int) -> PersonParty:
    """A fictitious person number ``i`` with a valid ID number."""
    birth = date(1972 + i % 12, 1 + i % 12, 1 + i % 28)
    body = f"140106{birth:%Y%m%d}{100 + i % 900:03d}"
    id_number = body + check_character(body)
    surnames = "王李张刘陈杨赵黄周吴"
    given = "建华秀英志强桂芳国庆玉兰卫东淑珍"
    name = surnames[i % 10] + given[(i * 2) % 16] + given[(i * 2 + 1) % 16]
    return PersonParty(
        name=name,
        sex="女" if i % 2 else "男",
        id_number=id_number,
        address=f"太原市迎泽区柳巷南路{i % 90 + 1}号{i % 6 + 1}单元{i % 30 + 101}室",
        phone=f"139{i:08d}",
        community=["桥头社区", "新民社区", "柳溪社区"][i % 3],
        street="柳巷街道",
        category="“4050”人员" if i % 3 else "零就业家庭成员",
        category_basis=_sx_pack().category("4050" if i % 3 else "zero_employment").clause,
        certified_date=date(2026, 11, 2),
    )


def sample_agreement(i: int = 1) -> AgreementContext:
    return AgreementContext(
        party_a=STREET_OFFICE,
        person=sample_person(i),
        officer="李红梅",
        officer_phone="13803510000",
        policies=[SX_2008],
        measures=list(SX_MEASURES),
        subsidies=[
            SubsidyLine(
                name="公益性岗位补贴",
                amount=Decimal("1000"),
                start=date(2026, 12, 1),
                end=date(2029, 11, 30),
                months=36,
                source=_benefit("post_subsidy").clause,
            ),
            SubsidyLine(
                name="社会保险补贴",
                amount=Decimal("586.40"),
                start=date(2026, 12, 1),
                end=date(2031, 2, 28),
                until_retirement=True,
                retirement_date=date(2031, 3, 1),
                source=_benefit("insurance_subsidy").clause,
            ),
        ],
        obligations=list(SX_OBLIGATIONS),
        duties=list(SX_DUTIES),
        start=date(2026, 11, 23),
        end=date(2027, 11, 22),
    )


def sample_notice(n_rows: int = 12, *, show_masked_id: bool = False) -> NoticeContext:
    from calc.dates import age_on
    from calc.masking import mask_id

    rows = []
    for i in range(1, n_rows + 1):
        p = sample_person(i)
        birth = date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14]))
        rows.append(
            NoticeRow(
                name=p.name,
                sex=p.sex,
                age=age_on(birth, date(2026, 11, 23)),
                community=p.community,
                category=p.category,
                masked_id=mask_id(p.id_number) if show_masked_id else "",
            )
        )
    return NoticeContext(
        office=STREET_OFFICE,
        subject="2026年度" + _sx_pack().notice_subject,
        subject_year="2026年度",
        rows=rows,
        start=date(2026, 11, 23),
        workdays=5,
        policies=[PolicyRef(SX_2008.code, SX_2008.title, clause=_sx_pack().documents.notice)],
        show_masked_id=show_masked_id,
        certifier="迎泽区人力资源和社会保障局",
    )


def sample_letter(i: int = 1) -> LetterContext:
    community = ["桥头社区", "新民社区", "柳溪社区"][i % 3]
    return LetterContext(
        issuer=Office("太原市迎泽区柳巷街道办事处"),
        receiver=Office(
            f"柳巷街道{community}居民委员会" if i < 3 else f"柳巷街道第{i}社区居民委员会"
        ),
        year=2027,
        policies=[PolicyRef(SX_2008.code, SX_2008.title, clause=_sx_pack().documents.letter)],
        targets=[
            TargetLine(
                "认定就业困难人员并建立台账",
                24,
                "人",
                note="按台账核定",
                source=_duty("基础台账").clause,
            ),
            TargetLine(
                "零就业家庭至少一人实现就业",
                3,
                "户",
                deadline=date(2027, 1, 31),
                note="认定后一个月内",
                source=_deadline("零就业家庭就业目标").clause,
            ),
            TargetLine("开发公益性岗位安置", 6, "个", source=_benefit("post_subsidy").clause),
            TargetLine("就业困难人员实现就业", 15, "人", source=_sx_pack().documents.letter),
        ],
        duties=[Obligation(f"{d.heading}：{d.text}", d.clause) for d in _sx_pack().duties],
        pairings=[
            PairingLine("王某某户", community, "赵志刚", "社区劳动保障工作站"),
            PairingLine("李某某户", community, "孙丽", "社区居委会"),
        ],
        assessment=assessment_terms(_sx_pack()),
    )
