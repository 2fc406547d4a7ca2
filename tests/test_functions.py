"""The =JY_… functions called directly (as classic xlwings calls them) and
through xlwings' Office.js protocol (as xlwings Lite/Server call them).

Every expected value is worked out by hand from the sources cited (GB 11643
examples and check digits via tests/xlwings_helpers.check_char, the official
retirement table, the State Council holiday notice, the Civil Code month-end
rule), never taken from the functions' own output.
"""

from __future__ import annotations

import datetime as dt

import pytest
import xlwings_helpers

fn = xlwings_helpers.load("xl_addin.functions")

GB_EXAMPLE = "11010519491231002X"  # GB 11643-1999 example (check digit X)
GB_EXAMPLE_15 = "110105491231002"  # its first-generation 15-digit form
GB_EXAMPLE_2 = xlwings_helpers.make_id("440524", "19800101", "001")  # 17th digit 1: male


def d(y, m, day):
    return dt.datetime(y, m, day)


def test_reference_check_digits_are_the_published_ones():
    assert xlwings_helpers.check_char(GB_EXAMPLE[:17]) == "X"
    assert (
        xlwings_helpers.check_char("44052418800101001") == "4"
    )  # GB 11643-1999 example 440524188001010014


# ---------------------------------------------------------------------------
# identity numbers


class TestId:
    def test_normalises_text(self):
        assert fn.jy_id(" 110105 19491231 002x ") == GB_EXAMPLE
        assert fn.jy_id("１１０１０５１９４９１２３１００２ｘ") == GB_EXAMPLE

    def test_fifteen_digits_become_eighteen(self):
        assert fn.jy_id(GB_EXAMPLE_15) == GB_EXAMPLE
        assert fn.jy_id(float(GB_EXAMPLE_15)) == GB_EXAMPLE  # a number cell, 15 digits

    def test_column_in_column_out(self):
        bad = GB_EXAMPLE[:17] + "1"
        assert fn.jy_id([[GB_EXAMPLE_15], [None], [bad]]) == [
            [GB_EXAMPLE],
            [""],
            ["错误：身份证号码第18位应为X，实为1"],
        ]

    def test_bad_inputs(self):
        assert fn.jy_id("12345") == "错误：身份证号码应为18位或15位，实为5位"
        assert fn.jy_id(1.10105194912310e17).startswith("错误：身份证号码被Excel存成了数字")
        assert fn.jy_id(None) == ""

    def test_protocol(self):
        assert xlwings_helpers.call(fn, "jy_id", [[GB_EXAMPLE_15]]) == [[GB_EXAMPLE]]
        assert xlwings_helpers.call(fn, "jy_id", [["x"], [GB_EXAMPLE]]) == [
            ["错误：身份证号码应为18位或15位，实为1位"],
            [GB_EXAMPLE],
        ]


class TestIdCheck:
    def test_valid_is_empty(self):
        assert fn.jy_id_check(GB_EXAMPLE) == ""
        assert fn.jy_id_check(GB_EXAMPLE_2) == ""

    def test_reasons(self):
        body = "14010519800315024"
        wrong = "0" if xlwings_helpers.check_char(body) != "0" else "1"
        assert (
            fn.jy_id_check(body + wrong)
            == f"身份证号码第18位应为{xlwings_helpers.check_char(body)}，实为{wrong}"
        )
        assert fn.jy_id_check("990105198003150241") == "身份证号码前两位“99”不是省级行政区划代码"
        assert fn.jy_id_check(None) == "身份证号码为空"

    def test_protocol_row_range(self):
        # a horizontal range gives a horizontal answer
        assert xlwings_helpers.call(fn, "jy_id_check", [[GB_EXAMPLE, "1"]]) == [
            ["", "身份证号码应为18位或15位，实为1位"]
        ]


