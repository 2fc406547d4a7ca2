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

from calc.dates import ages_on, iso_dates, months_completed_series
from calc.errors import InputError
from calc.normalize import EMPLOYED, UNEMPLOYED, Persons
from calc.params import Parameter, ParameterTable, resolve
from calc.retirement import retirement_dates
from calc.text_columns import shared

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
    @cached_property
    def _defaults(self) -> dict[str, list[Parameter]]:
        """The pack's parameter versions (``pack.parameters`` builds them on each access)."""
        return self.pack.parameters

    def param(self, name: str, on: dt.date | None = None) -> object:
        p = resolve(self._defaults, self.pack.code, name, on or self.as_of, self.table)
        self.used[name] = p
        return p.value

    def parameter(self, name: str, on: dt.date | None = None) -> Parameter:
        p = resolve(self._defaults, self.pack.code, name, on or self.as_of, self.table)
        self.used[name] = p
        return p

    def param_on(self, name: str, dates: pd.Series) -> tuple[pd.Series, pd.Series]:
        """``name`` in force on each row's date (e.g. the first approval), and a problem text.

        Resolved once per distinct date; a date before the pack's own version
        of the parameter (e.g. an approval before the text was issued) uses
        that first version.  Where the date is missing the value is NA
        (problem ""); where no version is in force yet, NA and the Chinese reason.
        """
        days = pd.to_datetime(dates)
        index = dates.index
        versions = self._defaults.get(name)
        if versions:  # before the text's own date, the text as issued applies
            earliest = pd.Timestamp(min(p.effective_from for p in versions))
            days = days.where(~(days < earliest), earliest)
        codes, uniques = pd.factorize(days, use_na_sentinel=True)
        if len(uniques) == 0:
            return (
                pd.Series(pd.NA, index=index, dtype=object),
                pd.Series("", index=index, dtype=object),
            )
        table_v, table_p = [], []
        for day in uniques:
            try:
                table_v.append(self.param(name, pd.Timestamp(day).date()))
                table_p.append("")
            except InputError as err:
                table_v.append(pd.NA)
                table_p.append(err.message)
        has = codes >= 0
        v = np.asarray(table_v, dtype=object)
        pr = np.asarray(table_p, dtype=object)
        n = len(index)
        out_v = np.full(n, pd.NA, dtype=object)
        out_p = np.full(n, "", dtype=object)
        out_v[has] = v[codes[has]]
        out_p[has] = pr[codes[has]]
        return pd.Series(out_v, index=index, dtype=object), pd.Series(
            out_p, index=index, dtype=object
        )

    def cached(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # --- text helpers -------------------------------------------------------
    def const(self, text: str) -> pd.Series:
        return pd.Series(text, index=self.index, dtype=object)

    def unknown_phrase(self, name: str) -> np.ndarray:
        """Per row, how a text names field ``name`` as unknown (calc.missing.unknown_phrases)."""
        from calc.missing import unknown_phrases

        return self.cached(f"unknown:{name}", lambda: unknown_phrases(self.persons, name))

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
        text = sex + "，" + age + "周岁（" + self.as_of_text + "）"
        unknown = self.identity_unknown_text
        return shared(text.where(unknown == "", unknown))

    @cached_property
    def identity_unknown(self) -> dict[str, np.ndarray]:
        """Which of 公民身份号码 / 出生日期 / 性别 the ledger leaves unknown, per
        field the rows (only rows whose birth date or sex is unknown)."""
        parts = [
            ("id_number", self.f["birth_date"].isna() | self.f["sex"].isna()),
            ("birth_date", self.f["birth_date"].isna()),
            ("sex", self.f["sex"].isna()),
        ]
        return {
            name: (unknown & self.f[name].isna()).to_numpy(dtype=bool) for name, unknown in parts
        }

    @cached_property
    def identity_unknown_text(self) -> pd.Series:
        """:attr:`identity_unknown` as text ("台账未填“公民身份号码”、…", or the
        missing column or bad cell), "" where birth date and sex are known."""
        out = pd.Series("", index=self.index, dtype=object)
        for name, rows in self.identity_unknown.items():
            if rows.any():
                sep = np.where(out[rows] != "", "、", "")
                out[rows] = out[rows] + sep + self.unknown_phrase(name)[rows]
        return out

    @cached_property
    def original_retirement_age(self) -> pd.Series:
        return self.f["original_retirement_age"].astype("Float64")

    @cached_property
    def retirement_date(self) -> pd.Series:
        """Statutory retirement date under the 2025 reform (calc.retirement).

        A woman whose 原退休年龄 is missing is taken as a worker (50); where that
        choice decides an outcome, the rules use :attr:`original_age_open` and
        :attr:`retirement_date_cadre` to answer 待核实 instead.
        """
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
    def original_age_open(self) -> pd.Series:
        """Women without 原退休年龄: 50 (工人) or 55 (干部) is not known."""
        return (self.f["sex"] == "女").fillna(False).astype(
            bool
        ) & self.original_retirement_age.isna()

    def _as_cadre(self, dates: pd.Series, *, reform: bool) -> pd.Series:
        """``dates`` with the rows of :attr:`original_age_open` computed again at 55
        (each row's date depends on that row alone: the other rows are the same)."""
        open_ = self.original_age_open.to_numpy(dtype=bool)
        if not open_.any():
            return dates
        rows = np.flatnonzero(open_)
        cadre = retirement_dates(
            self.f["birth_date"].iloc[rows],
            self.f["sex"].iloc[rows],
            pd.Series(55.0, index=self.index[rows]),
            reform=reform,
        )
        out = dates.copy()
        out.iloc[rows] = cadre.to_numpy()
        return out

    @cached_property
    def retirement_date_cadre(self) -> pd.Series:
        """As :attr:`retirement_date` with 55 for the women of :attr:`original_age_open`."""
        return self._as_cadre(self.retirement_date, reform=True)

    @cached_property
    def retirement_date_old_cadre(self) -> pd.Series:
        return self._as_cadre(self.retirement_date_old, reform=False)

    @cached_property
    def working_age(self) -> pd.Series:
        """16 or more and before the statutory retirement date; NA where unknown,
        including a woman whose missing 原退休年龄 (50 or 55) decides it."""
        asof = np.datetime64(self.as_of, "ns")
        age = self.age.array
        known = ~age.isna()
        adult = known & (age.to_numpy(dtype=np.int64, na_value=0) >= MIN_WORKING_AGE)
        retire = self.retirement_date.to_numpy()
        ok = adult & (asof < retire)  # NaT compares False
        known &= ~np.isnat(retire)
        open_ = self.original_age_open.to_numpy(dtype=bool)
        if open_.any():
            # The cadre date (55) only for the women whose 原退休年龄 is missing.
            rows = np.flatnonzero(open_)
            cadre = self.retirement_date_cadre.to_numpy()[rows]
            flips = ok[rows] != (adult[rows] & (asof < cadre))
            known[rows[flips]] = False
        return pd.Series(pd.arrays.BooleanArray(ok, ~known), index=self.index)

    @cached_property
    def working_age_decided_by_original_age(self) -> pd.Series:
        """Rows whose working age is NA only because 原退休年龄 is missing."""
        return self.working_age.isna() & self.age.notna() & self.retirement_date.notna()

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
        """Whole months since :attr:`unemployed_since` (民法典第二百零二条, calc.dates)."""
        return months_completed_series(self.unemployed_since, self.as_of)

    @cached_property
    def in_school(self) -> pd.Series:
        return (
            self.f["in_school"].fillna(False).astype(bool)
            if "in_school" in self.f
            else (pd.Series(False, index=self.index))
        )

    @cached_property
    def unemployed_worker(self) -> pd.Series:
        """An unemployed member of working age who is not an in-school student
        (JS-2002 二(一) counts only 下岗/失业 persons; students are not counted)."""
        return self.unemployed.fillna(False) & self.working_age.fillna(False) & ~self.in_school

    @cached_property
    def income_per_head_fen(self) -> tuple[pd.Series, pd.Series]:
        """(numerator fen, denominator) of each row's income per head, exact.

        家庭人均月收入 where given, else 家庭月收入 ÷ 家庭人口 for that row
        (JS-2002 二(四)); money is counted in whole fen so equality is exact.
        """
        explicit = self.f["income_per_head"]
        income = self.f["household_income"]
        size = self.f["household_size"].where(self.f["household_size"] > 0)
        num = (explicit * 100).round().astype("Int64")
        den = pd.Series(1, index=self.index, dtype="Int64").where(explicit.notna())
        derive = explicit.isna() & income.notna() & size.notna()
        num = num.where(~derive, (income * 100).round().astype("Int64"))
        den = den.where(~derive, size.round().astype("Int64"))
        return num, den

    # --- household facts --------------------------------------------------------
    @cached_property
    def members(self) -> Context | None:
        """The household members who are not persons of the ledger
        (:attr:`Persons.members`, a 家属信息 sheet), as a context of their own so
        that their age, working age and status are derived exactly as the ledger's."""
        m = self.persons.members
        if m is None or not len(m):
            return None
        return Context(self.pack, m, self.as_of, self.table)

    @cached_property
    def household_codes(self) -> tuple[np.ndarray, pd.Index]:
        """Per row the number of its household (家庭编号) among the distinct ones, -1
        without one; and those distinct 家庭编号 (each household found once, then
        counted with ``np.bincount`` instead of a group-by per count)."""
        hid = self.f["household_id"].to_numpy(dtype=object)
        codes, uniques = pd.factorize(hid, use_na_sentinel=True)
        return codes, pd.Index(uniques, dtype=object)

    def household_total(self, values, extra: np.ndarray | None = None) -> np.ndarray:
        """Per row the sum of ``values`` (booleans or numbers, one per row) over the
        rows of its household, plus ``extra`` per household; NaN without one."""
        codes, uniques = self.household_codes
        has = codes >= 0
        weights = np.asarray(values, dtype=np.float64)[has]
        totals = np.bincount(codes[has], weights=weights, minlength=len(uniques))
        if extra is not None:
            totals = totals + extra
        return np.where(has, totals[np.maximum(codes, 0)], np.nan)

    def household_any(self, rows) -> np.ndarray:
        """Per row, whether any row of its household is among ``rows`` (False without one)."""
        return self.household_total(rows) > 0

    def household_sums(self, counts) -> pd.DataFrame | None:
        """Per ledger row, sums over every member of its household of ``counts``
        ({name: ctx -> boolean Series}): the ledger's rows and the members listed
        only on a family sheet (:attr:`members`).  None when no row has a household;
        NaN on rows without one."""
        hid = self.f["household_id"]
        if not hid.notna().any():  # no row has a household to count over
            return None
        others = self.members
        _, uniques = self.household_codes
        member_codes = None
        if others is not None:  # -1: no household, or one the ledger does not list
            member_codes = uniques.get_indexer(others.f["household_id"].to_numpy(dtype=object))
        sums = {}
        for name, count in counts.items():
            extra = None
            if member_codes is not None:
                on = member_codes >= 0
                weights = count(others).fillna(False).to_numpy(dtype=bool)[on]
                extra = np.bincount(member_codes[on], weights=weights, minlength=len(uniques))
            sums[name] = self.household_total(count(self).fillna(False).to_numpy(dtype=bool), extra)
        return pd.DataFrame(sums, index=self.index)

    @cached_property
    def household_unemployed_count(self) -> pd.Series:
        """下岗/失业 members of the person's household (家庭编号 + 就业状态).

        Counts only members of working age who are not in-school students
        (:attr:`unemployed_worker`), also those listed only on a family sheet
        (:attr:`members`): the lower bound of :attr:`household_unemployed_bounds`
        (JS-2002 二(一) decides "two or more" on both bounds: unknown is not
        false).  A filled 家庭失业人数 column wins over the count.
        """
        return self.household_unemployed_bounds[0]

    @cached_property
    def household_unknown(self) -> dict[str, np.ndarray]:
        """Per field, the rows whose household has a member with that fact missing
        (就业状态, 原退休年龄 where it decides working age, 公民身份号码 where the
        age is unknown) — why a household count may be open."""
        hid = self.f["household_id"]
        out: dict[str, np.ndarray] = {}
        if not hid.notna().any():
            return out
        member = ~self.in_school
        causes = [
            ("employment_status", member & self.f["status"].isna()),
            ("original_retirement_age", member & self.working_age_decided_by_original_age),
            ("id_number", member & self.age.isna()),
        ]
        for name, rows in causes:
            out[name] = self.household_any(rows.to_numpy(dtype=bool))
        return out

    @cached_property
    def household_unknown_text(self) -> pd.Series:
        """:attr:`household_unknown` as text ("家庭中有成员台账未填“就业状态”、
        台账未填“原退休年龄”"), "" when none."""
        out = pd.Series("", index=self.index, dtype=object)
        for name, anyone in self.household_unknown.items():
            if anyone.any():
                sep = np.where(out[anyone] != "", "、", "家庭中有成员")
                out[anyone] = out[anyone] + sep + self.unknown_phrase(name)[anyone]
        return out

    @cached_property
    def household_unemployed_bounds(self) -> tuple[pd.Series, pd.Series]:
        """(members known to be 下岗/失业 workers, that count plus the members who may
        be: status or working age unknown) — equal where all is known; over every
        member, also those listed only on a family sheet (:meth:`household_sums`).

        A filled 家庭失业人数 gives both; no 家庭编号 leaves both unknown (NA).
        """
        explicit = self.f["household_unemployed"].astype("Float64")
        sums = self.household_sums(
            {"sure": lambda c: c.unemployed_worker, "maybe": lambda c: c.maybe_unemployed_worker}
        )
        if sums is None:
            return explicit, explicit
        lo = explicit.fillna(sums["sure"].astype("Float64"))
        hi = explicit.fillna(sums["maybe"].astype("Float64"))
        return lo.astype("Float64"), hi.astype("Float64")

    @cached_property
    def maybe_unemployed_worker(self) -> pd.Series:
        """Could be an :attr:`unemployed_worker`: not known to be employed, nor outside
        working age, nor an in-school student."""
        return (
            self.unemployed.fillna(True).astype(bool)
            & self.working_age.fillna(True).astype(bool)
            & ~self.in_school
        )

    @cached_property
    def zero_employment_household(self) -> pd.Series:
        """Every working-age member of the household is unemployed (SX-2008 一(二)).

        A filled 零就业家庭 column wins (it records the household's status at
        certification, which the members' current jobs no longer show);
        otherwise computed from 家庭编号 + 就业状态 over every member, also those
        listed only on a family sheet (:attr:`members`); else unknown.  Three-valued
        over the members: an employed member of working age makes it false, and so
        does a household in which no member can be of working age; a member who may
        be of working age and whose status is unknown (or who is employed, with an
        unknown working age) leaves it unknown.  In-school students are not counted
        either way.  A household of one member counts when the
        pack's parameter 单人户认定零就业家庭 says so (default: as the text reads, yes).
        """
        explicit = self.f["zero_employment_household"].astype("boolean")
        sums = self.household_sums(
            {
                "emp": lambda c: c.employed_worker,
                "w": lambda c: c.counted_worker,
                "w_maybe": lambda c: c.maybe_counted_worker,
                "open": lambda c: c.maybe_counted_worker & ~c.unemployed.fillna(False).astype(bool),
                "n": lambda c: pd.Series(True, index=c.index),
            }
        )
        if sums is None:
            return explicit
        # Three-valued over the members: true when some member is of working age and
        # every member who may be of working age is unemployed; false when a
        # working-age member is employed or no member can be of working age.
        true = (sums["w"] > 0) & (sums["open"] == 0)
        false = (sums["emp"] > 0) | (sums["w_maybe"] == 0)
        if not self.flag_param("单人户认定零就业家庭", True):
            single = sums["n"] <= 1
            true, false = true & ~single, false | single
        verdict = true.astype("boolean").where(true | false)
        verdict = verdict.where(self.f["household_id"].notna())
        return explicit.fillna(verdict).astype("boolean")

    @cached_property
    def counted_worker(self) -> pd.Series:
        """Of working age and not an in-school student: counted in SX-2008 一(二)."""
        return self.working_age.fillna(False).astype(bool) & ~self.in_school

    @cached_property
    def maybe_counted_worker(self) -> pd.Series:
        """Not known to be outside working age, and not an in-school student."""
        return self.working_age.fillna(True).astype(bool) & ~self.in_school

    @cached_property
    def employed_worker(self) -> pd.Series:
        return self.employed.fillna(False).astype(bool) & self.counted_worker

    def household_members_notes(self) -> np.ndarray | None:
        """Per row where the household facts came from, on the rows whose household
        has members listed only on a family sheet, when a household test was used:
        “家庭成员取自工作表“家属信息”（1人）”, naming members whose 就业状态 is
        unknown by their row there ("" elsewhere); ``None`` when no row has one."""
        others = self.members
        if others is None or not (
            "zero_employment_household" in self.__dict__
            or "household_unemployed_count" in self.__dict__
        ):
            return None
        hid = self.f["household_id"]
        mhid = others.f["household_id"]
        source = self.persons.members_source or "家属信息表"
        no_status = others.f["status"].isna() & others.maybe_counted_worker
        no_age = others.employed.fillna(False).astype(bool) & others.working_age.isna()
        notes: dict[object, str] = {}
        for key, rows in mhid.groupby(mhid.to_numpy()).groups.items():
            text = f"家庭成员取自{source}（{len(rows)}人）"
            for mask, what in ((no_status, "就业状态不明"), (no_age, "已就业但年龄不明")):
                hits = [str(r) for r in rows if mask.loc[r]]
                if hits:
                    text += f"，其中第{'、'.join(hits[:5])}行{what}"
            notes[key] = text
        note = hid.map(notes).to_numpy(dtype=object)
        has = pd.notna(note) & hid.notna().to_numpy()
        if not has.any():
            return None
        out = np.full(len(note), "", dtype=object)
        out[has] = note[has]
        return out

    def forget(self) -> None:
        """Let go of every derived column kept so far (each is built again if asked
        for): a big ledger's run drops them before its explanations are joined."""
        self._cache.clear()
        for name in list(self.__dict__):
            if isinstance(getattr(type(self), name, None), cached_property):
                del self.__dict__[name]

    def forget_facts(self) -> None:
        """Let go of the derived columns and of the persons' typed facts: the frame keeps
        its index, and the persons their problems and the masks of absent and unreadable
        fields (what the causes of 待核实 are told from).  For a run that writes its
        results only, once every text that reads a fact is made: on a million-row ledger
        the facts are ~450 MB that would otherwise stay beside the explanations."""
        self.forget()
        self.persons.frame = self.persons.frame.iloc[:, :0]
        self.f = self.persons.frame

    def flag_param(self, name: str, default: bool) -> bool:
        """A yes/no parameter of the pack (是/否, TRUE/FALSE); ``default`` if the pack has none."""
        if name not in self.pack.parameters and (
            self.table is None or not any(p.name == name for p in self.table.rows)
        ):
            return default
        value = self.param(name)
        if isinstance(value, str):
            return value.strip() in ("是", "TRUE", "true", "1", "Y", "y", "yes")
        return bool(value)

    def situation_mask(self, situations) -> np.ndarray:
        """Rows whose employment situation is known to be one of ``situations``
        (all rows when ``situations`` is None); built once per set of situations."""
        if situations is None:
            return np.ones(len(self.index), dtype=bool)
        return self.cached(
            f"situation:{sorted(situations)}", lambda: self._situation_mask(situations)
        )

    def _situation_mask(self, situations) -> np.ndarray:
        mask = np.zeros(len(self.index), dtype=bool)
        if "unemployed" in situations:
            mask |= self.unemployed.fillna(False).to_numpy(dtype=bool)
        etypes = [s for s in situations if s != "unemployed"]
        if etypes:
            mask |= self.f["etype"].isin(etypes).to_numpy(dtype=bool)
        mask.flags.writeable = False  # shared by every caller
        return mask

    def situation_unknown(self, situations) -> np.ndarray:
        """Rows where the ledger cannot tell whether the person is in one of
        ``situations``: no 就业状态, or 就业 without a 就业形式 when a form of
        employment is among them."""
        with_type = any(s != "unemployed" for s in situations)
        return self.cached(f"situation_unknown:{with_type}", lambda: self._unknown(with_type))

    def _unknown(self, with_type: bool) -> np.ndarray:
        unknown = self.f["status"].isna().to_numpy()
        if with_type:
            employed = self.employed.fillna(False).to_numpy(dtype=bool)
            unknown = unknown | (employed & self.f["etype"].isna().to_numpy())
        unknown.flags.writeable = False  # shared by every caller
        return unknown


def date_text(series: pd.Series) -> pd.Series:
    """The dates as ISO texts (each distinct date formatted once), "日期不明" where unknown."""
    return iso_dates(series).where(series.notna(), "日期不明")


def kleene_and(parts: list[pd.Series]) -> pd.Series:
    result = parts[0].astype("boolean")
    for p in parts[1:]:
        result = result & p.astype("boolean")
    return result


def kleene_or(parts: list[pd.Series]) -> pd.Series:
    """Any part true → true; all false → false; else unknown (NA)."""
    result = parts[0].astype("boolean")
    for p in parts[1:]:
        result = result | p.astype("boolean")
    return result


def to_bool_array(series: pd.Series) -> np.ndarray:
    return series.fillna(False).astype(bool).to_numpy()
