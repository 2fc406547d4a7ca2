"""LYG-2003 連政發〔2003〕97號 连云港市关于推进社区就业再就业工作的意见（2003年6月3日）.

One folder per text: ``pack.py`` (its clauses as named rules, parameters with
their sources), ``cases.yaml`` (one case or more per clause, run by
tests/test_policy_cases.py) and ``text.txt`` (the text itself, for the reader).
"""

from .pack import PACK

__all__ = ["PACK"]