class TestIdBirthSex:
    def test_birth(self):
        assert fn.jy_id_birth(GB_EXAMPLE) == d(1949, 12, 31)
        assert fn.jy_id_birth(GB_EXAMPLE_2) == d(1980, 1, 1)
        assert (
            fn.jy_id_birth("440524188001010014") == "错误：身份证号码中的出生日期18800101早于1900年"
        )
        assert fn.jy_id_birth("1101051949123100").startswith("错误：")

    def test_birth_protocol_returns_real_dates(self):
        assert xlwings_helpers.call(fn, "jy_id_birth", GB_EXAMPLE) == [
            [xlwings_helpers.formatted(dt.date(1949, 12, 31))]
        ]
        # 1949-12-31 is serial 18263 (days since 1899-12-30)
        assert xlwings_helpers.serial(dt.date(1949, 12, 31)) == 18263.0

    def test_sex(self):
        assert fn.jy_id_sex(GB_EXAMPLE) == "女"  # 17th digit 2
        assert fn.jy_id_sex(GB_EXAMPLE_2) == "男"  # 17th digit 1
        assert fn.jy_id_sex([[GB_EXAMPLE], [GB_EXAMPLE_2]]) == [["女"], ["男"]]
        assert fn.jy_id_sex("abc") == "错误：身份证号码应为18位或15位，实为3位"


class TestMaskId:
    def test_default_pattern_hides_birth_date(self):
        assert fn.jy_mask_id(GB_EXAMPLE) == "110105********002X"
        assert fn.jy_mask_id(GB_EXAMPLE_15) == "110105********002X"

    def test_custom_pattern_and_column(self):
        assert fn.jy_mask_id([[GB_EXAMPLE], [GB_EXAMPLE_2]], "####**************") == [
            ["1101**************"],
            ["4405**************"],
        ]

    def test_bad(self):
        assert fn.jy_mask_id(GB_EXAMPLE, "###").startswith("错误：身份证号码遮蔽格式应为18个字符")
        assert fn.jy_mask_id("123").startswith("错误：身份证号码应为18位或15位")

    def test_protocol(self):
        assert xlwings_helpers.call(fn, "jy_mask_id", GB_EXAMPLE, None) == [["110105********002X"]]


# ---------------------------------------------------------------------------
# ages and retirement


class TestAge:
    @pytest.mark.parametrize(
        "birth",
        [
            dt.datetime(2000, 2, 29),  # classic xlwings
            xlwings_helpers.serial(dt.date(2000, 2, 29)),  # Lite / Server
            "2000-02-29",
            "2000年2月29日",
            "2000/2/29",
            [[xlwings_helpers.serial(dt.date(2000, 2, 29))]],
        ],
    )
    def test_every_shape_same_answer(self, birth):
        # born 29 Feb: 22 on 2023-02-28, 23 from 2023-03-01 (calc.dates.age_on)
        assert fn.jy_age(birth, xlwings_helpers.serial(dt.date(2023, 2, 28))) == 22
        assert fn.jy_age(birth, "2023-03-01") == 23

    def test_from_id_number(self):
        assert fn.jy_age(GB_EXAMPLE, dt.datetime(2019, 12, 30)) == 69
        assert fn.jy_age(GB_EXAMPLE, dt.datetime(2019, 12, 31)) == 70

    def test_column_with_mixed_inputs(self):
        column = [[GB_EXAMPLE], ["1980-03-15"], [None], ["1980-02-30"]]
        assert fn.jy_age(column, "2026-03-15") == [
            [76],
            [46],
            [""],
            ["错误：“1980-02-30”不是有效日期（1980年2月只有29天）"],
        ]

    def test_default_as_of_is_today(self):
        today = dt.date.today()
        born = dt.date(today.year - 30, 1, 1)
        assert fn.jy_age(born.isoformat()) == 30

    def test_bad(self):
        assert fn.jy_age("2000-01-01", "1999-01-01") == "错误：计算年龄的日期早于出生日期"
        assert fn.jy_age("昨天", "2020-01-01") == "错误：“昨天”无法识别为日期"

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn, "jy_age", [[xlwings_helpers.serial(dt.date(1980, 3, 15))], ["1990-07-01"]], 46203.0
        )
        # serial 46203 = 2026-06-30 (46023 = 2026-01-01, + 180 days)
        assert xlwings_helpers.serial(dt.date(2026, 6, 30)) == 46203.0
        assert got == [[46], [35]]


