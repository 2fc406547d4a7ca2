"""The classic Excel add-in ``jyyz.xlam``: its text sources and the build that turns them into
the add-in (:mod:`xl_addin.excel.build`), and the Python side of its ribbon buttons
(:mod:`xl_addin.excel.ribbon`)."""

#: The xlwings version whose VBA is inside jyyz.xlam.  The VBA declares its DLL by version
#: (``xlwings64-0.37.8.dll``) and xlwings' Python side must be the same release, so
#: pyproject.toml pins xlwings to it, the build refuses another version and ``jyyz install``
#: refuses to install the add-in next to another one.
XLWINGS_VERSION = "0.37.8"
