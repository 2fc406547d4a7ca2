"""Family members written side by side on a person's row."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.fields import (
    match_header,
)
from xl_addin.ledger_read.households import _id_key
from xl_addin.ledger_read.ledger import Ledger
from xl_addin.ledger_read.opening import _is_blank
from xl_addin.ledger_read.small_sheets import read_sheet_rows
from xl_addin.xlsxpatch import column_index

_ROLE = re.compile(
    r"^(?P<role>(?:配偶|妻子|丈夫|子女|儿子|女儿|父亲|母亲|家庭成员|成员|家属|其他成员)\d{0,2}"
    r"|(?:子|女|父|母)\d{1,2})[（(]?(?P<rest>.+?)[）)]?$"
)
#: Prefixes of the applicant's own columns (申请人身份证号 is the person's ID number).
_SELF = re.compile(r"^(?:申请人|本人|户主)(?P<rest>.+)$")


def _side_by_side_family(ledger: Ledger) -> None:
    """Applicant, 配偶 and 子女 columns side by side on one row (a 申请表 export): the
    applicant's own columns (申请人身份证号) are the person's; each role's columns
    (配偶姓名, 配偶身份证号码, 配偶就业状态 …) make one household member per row,
    in the applicant's household (headed by the applicant's ID number) — read as
    household members, not ignored as unknown columns."""
    groups: dict[str, dict[str, str]] = {}  # role -> field -> letter
    own: dict[str, str] = {}
    for letter, header in ledger.unknown_columns:
        text = re.sub(r"\s", "", header)
        m = _ROLE.match(text)
        if m:
            name = match_header(m.group("rest"))
            if name in ("name", "id_number", "sex", "birth_date", "employment_status",
                        "employment_type", "in_school", "disabled", "able_to_work",
                        "registered_unemployed_flag", "unemployment_registration_date",
                        "wants_work", "relation"):  # fmt: skip
                groups.setdefault(m.group("role"), {}).setdefault(name, letter)
            continue
        m = _SELF.match(text)
        if m:
            name = match_header(m.group("rest"))
            if name is not None and name not in ledger.columns and name not in own:
                own[name] = letter
    groups = {r: g for r, g in groups.items() if "name" in g or "id_number" in g}
    if not groups and not own:
        return
    rows = read_sheet_rows(ledger.path, ledger.sheet_name) or []
    index = ledger.data.index.tolist()

    def column(letter: str) -> np.ndarray:
        pos = column_index(letter) - 1
        out = np.full(len(index), None, dtype=object)
        for i, r in enumerate(index):
            if r - 1 < len(rows) and pos < len(rows[r - 1]) and not _is_blank(rows[r - 1][pos]):
                out[i] = rows[r - 1][pos]
        return out

    used = set()
    for name, letter in own.items():
        ledger.data[name] = column(letter)
        ledger.columns[name] = letter
        used.add(letter)
    if groups and "id_number" in ledger.data.columns and ledger.household_members is None:
        heads = ledger.data["id_number"].to_numpy(dtype=object)
        frames = []
        for role, fields_ in groups.items():
            values = {f: column(letter) for f, letter in fields_.items()}
            filled = np.zeros(len(index), dtype=bool)
            for v in values.values():
                filled |= np.array([not _is_blank(x) for x in v], dtype=bool)
            filled &= np.array([not _is_blank(h) for h in heads], dtype=bool)
            if "id_number" in values:  # a member who is a person of the ledger is theirs
                ids = {_id_key(v) for v in heads} - {""}
                filled &= np.array([_id_key(v) not in ids for v in values["id_number"]], dtype=bool)
            if not filled.any():
                continue
            part = {f: v[filled] for f, v in values.items()}
            part["household_head_id"] = heads[filled]
            if "relation" not in part:
                part["relation"] = np.full(int(filled.sum()), role, dtype=object)
            # one row holds several members: labelled by row and role (“3（配偶）”)
            labels = [f"{r}（{role}）" for r in np.asarray(index)[filled].tolist()]
            frames.append(
                pd.DataFrame(part, index=pd.Index(labels, name="excel_row"), dtype=object)
            )

            used.update(fields_.values())
        if frames:
            ledger.household_members = pd.concat(frames)
            ledger.household_members_source = "本行的" + "、".join(f"“{r}”" for r in groups) + "列"
            if (
                "household_head_id" not in ledger.data.columns
                and "household_id" not in ledger.data.columns
            ):
                ledger.data["household_head_id"] = ledger.data["id_number"]
                ledger.sources["household_head_id"] = "申请人本人（与同一行的家庭成员列成户）"
    ledger.unknown_columns = [(c, h) for c, h in ledger.unknown_columns if c not in used]


def _header_of(ledger: Ledger, letter: str) -> str:
    pos = column_index(letter) - 1
    return ledger.raw_headers[pos] if pos < len(ledger.raw_headers) else ""


def _unknown_column(ledger: Ledger, pos: int) -> np.ndarray:
    """All values of an unrecognised column for the ledger's rows (read again: only a
    sample was kept while streaming)."""
    rows = read_sheet_rows(ledger.path, ledger.sheet_name) or []
    out = np.full(len(ledger.data), None, dtype=object)
    for i, r in enumerate(ledger.data.index.tolist()):
        if r - 1 < len(rows) and pos < len(rows[r - 1]) and not _is_blank(rows[r - 1][pos]):
            out[i] = rows[r - 1][pos]
    return out
