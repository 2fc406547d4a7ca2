"""The office's street and community named in a ledger's title rows."""

from __future__ import annotations

import re
from typing import Any

try:
    import python_calamine as pc
except ImportError:  # pragma: no cover - xlwings Lite without calamine: only find_table is used
    pc = None

from calc.fields import (
    match_header,
)
from xl_addin.ledger_read.ledger import (
    Ledger,
)

_TITLE_END = re.compile(r"(台帐|台账|名册|信息表|登记表|档案表|统计表|明细表|汇总表|一览表)$")
_ORG = re.compile(r"(机构名称|填报单位|单位名称|填表单位|所属机构)\s*[：:]\s*(?P<org>\S+)")
_STREET = re.compile(r"(?P<street>[^省市区县旗：:\s]{1,12}?(?:街道办事处|街道|镇|乡))")
_COMMUNITY = re.compile(
    r"(?P<community>[^省市区县旗镇乡道：:\s]{1,12}?(?:社区居委会|社区|村委会|村))"
)


_LABEL_VALUE = re.compile(r"(?P<label>[^：:\s]{1,12})\s*[：:]\s*(?P<value>[^：:\s]+?)(?=\s|$)")


def _labelled_places(text: str, want: list[str]) -> dict[str, str]:
    """“社区：南华社区  街道：新城街道” (the line under a title): each label that names
    a wanted field (街道, 社区 and their synonyms) with the value after it."""
    out: dict[str, str] = {}
    for m in _LABEL_VALUE.finditer(text):
        name = match_header(m.group("label"))
        value = m.group("value").strip("_＿ ")
        if name in want and value and name not in out:
            out[name] = value
    return out


def _place_from_title(ledger: Ledger, title: list[list[Any]]) -> None:
    """街道 and 社区 from a title or 机构名称 row when the ledger has no such columns."""
    want = [n for n in ("street", "community") if n not in ledger.data.columns]
    if not want or not title:
        return
    for row in title:
        for v in row:
            if not isinstance(v, str) or not v.strip():
                continue
            text = v.strip()
            labelled = _labelled_places(text, want)
            for name, value in labelled.items():
                if name not in ledger.data.columns:
                    ledger.data[name] = value
                    ledger.sources[name] = f"表头上方“{text}”"
            if labelled:
                continue
            m = _ORG.search(text)
            org = m.group("org") if m else None
            if org is None and not _TITLE_END.search(text):
                continue
            org = org or text
            org = re.sub(r"^.*?[省市](?=.)", "", org)
            org = re.sub(r"^.*?[区县旗](?=.)", "", org)
            found = {}
            st = _STREET.search(org)
            if st:
                found["street"] = st.group("street")
                rest = org[st.end() :]
            else:
                rest = org
            cm = _COMMUNITY.search(rest)
            if cm:
                found["community"] = cm.group("community")
            for name in want:
                if name in found and name not in ledger.data.columns:
                    ledger.data[name] = found[name]
                    ledger.sources[name] = f"标题行“{text}”"
