"""What the office has already certified (已认定), taken as a fact and cross-checked.

Real ledgers record the category the office certified and when
(就业困难人员类型 / 困难人员类别 / 援助对象类型 + 认定时间).  That decision was
made on papers the ledger does not hold (a 残疾证, a 低保证, a family
survey), so a ledger that lacks a column the rules need must not turn it into
不符合.  Here:

- a person with a certified category counts as certified in that category:
  the category is mapped to the policy's own (大龄失业人员 → AH-2011
  大龄就业困难人员, by the policy's labels or the keywords below; the clerk's
  字段对照 value mapping comes first), and an unmapped category is kept as
  written and still counts;
- 认定结论 reads "已认定：大龄就业困难人员（台账记载，2025-02-13）"; periods
  run from the certification date (初次核定日期/认定时间, which the same
  column feeds);
- where the rules, on the ledger's data, do not reach the same category, a
  提示 gives their reason ("提示：按 AH-2011 (三) 核对：…"): the office's
  decision is neither overridden nor is the disagreement hidden.

Lapses (资格终止) still apply to certified persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from calc.dates import iso_dates

#: Keywords of certified-category texts → the policy category codes they mean,
#: most specific first (零转移 before 零就业, 关闭破产 before 下岗).
KEYWORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("零转移",), ("rural_zero_transfer",)),
    (("零就业",), ("zero_employment",)),
    (("关闭破产",), ("soe_closure",)),
    (("集体企业",), ("collective_laid_off",)),
    (("国有企业", "国企"), ("soe_laid_off",)),
    (("长期失业",), ("allowance_long_term", "long_term")),
    (("大龄", "4050", "40、50", "四五零"), ("4050", "older", "older_low_skill")),
    (("残疾",), ("disabled",)),
    (("失地", "被征地", "失林"), ("landless",)),
    (("高校毕业生", "毕业生"), ("poor_graduate",)),
    (("单亲", "离异", "丧偶"), ("single_parent",)),
    (("两人以上", "夫妻双方", "双下岗", "双失业"), ("household_two_unemployed",)),
    (("特困",), ("special_hardship",)),
    (("低保",), ("allowance_able", "allowance_long_term", "low_income")),
    (("其他", "确定的"), ("designated",)),
)

_SPLIT = re.compile(r"[、,，;；/／\s]+")


def category_codes_for(text: str, pack) -> list[str]:
    """The pack's category codes a certified-category text names ([] when none)."""
    codes = {c.code for c in pack.categories}
    by_label = {re.sub(r"[“”\"\s]", "", c.label): c.code for c in pack.categories}
    out: list[str] = []
    for part in _SPLIT.split(str(text).strip()):
        if not part:
            continue
        key = re.sub(r"[“”\"\s]", "", part)
        if key in codes:
            hit = [key]
        elif key in by_label:
            hit = [by_label[key]]
        else:
            hit = []
            for words, candidates in KEYWORDS:
                if any(w in key for w in words):
                    hit = [c for c in candidates if c in codes][:1]
                    if hit:
                        break
        for c in hit:
            if c not in out:
                out.append(c)
    return out


@dataclass
class Certified:
    """Rows the ledger records as certified, and their texts for the explanation."""

    rows: np.ndarray  # bool
    note: np.ndarray  # "已认定：…（台账记载，日期）；提示：按 … 核对：…" or ""


def recorded(ctx) -> bool:
    """Whether the ledger records any certification (a 就业困难人员类型 column with values)."""
    cert = ctx.f["certified_category"] if "certified_category" in ctx.f.columns else None
    return cert is not None and bool(cert.notna().any())


def apply(
    ctx,
    matched: dict[str, np.ndarray],
    rules_true: list[np.ndarray],
    rules_text: list[np.ndarray],
    pre_true: np.ndarray,
    category_codes: np.ndarray,
    category_labels: np.ndarray,
    in_category: np.ndarray,
    explain: bool = True,
) -> Certified:
    """Take the certified categories as facts (arrays are updated in place).

    ``rules_text``: per category, what its rules found (the requirement and the
    values, without the 符合/不符合 head) — quoted in the 提示 of a certified row
    whose category the rules do not confirm.
    """
    n = len(ctx.index)
    note = np.full(n, "", dtype=object)
    cert = ctx.f["certified_category"] if "certified_category" in ctx.f.columns else None
    if cert is None or not cert.notna().any():
        return Certified(np.zeros(n, dtype=bool), note)
    pack = ctx.pack
    cats = list(pack.categories)
    pos = {c.code: i for i, c in enumerate(cats)}
    values = cert.to_numpy(dtype=object)
    rows = cert.notna().to_numpy()
    # Each distinct date formatted once, on the certified rows only (their notes quote it).
    date_text = np.full(n, None, dtype=object)
    date_text[rows] = iso_dates(ctx.f["first_approval_date"][rows]).to_numpy(dtype=object)
    mapping: dict[str, list[str]] = {}
    for i in np.flatnonzero(rows):
        text = str(values[i]).strip()
        if text not in mapping:
            mapping[text] = category_codes_for(text, pack)
        codes = mapping[text]
        have = [c.code for c in cats if matched[c.code][i]]  # what the rules matched
        labels = [cats[pos[c]].label for c in have]
        for code in codes:
            matched[code][i] = True
        for code in codes:
            if code not in have:
                have.append(code)
                labels.append(cats[pos[code]].label)
        if not codes and text not in labels:
            labels.append(text)
        category_codes[i] = ",".join(have)
        category_labels[i] = "、".join(labels)
        in_category[i] = True
        if not explain:
            continue
        when = date_text[i] if isinstance(date_text[i], str) else "认定日期待核实"
        shown = "、".join(cats[pos[c]].label for c in codes) or text
        parts = [f"已认定：{shown}（台账记载“{text}”，{when}）"]
        for code in codes:
            k = pos[code]
            if not rules_true[k][i]:
                why = str(rules_text[k][i] or "")
                parts.append(f"提示：按 {cats[k].clause} 核对：{why or '未能按台账数据确认'}")
        if codes and not pre_true[i]:
            parts.append("提示：按认定前提核对未通过或待核实（见下）")
        if not codes:
            parts.append(f"提示：“{text}”不是 {pack.code} 的认定类别，未按规则核对")
        note[i] = "；".join(parts)
    return Certified(rows, note)


def hide(rows: np.ndarray, columns: list[np.ndarray]) -> list[np.ndarray]:
    """The rules' own category texts, blanked on certified rows (their 提示 says it)."""
    if not rows.any():
        return columns
    return [np.where(rows, "", c) for c in columns]
