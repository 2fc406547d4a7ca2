"""AH-2011 皖人社发〔2011〕44号 安徽省人社厅、财政厅关于进一步加强就业援助工作的实施意见.

One folder per text: ``pack.py`` (its clauses as named rules, parameters with
their sources), ``cases.yaml`` (one case or more per clause, run by
tests/test_policy_cases.py) and ``text.txt`` (the text itself, for the reader).
"""

from .pack import PACK

__all__ = ["PACK"]
