"""The files a clerk pastes into xlwings Lite: ``main.py`` and ``requirements.txt``.

See docs/excel-addin.md (“xlwings Lite”).  ``main.py`` is also importable as
``xl_addin.lite.main`` (the Pyodide test imports it exactly as Lite does).
"""