# The official table (国务院关于渐进式延迟法定退休年龄的办法 附件1–3):
RETIREMENT = [
    # birth, sex, original age, retirement age text, retirement date
    ("1964-12-31", "男", None, "60岁", dt.date(2024, 12, 31)),  # before the reform
    ("1965-01-15", "男", None, "60岁1个月", dt.date(2025, 2, 15)),  # 附件1 first row
    ("1965-05-15", "男", None, "60岁2个月", dt.date(2025, 7, 15)),
    ("1976-09-01", "男", 60, "63岁", dt.date(2039, 9, 1)),  # cap
    ("1970-01-10", "女", 55, "55岁1个月", dt.date(2025, 2, 10)),  # 附件2
    ("1975-01-10", "女", None, "50岁1个月", dt.date(2025, 2, 10)),  # 附件3 (default 50)
    ("1975-03-10", "女", 50, "50岁2个月", dt.date(2025, 5, 10)),
    ("1984-11-30", "女", 50, "55岁", dt.date(2039, 11, 30)),  # cap
]


class TestRetirement:
    @pytest.mark.parametrize("birth,sex,orig,text,date", RETIREMENT)
    def test_official_table(self, birth, sex, orig, text, date):
        assert fn.jy_retire_age(birth, sex, orig) == text
        assert fn.jy_retire_date(birth, sex, orig) == dt.datetime.combine(date, dt.time())

    def test_from_id_without_sex(self):
        # 张秀英 born 1980-03-15, woman worker: 附件3, (1980-1975)*12+2 = 62 months after
        # 1975-01 → 62//2+1 = 32 months delay → 52岁8个月 → 2032-11-15
        assert fn.jy_retire_age(xlwings_helpers.ID_ZHANG) == "52岁8个月"
        assert fn.jy_retire_date(xlwings_helpers.ID_ZHANG) == d(2032, 11, 15)
        # as a woman cadre (附件2): (1980-1970)*12+2 = 122 → 122//4+1 = 31 months → 57岁7个月
        assert fn.jy_retire_date(xlwings_helpers.ID_ZHANG, None, 55.0) == d(2037, 10, 15)
        assert fn.jy_retire_age(xlwings_helpers.ID_ZHANG, "女", 55.0) == "57岁7个月"

    def test_column_and_original_age_column(self):
        births = [["1965-01-15"], ["1970-01-10"]]
        assert fn.jy_retire_age(births, [["男"], ["女"]], [[60.0], [55.0]]) == [
            ["60岁1个月"],
            ["55岁1个月"],
        ]

    def test_bad(self):
        assert fn.jy_retire_date("1970-01-01") == "错误：性别为空（填出生日期时须同时填性别）"
        assert (
            fn.jy_retire_date("1970-01-01", "男", 55)
            == "错误：男职工的原法定退休年龄应为60周岁，实为55"
        )
        assert fn.jy_retire_age("1970-01-01", "未知") == "错误：性别应为“男”或“女”，实为“未知”"
        assert fn.jy_retire_age(GB_EXAMPLE, "男") == "错误：性别“男”与身份证号码（女）不一致"
        assert fn.jy_retire_age("1970-01-01", "男", [[60], [60]]).startswith(
            "错误：参数“original_age”的区域大小"
        )

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn, "jy_retire_date", [[xlwings_helpers.serial(dt.date(1965, 1, 15))]], "男", None
        )
        assert got == [[xlwings_helpers.formatted(dt.date(2025, 2, 15))]]
        assert xlwings_helpers.call(fn, "jy_retire_age", [[xlwings_helpers.ID_LI]], None, None) == [
            ["63岁"]
        ]


# ---------------------------------------------------------------------------
# working days, dates, money

