"""Workbooks given as values in memory (from Excel or WPS), read like files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None


# --------------------------------------------------------------------------- in-memory workbooks


def _source(path: Any) -> Any:
    """A :class:`WorkbookValues` as it is, any other path as a string."""
    return path if isinstance(path, WorkbookValues) else os.fspath(path)


@dataclass
class _SheetMeta:
    name: str
    typ: str = "WorkSheet"


class _ValuesSheet:
    """One sheet of a :class:`WorkbookValues` with the calamine sheet interface used above."""

    def __init__(self, name: str, rows: list[list[Any]], merges: list) -> None:
        self.name = name
        self._rows = rows
        self.merged_cell_ranges = merges
        self.start = (0, 0) if rows else None

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        return [list(r) for r in self._rows]

    def iter_rows(self) -> Iterator[list[Any]]:
        for row in self._rows:
            yield list(row)


@dataclass
class WorkbookValues:
    """An open workbook's sheets as values, read like a file by every reader here.

    The xlwings one-click scripts (:mod:`xl_addin.scripts`) hand the values of
    the workbook open in Excel to the same readers and jobs as ``jyyz``, so a
    button and the command line read a ledger the same way.  ``sheets`` maps
    each sheet name (workbook order) to its rows from A1; ``merges`` optionally
    gives a sheet's merged ranges as ``((row0, col0), (row1, col1))``, 0-based.
    Empty cells may be ``None`` or ``""``; rows are padded to one width, as
    calamine gives them.
    """

    name: str
    sheets: dict[str, list[list[Any]]]
    merges: dict[str, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tidy: dict[str, list[list[Any]]] = {}
        for sheet, rows in self.sheets.items():
            rows = [["" if v is None else v for v in (r or [])] for r in (rows or [])]
            width = max((len(r) for r in rows), default=0)
            tidy[sheet] = [r + [""] * (width - len(r)) for r in rows]
        self.sheets = tidy

    def __fspath__(self) -> str:  # the file name messages show
        return self.name

    # -- the calamine workbook interface used by the readers above ----------
    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    @property
    def sheets_metadata(self) -> list[_SheetMeta]:
        return [_SheetMeta(n) for n in self.sheets]

    def get_sheet_by_name(self, name: str) -> _ValuesSheet:
        return _ValuesSheet(name, self.sheets[name], list(self.merges.get(name, ())))

    def close(self) -> None:
        pass
