"""Read a clerk's ledger (台账) from an .xlsx/.xlsm workbook, fast.

Real ledgers are not tidy tables: a title row and notes sit above the header,
header cells are merged, and a header may take two rows (a merged “家庭情况”
above “家庭人口 | 家庭月收入”, or “出生日期” merged over both rows).  Below the
data there may be a “合计” or “填表人：” row.  :func:`read_ledger` finds the
header among the first rows, maps it to canonical fields with
:func:`calc.fields.map_headers` and returns the data rows keyed by their Excel
row numbers, with values left raw (IDs stay text, dates stay dates; ``""``
becomes ``None``).  Converting values is the job of ``calc``.

Reading uses python-calamine (about 2 s for 100,000 rows × 20 columns).
The steps live in sibling modules (:mod:`.opening`, :mod:`.header`,
:mod:`.ledger`, :mod:`.collect`, :mod:`.households`, :mod:`.family`,
:mod:`.values`, :mod:`.places`, :mod:`.small_sheets`, :mod:`.in_memory`,
:mod:`.reading`); every name is re-exported here.

Every failure a clerk can cause raises :class:`calc.errors.InputError` with a
Chinese message naming the file, sheet and row.
"""

from __future__ import annotations

from xl_addin.ledger_read.collect import (  # noqa: F401
    _CHUNK_ROWS,
    _CODED_FIELDS,
    _LOOSE_ID,
    _OWN_SHEETS,
    _SAMPLE,
    _SAMPLE_ROWS,
    _TABLE_WORDS,
    TableLayout,
    _build,
    _clearly_better,
    _collect,
    _column,
    _expected_headers,
    _make_ledger,
    _no_person,
    _read_field_map,
    _Rows,
    _sheet_score,
    find_table,
)
from xl_addin.ledger_read.family import (  # noqa: F401
    _ROLE,
    _SELF,
    _header_of,
    _side_by_side_family,
    _unknown_column,
)
from xl_addin.ledger_read.header import (  # noqa: F401
    _combine,
    _fill_merges,
    _guess_header,
    _HeaderGuess,
    _looks_like_header_row,
    _merged_from_above,
)
from xl_addin.ledger_read.households import (  # noqa: F401
    _household_members,
    _id_key,
    _is_family_sheet,
    _join_sheet,
)
from xl_addin.ledger_read.in_memory import (  # noqa: F401
    WorkbookValues,
    _SheetMeta,
    _source,
    _ValuesSheet,
)
from xl_addin.ledger_read.ledger import (  # noqa: F401
    Ledger,
    _holds_person_value,
    _is_column_number_row,
    _is_label,
    _is_stop_row,
    _is_sub_header,
    _looks_like_person,
    _merge_boxes,
    _squeeze,
)
from xl_addin.ledger_read.opening import (  # noqa: F401
    _COLUMN_NUMBER,
    _COUNT,
    _ID_LIKE,
    _NAME,
    _PAGER,
    _STOP_WORDS,
    _SUPPORTED,
    HEADER_SCAN_ROWS,
    MIN_FIELDS_AUTO,
    MIN_FIELDS_NAMED,
    _check_path,
    _is_blank,
    _iter_sheet_rows,
    _open,
    _open_sheet,
    _sheet_rows,
    _text,
    _worksheet_names,
    workbook_sheet_names,
)
from xl_addin.ledger_read.places import (  # noqa: F401
    _COMMUNITY,
    _LABEL_VALUE,
    _ORG,
    _STREET,
    _TITLE_END,
    _labelled_places,
    _place_from_title,
)
from xl_addin.ledger_read.reading import (  # noqa: F401
    _finish,
    _mark_bad_cells,
    _scan_in_background,
    read_ledger,
)
from xl_addin.ledger_read.small_sheets import (  # noqa: F401
    _PARAM_KEYS,
    _table,
    read_parameter_sheet,
    read_sheet_rows,
    read_targets_sheet,
)
from xl_addin.ledger_read.values import (  # noqa: F401
    _CATEGORY_HEADER,
    _KEY_FIELDS,
    DOMAIN_MIN_CELLS,
    DOMAIN_SHARE,
    _apply_legends,
    _apply_value_maps,
    _check_value_domains,
    _examples,
    _map_column,
)
from xl_addin.xlsxpatch import column_index, column_letter  # noqa: F401

__all__ = [
    "HEADER_SCAN_ROWS",
    "MIN_FIELDS_AUTO",
    "Ledger",
    "column_index",
    "column_letter",
    "read_ledger",
    "read_parameter_sheet",
    "read_sheet_rows",
    "read_targets_sheet",
    "workbook_sheet_names",
]
