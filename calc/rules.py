"""Named tests the policy packs are built from.

Each test takes a :class:`calc.context.Context` and returns, per person, a
verdict (True / False / NA when the ledger cannot tell) and what it says: a
short Chinese text of the values it looked at, with the fields it names as
unknown as data (:class:`calc.missing.Said`).  The packs cite the clause;
these functions only know facts.  Tests return what they say lazily (a
function), so a run that needs no explanation builds none.

Unknown is not false: a value that is absent (no column), blank
or unreadable gives NA, and a test on it is NA — never "no".  Where a test
combines facts it is Kleene logic (AND: any false → false, all true → true,
else NA; OR: any true → true, all false → false, else NA), and an unknown value is named as data (the field, per row) and in
the text by :meth:`calc.context.Context.unknown_phrase`: "台账未填“X”",
"台账无“X”列" or "“X”单元格有误".

Presumptions, the only exceptions, each documented where it is made: the
declarations 劳动能力, 就业愿望, 不挑剔岗位 count a missing answer as yes (the
person registered to seek work), and the lapse records 自愿放弃 and 拒绝岗位次数
count a missing one as "none" (a refusal or a withdrawal is recorded when it
happens).  An *unreadable* cell there is unknown, not presumed
(:func:`presumed_value`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calc.context import Context, date_text
from calc.missing import Said, merge
from calc.normalize import EMPLOYMENT_TYPE_LABEL, RETIRED
from calc.text_columns import either, shared


def resolve_text(text) -> Said:
    """What a test says (its text and the fields it names as unknown), built now
    if it was deferred."""
    out = text() if callable(text) else text
    return out if isinstance(out, Said) else Said(out)


def joined(parts, sep: str) -> Said:
    """Several tests' sayings one after the other, separated by ``sep``."""
    said = [resolve_text(p) for p in parts]
    text = said[0].text
    unknown: dict[str, np.ndarray] = {}
    for p in said[1:]:
        text = text + sep + p.text
    for p in said:
        merge(unknown, p.unknown)
    return Said(text, unknown)


def _rows(mask) -> np.ndarray:
    return np.asarray(
        mask.to_numpy(dtype=bool) if isinstance(mask, pd.Series) else mask, dtype=bool
    )


def _named(ctx: Context, text: pd.Series, name: str, rows) -> dict[str, np.ndarray]:
    """Put the phrase naming field ``name`` unknown on ``rows`` of ``text``; the rows as data."""
    rows = _rows(rows)
    text[rows] = ctx.unknown_phrase(name)[rows]
    return {name: rows}


def presumed_value(ctx: Context, field: str, value: pd.Series, default: bool) -> pd.Series:
    """``value`` with ``default`` where the ledger is silent (no column, blank cell).

    An unreadable cell (#N/A, text that is no answer…) stays unknown: the
    ledger says something there that cannot be read, which is no presumption.
    """
    out = value.astype("boolean").fillna(default)
    bad = ctx.persons.unreadable.get(field)
    if bad is not None and bad.any():
        out = out.mask(pd.Series(bad, index=ctx.index))
    return out.astype("boolean")


def _answer(ctx: Context, field: str, yes: str, no: str, *, presumed: bool = False):
    value = ctx.f[field]
    missing = "（台账未记载，按求职登记推定）" if presumed else None
    bad = ctx.persons.unreadable.get(field) if presumed else None

    def text():
        out = either(value.fillna(False).to_numpy(dtype=bool), yes, no)
        na = value.isna().to_numpy()
        if presumed:
            out[na] = yes + missing
            named = bad if bad is not None else np.zeros(len(out), dtype=bool)
        else:
            named = na
        out[named] = ctx.unknown_phrase(field)[named]
        return Said(pd.Series(out, index=ctx.index, dtype=object), {field: named})

    if presumed:
        return presumed_value(ctx, field, value, True), text
    return value.astype("boolean"), text


def able_to_work(ctx):
    return _answer(ctx, "able_to_work", "有劳动能力", "无劳动能力", presumed=True)


def wants_work(ctx):
    return _answer(ctx, "wants_work", "有就业愿望", "无就业愿望", presumed=True)


def accepts_any_post(ctx):
    return _answer(ctx, "accepts_any_post", "服从岗位安排", "挑剔就业岗位", presumed=True)


