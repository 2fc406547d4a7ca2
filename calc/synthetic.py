"""Synthetic ledgers for tests and benchmarks (no real person's data).

Households of 1–4 people with valid 18-digit ID numbers (ISO 7064 MOD 11-2
check digit from calc.identity, vectorised), dates in the forms clerks type, and
every field the packs read.  Deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calc.identity import check_characters

REGIONS = np.array(["140105", "140106", "320102", "320705", "620102", "340104", "110101", "320104"])


def id_numbers(regions: np.ndarray, births: pd.Series, seqs: np.ndarray) -> np.ndarray:
    """18-digit numbers for region codes, birth dates and 3-digit sequence numbers."""
    body = (
        pd.Series(regions)
        .str.cat(births.dt.strftime("%Y%m%d").to_numpy())
        .str.cat(pd.Series(seqs).astype(str).str.zfill(3))
    )
    return (body + check_characters(body.to_numpy(dtype=object))).to_numpy()


def ledger(n: int, seed: int = 0) -> pd.DataFrame:
    """A raw ledger of ``n`` people with canonical column names (object cells)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4], size=n, p=[0.3, 0.35, 0.25, 0.1])
    hh = np.repeat(np.arange(n), sizes)[:n]
    household_id = pd.Series(hh).map(lambda i: f"H{i:07d}").to_numpy()
    male = rng.random(n) < 0.5
    age_days = rng.integers(18 * 365, 64 * 365, size=n)
    births = pd.Series(
        pd.Timestamp("2026-11-22") - pd.to_timedelta(age_days, unit="D")
    ).dt.normalize()
    seq = rng.integers(0, 500, size=n) * 2 + np.where(male, 1, 0)
    regions = REGIONS[rng.integers(0, len(REGIONS), size=n)]
    ids = id_numbers(regions, births, seq)
    status = np.where(rng.random(n) < 0.65, "失业", "已就业")
    etype = np.where(
        status == "已就业",
        rng.choice(["公益性岗位", "企业吸纳", "灵活就业", "个体经营"], size=n),
        "",
    )
    unemp = births + pd.to_timedelta(rng.integers(20 * 365, 40 * 365, size=n), unit="D")
    unemp = unemp.where(unemp < pd.Timestamp("2026-10-01"), pd.Timestamp("2025-06-01"))
    reg = unemp + pd.to_timedelta(rng.integers(0, 60, size=n), unit="D")
    first = reg + pd.to_timedelta(rng.integers(10, 300, size=n), unit="D")
    first = first.where(first < pd.Timestamp("2026-11-01"), pd.Timestamp("2026-10-15"))
    fmt = rng.integers(0, 4, size=n)
    reg_text = np.select(
        [fmt == 0, fmt == 1, fmt == 2],
        [
            reg.dt.strftime("%Y-%m-%d"),
            reg.dt.strftime("%Y年%#m月%#d日").str.replace("#", ""),
            reg.dt.strftime("%Y%m%d"),
        ],
        reg.dt.strftime("%Y/%m/%d"),
    )
    yes_no = np.array(["否", "是"])
    frame = pd.DataFrame(
        {
            "name": [f"人员{i}" for i in range(n)],
            "id_number": ids,
            "household_registration": np.where(rng.random(n) < 0.92, "城镇", "农村"),
            "registered_place": np.select(
                [np.char.startswith(regions.astype(str), c) for c in ("14", "32", "62", "34")],
                ["山西省太原市", "江苏省南京市", "甘肃省兰州市", "安徽省合肥市"],
                "北京市东城区",
            ),
            "household_id": household_id,
            "employment_status": status,
            "employment_type": etype,
            "unemployment_date": unemp.dt.strftime("%Y-%m-%d").to_numpy(),
            "unemployment_registration_date": reg_text,
            "first_approval_date": first.dt.strftime("%Y-%m-%d").to_numpy(),
            "employment_date": np.where(status == "已就业", "2025-03-01", None),
            "former_employer_type": rng.choice(["国有", "集体", "私营", "个体"], size=n),
            "separation_type": rng.choice(
                ["下岗", "失业", "关闭破产安置"], size=n, p=[0.4, 0.5, 0.1]
            ),
            "minimum_allowance": yes_no[(rng.random(n) < 0.25).astype(int)],
            "marital_status": rng.choice(
                ["已婚", "离异", "丧偶", "未婚"], size=n, p=[0.6, 0.15, 0.05, 0.2]
            ),
            "supports_dependants": yes_no[(rng.random(n) < 0.4).astype(int)],
            "other_stable_income": yes_no[(rng.random(n) < 0.3).astype(int)],
            "household_size": sizes[hh] if False else rng.integers(1, 5, size=n),
            "household_income": rng.integers(0, 6000, size=n).astype(float),
            "low_skill": yes_no[(rng.random(n) < 0.5).astype(int)],
            "disabled": yes_no[(rng.random(n) < 0.05).astype(int)],
            "landless": yes_no[(rng.random(n) < 0.05).astype(int)],
            "poor_graduate": yes_no[(rng.random(n) < 0.03).astype(int)],
            "locally_designated": yes_no[(rng.random(n) < 0.02).astype(int)],
            "special_hardship": yes_no[(rng.random(n) < 0.05).astype(int)],
            "contract_years": rng.integers(0, 5, size=n).astype(float),
            "last_report_date": (first + pd.to_timedelta(rng.integers(0, 400, size=n), unit="D"))
            .dt.strftime("%Y-%m-%d")
            .to_numpy(),
            "refused_posts": rng.choice([0, 0, 0, 1, 2, 4], size=n).astype(float),
            "community": rng.choice(["幸福社区", "和平社区", "光明社区", "新华社区"], size=n),
            "street": rng.choice(["东街街道", "西关街道"], size=n),
            "officer": rng.choice(["王芳", "李军", "赵敏"], size=n),
        }
    )
    return frame.astype(object)
