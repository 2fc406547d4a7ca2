"""The five policy packs, by the codes clerks type into formulas."""

from __future__ import annotations

from calc.errors import PolicyError
from calc.policies import ah_2011, gs_2003, js_2002, lyg_2003, sx_2008
from calc.policies.base import PolicyPack

PACKS: dict[str, PolicyPack] = {
    p.code: p for p in (js_2002.PACK, sx_2008.PACK, gs_2003.PACK, lyg_2003.PACK, ah_2011.PACK)
}


def get_policy(code: object) -> PolicyPack:
    """The pack for a policy code; a Chinese error for an unknown one."""
    key = "" if code is None else str(code).strip().upper().replace("－", "-").replace("—", "-")
    if key in PACKS:
        return PACKS[key]
    known = "、".join(PACKS)
    if not key:
        raise PolicyError(f"未填写政策代码；可用：{known}")
    raise PolicyError(f"未知的政策代码“{code}”；可用：{known}")


def list_policies() -> list[PolicyPack]:
    return list(PACKS.values())


def known_parameter_names(policy: str | None = None) -> frozenset[str]:
    """Every parameter name the packs declare (see calc.policies.catalogue)."""
    from calc.policies.catalogue import known_parameter_names as names

    return names(policy)