# 国务院办公厅关于2025年部分节假日安排的通知: 春节 1月28日（农历除夕）至2月4日放假调休，
# 共8天；1月26日（周日）、2月8日（周六）上班.


class TestWorkday:
    def test_make_up_day_and_spring_festival(self):
        assert fn.jy_workday("2025-01-24", 1) == d(2025, 1, 26)  # Sunday make-up day
        assert fn.jy_workday(xlwings_helpers.serial(dt.date(2025, 1, 27)), 1.0) == d(2025, 2, 5)
        assert fn.jy_workday(dt.datetime(2025, 2, 5), -1) == d(2025, 1, 27)
        assert fn.jy_workday("2025-01-24", 0) == d(2025, 1, 24)

    def test_holiday_table_overrides(self):
        table = [["日期", "是否工作日"], ["2025-01-26", "休息"], [None, None]]
        assert fn.jy_workday("2025-01-24", 1, table) == d(2025, 1, 27)

    def test_column_and_days_column(self):
        assert fn.jy_workday([["2025-01-24"], ["2025-01-27"]], [[1.0], ["1"]]) == [
            [d(2025, 1, 26)],
            [d(2025, 2, 5)],
        ]

    def test_bad(self):
        assert fn.jy_workday("2025-01-24", 1.5) == "错误：工作日天数应为整数，实为“1.5”"
        assert fn.jy_workday("2025-13-01", 1) == "错误：“2025-13-01”不是有效日期（月份应为1–12）"
        assert fn.jy_workday("2025-01-24", 1, [["2025-01-26", "也许"]]).startswith(
            "错误：工作日调整表第1行"
        )

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn, "jy_workday", xlwings_helpers.serial(dt.date(2025, 1, 24)), 1.0, None
        )
        assert got == [[xlwings_helpers.formatted(dt.date(2025, 1, 26))]]
        # with the client's own date format
        got = xlwings_helpers.call(
            fn, "jy_workday", "2025-01-24", 1.0, None, date_format="yyyy/m/d"
        )
        assert got[0][0]["basicValue"] == xlwings_helpers.serial(dt.date(2025, 1, 26))


class TestDateCn:
    def test_shapes(self):
        assert fn.jy_date_cn(dt.datetime(2026, 11, 22)) == "2026年11月22日"
        assert fn.jy_date_cn(xlwings_helpers.serial(dt.date(2026, 1, 5))) == "2026年1月5日"
        assert fn.jy_date_cn("2026/1/5") == "2026年1月5日"
        assert fn.jy_date_cn([["2026-01-05", None]]) == [["2026年1月5日", ""]]

    def test_bad(self):
        assert (
            fn.jy_date_cn("2026年2月30日")
            == "错误：“2026年2月30日”不是有效日期（2026年2月只有28天）"
        )

    def test_protocol(self):
        assert xlwings_helpers.call(
            fn, "jy_date_cn", xlwings_helpers.serial(dt.date(2026, 11, 22))
        ) == [["2026年11月22日"]]


class TestRmb:
    def test_values(self):
        assert fn.jy_rmb(1000.0) == "人民币壹仟元整"
        assert fn.jy_rmb(1001) == "人民币壹仟零壹元整"
        assert fn.jy_rmb("1,234.50") == "人民币壹仟贰佰叁拾肆元伍角整"
        assert fn.jy_rmb([[800.0], [None]]) == [["人民币捌佰元整"], [""]]

    def test_bad(self):
        assert fn.jy_rmb(-5) == "错误：金额不能为负数，实为-5.00"
        assert fn.jy_rmb("abc") == "错误：金额应为数字，实为“abc”"

    def test_protocol(self):
        assert xlwings_helpers.call(fn, "jy_rmb", 2400.0) == [["人民币贰仟肆佰元整"]]


# ---------------------------------------------------------------------------
# policies and parameters


