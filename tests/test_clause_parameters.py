"""Issue 10 §1: the numbers written into the clauses are dated, cited parameters of their pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calc.assess import assess_person
from calc.deadlines import deadline
from calc.params import ParameterTable
from calc.policies import get_policy, known_parameter_names
from calc.policies.catalogue import parameters_markdown
from tests.person_factory import person

ON = dt.date(2026, 11, 22)

# (policy, parameter, value of the text, clause cited)
CLAUSE_NUMBERS = [
    ("SX-2008", "拒绝岗位次数上限", 3, "SX-2008 二(一)"),  # 3次
    ("SX-2008", "未申报就业失业状况期限（月）", 6, "SX-2008 二(一)"),  # 半年
    ("SX-2008", "结束跟踪随访稳定就业期限（月）", 6, "SX-2008 四(一)"),  # 半年
    ("SX-2008", "延长至退休距退休年限（年）", 5, "SX-2008 三(四)"),  # 不足5年
    ("SX-2008", "零就业家庭就业时限（月）", 1, "SX-2008 四(一)"),  # 一个月
    ("AH-2011", "补贴最长期限（年）", 3, "AH-2011 (八)"),  # 3年
    ("AH-2011", "延长至退休距退休年限（年）", 5, "AH-2011 (八)"),  # 不足5年（含5年）
    ("AH-2011", "“4050”认定截止日期", "2008-12-31", "AH-2011 (八)"),
    ("AH-2011", "个体经营登记失业月数", 6, "AH-2011 (七)2"),  # 半年
    ("AH-2011", "吸纳零就业家庭成员就业奖励标准", 1000, "AH-2011 (七)4"),  # 1,000元
    ("AH-2011", "招用零转移就业农户成员岗位补贴标准", 1000, "AH-2011 (九)"),
    ("LYG-2003", "小额担保贷款最高额度", 20000, "LYG-2003 四(一)"),  # 20,000元
    ("LYG-2003", "贷款期限（年）", 2, "LYG-2003 四(一)"),  # 2年
    ("LYG-2003", "社区就业岗位开发补贴标准", 500, "LYG-2003 四(二)"),  # 500元
    ("JS-2002", "家庭就业时限（日）", 7, "JS-2002 三"),  # 7日
]


@pytest.mark.parametrize(("policy", "name", "value", "clause"), CLAUSE_NUMBERS)
def test_clause_numbers_are_dated_cited_parameters(policy, name, value, clause):
    pack = get_policy(policy)
    current = max(pack.parameters[name], key=lambda p: p.effective_from)
    assert current.value == value
    assert current.source.startswith(clause) and not current.example
    assert current.effective_from <= ON
    assert name in known_parameter_names(policy) and name in known_parameter_names()


def _params(*rows):
    return ParameterTable.from_rows([("名称", "数值", "生效日期", "依据"), *rows])


def test_an_amended_clause_is_a_row_in_the_parameter_sheet():
    refused = person(age=45, on=ON, former_employer_type="国有", refused_posts=3)
    assert assess_person("SX-2008", refused, ON).status == "符合"  # 超过3次: 3 is not more
    amended = _params(("拒绝岗位次数上限", 2, "2020-01-01", "某省修订文件"))
    assert assess_person("SX-2008", refused, ON, amended).status == "资格终止"
    ten = _params(("家庭就业时限（日）", 10, "2020-01-01", "某省修订文件"))
    assert deadline("JS-2002", "家庭就业目标", dt.date(2026, 11, 2), ten)[0] == dt.date(
        2026, 11, 12
    )


def test_parameter_docs_are_generated_from_the_packs():
    doc = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"
    assert doc.read_text(encoding="utf-8") == parameters_markdown(), (
        "重新运行 python -m calc.policies.catalogue > docs/parameters.md"
    )
