"""jyyz 就业援助 for xlwings Lite — paste this file into the main.py tab of xlwings Lite.

xlwings Lite registers every custom function and script found in main.py, the
imported ones included: the =JY_… worksheet functions of
:mod:`xl_addin.functions` and the one-click scripts of :mod:`xl_addin.scripts`
(填写计算列、检查台账、生成协议书/公示/责任书).  Nothing here needs
python-calamine or lxml: the functions and the fill/check scripts run on any
Pyodide with numpy and pandas; the document scripts say in Chinese when the
runtime lacks python-docx/lxml.
"""

from xl_addin.functions import *  # noqa: F403  =JY_… worksheet functions
from xl_addin.functions import __all__ as _functions
from xl_addin.scripts import (  # noqa: F401  one-click scripts (Lite: Run)
    jy_check_ledger,
    jy_fill_columns,
    jy_make_agreements,
    jy_make_letters,
    jy_make_notice,
)

__all__ = [
    *_functions,
    "jy_check_ledger",
    "jy_fill_columns",
    "jy_make_agreements",
    "jy_make_letters",
    "jy_make_notice",
]