def test_policies_table():
    table = fn.jy_policies()
    assert table[0] == ["政策代码", "文件名称", "文号", "发布日期"]
    codes = [r[0] for r in table[1:]]
    assert codes == ["JS-2002", "SX-2008", "GS-2003", "LYG-2003", "AH-2011"]
    sx = table[2]
    assert sx[1] == "山西省人民政府办公厅关于做好就业困难人员就业援助工作的意见"
    assert sx[3] == d(2008, 5, 28)
    assert table[1][2] == "苏政办发〔2002〕44号"
    via = xlwings_helpers.call(fn, "jy_policies")
    assert via[2][3] == xlwings_helpers.formatted(dt.date(2008, 5, 28))


PARAMS = [
    ["名称", "数值", "生效日期", "依据"],
    ["补贴期限（年）", 2.0, xlwings_helpers.serial(dt.date(2020, 1, 1)), "某市人社局文件"],
    ["公益性岗位补贴月标准", "1000元", "2026-02-01", "某市人社局文件"],
]


class TestParam:
    def test_pack_default(self):
        # the packs ship 3 years as an (example) default
        assert fn.jy_param("SX-2008", "补贴期限（年）") == 3
        assert fn.jy_param("sx-2008", "公益性岗位补贴月标准", "2026-01-01") == 800

    def test_clerk_table_wins_from_its_date(self):
        assert fn.jy_param("SX-2008", "补贴期限（年）", "2021-06-01", PARAMS) == 2
        assert fn.jy_param("SX-2008", "公益性岗位补贴月标准", "2026-02-01", PARAMS) == 1000
        message = fn.jy_param("SX-2008", "公益性岗位补贴月标准", "2019-01-01", PARAMS)
        assert message.startswith("错误：参数“公益性岗位补贴月标准”在2019-01-01尚未生效")
        assert "2026-02-01" in message and "“参数”表" in message

    def test_bad(self):
        assert fn.jy_param("XX-1", "补贴期限（年）").startswith("错误：未知的政策代码“XX-1”")
        assert fn.jy_param("SX-2008", "不存在").startswith("错误：SX-2008 没有参数“不存在”")
        assert fn.jy_param("SX-2008", "补贴期限（年）", None, [["补贴期限（年）", 2]]).startswith(
            "错误：参数表区域应至少有4列"
        )

    def test_protocol(self):
        got = xlwings_helpers.call(fn, "jy_param", "SX-2008", "补贴期限（年）", 44197.0, PARAMS)
        assert got == [[2]]


# ---------------------------------------------------------------------------
# rows of a ledger

HEAD = [xlwings_helpers.HEADERS]
AS_OF = xlwings_helpers.serial(xlwings_helpers.AS_OF)


