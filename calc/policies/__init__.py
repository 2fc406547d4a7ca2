"""The policy packs, by the codes clerks type into formulas.

Each policy text is one folder beside this file (``calc/policies/<text>/``):
its pack (``PACK`` in the folder's ``__init__``), its period rules, its law
for the papers (``documents.py``: the clause each paper rests on, the
考核与奖惩 …), its cases (``cases.yaml``) and the text itself (``text.txt``).  The registry finds
the folders; nothing else lists the codes.  :func:`register_folder` adds a
pack kept in another folder (an office's own text, or a test's copy).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

from calc.errors import PolicyError
from calc.policies.base import PolicyPack

POLICY_DIR = Path(__file__).resolve().parent

PACKS: dict[str, PolicyPack] = {}
#: code → the folder holding the pack, its cases and its text
FOLDERS: dict[str, Path] = {}


def _add(pack: PolicyPack, folder: Path) -> PolicyPack:
    if pack.code in PACKS and FOLDERS.get(pack.code) != folder:
        raise PolicyError(f"政策代码“{pack.code}”重复：{FOLDERS[pack.code]} 与 {folder}")
    PACKS[pack.code] = pack
    FOLDERS[pack.code] = folder
    ordered = sorted(PACKS.values(), key=lambda p: (p.position, p.code))
    PACKS.clear()
    PACKS.update((p.code, p) for p in ordered)
    return pack


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules([str(POLICY_DIR)]), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        pack = getattr(module, "PACK", None)
        if isinstance(pack, PolicyPack):
            _add(pack, POLICY_DIR / info.name)


def register_folder(folder: str | Path) -> PolicyPack:
    """Load the pack of a policy folder kept elsewhere and register it under its code."""
    folder = Path(folder).resolve()
    init = folder / "__init__.py"
    if not init.is_file():
        raise PolicyError(f"文件夹“{folder}”不是政策包（缺 __init__.py）")
    name = f"{__name__}._registered_{folder.name}_{abs(hash(str(folder)))}"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(folder)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    pack = getattr(module, "PACK", None)
    if not isinstance(pack, PolicyPack):
        raise PolicyError(f"文件夹“{folder}”的 __init__.py 未定义 PACK")
    return _add(pack, folder)


def unregister(code: str) -> None:
    """Remove a pack added by :func:`register_folder`."""
    PACKS.pop(code, None)
    FOLDERS.pop(code, None)


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


def demo_policy() -> PolicyPack:
    """The pack the demo and the document samples use (the one marked ``demo``)."""
    return next((p for p in PACKS.values() if p.demo), next(iter(PACKS.values())))


def policy_folder(code: str) -> Path:
    """The folder of a registered pack (its cases.yaml and text.txt)."""
    return FOLDERS[get_policy(code).code]


def known_parameter_names(policy: str | None = None) -> frozenset[str]:
    """Every parameter name the packs declare (see calc.policies.catalogue)."""
    from calc.policies.catalogue import known_parameter_names as names

    return names(policy)


_discover()
