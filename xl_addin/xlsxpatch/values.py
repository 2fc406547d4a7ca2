"""What callers write: values, formulas, styled cells, marks, and the result report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import TextTooLong
from .xmltext import MAX_TEXT

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Formula:
    """A formula (with or without leading ``=``) and the value Excel last computed.

    ``cached`` is written as the cell's ``<v>`` so viewers that do not
    recalculate (and Excel before recalculation) show the right value: text
    as ``t="str"``, booleans as ``t="b"``, numbers plain, dates as serials in
    a date style.  ``None`` writes no cached value.
    """

    text: str
    cached: Any = None
    #: An array (CSE) formula: the range it fills, e.g. "U5:U265", with this
    #: cell as its top-left anchor; the other cells of the range are written as
    #: plain cached values by the caller.
    ref: str | None = None


#: Style marker: copy the ``s=`` of the nearest existing cell left of the target in its row.
LEFT = "left"


@dataclass(frozen=True)
class Cell:
    """A value with an explicit style: an ``s=`` index, :data:`LEFT`, or None (automatic)."""

    value: Any
    style: int | str | None = None


CellValue = str | int | float | bool | dt.date | dt.datetime | Formula | Cell | None

#: Fill colour (ARGB) of each :class:`Mark` level: Excel's "light red" and "light yellow".
MARK_FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}
#: Author of the comments :func:`mark_cells` writes.
MARK_AUTHOR = "jyyz"


@dataclass(frozen=True)
class Mark:
    """A finding to show on a cell: a fill colour by ``level`` and a comment (批注) with ``message``.

    ``level`` "error" fills light red (``FFC7CE``), "warning" light yellow (``FFEB9C``).
    """

    message: str
    level: Literal["error", "warning"] = "error"

    def __post_init__(self) -> None:
        if self.level not in MARK_FILLS:
            raise ValueError(f"Mark level must be 'error' or 'warning', not {self.level!r}")
        if not isinstance(self.message, str):
            raise TypeError("Mark message must be a str")
        if len(self.message) > MAX_TEXT:
            raise TextTooLong("comment", len(self.message), MAX_TEXT)

    @property
    def rgb(self) -> str:
        return MARK_FILLS[self.level]


@dataclass
class WriteResult:
    dst_path: str
    sheet_part: str
    cells_written: int = 0
    rows_created: int = 0
    styles_changed: bool = False
    new_styles: list[int] = field(default_factory=list)
    calc_chain_removed: bool = False
    shared_formulas_expanded: int = 0
    backup_path: str | None = None
    comments_written: int = 0  # mark_cells: comments added or replaced
    parts_added: list[str] = field(default_factory=list)  # mark_cells: new zip members