class TestRowFunctions:
    def test_one_row(self):
        zhang = [xlwings_helpers.ledger_rows()[0]]
        cat = fn.jy_category("SX-2008", HEAD, zhang, AS_OF)
        # woman, 46, former state-owned enterprise → SX-2008 一(一) "4050"
        assert "“4050”人员" in cat.split("、")
        assert fn.jy_eligible("SX-2008", HEAD, zhang, AS_OF) is True
        why = fn.jy_why("SX-2008", HEAD, zhang, AS_OF)
        assert why.startswith("结论：符合")
        assert "SX-2008 一(一)" in why

    def test_many_rows_household_aware(self):
        rows = xlwings_helpers.ledger_rows()
        # 李建国 (man, 35, collective) shares H002 with 王桂兰, who is employed:
        # not "4050", not zero-employment, 低保 否, not designated → not eligible.
        assert fn.jy_eligible("SX-2008", HEAD, rows, AS_OF) == [[True], [False], [True]]
        cats = fn.jy_category("SX-2008", HEAD, rows, AS_OF)
        assert cats[1] == [""]
        assert cats[2] == ["“4050”人员"]
        benefits = fn.jy_benefits("SX-2008", HEAD, rows, AS_OF)
        # 王桂兰 is in a public-welfare post: SX-2008 三(四) post subsidy
        assert "公益性岗位补贴" in benefits[2][0].split("、")
        assert benefits[1] == [""]

    def test_column_order_does_not_matter(self):
        order = list(reversed(range(len(xlwings_helpers.HEADERS))))
        heads = [[xlwings_helpers.HEADERS[i] for i in order]]
        rows = [[r[i] for i in order] for r in xlwings_helpers.ledger_rows()]
        assert fn.jy_eligible("SX-2008", heads, rows, AS_OF) == [[True], [False], [True]]

    def test_blank_rows_give_blank_cells(self):
        rows = xlwings_helpers.ledger_rows()
        rows.insert(1, [None] * len(xlwings_helpers.HEADERS))
        assert fn.jy_eligible("SX-2008", HEAD, rows, AS_OF) == [[True], [""], [False], [True]]

    def test_dates_in_every_shape_give_the_same_answer(self):
        base = xlwings_helpers.ledger_rows()[0]
        pos = xlwings_helpers.HEADERS.index("失业登记日期")
        answers = set()
        for value in (
            dt.datetime(2025, 1, 10),
            xlwings_helpers.serial(dt.date(2025, 1, 10)),
            "2025年1月10日",
        ):
            row = list(base)
            row[pos] = value
            answers.add(fn.jy_why("SX-2008", HEAD, [row], dt.datetime(2026, 6, 30)))
        assert len(answers) == 1

    def test_bad(self):
        rows = [xlwings_helpers.ledger_rows()[0]]
        assert fn.jy_category("SX-9", HEAD, rows).startswith("错误：未知的政策代码“SX-9”")
        assert fn.jy_category("SX-2008", [["甲", "乙"]], rows) == (
            "错误：表头中没有可识别的台账字段（如“姓名”“公民身份号码”“性别”）"
        )
        assert fn.jy_eligible("SX-2008", [xlwings_helpers.HEADERS[:3]], rows).startswith(
            "错误：数据行有21列，多于表头的3列"
        )
        assert fn.jy_benefits("SX-2008", HEAD, rows, "明天").startswith("错误：认定基准日期：")

    def test_protocol(self):
        rows = xlwings_helpers.ledger_rows()
        got = xlwings_helpers.call(fn, "jy_eligible", "SX-2008", HEAD, rows, AS_OF, None)
        assert got == [[True], [False], [True]]
        got = xlwings_helpers.call(fn, "jy_category", "SX-2008", HEAD, [rows[2]], AS_OF, None)
        assert got == [["“4050”人员"]]


class TestPeriodEnd:
    def test_near_retirement_until_retirement(self):
        # 王桂兰 born 1978-05-20, first approval 2024-11-01 (before 2025: old law, woman
        # worker 50 → retires 2028-05-20, less than 5 years after 2024-11-01):
        # SX-2008 三(四) extends to retirement, which is now (2025 reform, 50岁 + 21个月
        # for births 1978-05) 2030-02-20 → last day 2030-02-19.
        got = fn.jy_period_end(
            "SX-2008", "公益性岗位补贴", "2024-11-01", xlwings_helpers.ID_WANG, None, 50
        )
        assert got == d(2030, 2, 19)
        # without 原退休年龄 (50 or 55 decides it): asks for it
        got = fn.jy_period_end("SX-2008", "公益性岗位补贴", "2024-11-01", xlwings_helpers.ID_WANG)
        assert got.startswith("错误：台账未填“原退休年龄”")

    def test_local_period_with_parameter(self):
        # JS-2002 sets no period: 补贴期限（年） 3 (default) or 2 (clerk's table)
        assert fn.jy_period_end("JS-2002", "公益性岗位补贴", "2025-01-10", None) == d(2028, 1, 9)
        assert fn.jy_period_end(
            "JS-2002", "公益性岗位补贴", "2025-01-10", None, None, None, PARAMS
        ) == d(2027, 1, 9)

    def test_column(self):
        got = fn.jy_period_end("JS-2002", "公益性岗位补贴", [["2025-01-31"], [None], ["x"]], None)
        # 2025-01-31 + 3 years − 1 day
        assert got == [[d(2028, 1, 30)], [""], ["错误：初次核定日期：“x”无法识别为日期"]]

    def test_bad(self):
        assert fn.jy_period_end(
            "SX-2008", "免费公共就业服务", "2025-01-01", xlwings_helpers.ID_WANG
        ).startswith("错误：“免费公共就业服务”没有享受期限")
        assert fn.jy_period_end("SX-2008", "不存在", "2025-01-01", None).startswith(
            "错误：SX-2008 没有待遇“不存在”"
        )
        assert fn.jy_period_end("SX-2008", "公益性岗位补贴", "2025-01-01", "1970-01-01").startswith(
            "错误：缺出生日期或性别"
        )

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn,
            "jy_period_end",
            "SX-2008",
            "公益性岗位补贴",
            xlwings_helpers.serial(dt.date(2024, 11, 1)),
            xlwings_helpers.ID_WANG,
            None,
            50.0,
            None,
        )
        assert got == [[xlwings_helpers.formatted(dt.date(2030, 2, 19))]]


