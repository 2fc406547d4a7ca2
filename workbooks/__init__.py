"""Bundled sample ledgers (台账样例), one per policy; regenerate with ``python -m workbooks.generate``."""

from __future__ import annotations

from pathlib import Path

from calc.policies import demo_policy, list_policies

SAMPLE_DIR = Path(__file__).resolve().parent
#: One sample per registered policy pack (calc.policies), in the packs' order.
SAMPLE_POLICIES = tuple(p.code for p in list_policies())
#: The sample the demo uses first.
DEMO_POLICY = demo_policy().code


def sample_name(policy: str) -> str:
    """File name of the sample ledger of ``policy`` (``台账样例_SX-2008.xlsx``)."""
    return f"台账样例_{policy}.xlsx"


def sample_path(policy: str = DEMO_POLICY) -> Path:
    """Path of the bundled sample ledger of ``policy`` (it may not exist before generation)."""
    code = policy.strip().upper()
    if code not in SAMPLE_POLICIES:
        known = "、".join(SAMPLE_POLICIES)
        raise ValueError(f"没有政策“{policy}”的样例台账；可用：{known}")
    return SAMPLE_DIR / sample_name(code)


def sample_paths() -> dict[str, Path]:
    """All bundled sample ledgers by policy code."""
    return {p: sample_path(p) for p in SAMPLE_POLICIES}
