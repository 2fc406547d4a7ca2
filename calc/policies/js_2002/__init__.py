"""JS-2002 苏政办发〔2002〕44号 江苏省政府办公厅关于对生活困难的下岗职工、失业人员开展再就业援助的通知.

One folder per text: ``pack.py`` (its clauses as named rules, parameters with
their sources), ``cases.yaml`` (one case or more per clause, run by
tests/test_policy_cases.py) and ``text.txt`` (the text itself, for the reader).
"""

from .pack import PACK

__all__ = ["PACK"]