class TestSubsidy:
    def test_months_times_standard(self):
        wang = [xlwings_helpers.ledger_rows()[2]]
        # Jan–Mar 2026 inside the entitlement: 3 × 800 (pack default)
        assert (
            fn.jy_subsidy("SX-2008", "公益性岗位补贴", HEAD, wang, "2026-01-01", "2026-03-31")
            == 2400.0
        )
        # clerk's standards 900 from 2020 and 1000 from 2026-02-01: 900 + 1000 + 1000
        params = [*PARAMS, ["公益性岗位补贴月标准", 900, "2020-01-01", "某市人社局文件"]]
        assert (
            fn.jy_subsidy(
                "SX-2008", "公益性岗位补贴", HEAD, wang, "2026-01-01", "2026-03-31", params
            )
            == 2900.0
        )

    def test_not_entitled_is_zero(self):
        rows = xlwings_helpers.ledger_rows()
        got = fn.jy_subsidy("SX-2008", "公益性岗位补贴", HEAD, rows, "2026-01-01", "2026-03-31")
        assert got == [[0.0], [0.0], [2400.0]]

    def test_bad(self):
        wang = [xlwings_helpers.ledger_rows()[2]]
        assert (
            fn.jy_subsidy("SX-2008", "公益性岗位补贴", HEAD, wang, "2026-03-31", "2026-01-01")
            == "错误：起始日期2026-03-31晚于截止日期2026-01-01"
        )
        assert fn.jy_subsidy(
            "SX-2008", "免费公共就业服务", HEAD, wang, "2026-01-01", "2026-03-31"
        ).startswith("错误：“免费公共就业服务”不是按金额计发的补贴")

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn,
            "jy_subsidy",
            "SX-2008",
            "公益性岗位补贴",
            HEAD,
            [xlwings_helpers.ledger_rows()[2]],
            xlwings_helpers.serial(dt.date(2026, 1, 1)),
            xlwings_helpers.serial(dt.date(2026, 3, 31)),
            None,
        )
        assert got == [[2400.0]]


