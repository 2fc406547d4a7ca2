"""LYG-2003 四(一): the term of a small guaranteed loan."""

from __future__ import annotations

from calc.periods import FixedTerm

LOAN_YEARS = "贷款期限（年）"  # 四(一)：期限最长不超过2年

#: 四(一)：期限最长不超过2年 — a term of years ends on the corresponding date
#: (民法典第二百零一条、第二百零二条: from 2025-06-15, on 2027-06-15).
LOAN_TERM = FixedTerm(
    clause="LYG-2003 四(一)",
    description="贷款期限最长不超过2年",
    years_param=LOAN_YEARS,
    label="贷款期限最长",
    suffix="（LYG-2003 四(一)）",
    corresponding_day=True,
)
