"""Build ledger rows for engine tests with independently computed ID numbers."""

from __future__ import annotations

import datetime as dt

# GB 11643-1999 §8.2 weights 2^(17-i) mod 11, written out by hand: the tests' own oracle,
# independent of python-stdnum, which the engine uses
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(body17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 characters (GB 11643-1999)."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def make_id(birth: dt.date, sex: str, region: str = "140105", seq: int = 12) -> str:
    """An 18-digit number with the ISO 7064 MOD 11-2 check digit (GB 11643-1999)."""
    order = seq * 2 + (1 if sex == "男" else 0)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + check_char(body)


def birth_for_age(age: int, on: dt.date, *, days_after_birthday: int = 10) -> dt.date:
    """A birth date making the person exactly ``age`` full years on ``on``."""
    birthday = on.replace(year=on.year - age)
    return birthday - dt.timedelta(days=days_after_birthday)


def person(
    *, age: int | None = None, sex: str = "女", on: dt.date, birth: dt.date | None = None, **fields
):
    """A canonical-field mapping; defaults describe an urban registered unemployed person."""
    if birth is None:
        birth = birth_for_age(age if age is not None else 35, on)
    row = {
        "name": fields.pop("name", "测试人员"),
        "id_number": make_id(birth, sex, seq=fields.pop("seq", 12)),
        "household_registration": "城镇",
        "registered_place": "山西省太原市",  # SX-2008 一“具有我省城市户口”
        "employment_status": "失业",
        "unemployment_registration_date": "2024-01-10",
        "unemployment_date": "2024-01-01",
        "former_employer_type": "私营",
        "minimum_allowance": "否",
        "locally_designated": "否",
        "able_to_work": "是",
        "wants_work": "是",
    }
    row.update(fields)
    return row
