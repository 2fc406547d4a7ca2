"""Facts shared by every rule of one assessment run, computed once per column.

A :class:`Context` holds the typed persons, the assessment date, the policy
and the clerk's parameter table.  Derived facts (age, statutory retirement
date, months unemployed, household counts) are computed vectorised on first
use and cached, so each rule is a handful of column operations.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import numpy as np
import pandas as pd

from calc.dates import ages_on
from calc.normalize import EMPLOYED, UNEMPLOYED, Persons
from calc.params import Parameter, ParameterTable, resolve
from calc.retirement import retirement_dates

# Lower bound of working age: Labour Law art. 15 forbids employing anyone under 16.
MIN_WORKING_AGE = 16


class Context:
    def __init__(
        self, pack, persons: Persons, as_of: dt.date, params: ParameterTable | None = None
    ):
        self.pack = pack
        self.persons = persons
        self.f = persons.frame
        self.as_of = as_of
        self.table = params
        self.index = persons.frame.index
        self.used: dict[str, Parameter] = {}
        self._cache: dict[str, object] = {}

    # --- parameters -------------------------------------------------------
    def param(self, name: str, on: dt.date | None = None) -> object:
        p = resolve(self.pack.parameters, self.pack.code, name, on or self.as_of, self.table)
        self.used[name] = p
        return p.value

    def parameter(self, name: str, on: dt.date | None = None) -> Parameter:
        p = resolve(self.pack.parameters, self.pack.code, name, on or self.as_of, self.table)
        self.used[name] = p
        return p

    def cached(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # --- text helpers -------------------------------------------------------
    def const(self, text: str) -> pd.Series:
        return pd.Series(text, index=self.index, dtype=object)

    def missing(self, header: str) -> pd.Series:
        return self.const(f"台账未填“{header}”")

    @cached_property
    def as_of_text(self) -> str:
        return self.as_of.isoformat()

    # --- derived facts --------------------------------------------------------
    @cached_property
    def age(self) -> pd.Series:
        return ages_on(self.f["birth_date"], self.as_of).astype("Int64")

    @cached_property
    def age_text(self) -> pd.Series:
        sex = self.f["sex"].fillna("性别不明").astype(object)
        age = self.age.astype("string").fillna("年龄不明").astype(object)
        return sex + "，" + age + "周岁（" + self.as_of_text + "）"

    @cached_property
    def original_retirement_age(self) -> pd.Series:
        return self.f["original_retirement_age"].astype("Float64")

    @cached_property
    def retirement_date(self) -> pd.Series:
        """Statutory retirement date under the 2025 reform (calc.retirement)."""
        ages = self.original_retirement_age
        return retirement_dates(
            self.f["birth_date"], self.f["sex"], ages if ages.notna().any() else None
        )

    @cached_property
    def retirement_date_old(self) -> pd.Series:
        """Statutory retirement date under the ages in force before 2025."""
        ages = self.original_retirement_age
        return retirement_dates(
            self.f["birth_date"], self.f["sex"], ages if ages.notna().any() else None, reform=False
        )

    @cached_property
    def working_age(self) -> pd.Series:
        ok = (self.age >= MIN_WORKING_AGE) & (pd.Timestamp(self.as_of) < self.retirement_date)
        return ok.astype("boolean").where(self.age.notna() & self.retirement_date.notna())

    @cached_property
    def unemployed(self) -> pd.Series:
        status = self.f["status"]
        return (status == UNEMPLOYED).astype("boolean").where(status.notna())

    @cached_property
    def employed(self) -> pd.Series:
        status = self.f["status"]
        return (status == EMPLOYED).astype("boolean").where(status.notna())

    @cached_property
    def unemployed_since(self) -> pd.Series:
        return self.f["unemployment_date"].fillna(self.f["unemployment_registration_date"])

    @cached_property
    def months_unemployed(self) -> pd.Series:
        since = self.unemployed_since
        asof = pd.Timestamp(self.as_of)
        months = (asof.year - since.dt.year) * 12 + (asof.month - since.dt.month)
        months = months - (since.dt.day > asof.day).astype("Int64")
        return months.astype("Int64")

    # --- household facts --------------------------------------------------------
    @cached_property
    def household_unemployed_count(self) -> pd.Series:
        """Unemployed members of the person's household (家庭编号 + 就业状态).

        Needs every member of the household in the ledger, employed or not.  A
        filled 家庭失业人数 column wins over the count.
        """
        hid = self.f["household_id"]
        explicit = self.f["household_unemployed"].astype("Float64")
        if hid.notna().any():
            unemployed = self.unemployed.fillna(False).astype(int)
            counted = unemployed.groupby(hid).transform("sum").where(hid.notna())
        else:  # groupby over keys that are all missing has nothing to group
            counted = pd.Series(np.nan, index=self.index)
        return explicit.fillna(counted.astype("Float64")).astype("Float64")

    @cached_property
    def zero_employment_household(self) -> pd.Series:
        """Every working-age member of the household is unemployed (SX-2008 一(二)).

        A filled 零就业家庭 column wins (it records the household's status at
        certification, which the members' current jobs no longer show);
        otherwise computed from 家庭编号 + 就业状态; else unknown.
        """
        hid = self.f["household_id"]
        explicit = self.f["zero_employment_household"].astype("boolean")
        if not hid.notna().any():
            return explicit
        working = self.working_age.fillna(False)
        employed_worker = (self.employed.fillna(False) & working).astype(int)
        unknown_worker = (self.f["status"].isna() & working).astype(int)
        workers = working.astype(int)
        g = pd.DataFrame({"hid": hid, "emp": employed_worker, "unk": unknown_worker, "w": workers})
        sums = g.groupby("hid")[["emp", "unk", "w"]].transform("sum")
        zero = (sums["emp"] == 0) & (sums["w"] > 0)
        verdict = zero.astype("boolean")
        verdict = verdict.where(~((sums["emp"] == 0) & (sums["unk"] > 0)))  # cannot tell
        verdict = verdict.where(hid.notna())
        return explicit.fillna(verdict).astype("boolean")

    def situation_mask(self, situations) -> pd.Series:
        """Rows whose employment situation is one of ``situations``."""
        if situations is None:
            return pd.Series(True, index=self.index)
        mask = pd.Series(False, index=self.index)
        if "unemployed" in situations:
            mask |= self.unemployed.fillna(False).astype(bool)
        etypes = [s for s in situations if s != "unemployed"]
        if etypes:
            mask |= self.f["etype"].isin(etypes).fillna(False).astype(bool)
        return mask


def date_text(series: pd.Series) -> pd.Series:
    out = series.dt.strftime("%Y-%m-%d")
    return out.astype(object).where(series.notna(), "日期不明")


def kleene_and(parts: list[pd.Series]) -> pd.Series:
    result = parts[0].astype("boolean")
    for p in parts[1:]:
        result = result & p.astype("boolean")
    return result


def to_bool_array(series: pd.Series) -> np.ndarray:
    return series.fillna(False).astype(bool).to_numpy()
