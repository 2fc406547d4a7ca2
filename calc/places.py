"""The province of a place name (户籍地 “太原市小店区” → 山西省), from GB/T 2260.

A 户籍地 written without its province is common (“太原市小店区”, “小店区坞城街道”).
The administrative-division codes of GB/T 2260 — as python-stdnum ships them
(``stdnum/cn/loc.dat``, taken from the published code lists, used there for the
birth place of an ID number) — name every province, prefecture and county with
their codes, past and present; a prefecture or county name found at the start
of the text gives the province when all divisions of that name lie in one
province (“朝阳区” lies in 北京 and in 长春: no answer from it alone).

The region code of an ID number is the place of *first registration*, not the
hukou: it is never used here.
"""

from __future__ import annotations

import functools
import re

#: Suffixes of division names that a text may leave out (“太原” for “太原市”).
_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "盟",
    "市",
    "县",
    "区",
    "旗",
)
_PROVINCE_SHORT = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, set[str]]]:
    """(province code → name, division name → provinces) from python-stdnum's GB/T 2260 data."""
    from stdnum import numdb

    db = numdb.get("cn/loc")
    provinces: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for line in db.prefixes:  # (length, low, high, props, children)
        _length, low, _high, props, children = line
        province = props.get("province")
        if not province:
            continue
        provinces[low] = province
        for _l2, _lo2, _hi2, props2, _children2 in children:
            county = props2.get("county", "")
            name = re.sub(r"^\[[^\]]*\]", "", county).strip()
            if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            names.setdefault(name, set()).add(province)
            for suffix in _SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    names.setdefault(name[: -len(suffix)], set()).add(province)
                    break
    return provinces, names


def short_name(province: str) -> str:
    """“山西省” → “山西”, “内蒙古自治区” → “内蒙古”, “北京市” → “北京”."""
    s = _PROVINCE_SHORT.sub("", province)
    for tail in ("壮族", "回族", "维吾尔"):
        s = s.removesuffix(tail)
    return s


def province_of_place(text: str) -> str | None:
    """The short province name (“山西”) a place name without its province lies in, or
    None when no division name opens the text, or the name lies in several provinces."""
    t = re.sub(r"\s", "", str(text or ""))
    if not t:
        return None
    _, names = _table()
    found: set[str] | None = None
    # the longest division name the text starts with, then the next one after it
    for size in range(min(len(t), 12), 1, -1):
        head = t[:size]
        if head in names:
            found = names[head]
            rest = t[size:]
            if len(found) > 1 and rest:
                for size2 in range(min(len(rest), 12), 1, -1):
                    nxt = names.get(rest[:size2])
                    if nxt:
                        both = found & nxt
                        if both:
                            found = both
                        break
            break
    if not found or len(found) != 1:
        return None
    return short_name(next(iter(found)))
