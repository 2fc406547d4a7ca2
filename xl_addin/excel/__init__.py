"""The classic Excel add-in ``jyyz.xlam``: its text sources and the build that turns them into
the add-in (:mod:`xl_addin.excel.build`), and the Python side of its ribbon buttons
(:mod:`xl_addin.excel.ribbon`)."""