def urban_hukou(ctx):
    hukou = ctx.f["hukou"]
    verdict = (hukou == "urban").astype("boolean").where(hukou.notna())

    def text():
        text = pd.Series("农村户籍", index=ctx.index, dtype=object)
        text[(hukou == "urban").fillna(False)] = "城镇户籍"
        return Said(text, _named(ctx, text, "household_registration", hukou.isna()))

    return verdict, text


#: Provinces, autonomous regions and municipalities (short names) to read 户籍地.
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)  # fmt: skip


def _province_of(text: str) -> str | None:
    """The province a 户籍地 names (longest short name first: 山西 vs 陕西 are distinct);
    without a province, the one its prefecture or county lies in (GB/T 2260,
    calc.places: “太原市小店区” → 山西)."""
    for name in sorted(PROVINCES, key=len, reverse=True):
        if text.startswith(name) or f"{name}省" in text or f"{name}市" in text[:4]:
            return name
    from calc.places import province_of_place

    return province_of_place(text)


def hukou_in_province(ctx):
    """户籍地 in the pack's province (SX-2008 一“具有我省城市户口”).

    Another province named → no; missing, or no province named → unknown.
    """
    own = ctx.pack.chain()[0].region.removesuffix("省").removesuffix("市")
    place = ctx.f["registered_place"].astype(object)
    codes, uniques = pd.factorize(place.to_numpy(dtype=object), use_na_sentinel=True)
    named = [_province_of(str(u)) for u in uniques]
    table = np.array([None if n is None else n == own for n in named] + [None], dtype=object)
    verdict = pd.Series(table[codes], index=ctx.index, dtype=object).astype("boolean")

    def text():
        out = ("户籍地" + place.fillna("").astype(str)).astype(object)
        said_unknown = _named(ctx, out, "registered_place", place.isna())
        unknown = (verdict.isna() & place.notna()).to_numpy()
        out[unknown] = "户籍地“" + place[unknown].astype(str) + "”未写明省份"
        inferred = np.array(
            [
                n is not None
                and not any(str(u).startswith(p) or f"{p}省" in str(u) for p in PROVINCES)
                for u, n in zip(uniques, named, strict=True)
            ]
            + [False],
            dtype=bool,
        )[codes]
        if inferred.any():
            province = np.array([n or "" for n in named] + [""], dtype=object)[codes]
            out[inferred] = (
                "户籍地“"
                + place[inferred].astype(str)
                + "”（按行政区划属"
                + pd.Series(province[inferred], index=place[inferred].index).astype(str)
                + "）"
            )
        return Said(out, said_unknown)

    return verdict, text


def within_working_age(ctx):
    """Age 16 or more and before the statutory retirement date (2025 reform).

    A woman without 原退休年龄 for whom 50 or 55 gives different answers is
    待核实 naming 原退休年龄, never a silent 50.
    """
    verdict = ctx.working_age

    def text():
        retire = date_text(ctx.retirement_date)
        text = ctx.age_text + "，退休日期" + retire
        text = text.where(
            ctx.f["birth_date"].notna() & ctx.f["sex"].notna(), ctx.identity_unknown_text
        )
        open_ = ctx.working_age_decided_by_original_age.to_numpy(dtype=bool)
        named = dict(ctx.identity_unknown)
        if open_.any():
            text = text.astype(object)
            text[open_] = (
                ctx.age_text[open_]
                + "，"
                + ctx.unknown_phrase("original_retirement_age")[open_]
                + "：按原50周岁退休日期为"
                + retire[open_]
                + "、按原55周岁为"
                + date_text(ctx.retirement_date_cadre)[open_]
                + "，是否在法定劳动年龄内取决于原退休年龄"
            )
            merge(named, {"original_retirement_age": open_})
        return Said(shared(text), named)  # one text per birth date and sex

    return verdict, text


def registered_unemployed(ctx):
    """A 失业登记日期 shows registration; else a 是否登记失业人员 yes/no; else unknown.

    A blank or missing date is unknown (待核实), never "not registered".
    """
    reg = ctx.f["unemployment_registration_date"]
    flag = ctx.f["registered_unemployed_flag"].astype("boolean")
    verdict = flag.where(reg.isna(), True).astype("boolean")

    def text():
        both = (reg.isna() & flag.isna()).to_numpy(dtype=bool)
        text = ("已失业登记（" + date_text(reg) + "）").where(
            reg.notna(),
            ctx.unknown_phrase("unemployment_registration_date")
            + "，"
            + ctx.unknown_phrase("registered_unemployed_flag"),
        )
        text = text.where(~(reg.isna() & flag.notna()).to_numpy(), "")
        yes = (reg.isna() & flag.fillna(False)).to_numpy(dtype=bool)
        no = (reg.isna() & ~flag.fillna(True)).to_numpy(dtype=bool)
        text[yes] = "台账记载为登记失业人员（登记日期未填）"
        text[no] = "台账记载为非登记失业人员"
        return Said(
            text, {"unemployment_registration_date": both, "registered_unemployed_flag": both}
        )

    return verdict, text


