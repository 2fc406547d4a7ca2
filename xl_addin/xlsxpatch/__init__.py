"""xlsxpatch — change cells of an .xlsx/.xlsm without losing anything else.

A self-contained library (standard library only, plus openpyxl's formula
translator when a shared formula must be written out); it knows nothing of
the application using it.  openpyxl's load/save drops
images, charts, pivot tables, form controls and extensions, so this module
never loads the workbook as an object model.  It treats the .xlsx/.xlsm as
the zip package it is:

* every zip member is copied unchanged (same bytes after decompression),
  except the one worksheet part being written;
* the worksheet XML is streamed row by row (byte level, chunks of a few MB):
  rows that receive no cell are copied byte-for-byte; rows that do are
  rewritten with the new ``<c>`` elements put in column order; missing rows
  are created in row order; ``<dimension ref>`` is widened if needed; all
  other cells in a rewritten row keep their exact bytes;
* strings are written as inline strings (``t="inlineStr"``) so
  ``xl/sharedStrings.xml`` is never touched;
* ``xl/styles.xml`` changes only when a date has to go into a cell whose
  style is not a date format and no equivalent date style exists: then one
  ``<xf>`` (a clone of the cell's style with ``numFmtId="14"``) is appended
  to ``cellXfs`` and its ``count`` bumped — nothing else in the file moves;
* ``xl/calcChain.xml`` is dropped (with its relationship and content-type
  entry) only when an existing *formula* cell was overwritten or cleared;
  Excel rebuilds the chain silently, whereas a chain naming a cell that no
  longer holds a formula makes Excel "repair" the file.  New formulas do not
  need a chain entry.  ``fullCalcOnLoad`` is never set, and is removed from
  ``<calcPr>`` when formulas are written: cached values stay.
* when an overwritten cell was the anchor of a shared formula whose range
  reaches cells not overwritten, those cells get the formula written out
  (translated to their position) — the only edit outside the written cells.

:func:`mark_cells` (fill colour + comment on cells) also edits the sheet's
comments part, its legacy VML drawing, its ``_rels`` and
``[Content_Types].xml``, or adds them; its docstring lists every change.

Output goes to a temporary file in the destination directory and is moved
into place with :func:`os.replace` (:mod:`.atomic`).  Whether an existing
output may be replaced, and backups, are the caller's policy.  Failures are
typed (:mod:`.errors`); operating-system failures while writing stay
:class:`OSError`.

One job per module: :mod:`.package` (zip parts, relationships), :mod:`.styles`
(``styles.xml``), :mod:`.cells` (``<c>`` encoding), :mod:`.rows` (streaming a
sheet), :mod:`.comments` (comments and VML note boxes), :mod:`.zipio`
(members, threaded deflate), :mod:`.atomic` (atomic replace), :mod:`.patch`
and :mod:`.sheets` (the public operations).
"""

from .errors import (
    CorruptWorkbook,
    InvalidSheetName,
    NoOutput,
    OldXlsFormat,
    SameFile,
    SheetExists,
    SheetNotFound,
    StylesMissing,
    TextTooLong,
    WorkbookNotFound,
    WorkbookUnreadable,
    XlsxPatchError,
)
from .patch import add_header_cells, mark_cells, write_cells, write_columns
from .sheets import add_sheet
from .values import LEFT, MARK_AUTHOR, MARK_FILLS, Cell, CellValue, Formula, Mark, WriteResult
from .xmltext import MAX_COL, MAX_ROW, MAX_TEXT, column_index, column_letter

__all__ = [
    "LEFT",
    "MARK_AUTHOR",
    "MARK_FILLS",
    "MAX_COL",
    "MAX_ROW",
    "MAX_TEXT",
    "Cell",
    "CellValue",
    "CorruptWorkbook",
    "Formula",
    "InvalidSheetName",
    "Mark",
    "NoOutput",
    "OldXlsFormat",
    "SameFile",
    "SheetExists",
    "SheetNotFound",
    "StylesMissing",
    "TextTooLong",
    "WorkbookNotFound",
    "WorkbookUnreadable",
    "WriteResult",
    "XlsxPatchError",
    "add_header_cells",
    "add_sheet",
    "column_index",
    "column_letter",
    "mark_cells",
    "write_cells",
    "write_columns",
]
