"""GS-2003 甘肃省人民政府关于加快推进再就业工作的实施意见（2003年6月10日）.

One folder per text: ``pack.py`` (its clauses as named rules, parameters with
their sources), ``cases.yaml`` (one case or more per clause, run by
tests/test_policy_cases.py) and ``text.txt`` (the text itself, for the reader).
"""

from .pack import PACK

__all__ = ["PACK"]
