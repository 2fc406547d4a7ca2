"""The whole-workbook jobs behind ``jyyz`` (fill, check, docs, demo).

Excel-agnostic: every job takes file paths and returns a report dataclass;
nothing here prints (the command line in :mod:`xl_addin.cli` does) and
nothing needs Excel, so the xlwings one-click scripts reuse the same jobs.
Long jobs call ``progress(done, total, label)`` when given one.

- :func:`fill` — read the ledger (:mod:`xl_addin.ledger_read`), assess every
  person with the policy pack (:func:`calc.assess.run_ledger`, household-aware)
  and write the result columns 认定类别 … 数据问题 to the right of the ledger
  (or over columns with exactly those headers from an earlier run), touching
  only those cells (:mod:`xl_addin.ledger_write`).  Never overwrites the input
  unless ``in_place``; any existing file it replaces (the input with
  ``in_place``, an earlier output, a file named as ``out``) is first kept as a
  verified timestamped backup beside it (:mod:`calc.safe_files`).
- :func:`check` — the problems a clerk must fix, each with its cell ("C15")
  and a Chinese description; writes ``NAME.检查结果.xlsx`` beside the input
  (a copy with a 检查结果 sheet), never modifies the input.
- :func:`docs` — agreements (协议书), a public notice (公示) or target
  responsibility letters (责任书) for selected rows, via :mod:`doc_templates`.
- :func:`demo` — all of the above on the bundled sample ledger.

One module per job (:mod:`.filling`, :mod:`.checking`, :mod:`.papers`,
:mod:`.demonstration`) beside the shared parts (:mod:`.common`, :mod:`.reports`,
:mod:`.inputs`, :mod:`.assessment`); every name is re-exported here.

Errors a clerk can cause raise :class:`calc.errors.InputError` with a Chinese
message.
"""

from __future__ import annotations

from xl_addin.jobs.assessment import (  # noqa: F401
    ASSUMPTION_CODES,
    DECLARABLE_FIELDS,
    HOME_PROVINCE_WORDS,
    PLAIN_HEADERS,
    SETTINGS_SHEET,
    Assessed,
    _check_required,
    _id_key,
    _ignorable,
    _parameter_table,
    _policy_codes,
    _policy_from_params,
    assess_workbook,
    cell_problems,
    columns_text,
    declare_facts,
    duplicate_id_problems,
    duplicate_ids,
    summarise,
    workbook_source,
)
from xl_addin.jobs.checking import (  # noqa: F401
    _field_map_rows,
    _layout_notices,
    _member_notices,
    _old_ids,
    _row_label,
    _write_check,
    anchored_marks,
    check,
    check_marks,
    check_report,
    check_rows,
)
from xl_addin.jobs.common import (  # noqa: F401
    CHECK_SHEET,
    CHECKED_SUFFIX,
    DOC_KINDS,
    ERROR,
    FILLED_SUFFIX,
    FORMULA_FUNCTIONS,
    NOTICE,
    PARAM_SHEET,
    POLICY_PARAM,
    RECOMMENDED_FIELDS,
    REQUIRED_FIELDS,
    RESULT_FIELDS,
    RESULT_HEADERS,
    SUBSTITUTES,
    TARGET_SHEET,
    Progress,
    _noop,
)
from xl_addin.jobs.demonstration import (  # noqa: F401
    demo,
)
from xl_addin.jobs.filling import (  # noqa: F401
    CONCLUSION_COLOURS,
    EXCEL_MAX_COLUMN,
    FORMULA_SPARE_ROWS,
    RESULT_WIDTH_CAP,
    WRAPPED,
    _cell_texts,
    _dates,
    _display_width,
    _formula_parts,
    _param_range,
    _xl_string,
    example_parameters,
    fill,
    formula_last_row,
    result_columns,
    result_formats,
)
from xl_addin.jobs.inputs import (  # noqa: F401
    default_output,
    parse_as_of,
    parse_rows,
    parse_where,
)
from xl_addin.jobs.papers import (  # noqa: F401
    NEXT_YEAR_AFTER,
    OFFICER_LINE,
    DocOptions,
    _guard_office_file,
    _holiday_estimate,
    _office_book,
    _office_details,
    _officer_line,
    _one_row_per_person,
    _place_of,
    _raw_columns,
    _subset_run,
    _target_lines,
    _template_folder,
    _write_docs,
    _write_notices,
    docs,
    letter_year,
    made_on,
    select_rows,
)
from xl_addin.jobs.reports import (  # noqa: F401
    CheckReport,
    DemoReport,
    DocsReport,
    FillReport,
    Problem,
    Summary,
)