class TestDeadline:
    def test_month_end_rule(self):
        # SX-2008 四(一): one month; 2025-01-31 + 1 month = 2025-02-28 (民法典第二百零一条)
        assert fn.jy_deadline("SX-2008", "零就业家庭就业目标", "2025-01-31") == d(2025, 2, 28)
        # SX-2008 二(一): report within half a year
        assert fn.jy_deadline("SX-2008", "就业失业状况申报期限", "2026-05-01") == d(2026, 11, 1)

    def test_a_clause_number_amended_in_the_parameter_sheet_reaches_the_cell(self):
        # SX-2008 四(一) "一个月" is the parameter 零就业家庭就业时限（月）: the same answer as
        # the ledger run (calc.deadlines), also when the clerk's 参数 sheet changes it.
        table = [
            ["名称", "数值", "生效日期", "依据"],
            ["零就业家庭就业时限（月）", 2, "2020-01-01", "某市修订文件"],
        ]
        got = fn.jy_deadline("SX-2008", "零就业家庭就业目标", "2025-01-31", table)
        assert got == d(2025, 3, 31)

    def test_column(self):
        got = fn.jy_deadline("SX-2008", "零就业家庭就业目标", [["2024-01-31"], [None]])
        assert got == [[d(2024, 2, 29)], [""]]

    def test_bad(self):
        assert fn.jy_deadline("SX-2008", "不存在", "2025-01-01").startswith(
            "错误：SX-2008 没有时限事项“不存在”；可用：零就业家庭就业目标"
        )
        assert fn.jy_deadline("SX-2008", "零就业家庭就业目标", "2025-02-29") == (
            "错误：“2025-02-29”不是有效日期（2025年2月只有28天）"
        )

    def test_protocol(self):
        got = xlwings_helpers.call(
            fn,
            "jy_deadline",
            "SX-2008",
            "零就业家庭就业目标",
            xlwings_helpers.serial(dt.date(2025, 1, 31)),
        )
        assert got == [[xlwings_helpers.formatted(dt.date(2025, 2, 28))]]


class TestAssess:
    def test_table(self):
        table = [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()]
        out = fn.jy_assess("SX-2008", table, AS_OF)
        assert out[0] == [
            "认定类别",
            "认定结论",
            "是否符合",
            "可享受政策",
            "补贴期限截止",
            "时限提醒",
            "认定依据",
            "数据问题",
        ]
        assert len(out) == 4
        assert [r[1] for r in out[1:]] == ["符合", "不符合", "符合"]
        assert [r[2] for r in out[1:]] == [True, False, True]
        assert out[3][4] == d(2030, 2, 19)  # SX-2008 三(四), reformed retirement date
        # 张秀英: SX-2008 二(一) report deadline = last report 2026-05-01 + 6 months
        assert "就业失业状况申报期限：2026-11-01" in out[1][5]

    def test_blank_rows_stay_aligned(self):
        rows = xlwings_helpers.ledger_rows()
        table = [
            xlwings_helpers.HEADERS,
            rows[0],
            [None] * len(xlwings_helpers.HEADERS),
            rows[1],
            rows[2],
            [None] * 3,
        ]
        out = fn.jy_assess("SX-2008", table, AS_OF)
        assert len(out) == len(table)
        assert out[2] == [""] * 8 and out[5] == [""] * 8
        assert [r[2] for r in (out[1], out[3], out[4])] == [True, False, True]

    def test_data_problems_reported(self):
        rows = xlwings_helpers.ledger_rows()
        rows[0][2] = rows[0][2][:17] + ("0" if rows[0][2][17] != "0" else "1")
        out = fn.jy_assess("SX-2008", [xlwings_helpers.HEADERS, *rows], AS_OF)
        assert out[1][7].startswith("公民身份号码：身份证号码第18位应为")

    def test_bad(self):
        assert fn.jy_assess("SX-2008", [["甲"], ["乙"]]).startswith("错误：台账第一行应为表头")
        assert fn.jy_assess("", [xlwings_helpers.HEADERS]).startswith("错误：未填写政策代码")

    def test_protocol(self):
        table = [xlwings_helpers.HEADERS, *xlwings_helpers.ledger_rows()]
        out = xlwings_helpers.call(fn, "jy_assess", "SX-2008", table, AS_OF, None)
        assert len(out) == 4 and out[0][0] == "认定类别"
        assert out[3][4] == xlwings_helpers.formatted(dt.date(2030, 2, 19))
        assert out[2][4] == ""  # no period: an empty cell, not #NUM!


def test_internal_errors_are_chinese_text_not_tracebacks(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(fn.identity, "parse_ids", boom)
    assert fn.jy_id(GB_EXAMPLE) == "错误：内部错误（RuntimeError: boom）"
    assert xlwings_helpers.call(fn, "jy_id", GB_EXAMPLE) == [
        ["错误：内部错误（RuntimeError: boom）"]
    ]
