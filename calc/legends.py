"""Code legends of ledger templates (填表说明) and decoding coded columns.

Templates often ask for a code instead of a word — "困难类别：①大龄失业人员
②残疾失业人员 ③低保人员……" or "1.大龄失业人员；2.低保人员" — in the notes
under the table, and the clerk writes "①" or "2" in the column.  This module
reads such a legend from note texts and decodes a column with it.  A code
without a legend stays as written, and :func:`unknown_codes` says which ones
the ledger could not explain.
"""

from __future__ import annotations

import re
import unicodedata

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: One legend entry: a circled number, or a number followed by "." "、" ")" "．".
_ENTRY = re.compile(
    r"(?:(?P<c>[" + _CIRCLED + r"])|(?<![\d.])(?P<n>\d{1,2})\s*[.、)）．:：])\s*"
    r"(?P<label>[^" + _CIRCLED + r"；;，,。\s\d][^" + _CIRCLED + r"；;，,。\n]*?)"
    r"(?=\s*(?:[" + _CIRCLED + r"]|[；;，,。]|\s\d{1,2}\s*[.、)）．]|\d{1,2}\s*[.、)）．]|$))"
)


#: A letter code of a system's code table: “DS01”, “A3”, “KN-02” (letters, then digits).
_LETTER_CODE = re.compile(r"^[A-Za-z]{1,4}[-_]?\d{1,4}$")
_LETTER_ENTRY = re.compile(
    r"(?<![A-Za-z0-9])(?P<code>[A-Za-z]{1,4}[-_]?\d{1,4})\s*[:：.、=＝\-—]?\s*"
    r"(?P<label>[^\sA-Za-z0-9；;，,。:：|][^；;，,。\n|]*?)"
    r"(?=\s*(?:[|；;，,。\n]|[A-Za-z]{1,4}[-_]?\d{1,4}(?![A-Za-z0-9])|$))"
)


def code_key(value: object) -> str | None:
    """The code a cell holds ("①" → "1", "3" → "3", 3.0 → "3", "ds01" → "DS01"),
    or None if it is no code."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    if len(s) == 1 and s in _CIRCLED:
        return str(_CIRCLED.index(s) + 1)
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit() and 1 <= len(s) <= 2:
        return str(int(s))
    if _LETTER_CODE.match(s):
        return s.upper().replace("-", "").replace("_", "")
    return None


def parse_letter_legend(text: str) -> dict[str, str]:
    """``"DS01 大龄失业人员 DS02 残疾人员"`` (or one entry per line of a code table)
    → ``{"DS01": "大龄失业人员", …}``; at least two entries."""
    out: dict[str, str] = {}
    for m in _LETTER_ENTRY.finditer(unicodedata.normalize("NFKC", text)):
        code = code_key(m.group("code"))
        label = m.group("label").strip(" ：:")
        if code and label and code not in out:
            out[code] = label
    return out if len(out) >= 2 else {}


def parse_legend(text: str) -> dict[str, str]:
    """``"①大龄失业人员 ②残疾失业人员"`` → ``{"1": "大龄失业人员", "2": "残疾失业人员"}``.

    Needs at least two entries (a lone "1." is a numbered note, not a legend).
    """
    out: dict[str, str] = {}
    circled = any(ch in _CIRCLED for ch in text)
    for m in _ENTRY.finditer(text):
        if circled and not m.group("c"):
            continue  # "1.困难类别：①…": the numbers number the notes, the circles are codes
        code = str(_CIRCLED.index(m.group("c")) + 1) if m.group("c") else str(int(m.group("n")))
        label = m.group("label").strip(" ：:")
        if label and code not in out:
            out[code] = label
    return out if len(out) >= 2 else {}


def legends_in_notes(notes: list[str], headers: dict[str, str]) -> dict[str, dict[str, str]]:
    """Legends per field from note texts.

    ``headers`` maps a field to its header text in the ledger.  A note that
    names a header ("困难类别：①…") gives that field's legend; a legend naming
    no header is kept under ``""`` for a single coded column.
    """
    out: dict[str, dict[str, str]] = {}
    for note in notes:
        parts = re.split(r"[；;。]\s*(?=\d{1,2}\s*[.、．])", note)
        for part in parts or [note]:
            head = re.match(
                r"^\s*(?:填表说明|说明|注)?\s*[：:]?\s*(?:\d{1,2}\s*[.、．]\s*)?"
                r"([^：:" + _CIRCLED + r"\d]{1,15})[：:](.*)$",
                part,
                re.S,
            )
            label, body = (head.group(1), head.group(2)) if head else ("", part)
            legend = parse_legend(body)
            if not legend:
                continue
            named = None
            for fname, header in headers.items():
                h = re.sub(r"[（(].*?[）)]|\s", "", header)
                if h and label and (h in label or label.strip() in h):
                    named = fname
                    break
            out.setdefault(named or "", legend)
    # A code table under the data, one code per row (“DS01 | 大龄失业人员”): read whole.
    letters = parse_letter_legend("\n".join(notes))
    if letters:
        named = None
        text = "\n".join(notes)
        for fname, header in headers.items():
            h = re.sub(r"[（(].*?[）)]|\s", "", header)
            if h and h in text:
                named = fname
                break
        out.setdefault(named or "", letters)
    return out


def decode(values: list[object], legend: dict[str, str]) -> list[object]:
    """Each coded value replaced by its label ("①④" → "大龄失业人员、零就业家庭成员")."""
    out = []
    for v in values:
        key = code_key(v)
        if key is not None and key in legend:
            out.append(legend[key])
            continue
        if isinstance(v, str) and re.search(r"[A-Za-z]", v):
            parts = [p for p in re.split(r"[、,，;；/\s]+", v.strip()) if p]
            labels = [legend.get(code_key(p) or "") for p in parts]
            if len(parts) > 1 and all(labels):
                out.append("、".join(labels))
                continue
        if isinstance(v, str) and len(v) > 1 and all(ch in _CIRCLED for ch in v.strip()):
            labels = [legend.get(str(_CIRCLED.index(ch) + 1)) for ch in v.strip()]
            if all(labels):
                out.append("、".join(labels))
                continue
        out.append(v)
    return out


def is_coded(values: list[object]) -> bool:
    """Most filled cells of the column are codes."""
    filled = [v for v in values if v not in (None, "")]
    if not filled:
        return False
    coded = sum(
        1
        for v in filled
        if code_key(v) is not None
        or (isinstance(v, str) and v.strip() and all(ch in _CIRCLED for ch in v.strip()))
    )
    return coded * 2 > len(filled)


def unknown_codes(values: list[object], legend: dict[str, str]) -> list[str]:
    """Codes in the column that the legend does not explain (sorted, distinct)."""
    seen = set()
    for v in values:
        key = code_key(v)
        if key is not None and key not in legend:
            seen.add(str(v).strip() if not isinstance(v, float) else str(int(v)))
    return sorted(seen)
