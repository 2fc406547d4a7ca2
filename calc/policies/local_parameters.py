"""Example defaults for what every text leaves to local government, and the
numbers the texts themselves write (:func:`written`).

All are marked as examples (calc.params.EXAMPLE_SOURCE): the clerk replaces
them in the workbook's 参数 sheet with the city's own figures and sources.
"""

from __future__ import annotations

import datetime as dt

from calc.params import Parameter, example

#: The shortest 公示期 a notice may run: public guides on 就业困难人员认定 and
#: 公益性岗位补贴 (山西 and other provinces) ask for at least 7 working days.
NOTICE_MIN_WORKDAYS = 7
NOTICE_MIN_SOURCE = "各地就业困难人员认定及补贴公示通行做法：公示期不少于7个工作日"


def common_local_parameters(since: dt.date) -> list[Parameter]:
    """Amounts, rates and document settings left open by all five texts."""
    return [
        example("公益性岗位补贴月标准", 800, "元/月", since),
        example(
            "社会保险补贴缴费基数", 4000, "元/月", since, "通常为当地上年度职工月平均工资的60%"
        ),
        example("养老保险单位缴费比例", 0.16, "", since),
        example("医疗保险单位缴费比例", 0.07, "", since),
        example("失业保险单位缴费比例", 0.005, "", since),
        example("城市居民最低生活保障标准", 700, "元/月", since),
        example("最低工资标准", 1800, "元/月", since),
        example("补贴期限（年）", 3, "年", since, "文件未规定期限时使用"),
        example("公示期（工作日）", NOTICE_MIN_WORKDAYS, "个工作日", since, NOTICE_MIN_SOURCE),
        example("小额担保贷款最高额度", 20000, "元", since),
        example("用人单位安置补贴标准", 500, "元", since),
        example("企业吸纳岗位补贴月标准", 500, "元/月", since),
        example("组织起来就业补助标准", 1000, "元", since),
        example("发文机关", "示例街道劳动保障事务所", "", since),
        example("上级单位", "示例区人力资源和社会保障局", "", since),
        example("异议受理电话", "0000-0000000", "", since),
        example("异议受理地址", "示例街道办事处劳动保障事务所", "", since),
    ]


def older_age_parameters(since: dt.date, note: str) -> list[Parameter]:
    """'4050' ages where a text names the group but gives no ages."""
    return [
        example("大龄女性年龄", 40, "周岁", since, note),
        example("大龄男性年龄", 50, "周岁", since, note),
    ]


def written(name: str, value: object, unit: str, since: dt.date, source: str) -> Parameter:
    """A number written into a clause (3次, 半年, 3年…): a dated parameter citing it.

    Not an example: the pack's default is the text itself; an office whose
    province amended the clause adds a row to 参数 with the new value, its
    生效日期 and 依据.
    """
    return Parameter(name, value, since, source, unit)