def currently_unemployed(ctx):
    verdict = ctx.unemployed

    def text():
        status = ctx.f["employment_status"].astype(object)
        text = ("就业状态：" + status.fillna("")).astype(object)
        return Said(text, _named(ctx, text, "employment_status", status.isna()))

    return verdict, text


def laid_off_or_unemployed(ctx):
    """A laid-off or unemployed person (下岗失业人员).

    Unemployed now, or — for someone who has since taken a job, e.g. a
    public-welfare post the policy subsidises — on record as laid off or
    unemployed (失业日期 or 失业登记日期 filled).  The policies grant the post,
    placement and loan support precisely to such persons once employed.

    Three-valued: unemployed now → yes; on record → yes; a
    person in work whose 失业日期 and 失业登记日期 are both unknown may have
    been laid off — unknown, not "no".
    """
    unemployed = ctx.unemployed
    on_record = ctx.unemployed_since.notna()
    # Kleene OR: unemployed now, or on record (unknown where no date is known).
    verdict = unemployed | on_record.astype("boolean").where(on_record)
    # 已退休 / 领取养老金: no longer a laid-off or unemployed person, whatever the record.
    verdict = verdict.mask((ctx.f["status"] == RETIRED).fillna(False), False)

    def text():
        status = ctx.f["employment_status"].astype(object)
        out = ("就业状态：" + status.fillna("")).astype(object)
        named = _named(ctx, out, "employment_status", status.isna())
        since = date_text(ctx.unemployed_since)
        was = ctx.employed.fillna(False) & on_record
        out = out.where(~was, out + "（原为下岗失业人员，自" + since + "）")
        open_ = (ctx.employed.fillna(False) & ~on_record).to_numpy(dtype=bool)
        out[open_] = (
            out[open_]
            + "，"
            + ctx.unknown_phrase("unemployment_date")[open_]
            + "，"
            + ctx.unknown_phrase("unemployment_registration_date")[open_]
        )
        merge(named, {"unemployment_date": open_, "unemployment_registration_date": open_})
        return Said(out, named)

    return verdict, text


def age_at_least(women: int, men: int):
    """Women ``women`` full years or more, men ``men`` or more (周岁)."""

    def test(ctx):
        sex, age = ctx.f["sex"], ctx.age
        threshold = sex.map({"女": women, "男": men}).astype("Float64")
        verdict = (age >= threshold).astype("boolean").where(age.notna() & threshold.notna())
        return verdict, lambda: Said(ctx.age_text, dict(ctx.identity_unknown))

    return test


def age_at_least_params(women_param: str, men_param: str):
    """As :func:`age_at_least`, ages from local parameters."""

    def test(ctx):
        women, men = int(ctx.param(women_param)), int(ctx.param(men_param))
        verdict, text = age_at_least(women, men)(ctx)

        def said():
            inner = resolve_text(text)
            return Said(inner.text + f"（参数：女{women}、男{men}周岁）", inner.unknown)

        return verdict, said

    return test


def _employer(ctx, kinds: tuple[str, ...], label: str):
    kind = ctx.f["employer_kind"]
    verdict = kind.isin(kinds).astype("boolean").where(kind.notna())

    def text():
        raw = ctx.f["former_employer_type"].astype(object)
        text = ("原单位" + raw.fillna("")).astype(object)
        return Said(text, _named(ctx, text, "former_employer_type", kind.isna()))

    return verdict, text


def former_state_or_collective(ctx):
    return _employer(ctx, ("state", "collective"), "国有或集体")


def former_state(ctx):
    return _employer(ctx, ("state",), "国有")


def former_collective(ctx):
    return _employer(ctx, ("collective",), "集体")


def separation_is(*kinds: str):
    labels = {"laid_off": "下岗", "unemployed": "失业", "closure": "关闭破产安置"}

    def test(ctx):
        sep = ctx.f["separation"]
        verdict = sep.isin(kinds).astype("boolean").where(sep.notna())

        def text():
            text = ("人员身份：" + sep.map(labels).astype(object).fillna("")).astype(object)
            return Said(text, _named(ctx, text, "separation_type", sep.isna()))

        return verdict, text

    return test


