"""Citations a citizen can read: document titles, numbers and clauses in words.

The rules engine cites a clause by policy key and clause, e.g.
``"SX-2008 四(一)"`` or ``"AH-2011 (七)3、(八)"``.  No paper may show such a
key.  A document names its policy documents once, in full, in its opening
sentence — ``《山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见》
第四条第（一）项`` (with the document number where the text has one, e.g.
``（皖人社发〔2011〕44号）``) — and afterwards cites clauses by number only:
``（第四条第（一）项）``.  A document based on two texts (a Lianyungang
paper: JS-2002 and LYG-2003) gives each a short name in the opening sentence
("以下简称《省通知》") and cites ``（《省通知》第四条第（一）项）``.

Clause numbering follows the texts: a chapter "四、" is 第四条, its item
"（一）" is 第（一）项, a numbered point "3." is 第3点; texts numbered by items
only (AH-2011 "（十）") are cited 第（十）项.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from doc_templates.contexts import PolicyRef
from doc_templates.formatting import fullwidth

_CODE = re.compile(r"\b([A-Z]{2,4}-\d{4})\s*")
_CN = "一二三四五六七八九十百零"
_ITEM = re.compile(
    rf"^(?P<top>[{_CN}]+)?\s*(?:[(（](?P<sub>[{_CN}]+)[)）])?\s*(?P<point>\d+)?\s*(?P<rest>.*)$"
)


def clause_in_words(clause: str) -> str:
    """``四(一)`` → ``第四条第（一）项``; ``二(一)、(二)`` → ``第二条第（一）项、第（二）项``;
    ``(七)3、(八)`` → ``第（七）项第3点、第（八）项``; ``二、三`` → ``第二条、第三条``.

    Text that is not a clause number is returned with full-width punctuation.
    """
    clause = (clause or "").strip()
    if not clause:
        return ""
    out: list[str] = []
    top = None
    for part in re.split(r"[、，,]", clause):
        part = part.strip()
        m = _ITEM.match(part)
        if not part or not m or not (m.group("top") or m.group("sub")):
            out.append(fullwidth(part))
            continue
        words = ""
        if m.group("top") and not (m.group("top") == top and m.group("sub")):
            words += f"第{m.group('top')}条"  # 一(一)、一(二) → 第一条第（一）项、第（二）项
        top = m.group("top") or top
        if m.group("sub"):
            words += f"第（{m.group('sub')}）项"
        if m.group("point"):
            words += f"第{m.group('point')}点"
        words += fullwidth(m.group("rest"))
        out.append(words)
    return "、".join(x for x in out if x)


def split_key(source: str) -> list[tuple[str, str]]:
    """``SX-2008 四(一)`` → the key and the clause (SX-2008, 四(一)); text without a key → ``[("", text)]``."""
    source = (source or "").strip()
    if not source:
        return []
    matches = list(_CODE.finditer(source))
    if not matches:
        return [("", source)]
    pieces = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(source)
        pieces.append((m.group(1), source[m.end() : end].strip(" ；;，,、")))
    return pieces


def _suffix(title: str) -> str:
    for word in ("实施意见", "意见", "通知", "办法", "决定"):
        if title.endswith(word):
            return word
    return "文件"


def short_names(policies: Sequence[PolicyRef]) -> dict[str, str]:
    """Short names for a paper citing several texts: 《省通知》, 《市意见》 …"""
    names: dict[str, str] = {}
    for p in policies:
        name = p.short or (("市" if p.level == "市级" else "省") + _suffix(p.title))
        while name in names.values():
            name = name + "二"
        names[p.code] = name
    return names


def full_title(p: PolicyRef) -> str:
    """``《标题》（文号）`` (no number when the text has none)."""
    s = f"《{p.title.strip('《》')}》"
    return s + (f"（{p.doc_no}）" if p.doc_no else "")


class Citer:
    """Cites clauses for one paper: full titles once, clause numbers afterwards."""

    def __init__(self, policies: Sequence[PolicyRef]):
        self.policies = list(policies)
        self.by_code = {p.code: p for p in self.policies}
        self.short = short_names(self.policies) if len(self.policies) > 1 else {}

    def basis(self, default: str) -> str:
        """The opening citation: ``《标题》（文号）第四条第（一）项`` (and short names)."""
        out = []
        for p in self.policies:
            s = full_title(p) + clause_in_words(p.clause)
            if self.short:
                s += f"（以下简称《{self.short[p.code]}》）"
            out.append(s)
        if not out:
            return default
        return out[0] if len(out) == 1 else "、".join(out[:-1]) + "和" + out[-1]

    def words(self, source: str) -> str:
        """A clause source in words, without brackets (see :meth:`cite`)."""
        parts = []
        merged: list[tuple[str, str]] = []
        for code, clause in split_key(source):  # "SX-2008 一(一)、SX-2008 一(二)" → one text
            if merged and merged[-1][0] == code and clause:
                merged[-1] = (code, f"{merged[-1][1]}、{clause}")
            else:
                merged.append((code, clause))
        for code, clause in merged:
            words = clause_in_words(clause)
            if code and code not in self.by_code:
                words = self._outside(code) + words
            elif code and self.short:
                words = f"《{self.short[code]}》" + words
            if words:
                parts.append(words)
        return "；".join(parts)

    def cite(self, source: str) -> str:
        """``"SX-2008 四(一)"`` → ``（第四条第（一）项）``; ``""`` when there is no source."""
        import re

        # a bare policy key (“LYG-2003”, no clause) cites nothing a reader can find
        if re.fullmatch(r"\s*[A-Z]{2,3}-\d{4}\s*", source or ""):
            return ""
        words = self.words(source)
        return f"（{words}）" if words else ""

    @staticmethod
    def _outside(code: str) -> str:
        """A text the paper did not name in its opening: its full title."""
        try:
            from calc.policies import get_policy

            pack = get_policy(code)
        except Exception:
            return ""
        return full_title(PolicyRef(code, pack.title, doc_no=pack.doc_number))
