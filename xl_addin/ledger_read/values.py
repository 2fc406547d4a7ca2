"""Value maps, legends and value-domain checks applied to a read ledger."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc import legends
from calc.fields import (
    FIELDS,
    header_keys,
    normalise_header,
)
from xl_addin import field_map
from xl_addin.ledger_read.collect import (
    _CODED_FIELDS,
    _SAMPLE,
)
from xl_addin.ledger_read.family import (
    _header_of,
    _unknown_column,
)
from xl_addin.ledger_read.ledger import (
    Ledger,
)
from xl_addin.ledger_read.opening import (
    _is_blank,
    _text,
)
from xl_addin.xlsxpatch import column_index


def _map_column(values: pd.Series, mapping: dict[str, Any]) -> pd.Series:
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array(
        [mapping.get(_text(u), u) if _text(u) in mapping else u for u in uniques] + [None],
        dtype=object,
    )
    return pd.Series(table[codes], index=values.index, dtype=object)


def _apply_value_maps(ledger: Ledger, fm: field_map.FieldMap) -> None:
    if not fm.values:
        return
    for name, letter in ledger.columns.items():
        header = ledger.raw_headers[column_index(letter) - 1]
        mapping = fm.value_map_for(header)
        if mapping and name in ledger.data.columns:
            ledger.data[name] = _map_column(ledger.data[name], mapping)


def _apply_legends(ledger: Ledger) -> None:
    """Decode coded columns with the legend of the 填表说明 rows (see calc.legends)."""
    coded = []
    for name in _CODED_FIELDS:
        if name in ledger.data.columns:
            sample = ledger.data[name].dropna().unique().tolist()[:200]
            if legends.is_coded(sample):
                coded.append(name)
    if not coded:
        return
    headers = {n: ledger.raw_headers[column_index(ledger.columns[n]) - 1] for n in coded}
    found = legends.legends_in_notes(ledger.notes, headers)
    for name in coded:
        legend = found.get(name) or (found.get("") if len(coded) == 1 else None)
        values = ledger.data[name]
        distinct = values.dropna().unique().tolist()
        if not legend:
            ledger.undecoded.append((headers[name], legends.unknown_codes(distinct, {})))
            continue
        mapping = dict(zip(map(_text, distinct), legends.decode(distinct, legend), strict=True))
        ledger.data[name] = _map_column(values, mapping)
        ledger.legends[name] = legend
        left = legends.unknown_codes(distinct, legend)
        if left:
            ledger.undecoded.append((headers[name], left))


#: Below this share of filled cells that are values of its field, a column is not that field.
DOMAIN_SHARE = 0.5
#: Only columns with at least this many filled cells are judged by their values.
DOMAIN_MIN_CELLS = 2
_KEY_FIELDS = ("name", "id_number")
#: Headers of columns that may hold a category (人员类别, 困难类别, 人员类型 …).
_CATEGORY_HEADER = re.compile(r"类别|类型|身份|群体|对象|情形")


def _examples(values: list[Any], limit: int = 3) -> list[str]:
    out: list[str] = []
    for v in values:
        t = _text(v)
        if t and t not in out:
            out.append(t[:20])
        if len(out) >= limit:
            break
    return out


def _first_filled(column: pd.Series, n: int) -> list[Any]:
    """The first ``n`` values of ``column`` that are not missing, in order (a big
    ledger's column is not scanned to its end when its head has them)."""
    head = column.iloc[: n * 4].dropna()
    if len(head) >= n or len(column) <= n * 4:
        return head.tolist()[:n]
    return column.dropna().tolist()[:n]


def _check_value_domains(ledger: Ledger) -> None:
    """Each recognised column must hold values of its field (calc.normalize.value_fits).

    A column whose filled cells are mostly not values of the field its header names
    (a 困难类型 of needs — 生活、医疗 — under a category header; a √ under a date
    header) is not that field: it is taken out (never concluded from), and named in
    the recognition report and the 字段对照 suggestion.  Where its values are
    hardship categories and the ledger has no category column, it is read as
    就业困难人员类型 instead (人员类别 “大龄失业人员”) — also for an unrecognised column
    whose header says 类别/类型.
    """
    from calc.normalize import domain_share, is_hardship_category

    def hardship_share(values: list[Any]) -> float:
        filled = [v for v in values if not _is_blank(v)]
        return sum(1 for v in filled if is_hardship_category(v)) / len(filled) if filled else 0.0

    for name, letter in list(ledger.columns.items()):
        if name not in ledger.data.columns or name in ledger.sources or name in _KEY_FIELDS:
            continue  # name and ID number: their cells are checked one by one
        values = _first_filled(ledger.data[name], _SAMPLE)
        if name in ledger.legends or (
            legends.is_coded(values)
            and any(h == _header_of(ledger, letter) for h, _ in ledger.undecoded)
        ):
            continue  # codes: judged after decoding, or unknown codes (reported apart)
        header = _header_of(ledger, letter)
        if any(k in ledger.field_map.aliases for k in header_keys(header)):
            continue  # the clerk's 字段对照 says what this column is
        if (
            name != "certified_category"
            and "certified_category" not in ledger.columns
            and FIELDS[name].kind == "text"
            and len(values) >= DOMAIN_MIN_CELLS
            and hardship_share(values) >= DOMAIN_SHARE
        ):
            ledger.data = ledger.data.rename(columns={name: "certified_category"})
            del ledger.columns[name]
            ledger.columns["certified_category"] = letter
            ledger.reassigned.append((letter, header, name, "certified_category"))
            continue
        share = domain_share(name, values)
        if share is None or share[1] < DOMAIN_MIN_CELLS or share[0] >= DOMAIN_SHARE:
            continue
        ledger.data = ledger.data.drop(columns=[name])
        del ledger.columns[name]
        ledger.rejected.append((letter, header, name, _examples(values)))
    if "certified_category" in ledger.columns:
        return
    from calc.assess import RESULT_HEADERS

    own = {normalise_header(h) for h in RESULT_HEADERS.values()}
    for letter, header in list(ledger.unknown_columns):
        values = ledger.unknown_samples.get(letter, [])
        if normalise_header(header) in own:
            continue  # jyyz's own 认定类别 of an earlier fill: a result, not the office's record
        if (
            _CATEGORY_HEADER.search(header)
            and len(values) >= DOMAIN_MIN_CELLS
            and hardship_share(values) >= DOMAIN_SHARE
        ):
            pos = column_index(letter) - 1
            ledger.data["certified_category"] = _unknown_column(ledger, pos)
            ledger.columns["certified_category"] = letter
            ledger.unknown_columns.remove((letter, header))
            ledger.reassigned.append((letter, header, None, "certified_category"))
            return


#: Prefixes of columns that hold one household member's facts beside the applicant's:
#: “配偶姓名 | 配偶身份证号码 | 配偶就业状态 | 子女1姓名 …”.