def zero_employment_household(ctx):
    verdict = ctx.zero_employment_household

    def text():
        text = pd.Series("家庭中有劳动年龄内成员已就业", index=ctx.index, dtype=object)
        text[verdict.fillna(False).astype(bool)] = "零就业家庭（劳动年龄内成员均失业）"
        why = ctx.household_unknown_text
        open_ = verdict.isna().to_numpy(dtype=bool)
        text[open_] = (
            "无法判断是否零就业家庭（" + why.where(why != "", "家庭成员情况不明") + "）"
        )[open_]
        named: dict[str, np.ndarray] = {}
        merge(named, ctx.household_unknown, open_)
        no_hid = (verdict.isna() & ctx.f["household_id"].isna()).to_numpy(dtype=bool)
        text[no_hid] = "无法判断是否零就业家庭：" + ctx.unknown_phrase("household_id")[no_hid]
        merge(named, {"household_id": no_hid})
        hid = ctx.f["household_id"]
        if hid.notna().any() and ctx.in_school.any():
            students = ctx.household_any(ctx.in_school.to_numpy(dtype=bool))
            text[students] = text[students] + "（在校学生不计为失业成员）"
        return Said(text, named)

    return verdict, text


def on_minimum_allowance(ctx):
    return _answer(ctx, "minimum_allowance", "享受城市低保", "未享受低保")


def unemployed_months_at_least(param: str | None = None, months: int | None = None):
    """Unemployed for ``months`` months or more (from 失业日期, else 失业登记日期),
    counted by 民法典第二百零二条 (calc.dates.months_completed_series)."""

    def test(ctx):
        need = int(ctx.param(param)) if param else int(months)
        m = ctx.months_unemployed
        verdict = (m >= need).astype("boolean").where(m.notna())
        # Only the 失业登记日期 known: unemployment began on or before it, so
        # enough months since registration prove it; fewer leave it unknown.
        from_registration = ctx.f["unemployment_date"].isna()
        verdict = verdict.mask(from_registration & (verdict == False).fillna(False))  # noqa: E712

        def text():
            unknown = m.isna().to_numpy(dtype=bool)
            text = (
                "失业"
                + m.astype("string").fillna("").astype(object)
                + "个月（自"
                + date_text(ctx.unemployed_since)
                + "）"
            ).where(
                ~unknown,
                ctx.unknown_phrase("unemployment_date")
                + "，"
                + ctx.unknown_phrase("unemployment_registration_date"),
            )
            short = (from_registration & m.notna() & (m < need)).to_numpy(dtype=bool)
            text[short] = (
                text[short]
                + "，自失业登记起算不足，"
                + ctx.unknown_phrase("unemployment_date")[short]
            )
            if param:
                text = text + f"（参数：{need}个月）"
            return Said(
                text,
                {"unemployment_date": unknown | short, "unemployment_registration_date": unknown},
            )

        return verdict, text

    return test


def registered_months_before_employment(param: str):
    """Registered unemployed (失业登记日期) for the months of ``param`` before
    the 就业日期 (AH-2011 (七)2 “登记失业半年以上…从事个体经营”)."""

    def test(ctx):
        from calc.dates import span_reached_series

        need = int(ctx.param(param))
        reg = ctx.f["unemployment_registration_date"]
        start = ctx.f["employment_date"]
        verdict = span_reached_series(reg, need, start).where(start.notna())

        def text():
            out = (
                "失业登记"
                + date_text(reg)
                + "，就业"
                + date_text(start)
                + f"（需登记失业{need}个月以上）"
            )
            unknown = pd.Series("", index=ctx.index, dtype=object)
            no_reg = reg.isna().to_numpy(dtype=bool)
            named = _named(ctx, unknown, "unemployment_registration_date", no_reg)
            both = (reg.isna() & start.isna()).to_numpy()
            unknown[both] = unknown[both] + "，"
            no_start = start.isna().to_numpy(dtype=bool)
            unknown[no_start] = unknown[no_start] + ctx.unknown_phrase("employment_date")[no_start]
            merge(named, {"employment_date": no_start})
            return Said(out.where(reg.notna() & start.notna(), unknown), named)

        return verdict, text

    return test


