"""SX-2008 三(四): how long the public-welfare post and social-insurance subsidies run."""

from __future__ import annotations

from calc.periods import LOCAL_YEARS, NearRetirementPeriod

#: 三(四)：距法定退休年龄不足5年的，岗位补贴和社会保险补贴可延长至退休；
#: otherwise the local period (the text sets none).
PUBLIC_WELFARE_PERIOD = NearRetirementPeriod(
    clause="SX-2008 三(四)",
    description="距法定退休年龄不足5年的延长至退休",
    years_param=LOCAL_YEARS,
    normal_label="按当地参数补贴期限",
    near_inclusive=False,
)
