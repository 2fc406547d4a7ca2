"""XML text and cell references: escaping for SpreadsheetML, A1 letters and ranges."""

from __future__ import annotations

import re

#: Excel's grid and its text limit (characters per cell or comment).
MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_TEXT = 32_767


def column_letter(index: int) -> str:
    """1-based column index → Excel letters (1 → "A", 27 → "AA")."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters → 1-based column index ("A" → 1, "AA" → 27)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column letter: {letters!r}")
        n = n * 26 + ord(ch) - 64
    return n


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref.strip())
    if not m:
        return None
    c0, r0 = column_index(m.group(1)), int(m.group(2))
    if m.group(3):
        c1, r1 = column_index(m.group(3)), int(m.group(4))
    else:
        c1, r1 = c0, r0
    return r0, c0, r1, c1


def _ref_rc(ref: bytes | str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", ref.decode() if isinstance(ref, bytes) else ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), column_index(m.group(1).upper())


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_X = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _esc(text: str) -> str:
    return _escape(text, _ILLEGAL)


def _escape(text: str, illegal: re.Pattern[str]) -> str:
    """``text`` for XML: markup characters as entities, a literal ``_xHHHH_`` kept
    literal, and the characters ``illegal`` matches as ``_xHHHH_`` (as Excel does)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPED_X.sub(r"_x005F_\1", text)
    if illegal.search(text):
        text = illegal.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _space_attr(text: str) -> str:
    """`` xml:space="preserve"`` for a text whose spaces a reader would otherwise drop."""
    if text[:1].isspace() or text[-1:].isspace() or "\n" in text:
        return ' xml:space="preserve"'
    return ""


#: :data:`_ILLEGAL` but NUL, which :func:`escaped_utf8` joins texts with.
_ILLEGAL_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escaped_utf8(texts: list[str]) -> list[bytes]:
    """``[_b(_esc(t)) for t in texts]``, escaped and encoded as one string: the
    texts joined by NUL (a character no cell text may hold as itself, so the
    pieces come apart where they were joined; the per-text way when one does)."""
    if not texts:
        return []
    whole = "\x00".join(texts)
    if whole.count("\x00") != len(texts) - 1:
        return [_b(_esc(t)) for t in texts]
    # a NUL is no hex digit: an _xHHHH_ found lies inside one text
    return _b(_escape(whole, _ILLEGAL_BUT_NUL)).split(b"\x00")


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def _b(text: str) -> bytes:
    return text.encode("utf-8", "replace")


# --------------------------------------------------------------------------- package parts


def _t_element(text: str, p: bytes) -> bytes:
    return b"<" + p + b"t" + _b(_space_attr(text)) + b">" + _b(_esc(text)) + b"</" + p + b"t>"