def two_or_more_unemployed_in_household(ctx):
    """Two or more 下岗/失业 members: yes when two are known, no only when even
    the members of unknown status or age could not make two."""
    count, upper = ctx.household_unemployed_bounds
    verdict = (count >= 2).astype("boolean").where(count.notna())
    verdict = verdict.mask((verdict == False).fillna(False) & ~(upper < 2).fillna(False))  # noqa: E712

    def text():
        no_hid = count.isna().to_numpy(dtype=bool)
        text = (
            "户内下岗失业"
            + count.astype("Int64").astype("string").fillna("").astype(object)
            + "人（只计法定劳动年龄内、非在校学生的成员）"
        ).where(~no_hid, "无法判断户内失业人数：" + ctx.unknown_phrase("household_id"))
        open_ = (verdict.isna() & count.notna()).to_numpy(dtype=bool)
        why = ctx.household_unknown_text[open_]
        # members listed only on a family sheet are named by the household note instead
        text[open_] = text[open_] + np.where(
            why != "", "，另有成员不明（" + why + "）", "，另有成员就业状态或年龄不明"
        )
        named = {"household_id": no_hid}
        merge(named, ctx.household_unknown, open_)
        return Said(text, named)

    return verdict, text


def no_other_stable_income(ctx):
    value = ctx.f["other_stable_income"]
    verdict = (~value.astype("boolean")).astype("boolean")

    def text():
        text = pd.Series("有其他稳定收入", index=ctx.index, dtype=object)
        text[(value == False).fillna(False)] = "无其他稳定经济来源"  # noqa: E712
        return Said(text, _named(ctx, text, "other_stable_income", value.isna()))

    return verdict, text


def _divorced_or_widowed_now(text: str) -> bool | None:
    """JS-2002 二(二)“离异、丧偶”: the present status — "离异后再婚" is married."""
    t = text.strip()
    if not t:
        return None
    if any(w in t for w in ("再婚", "复婚", "已婚", "有配偶")):
        return False
    return ("离" in t) or ("丧偶" in t)


