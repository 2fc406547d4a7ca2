"""Typed failures of the patcher: what went wrong and with which file, no wording for users.

The application above (jyyz: :mod:`xl_addin.ledger_write`) turns each into a
message in its users' language.  Operating-system failures while *writing*
(disk full, no permission, read-only folder) are left as the :class:`OSError`
they are; failures while *opening or reading* the source are
:class:`WorkbookUnreadable` carrying the :class:`OSError`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence


class XlsxPatchError(Exception):
    """Base class: the workbook (``path``) cannot be patched as asked."""

    def __init__(self, path: str | os.PathLike[str] | None, detail: str = ""):
        self.path = None if path is None else os.fspath(path)
        self.detail = detail
        super().__init__(f"{self.path}: {detail}" if detail else str(self.path))


class WorkbookNotFound(XlsxPatchError):
    """The source file does not exist."""


class WorkbookUnreadable(XlsxPatchError):
    """The source exists but the operating system refused to read it (``cause``)."""

    def __init__(self, path: str | os.PathLike[str], cause: OSError):
        self.cause = cause
        super().__init__(path, cause.strerror or type(cause).__name__)


class OldXlsFormat(XlsxPatchError):
    """The source is an Excel 97-2003 .xls file, not an Office Open XML package."""


class CorruptWorkbook(XlsxPatchError):
    """The source is not a zip package, or a part it needs is missing or malformed."""


class SheetNotFound(XlsxPatchError):
    """No worksheet named ``sheet``; ``available`` lists the worksheets there are."""

    def __init__(self, path: str | os.PathLike[str], sheet: str, available: Sequence[str]):
        self.sheet = sheet
        self.available = list(available)
        super().__init__(path, f"no worksheet {sheet!r}")


class SheetExists(XlsxPatchError):
    """:func:`add_sheet` with ``replace=False`` and a sheet of that name exists."""

    def __init__(self, path: str | os.PathLike[str], sheet: str):
        self.sheet = sheet
        super().__init__(path, f"sheet {sheet!r} exists")


class InvalidSheetName(XlsxPatchError):
    """A sheet name Excel does not accept (empty, > 31 characters, or ``[]:*?/\\``)."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        super().__init__(None, f"invalid sheet name {sheet!r}")


class StylesMissing(XlsxPatchError):
    """The workbook has no usable ``styles.xml`` but a date or a fill needs one.

    ``purpose`` is ``"date"`` or ``"mark"``.
    """

    def __init__(self, path: str | os.PathLike[str] | None, purpose: str):
        self.purpose = purpose
        super().__init__(path, f"no usable styles part for a {purpose}")


class TextTooLong(XlsxPatchError):
    """A text (cell value or comment) longer than Excel's limit of ``limit`` characters."""

    def __init__(self, ref: str, length: int, limit: int):
        self.ref = ref
        self.length = length
        self.limit = limit
        super().__init__(None, f"{ref}: {length} characters > {limit}")


class SameFile(XlsxPatchError):
    """The output is the source itself but ``in_place`` was not asked for."""


class NoOutput(XlsxPatchError):
    """Neither an output path nor ``in_place`` was given."""
