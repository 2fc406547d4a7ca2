"""SX-2008 山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见（2008年5月28日）.

One folder per text: ``pack.py`` (its clauses as named rules, parameters with
their sources), ``cases.yaml`` (one case or more per clause, run by
tests/test_policy_cases.py) and ``text.txt`` (the text itself, for the reader).
"""

from .pack import PACK

__all__ = ["PACK"]