def single_parent_with_dependants(ctx):
    marital = ctx.f["marital_status"].astype(object)
    codes, uniques = pd.factorize(marital.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.array([_divorced_or_widowed_now(str(u)) for u in uniques] + [None], dtype=object)
    single = pd.Series(table[codes], index=ctx.index, dtype=object).astype("boolean")
    deps = ctx.f["supports_dependants"]
    verdict = single & deps.astype("boolean")

    def text():
        status = marital.copy()
        named = _named(ctx, status, "marital_status", marital.isna())
        dep_text = pd.Series("无抚养赡养负担", index=ctx.index, dtype=object)
        dep_text[deps.fillna(False).astype(bool)] = "抚养未成年子女或赡养老人"
        merge(named, _named(ctx, dep_text, "supports_dependants", deps.isna()))
        return Said(status + "，" + dep_text, named)

    return verdict, text


def low_skill(ctx):
    return _answer(ctx, "low_skill", "技能偏低", "技能不低")


def income_per_head_at_most_allowance(ctx):
    """JS-2002 二(四)“低于或只能达到”: exact to the fen — income ≤ standard × persons."""
    from decimal import Decimal

    standard = Decimal(str(ctx.param("城市居民最低生活保障标准")))
    standard_fen = int((standard * 100).to_integral_value())
    num, den = ctx.income_per_head_fen
    verdict = (num <= den * standard_fen).astype("boolean").where(num.notna() & den.notna())

    def text():
        derived = ctx.f["income_per_head"].isna()
        per_head = (num.astype("Float64") / den.astype("Float64") / 100).round(2)
        shown = per_head.astype("string").fillna("").astype(object)
        how = pd.Series("", index=ctx.index, dtype=object)
        how[derived.to_numpy()] = "（家庭月收入÷家庭人口）"
        known = (num.notna() & den.notna()).to_numpy(dtype=bool)
        unknown = pd.Series(ctx.unknown_phrase("income_per_head"), index=ctx.index, dtype=object)
        named = {"income_per_head": ~known}
        for name in ("household_income", "household_size"):
            rows = ctx.f[name].isna().to_numpy(dtype=bool)
            unknown[rows] = unknown[rows] + "，" + ctx.unknown_phrase(name)[rows]
            named[name] = rows & ~known
        text = ("家庭人均月收入" + shown + "元" + how + f"，低保标准{standard}元").where(
            known, unknown.astype(object)
        )
        return Said(text, named)

    return verdict, text


def flag(field: str, yes: str, no: str):
    def test(ctx):
        return _answer(ctx, field, yes, no)

    return test


def employment_type_in(*etypes: str):
    def test(ctx):
        et = ctx.f["etype"]
        status = ctx.f["status"]
        unknown = (status.isna() | ((status == "employed") & et.isna())).to_numpy(dtype=bool)
        verdict = et.isin(etypes).astype("boolean").mask(unknown)

        def text():
            text = "就业形式：" + et.map(EMPLOYMENT_TYPE_LABEL).astype(object).fillna(
                "未就业或不明"
            )
            return text

        return verdict, text

    return test


def contract_years_at_least(years: int):
    def test(ctx):
        c = ctx.f["contract_years"]
        verdict = (c >= years).astype("boolean").where(c.notna())

        def text():
            text = ("劳动合同" + c.astype("string").fillna("").astype(object) + "年").astype(object)
            return Said(text, _named(ctx, text, "contract_years", c.isna()))

        return verdict, text

    return test


def refused_posts_more_than(param: str):
    """More refusals than the pack's parameter (SX-2008 二(一)“超过3次”)."""

    def test(ctx):
        limit = int(ctx.param(param))
        n = ctx.f["refused_posts"]
        # A refusal is recorded when it happens: no record → none; unreadable → unknown.
        verdict = presumed_value(ctx, "refused_posts", (n > limit).astype("boolean"), False)

        def text():
            text = (
                "无正当理由拒绝岗位"
                + n.astype("Int64").astype("string").fillna("0").astype(object)
                + f"次（参数：超过{limit}次）"
            )
            return Said(text, _named(ctx, text, "refused_posts", verdict.isna()))

        return verdict, text

    return test


def no_report_for_more_than_months(param: str):
    """The last status report is more than the parameter's months before the
    assessment date (SX-2008 二(一)“超过半年”; 民法典第二百零二条)."""

    def test(ctx):
        from calc.dates import span_end_series

        months = int(ctx.param(param))
        last = ctx.f["last_report_date"]
        today = pd.Timestamp(ctx.as_of)
        verdict = (span_end_series(last, months) < today).astype("boolean").where(last.notna())
        # Unknown last report: the 失业登记 was itself a report, so a registration
        # within the span shows no lapse; otherwise unknown, never "reported".
        reg = ctx.f["unemployment_registration_date"]
        recent = (span_end_series(reg, months) >= today).fillna(False).to_numpy(dtype=bool)
        verdict = verdict.mask(last.isna().to_numpy() & recent, False)

        def text():
            out = ("最近申报" + date_text(last) + f"（参数：超过{months}个月未申报）").astype(
                object
            )
            return Said(out, _named(ctx, out, "last_report_date", last.isna()))

        return verdict, text

    return test


def gave_up(ctx):
    """A declaration recorded when made: no record → not given up; unreadable → unknown."""
    value = ctx.f["gave_up"]
    verdict = presumed_value(ctx, "gave_up", value, False)

    def text():
        out = ctx.const("本人自愿放弃就业要求")
        return Said(out, _named(ctx, out, "gave_up", verdict.isna()))

    return verdict, text


def annual_review_missed(ctx):
    """AH-2011 (六): review in Q1 every year; not attended → status cancelled.

    The last review due is the first quarter of this year once 31 March has
    passed, else that of last year: a person who missed last year's review stays
    cancelled during the next first quarter (a review already done in this
    year's first quarter shows the office kept the person).  Applies to persons
    first approved before the year of that review.
    """
    asof = pd.Timestamp(ctx.as_of)
    due_year = asof.year if asof.month > 3 else asof.year - 1
    first = ctx.f["first_approval_date"]
    review = ctx.f["annual_review_date"]
    # Three-valued: an unknown 初次核定日期 leaves "due" unknown, an
    # unknown 年审日期 (no column, blank or unreadable cell) leaves "done" unknown.
    due = (first.dt.year < due_year).astype("boolean").where(first.notna())
    in_q1 = review.dt.month <= 3
    done = in_q1 & (review.dt.year == due_year)
    if asof.month <= 3:
        done = done | (in_q1 & (review.dt.year == asof.year))
    done = done.astype("boolean").where(review.notna())
    verdict = due & ~done

    def text():
        text = ("最近年审" + date_text(review)).astype(object)
        no_review = (review.isna() & first.notna()).to_numpy(dtype=bool)
        text[no_review] = ctx.unknown_phrase("annual_review_date")[no_review]
        text = text + np.where(
            review.notna(), f"，{due_year}年第一季度未年审", f"，{due_year}年第一季度是否年审不明"
        )
        named = _named(ctx, text, "first_approval_date", first.isna())
        named["annual_review_date"] = no_review
        return Said(text, named)

    return verdict, text
