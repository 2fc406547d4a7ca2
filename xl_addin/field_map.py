"""The 字段对照 sheet: a clerk's own header → standard field mapping, and value mappings.

A ledger may call a column something jyyz does not know ("困难认定批次时间").
Instead of renaming the clerk's column, the workbook gets a sheet
``字段对照``::

    台账表头        | 标准字段       | 原值 | 标准值        | 说明
    困难认定批次时间 | 初次核定日期    |      |               |
    人员类别        | 就业困难人员类型 | A    | 大龄失业人员   |
    人员类别        |                | B    | 低保人员       |
    序号            | 不使用          |      |               |

A row with 标准字段 maps that header (标准字段 may be any standard header or
synonym from docs/fields.md, or "不使用" to ignore the column); a row with
原值 maps a value of that column (台账表头 blank = same as the row above).
``jyyz check`` writes this sheet pre-filled with the headers it did not
recognise and its best guess for each, for the clerk to confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from calc import fields
from calc.errors import InputError
from xl_addin.excel_values import as_text as _text
from xl_addin.excel_values import is_blank as _blank

SHEET = "字段对照"
HEADERS = ("台账表头", "标准字段", "原值", "标准值", "说明")
#: What a clerk writes in 标准字段 to have a column ignored.
IGNORE_WORDS = ("不使用", "忽略", "无", "不用")
#: What the pre-filled sheet writes for a column not to be used.
NOT_USED = IGNORE_WORDS[0]
IGNORED = ""  # alias target of an ignored header
#: Similarity (calc.fields.guess_field) above which the guess is written as 标准字段,
#: and above which it is only suggested in 说明.
SURE, LIKELY = 0.9, 0.6


@dataclass
class FieldMap:
    """Aliases (normalised ledger header → field, "" = ignore) and value maps per field."""

    aliases: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # by ledger header key
    rows: list[list[Any]] = field(default_factory=list)  # the sheet's rows as read (for rewriting)

    def __bool__(self) -> bool:
        return bool(self.aliases or self.values)

    def value_map_for(self, header: str) -> dict[str, Any]:
        for k in fields.header_keys(header):
            if k in self.values:
                return self.values[k]
        return {}


def parse_field_map(rows: list[list[Any]] | None, where: str = SHEET) -> FieldMap:
    """The mapping from the sheet's rows (``None`` or no rows → empty mapping).

    An unknown 标准字段 raises :class:`InputError` naming the cell.
    """
    result = FieldMap()
    if not rows:
        return result
    head_i = next((i for i, r in enumerate(rows) if any(not _blank(v) for v in r)), None)
    if head_i is None:
        return result
    head = [_text(v) for v in rows[head_i]]
    pos = {}
    for key in HEADERS:
        for i, h in enumerate(head):
            if fields.normalise_header(h) == fields.normalise_header(key):
                pos[key] = i
    if "台账表头" not in pos or "标准字段" not in pos:
        raise InputError(
            f"{where} 第{head_i + 1}行：应有表头“台账表头”“标准字段”（可选“原值”“标准值”“说明”）"
        )

    def cell(r: list[Any], key: str) -> str:
        i = pos.get(key)
        return _text(r[i]) if i is not None and i < len(r) else ""

    last_header = ""
    for n, r in enumerate(rows[head_i + 1 :], start=head_i + 2):
        header, standard = cell(r, "台账表头"), cell(r, "标准字段")
        original, value = cell(r, "原值"), cell(r, "标准值")
        if not any((header, standard, original, value)):
            continue
        result.rows.append([header, standard, original, value, cell(r, "说明")])
        header = header or last_header
        last_header = header
        if not header:
            continue
        keys = fields.header_keys(header)
        if standard:
            if standard in IGNORE_WORDS:
                target = IGNORED
            else:
                target = fields.field_for_standard(standard)
                if target is None:
                    letter = chr(65 + pos["标准字段"])
                    raise InputError(
                        f"{where} 单元格{letter}{n}：标准字段“{standard}”无法识别"
                        "（应为 docs/fields.md 中的标准表头，如“失业登记日期”，或填“不使用”）"
                    )
            for k in keys[:1]:
                result.aliases[k] = target
        if original:
            for k in keys[:1]:
                result.values.setdefault(k, {})[original] = value or None
    return result


def prefilled_rows(
    existing: FieldMap,
    unknown_headers: list[tuple[str, str]],
    undecoded: list[tuple[str, list[str]]] = (),
    *,
    rejected: list[tuple[str, str, str]] = (),
    fits: Callable[[str, str], bool] | None = None,
) -> list[list[Any]]:
    """Rows of a 字段对照 sheet: the clerk's rows kept, then one row per unrecognised header.

    ``unknown_headers`` are (column letter, header); each gets the best guess
    (:func:`calc.fields.guess_field`) when it is close enough, else a blank
    标准字段.  ``undecoded`` are (header, codes) of coded columns without a
    legend: one 原值 row per code for the clerk to fill in.  ``rejected`` are
    (letter, header, field) of columns whose header names a field but whose values
    are not values of it: written with 标准字段 “不使用” and the reason.  ``fits(letter,
    field)`` says whether an unrecognised column's values fit a guessed field; a
    guess they do not fit is not suggested (a √ column is no date).
    """
    rows: list[list[Any]] = [list(HEADERS)]
    rows.extend(existing.rows)
    known = {
        fields.header_keys(r[0])[0] for r in existing.rows if r[0] and fields.header_keys(r[0])
    }
    for letter, header in unknown_headers:
        keys = fields.header_keys(header)
        if not keys or keys[0] in known:
            continue
        known.add(keys[0])
        guess, score = fields.guess_field(header)
        if guess is not None and fits is not None and not fits(letter, guess):
            guess, score = None, 0.0
        if guess is not None and score >= SURE:
            rows.append(
                [
                    header,
                    fields.header_of(guess),
                    "",
                    "",
                    f"第{letter}列；程序猜测，请核对后保留或改正",
                ]
            )
        elif guess is not None and score >= LIKELY:
            # Only a suggestion: a wrong guess copied unread must not change any result.
            note = f"第{letter}列；可能是“{fields.header_of(guess)}”，确认后填入“标准字段”，否则填“不使用”"
            rows.append([header, "", "", "", note])
        else:
            rows.append([header, "", "", "", f"第{letter}列；请填写对应的标准字段，或填“不使用”"])
    for letter, header, name in rejected:
        keys = fields.header_keys(header)
        if keys and keys[0] in known:
            continue
        rows.append(
            [
                header,
                NOT_USED,
                "",
                "",
                f"第{letter}列；表头像“{fields.header_of(name)}”，但内容不是它的值，"
                "已不使用；如确是此字段，请改正内容后把“标准字段”改为该字段",
            ]
        )
    for header, codes in undecoded:
        for code in codes:
            rows.append([header, "", code, "", "编码无说明：请在“标准值”中写明其含义"])
    return rows
