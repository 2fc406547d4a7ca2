"""Shared constants of the whole-workbook jobs: required fields, sheet names, suffixes."""

from __future__ import annotations

from collections.abc import Callable

from calc import assess

Progress = Callable[[float, float, str], None]

#: The result columns in ledger order: engine field -> header.
RESULT_FIELDS: tuple[str, ...] = tuple(assess.RESULT_HEADERS)
RESULT_HEADERS: dict[str, str] = dict(assess.RESULT_HEADERS)
#: Columns a ledger must have.
REQUIRED_FIELDS = ("name", "id_number")
#: Columns the policies read often; a missing one is reported as a notice by ``check``.
RECOMMENDED_FIELDS = (
    "household_registration",
    "household_id",
    "employment_status",
    "unemployment_registration_date",
    "community",
    "officer",
)
#: A recommended column another one stands in for.
SUBSTITUTES = {
    "household_id": "household_head_id",
    "employment_status": "employment_type",
    "unemployment_registration_date": "registered_unemployed_flag",
}
#: Result columns that are written as ``=JY_…`` formulas with ``formulas=True``
#: (the others have no row-wise worksheet function and are written as values).
FORMULA_FUNCTIONS = {
    "categories": "JY_CATEGORY",
    "eligible": "JY_ELIGIBLE",
    "benefits": "JY_BENEFITS",
    "explanation": "JY_WHY",
}
PARAM_SHEET = "参数"
TARGET_SHEET = "目标"
POLICY_PARAM = "政策代码"
CHECK_SHEET = "检查结果"
ERROR, NOTICE = "错误", "提示"
FILLED_SUFFIX = ".已填写"
CHECKED_SUFFIX = ".检查结果"
DOC_KINDS = ("协议书", "公示", "责任书")


def _noop(done: float, total: float, label: str = "") -> None:
    pass
