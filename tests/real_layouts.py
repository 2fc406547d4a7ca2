"""Ledgers laid out like the ones offices keep, filled with invented people.

Each builder writes one workbook whose layout — title and 机构名称 rows,
header texts (with their notes and line breaks), two-row headers, code
legends in 填表说明 rows, footers, sheet names — follows a public template
or system export named in its docstring.  The people are invented: names
from a fixed list, ID numbers with a valid GB 11643 check digit
(person_factory.make_id), households where the layout has them.

``CERTIFIED`` of each layout lists the people the ledger records as
certified (已认定): none of them may come out 不符合 for want of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from person_factory import make_id

AS_OF = dt.date(2026, 11, 1)


@dataclass
class Layout:
    """A built fixture: where it is, its policy, and what the tests expect of it."""

    path: Path
    policy: str
    people: int  # persons the ledger holds (footers, legends and sub-headers are not)
    certified: list[str]  # names the ledger records as certified
    source: str  # where the layout comes from
    expect: dict[str, object] = field(default_factory=dict)


def _id(year: int, month: int, day: int, sex: str, seq: int, region: str = "140105") -> str:
    return make_id(dt.date(year, month, day), sex, region=region, seq=seq)


def _title(ws, row: int, text: str, width: int, size: int = 16) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=size)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")


def _note(ws, row: int, text: str, width: int) -> None:
    ws.cell(row, 1, text).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _rows(ws, first: int, rows: list[list[object]]) -> int:
    for i, values in enumerate(rows):
        for j, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(first + i, j, v)
    return first + len(rows)


# --------------------------------------------------------------------------- 山西


def shanxi_difficulty_ledger(folder: Path) -> Layout:
    """就业困难人员管理台帐 of a 太原 community (山西).

    Columns and the nine category codes follow 《山西省就业困难人员认定情况表》
    (附件1 of 关于山西省就业困难人员认定管理办法的通知, as published at
    https://0477ly.com/newsdetail/news649507.html): 姓名 性别 身份证号 户籍所属社区（村）
    联系电话 健康状况 家庭人口 登记失业时间, 申请人员类别 □1.大龄失业人员 □2.低保人员
    □3.残疾失业人员 □4.城镇零就业家庭成员 □5.被征地农民 □6.就业困难的退役军人
    □7.长期失业人员 □8.就业困难高校毕业生 □9.设区的市人民政府确定的其他就业困难人员.
    Laid out as a community ledger: a title, a 机构名称 row, a two-row header
    with group labels, a 合计 row, the code legend in a 填表说明 row and a
    signature row.  It has no 户籍性质 column (the form has none).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "就业困难人员台帐"
    width = 12
    _title(ws, 1, "太原市小店区就业困难人员管理台帐", width)
    _note(ws, 2, "机构名称：太原市小店区坞城街道坞城社区", width)
    upper = [
        "序号",
        "基本情况",
        None,
        None,
        None,
        None,
        "家庭情况",
        None,
        "认定情况",
        None,
        None,
        "备注",
    ]
    lower = [None, "姓名", "性别", "身份证号", "户籍所属社区（村）", "联系电话", "健康状况", "家庭人口", "登记失业时间", "申请人员类别", "认定时间", None]  # fmt: skip
    _rows(ws, 3, [upper, lower])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:F3")
    ws.merge_cells("G3:H3")
    ws.merge_cells("I3:K3")
    ws.merge_cells("L3:L4")
    people = [
        [
            "王秀英",
            "女",
            _id(1980, 3, 12, "女", 31),
            "坞城社区",
            "13803510001",
            "良好",
            3,
            dt.date(2024, 5, 6),
            "1",
            dt.date(2024, 6, 20),
        ],  # fmt: skip
        [
            "李建国",
            "男",
            _id(1972, 8, 2, "男", 32),
            "坞城社区",
            "13803510002",
            "良好",
            4,
            dt.date(2023, 2, 14),
            "7",
            dt.date(2024, 3, 1),
        ],  # fmt: skip
        [
            "张桂兰",
            "女",
            _id(1985, 1, 30, "女", 33),
            "坞城社区",
            "13803510003",
            "一般",
            2,
            dt.date(2025, 1, 9),
            "2",
            dt.date(2025, 2, 13),
        ],  # fmt: skip
        [
            "刘伟",
            "男",
            _id(1990, 11, 5, "男", 34),
            "坞城社区",
            "13803510004",
            "良好",
            3,
            dt.date(2024, 9, 18),
            "4",
            dt.date(2024, 10, 30),
        ],  # fmt: skip
        [
            "陈玉梅",
            "女",
            _id(1978, 6, 21, "女", 35),
            "坞城社区",
            "13803510005",
            "良好",
            1,
            dt.date(2022, 7, 1),
            "9",
            dt.date(2022, 8, 15),
        ],  # fmt: skip
        [
            "杨志强",
            "男",
            _id(1995, 4, 17, "男", 36),
            "坞城社区",
            "13803510006",
            "良好",
            3,
            "#N/A",
            None,
            None,
        ],  # fmt: skip
        [
            "赵丽华",
            "女",
            _id(1988, 12, 3, "女", 37),
            "坞城社区",
            "13803510007",
            "良好",
            4,
            dt.date(2025, 3, 3),
            None,
            None,
        ],  # fmt: skip
    ]
    rows = [[i, *p, None] for i, p in enumerate(people, start=1)]
    end = _rows(ws, 5, rows)
    _rows(ws, end, [["合计", f"{len(people)}人"]])
    _note(ws, end + 1, "填表说明：1.申请人员类别：1.大龄失业人员 2.低保人员 3.残疾失业人员 4.城镇零就业家庭成员 5.被征地农民 6.就业困难的退役军人 7.长期失业人员 8.就业困难高校毕业生 9.设区的市人民政府确定的其他就业困难人员；2.日期按2024-01-01格式填写", width)  # fmt: skip
    _note(ws, end + 2, "填表人：孙丽        审核人：周强        填表日期：2026年10月30日", width)
    path = folder / "山西_就业困难人员管理台帐.xlsx"
    wb.save(path)
    # 杨志强's 登记失业时间 is an error value (a failed VLOOKUP pasted as #N/A).
    _error_cell(path, ws.title, "I10", "#N/A")
    return Layout(
        path,
        "SX-2008",
        len(people),
        ["王秀英", "李建国", "张桂兰", "刘伟", "陈玉梅"],
        "山西省就业困难人员认定情况表（0477ly.com/newsdetail/news649507.html）",
        {"street": "坞城街道", "legend": "certified_category", "bad_cell": ("杨志强", "#N/A")},
    )


def _error_cell(path: Path, sheet: str, ref: str, error: str) -> None:
    """Rewrite one cell of a saved workbook as a cached error value (t="e")."""
    import re
    import shutil
    import zipfile

    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                cell = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', re.S)
                new = f'<c r="{ref}" t="e"><f>VLOOKUP(D10,失业登记!A:C,3,0)</f><v>{error}</v></c>'
                assert cell.search(text), ref
                text = cell.sub(new, text, count=1)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    shutil.move(tmp, path)


# --------------------------------------------------------------------------- 吉林


def jilin_unemployed_ledger(folder: Path) -> Layout:
    """失业人员管理台帐 of a 长春 community (吉林).

    The category codes and their wording are those of 吉人社办字〔2010〕177号
    (吉林省人力资源和社会保障厅关于做好就业困难人员认定工作有关问题的通知, as
    published at https://www.3haojob.com/a/153716986638.html): 1、大龄失业人员
    2、城镇零就业家庭成员 3、抚养未成年子女的单亲家庭成员 4、享受城市居民最低生活保障人员
    5、残疾失业人员 6、连续失业一年以上人员 7、失地农民.  A one-row header with
    失业时间 / 失业登记时间 / 就业去向 / 再就业时间, dates typed as YYYYMMDD
    numbers and as 2024.01.15 text, √/× for 享受低保, a 合计 row and
    制表人 / 审核人 rows.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "失业人员台帐"
    head = ["序号", "姓名", "性别", "身份证号码", "文化程度", "户口性质", "家庭住址", "联系电话", "失业时间", "失业登记时间", "享受低保", "就业困难人员类别", "就业去向", "再就业时间", "备注"]  # fmt: skip
    width = len(head)
    _title(ws, 1, "长春市朝阳区南湖街道南湖社区失业人员管理台帐", width)
    _rows(ws, 2, [head])
    people = [
        [
            "孙淑珍",
            "女",
            _id(1979, 2, 8, "女", 41, "220104"),
            "初中",
            "城镇",
            "南湖社区3栋",
            "13904310001",
            20230110,
            20230118,
            "√",
            "1",
            "未就业",
            None,
        ],  # fmt: skip
        [
            "周国庆",
            "男",
            _id(1970, 10, 1, "男", 42, "220104"),
            "高中",
            "城镇",
            "南湖社区5栋",
            "13904310002",
            "2022.03.01",
            "2022.03.15",
            "×",
            "1",
            "未就业",
            None,
        ],  # fmt: skip
        [
            "吴敏",
            "女",
            _id(1986, 7, 19, "女", 43, "220104"),
            "大专",
            "城镇",
            "南湖社区8栋",
            "13904310003",
            20240601,
            20240605,
            "√",
            "4",
            "未就业",
            None,
        ],  # fmt: skip
        [
            "郑海涛",
            "男",
            _id(1992, 5, 23, "男", 44, "220104"),
            "本科",
            "城镇",
            "南湖社区2栋",
            "13904310004",
            20240301,
            20240308,
            "×",
            None,
            "灵活就业",
            20250610,
        ],  # fmt: skip
        [
            "冯小红",
            "女",
            _id(1983, 9, 9, "女", 45, "220104"),
            "初中",
            "农村",
            "南湖社区9栋",
            "13904310005",
            20250115,
            20250120,
            "×",
            None,
            "未就业",
            None,
        ],  # fmt: skip
    ]
    end = _rows(ws, 3, [[i, *p, None] for i, p in enumerate(people, start=1)])
    _rows(ws, end, [["合计", f"共{len(people)}人"]])
    _note(ws, end + 1, "说明：就业困难人员类别填代码：1、大龄失业人员 2、城镇零就业家庭成员 3、抚养未成年子女的单亲家庭成员 4、享受城市居民最低生活保障人员 5、残疾失业人员 6、连续失业一年以上人员 7、失地农民", width)  # fmt: skip
    _rows(ws, end + 2, [["制表人：", "李静", None, "审核人：", "王军", None, "制表日期：2026年10月28日"]])  # fmt: skip
    path = folder / "吉林_失业人员管理台帐.xlsx"
    wb.save(path)
    return Layout(
        path,
        "GS-2003",
        len(people),
        ["孙淑珍", "周国庆", "吴敏"],
        "吉人社办字〔2010〕177号 就业困难人员类别（www.3haojob.com/a/153716986638.html）",
        {"street": "南湖街道", "community": "南湖社区"},
    )


# --------------------------------------------------------------------------- 安徽


def anhui_import_template(folder: Path) -> Layout:
    """就业援助对象 import template (安徽 阳光就业 system).

    The 援助对象类型 values are the seven kinds of 就业援助对象 of AH-2011 as
    a 芜湖 district lists them (http://www.dgahdf.cn/area/wuhu/in8kcb.htm:
    国有企业下岗失业人员 … 零就业家庭成员 … 其他人员); 芜湖经开区 states that
    communities register the 就业援助对象 in 阳光就业网 (weda.wuhu.gov.cn
    /openness/public/6609411/32287691.html).  Laid out as an import template:
    a note row above the header, headers carrying "（必填）" and notes after
    line breaks, 性别 as 1/2, yes/no as 是/否/√/1/0.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入模板"
    head = [
        "姓名（必填）",
        "公民身份号码（必填）\n（18位）",
        "性别\n（1男 2女）",
        "户口性质（必填）",
        "是否登记失业人员（是/否）",
        "失业登记日期\n格式：2024-01-01",
        "援助对象类型（必填）",
        "认定时间（必填）",
        "原单位性质",
        "是否享受低保（是/否）",
        "所属街道（必填）",
        "所属社区（必填）",
        "联系电话",
    ]
    _note(ws, 1, "填写说明：带（必填）的列必须填写；日期格式为2024-01-01；援助对象类型按下拉选项填写；请勿修改表头", len(head))  # fmt: skip
    _rows(ws, 2, [head])
    people = [
        [
            "钱玉兰",
            _id(1978, 4, 4, "女", 51, "340202"),
            2,
            "城镇",
            "是",
            dt.date(2024, 2, 1),
            "大龄就业困难人员",
            dt.date(2024, 3, 5),
            "私营",
            "否",
            "镜湖街道",
            "范罗山社区",
            "13905530001",
        ],  # fmt: skip
        [
            "何志明",
            _id(1969, 12, 12, "男", 52, "340202"),
            1,
            "城镇",
            "√",
            None,
            "国有企业下岗失业人员",
            dt.date(2023, 5, 6),
            "国有",
            "0",
            "镜湖街道",
            "范罗山社区",
            "13905530002",
        ],  # fmt: skip
        [
            "林小燕",
            _id(1989, 3, 27, "女", 53, "340202"),
            2,
            "城镇",
            "1",
            dt.date(2025, 4, 10),
            "零就业家庭成员",
            dt.date(2025, 5, 1),
            "私营",
            "0",
            "镜湖街道",
            "范罗山社区",
            "13905530003",
        ],  # fmt: skip
        [
            "高峰",
            _id(1984, 8, 8, "男", 54, "340202"),
            1,
            "城镇",
            "是",
            dt.date(2023, 1, 3),
            "享受低保的长期失业人员",
            dt.date(2024, 2, 2),
            "私营",
            "是",
            "镜湖街道",
            "范罗山社区",
            "13905530004",
        ],  # fmt: skip
        [
            "罗娟",
            _id(1993, 6, 16, "女", 55, "340202"),
            2,
            "城镇",
            "否",
            None,
            None,
            None,
            "私营",
            "否",
            "镜湖街道",
            "范罗山社区",
            "13905530005",
        ],  # fmt: skip
    ]
    _rows(ws, 3, people)
    path = folder / "安徽_就业援助对象导入模板.xlsx"
    wb.save(path)
    return Layout(
        path,
        "AH-2011",
        len(people),
        ["钱玉兰", "何志明", "林小燕", "高峰"],
        "芜湖 就业援助对象（www.dgahdf.cn/area/wuhu/in8kcb.htm；weda.wuhu.gov.cn）",
        {"not_eligible": ["罗娟"]},
    )


def anhui_flexible_export(folder: Path) -> Layout:
    """灵活就业人员信息 one-sheet export (安徽).

    The columns follow what 萧县's 就业困难人员灵活就业社保补贴申领指南 asks for
    (https://www.ahxx.gov.cn/grassroots/6/155199711.html: 经认定的就业困难人员
    实现灵活就业并以个人身份参保): 证件号码, 就业形式, 就业时间, 就业困难人员类别,
    认定日期, 社保补贴开始年月 written as 202401 / 2024年1月; dates of birth as
    YYYYMMDD numbers; no 就业状态 column (就业形式 says it).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "灵活就业人员信息"
    head = ["序号", "姓名", "证件号码", "性别", "出生日期", "户籍类型", "就业形式", "就业时间", "就业困难人员类别", "认定日期", "补贴开始年月", "是否享受低保", "所属街道", "所属社区"]  # fmt: skip
    _rows(ws, 1, [head])
    people = [
        [
            "许桂芳",
            _id(1977, 5, 5, "女", 61, "341322"),
            "女",
            19770505,
            "城镇",
            "灵活就业",
            dt.date(2025, 3, 1),
            "大龄就业困难人员",
            dt.date(2025, 1, 10),
            202503,
            "否",
            "龙城镇",
            "城东社区",
        ],  # fmt: skip
        [
            "韩立军",
            _id(1971, 1, 15, "男", 62, "341322"),
            "男",
            19710115,
            "城镇",
            "灵活就业",
            dt.date(2024, 7, 1),
            "国有企业下岗失业人员",
            dt.date(2024, 5, 20),
            "2024年7月",
            "否",
            "龙城镇",
            "城东社区",
        ],  # fmt: skip
        [
            "唐静",
            _id(1990, 10, 10, "女", 63, "341322"),
            "女",
            19901010,
            "城镇",
            "灵活就业",
            dt.date(2025, 6, 1),
            "零就业家庭成员",
            dt.date(2025, 5, 8),
            202506,
            "否",
            "龙城镇",
            "城东社区",
        ],  # fmt: skip
    ]
    _rows(ws, 2, [[i, *p] for i, p in enumerate(people, start=1)])
    path = folder / "安徽_灵活就业人员信息.xlsx"
    wb.save(path)
    return Layout(
        path,
        "AH-2011",
        len(people),
        [p[0] for p in people],
        "萧县 就业困难人员灵活就业社保补贴申领指南（www.ahxx.gov.cn/grassroots/6/155199711.html）",
    )


# --------------------------------------------------------------------------- 困难职工档案


def hardship_worker_roster(folder: Path) -> Layout:
    """困难职工档案 roster (中华全国总工会 困难职工档案表), used by a 南京 street office.

    Headers as in 《困难职工档案表》 and its 填表说明 (m.wenku365.com/p-56060167.html;
    www.360docs.net/doc/607113032.html): "*" marks required items; 身份 is
    "在岗 / 下(待)岗 / 失(无)业", 户口类型 "非农业 / 农业", 婚姻状况 "已婚 / 离异 /
    丧偶"; the note row "注：打*号的项目为必填项目…" closes the table.  Its 困难类别
    (低保户 / 低保边缘户) is not a 就业困难 category: jyyz does not know the
    column, and the clerk maps it (or not) in 字段对照.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "困难职工档案"
    head = ["*职工编号", "*困难类别", "*姓名", "*性别", "*身份证号", "*婚姻状况", "*户口类型", "*家庭住址", "*身份", "是否单亲", "*家庭人口", "家庭月人均收入", "是否为零就业家庭", "家庭编号"]  # fmt: skip
    _title(ws, 1, "南京市玄武区梅园新村街道困难职工档案表", len(head))
    _rows(ws, 2, [head])
    people = [
        [
            "001",
            "低保户",
            "马红梅",
            "女",
            _id(1982, 2, 2, "女", 71, "320102"),
            "离异",
            "非农业",
            "长江路12号",
            "失(无)业",
            "是",
            2,
            380,
            "否",
            "NJ01",
        ],  # fmt: skip
        [
            "002",
            "低保边缘户",
            "朱建华",
            "男",
            _id(1973, 3, 3, "男", 72, "320102"),
            "已婚",
            "非农业",
            "长江路14号",
            "下(待)岗",
            "否",
            3,
            520,
            "否",
            "NJ02",
        ],  # fmt: skip
        [
            "003",
            "低保边缘户",
            "朱丽",
            "女",
            _id(1975, 4, 4, "女", 73, "320102"),
            "已婚",
            "非农业",
            "长江路14号",
            "失(无)业",
            "否",
            3,
            520,
            "否",
            "NJ02",
        ],  # fmt: skip
        [
            "004",
            "低保户",
            "胡斌",
            "男",
            _id(1987, 5, 5, "男", 74, "320102"),
            "未婚",
            "非农业",
            "长江路20号",
            "在岗",
            "否",
            1,
            900,
            "否",
            "NJ03",
        ],  # fmt: skip
    ]
    end = _rows(ws, 3, people)
    _note(ws, end, "注：打*号的项目为必填项目，上报时每张表格都必须加盖公章。", len(head))
    _note(ws, end + 1, "填表说明：1.困难类别：请填写“低保户”、“低保边缘户”或“意外致困户”。2.身份：请填写“在岗”、“下(待)岗”、“失(无)业”、“退休”。", len(head))  # fmt: skip
    path = folder / "困难职工档案表.xlsx"
    wb.save(path)
    return Layout(
        path,
        "JS-2002",
        len(people),
        [],
        "困难职工档案表及填报说明（m.wenku365.com/p-56060167.html）",
        {"street": "梅园新村街道"},
    )


# --------------------------------------------------------------------------- 江苏 system export


def jiangsu_query_export(folder: Path) -> Layout:
    """基础信息查询结果: a ten-sheet export of a provincial 就业创业管理系统 (江苏).

    扬州's 就业困难人员认定办法 describes the system's 就业困难人员认定模块 and its
    花名册 (husay.cn/c/11292620a2023.html); an export spreads one person's facts
    over sheets keyed by 证件号码: 人员基本信息, 失业登记信息, 就业困难人员认定信息,
    补贴信息, and others the assessment does not need.  The person sheet is
    not the first one.
    """
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "查询条件"
    _rows(first, 1, [["查询条件：行政区划=扬州市广陵区；人员类别=全部"], ["导出时间：2026-10-31 09:12:33"]])  # fmt: skip
    people = [
        ("蒋美华", _id(1978, 7, 7, "女", 81, "321002"), "女"),
        ("沈国强", _id(1971, 9, 9, "男", 82, "321002"), "男"),
        ("韦晓玲", _id(1988, 11, 11, "女", 83, "321002"), "女"),
        ("秦刚", _id(1994, 1, 21, "男", 84, "321002"), "男"),
    ]
    base = wb.create_sheet("人员基本信息")
    _rows(base, 1, [["个人姓名", "证件号码", "性别", "出生日期", "户籍性质", "联系电话", "现居住地址", "街道（乡镇）", "社区（村）", "家庭编号"]])  # fmt: skip
    _rows(base, 2, [[n, i, s, None, "城镇", f"1390514000{k}", "文昌路", "东关街道", "皮市街社区", f"YZ{k}"] for k, (n, i, s) in enumerate(people)])  # fmt: skip
    reg = wb.create_sheet("失业登记信息")
    _rows(reg, 1, [["姓名", "证件号码", "失业登记日期", "失业时间", "就业失业状态", "失业原因"]])
    _rows(reg, 2, [
        [people[0][0], people[0][1], dt.date(2024, 3, 1), dt.date(2024, 2, 20), "失业", "合同到期"],
        [people[1][0], people[1][1], dt.date(2023, 8, 1), dt.date(2023, 7, 1), "失业", "单位裁员"],
        [people[2][0], people[2][1], dt.date(2025, 2, 1), dt.date(2025, 1, 20), "失业", "辞职"],
        [people[3][0], people[3][1], dt.date(2025, 5, 5), dt.date(2025, 4, 30), "失业", "辞职"],
    ])  # fmt: skip
    cert = wb.create_sheet("就业困难人员认定信息")
    _rows(cert, 1, [["姓名", "证件号码", "就业困难人员类别", "认定时间", "认定机构"]])
    _rows(cert, 2, [
        [people[0][0], people[0][1], "大龄就业困难人员", dt.date(2024, 4, 10), "广陵区就业服务中心"],
        [people[1][0], people[1][1], "大龄就业困难人员", dt.date(2023, 9, 12), "广陵区就业服务中心"],
        [people[2][0], people[2][1], "低保家庭成员", dt.date(2025, 3, 1), "广陵区就业服务中心"],
    ])  # fmt: skip
    sub = wb.create_sheet("补贴信息")
    _rows(sub, 1, [["姓名", "证件号码", "补贴类型", "补贴开始年月", "补贴结束年月", "月补贴金额"]])
    _rows(sub, 2, [[people[0][0], people[0][1], "社会保险补贴", 202405, "2027.04", 900]])
    for name in ("就业登记信息", "求职登记信息", "培训信息", "职业介绍信息", "创业信息"):
        s = wb.create_sheet(name)
        _rows(s, 1, [["姓名", "证件号码", "登记日期", "经办机构"]])
    path = folder / "江苏_基础信息查询结果.xlsx"
    wb.save(path)
    return Layout(
        path,
        "JS-2002",
        len(people),
        [people[0][0], people[1][0], people[2][0]],
        "扬州 就业创业管理系统 就业困难人员认定模块（husay.cn/c/11292620a2023.html）",
        {"sheet": "人员基本信息", "joined": "失业登记信息"},
    )


# --------------------------------------------------------------------------- 公益岗位 and 家属


def public_post_export(folder: Path) -> Layout:
    """公益岗位人员信息 export (山西): who holds a public-welfare post, since when, on what contract.

    Columns after the 用人单位公益性岗位补贴花名册 that units file with a 公益性岗位
    补贴 application (泉州, www.sichuandengbao.com/news/news-show.php?id=670:
    人员名单, 居民身份证, 就业创业证, 工资明细): 社会保障号码 as the ID, 用人单位,
    岗位名称, 上岗时间, 合同期限 as "3年" / "36个月" / "无固定期限".
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公益岗位人员信息"
    head = ["序号", "姓名", "社会保障号码", "性别", "户籍性质", "用人单位", "岗位名称", "上岗时间", "合同期限", "困难人员类别", "认定时间", "失业登记日期", "所属街道", "所属社区"]  # fmt: skip
    _rows(ws, 1, [head])
    people = [
        [
            "董秀兰",
            _id(1976, 1, 6, "女", 91),
            "女",
            "城镇",
            "坞城街道办事处",
            "保洁",
            dt.date(2025, 1, 1),
            "3年",
            "大龄失业人员",
            dt.date(2024, 11, 1),
            dt.date(2024, 9, 1),
            "坞城街道",
            "坞城社区",
        ],  # fmt: skip
        [
            "袁卫东",
            _id(1970, 6, 6, "男", 92),
            "男",
            "城镇",
            "坞城街道办事处",
            "治安协管",
            dt.date(2024, 6, 1),
            "36个月",
            "大龄失业人员",
            dt.date(2024, 4, 1),
            dt.date(2024, 2, 1),
            "坞城街道",
            "坞城社区",
        ],  # fmt: skip
        [
            "邓丽",
            _id(1986, 8, 18, "女", 93),
            "女",
            "城镇",
            "坞城社区居委会",
            "社区协管",
            dt.date(2025, 7, 1),
            "无固定期限",
            "长期失业人员",
            dt.date(2025, 5, 5),
            dt.date(2024, 3, 3),
            "坞城街道",
            "坞城社区",
        ],  # fmt: skip
    ]
    _rows(ws, 2, [[i, *p] for i, p in enumerate(people, start=1)])
    path = folder / "山西_公益岗位人员信息.xlsx"
    wb.save(path)
    return Layout(
        path,
        "SX-2008",
        len(people),
        [p[0] for p in people],
        "公益性岗位补贴花名册（www.sichuandengbao.com/news/news-show.php?id=670）",
    )


def family_members_export(folder: Path) -> Layout:
    """就业困难人员信息 with a 家属信息 sheet keyed by 户主公民身份号码 (山西).

    The 家庭人员基本情况 block of 《山西省就业困难人员认定情况表》 (姓名 性别 身份证号
    与本人关系 目前状况, 0477ly.com/newsdetail/news649507.html) exported as a
    second sheet, one row per family member with the head's ID number; the
    person sheet has no household column: the households come from the
    家属信息 sheet, joined by the members' ID numbers (家属公民身份号码).  As in
    the family block of 低保 forms (湘潭 城市居民最低生活保障金申请审批表, 身份类别
    在职职工 / 下岗职工 / 失业人员 / 中专以上学生, m.wenke99.com/p-542725.html),
    the sheet lists members who are not in the ledger at all: a student, a
    spouse in work, a son whose 目前状况 the clerk left blank, a daughter whose
    status reads “见附件”.  Those decide the household tests (``expect``).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "就业困难人员信息"
    head_a = _id(1979, 9, 19, "男", 95)
    wife_a = _id(1981, 10, 20, "女", 96)
    head_b = _id(1975, 2, 25, "男", 97)
    head_c = _id(1978, 3, 3, "男", 81)  # wife unemployed, only on 家属信息
    head_d = _id(1972, 7, 7, "男", 83)  # wife in work, only on 家属信息
    head_e = _id(1980, 4, 4, "男", 86)  # son's status blank on 家属信息
    _rows(ws, 1, [["姓名", "公民身份号码", "性别", "户籍性质", "与户主关系", "就业状态", "失业登记日期", "就业困难人员类型", "认定时间", "所属街道", "所属社区"]])  # fmt: skip
    _rows(ws, 2, [
        ["田志刚", head_a, "男", "城镇", "户主", "失业", dt.date(2024, 1, 5), "城镇零就业家庭成员", dt.date(2024, 3, 1), "坞城街道", "坞城社区"],  # fmt: skip
        ["潘春燕", wife_a, "女", "城镇", "配偶", "失业", dt.date(2024, 1, 8), "城镇零就业家庭成员", dt.date(2024, 3, 1), "坞城街道", "坞城社区"],  # fmt: skip
        ["谢国华", head_b, "男", "城镇", "户主", "失业", dt.date(2023, 4, 4), None, None, "坞城街道", "坞城社区"],  # fmt: skip
        ["韩建军", head_c, "男", "城镇", "户主", "失业", dt.date(2025, 2, 1), None, None, "坞城街道", "坞城社区"],  # fmt: skip
        ["冯德明", head_d, "男", "城镇", "户主", "失业", dt.date(2025, 3, 1), None, None, "坞城街道", "坞城社区"],  # fmt: skip
        ["邱志强", head_e, "男", "城镇", "户主", "失业", dt.date(2025, 4, 1), None, None, "坞城街道", "坞城社区"],  # fmt: skip
    ])  # fmt: skip
    fam = wb.create_sheet("家属信息")
    _rows(fam, 1, [["户主公民身份号码", "家属姓名", "家属公民身份号码", "与户主关系", "就业状态"]])
    _rows(fam, 2, [
        [head_a, "潘春燕", wife_a, "配偶", "失业"],
        [head_b, "谢小军", _id(2008, 5, 5, "男", 98), "子", "在校学生"],
        [head_c, "韩建军", head_c, "本人", "失业"],  # the head himself, also in the ledger
        [head_c, "曹丽萍", _id(1982, 6, 6, "女", 82), "配偶", "失业"],
        [head_d, "蒋素珍", _id(1976, 8, 8, "女", 84), "配偶", "在岗"],
        [head_d, "冯佳", _id(2001, 1, 1, "女", 85), "女", "见附件"],
        [head_e, "邱雨", _id(2000, 2, 2, "男", 87), "子", None],
    ])  # fmt: skip
    path = folder / "山西_就业困难人员信息_家属信息.xlsx"
    wb.save(path)
    return Layout(
        path,
        "SX-2008",
        6,
        ["田志刚", "潘春燕"],
        "山西省就业困难人员认定情况表 家庭人员基本情况（0477ly.com/newsdetail/news649507.html）",
        {
            "households": {
                "田志刚": head_a,
                "潘春燕": head_a,
                "谢国华": head_b,
                "韩建军": head_c,
                "冯德明": head_d,
                "邱志强": head_e,
            },
            # members on 家属信息 only: never persons of the ledger
            "members_only": ["谢小军", "曹丽萍", "蒋素珍", "冯佳", "邱雨"],
        },
    )


BUILDERS: tuple[Callable[[Path], Layout], ...] = (
    shanxi_difficulty_ledger,
    jilin_unemployed_ledger,
    anhui_import_template,
    anhui_flexible_export,
    hardship_worker_roster,
    jiangsu_query_export,
    public_post_export,
    family_members_export,
)


# --------------------------------------------------------------------------- third reading


def guangdong_subsidy_export(folder: Path) -> Layout:
    """灵活就业社保补贴申领人员 list exported from a 广东 web system (汕尾).

    The facts each row carries follow the 汕尾 公示 of 灵活就业社保补贴
    (swhqglq.gov.cn/swhqglq/zwxx/zfgg/bmgg/content/post_1072645.html: 认定情形属大龄失业人员,
    就业困难人员认定 date, 申领补贴时段 “2023年7月至2023年12月”, 申领补贴金额 3318.4).
    As a list page of a web system pasted into Excel it carries a pager line
    (“共 9 条记录 第 1 页/共 1 页”), stray numbers right of the table (a column sum
    typed beside it), one person entered twice (two applications), a 认定时间
    written to the month (“2023.05”), the period in one cell, amounts with
    thousands separators and 元, and “—” for none.  Its 困难类型 column lists the
    household's needs (生活、医疗 …, as the 可多选 need items of the 残疾人登记表,
    360docs.net/doc/7811860459.html) — not the certified category.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申领人员"
    head = ["序号", "姓名", "性别", "身份证号码", "户籍地", "困难类型", "认定情形", "认定时间", "就业形式", "申领补贴时段", "申领补贴金额", "所属社区"]  # fmt: skip
    _rows(ws, 1, [head])
    a = _id(1972, 4, 4, "男", 11, "441502")
    b = _id(1981, 6, 6, "女", 12, "441502")
    c = _id(1970, 1, 9, "男", 13, "441502")
    d = _id(1975, 3, 3, "女", 14, "441502")
    rows = [
        [
            1,
            "何德权",
            "男",
            a,
            "广东省汕尾市城区",
            "生活,医疗",
            "大龄失业人员",
            "2023.05",
            "灵活就业",
            "2023.07-2023.12",
            "3,318.40元",
            "香洲社区",
        ],  # fmt: skip
        [
            2,
            "林美华",
            "女",
            b,
            "广东省汕尾市城区",
            "就学",
            "城镇零就业家庭成员",
            "2023.06",
            "灵活就业",
            "2023年7月至2023年12月",
            "1,305.60元",
            "香洲社区",
        ],  # fmt: skip
        [
            3,
            "陈永强",
            "男",
            c,
            "广东省汕尾市城区",
            "生活,住房",
            "大龄失业人员",
            dt.date(2023, 3, 8),
            "灵活就业",
            "2023.01-2023.06",
            "—",
            "新港社区",
        ],  # fmt: skip
        [
            4,
            "黄秀琴",
            "女",
            d,
            "广东省汕尾市城区",
            "医疗",
            "长期失业人员",
            "2023.04",
            "灵活就业",
            "2023.07-2023.12",
            "2,400.00元",
            "新港社区",
        ],  # fmt: skip
        [
            5,
            "何德权",
            "男",
            a,
            "广东省汕尾市城区",
            "生活,医疗",
            "大龄失业人员",
            "2023.05",
            "灵活就业",
            "2024.01-2024.06",
            "3,318.40元",
            "香洲社区",
        ],  # fmt: skip
    ]
    _rows(ws, 2, rows)
    ws.cell(7, 11, 10342.4)  # stray numbers below the table: a sum typed under 金额
    ws.cell(7, 14, 5)
    ws.cell(8, 1, "共 5 条记录  第 1 页/共 1 页")
    path = folder / "广东_灵活就业社保补贴申领人员.xlsx"
    wb.save(path)
    return Layout(
        path,
        "AH-2011",
        5,
        ["何德权", "林美华", "陈永强", "黄秀琴"],
        "汕尾 灵活就业社保补贴公示（swhqglq.gov.cn）",
        {"duplicate": ("何德权", 2, 6), "pager_row": 8, "stray_rows": [7]},
    )


def neimenggu_category_roster(folder: Path) -> Layout:
    """就业困难人员花名册 of an 内蒙古 community, categories under other headers.

    Category words as the public lists give them (大龄失业人员、城镇“零就业家庭”人员、
    残疾人员, eduyt.com/jiuyeshichang/88213.html) written under 人员类别 — a header
    jyyz reads as 人员身份 (下岗/失业) — with no 认定时间 column: the ledger records
    them as certified without a date.  A √ column headed “4050”人员 marks the 4050
    people, as the checkbox items of 登记表 do (困境儿童信息登记表 “留守儿童( √)”,
    doczj.com/doc/e715894394.html).  社区 is on the line under the title
    (“社区：南华社区”).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    width = 9
    _title(ws, 1, "呼和浩特市新城区就业困难人员花名册", width)
    _note(ws, 2, "社区：南华社区", width)
    head = ["序号", "姓名", "性别", "公民身份号码", "户籍性质", "就业状态", "失业登记日期", "人员类别", "“4050”人员"]  # fmt: skip
    _rows(ws, 3, [head])
    people = [
        [
            1,
            "乌云娜",
            "女",
            _id(1979, 5, 5, "女", 21, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 2, 1),
            "大龄失业人员",
            "√",
        ],  # fmt: skip
        [
            2,
            "巴特尔",
            "男",
            _id(1990, 7, 7, "男", 22, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 3, 1),
            "城镇零就业家庭成员",
            None,
        ],  # fmt: skip
        [
            3,
            "张丽娟",
            "女",
            _id(1985, 8, 8, "女", 23, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 4, 1),
            "残疾人员",
            None,
        ],  # fmt: skip
        [
            4,
            "王海军",
            "男",
            _id(1973, 9, 9, "男", 24, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 5, 1),
            "大龄失业人员",
            "√",
        ],  # fmt: skip
    ]
    _rows(ws, 4, people)
    path = folder / "内蒙古_就业困难人员花名册.xlsx"
    wb.save(path)
    return Layout(
        path,
        "AH-2011",
        4,
        ["乌云娜", "巴特尔", "张丽娟", "王海军"],
        "大龄失业人员、城镇零就业家庭人员（eduyt.com）",
    )


def neimenggu_coded_export(folder: Path) -> Layout:
    """就业援助对象 export of an 内蒙古 system with letter codes and a code table.

    System exports write categories as codes of a code table (代码 | 名称), as the
    code tables of 公共就业服务指标体系 (人力资源和社会保障部 2018, 数据库(表)结构与代码,
    renrendoc.com/paper/301005254.html) do; the table is pasted under the data.
    The codes here are the office's own (DS01 大龄失业人员 … DS08 其他).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "援助对象"
    _rows(ws, 1, [["姓名", "公民身份号码", "户籍性质", "就业状态", "失业登记日期", "援助对象类别", "认定日期"]])  # fmt: skip
    people = [
        [
            "那仁花",
            _id(1978, 2, 2, "女", 51, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 1, 2),
            "DS01",
            dt.date(2024, 3, 1),
        ],  # fmt: skip
        [
            "额尔敦",
            _id(1988, 3, 3, "男", 52, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 1, 3),
            "DS03",
            dt.date(2024, 3, 2),
        ],  # fmt: skip
        [
            "李春梅",
            _id(1986, 4, 4, "女", 53, "150102"),
            "城镇",
            "失业",
            dt.date(2024, 1, 4),
            "DS02",
            dt.date(2024, 3, 3),
        ],  # fmt: skip
    ]
    _rows(ws, 2, people)
    legend = [["代码", "名称"], ["DS01", "大龄失业人员"], ["DS02", "残疾人员"], ["DS03", "城镇零就业家庭成员"], ["DS04", "低保人员"], ["DS08", "其他就业困难人员"]]  # fmt: skip
    _rows(ws, 7, legend)
    path = folder / "内蒙古_援助对象_编码.xlsx"
    wb.save(path)
    return Layout(
        path,
        "AH-2011",
        3,
        ["那仁花", "额尔敦", "李春梅"],
        "公共就业服务指标体系 代码表（renrendoc.com/paper/301005254.html）",
        {"categories": {"那仁花": "大龄", "额尔敦": "零就业", "李春梅": "残疾"}},
    )


def shanxi_without_province(folder: Path, declared: bool = False) -> Layout:
    """The 山西 ledger (0477ly.com/newsdetail/news649507.html) with 户籍地 written as
    “太原市小店区” — the province left out — or, with ``declared``, without a 户籍地
    column and a 设置 sheet declaring “户籍均在本省 | 是”."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    head = ["姓名", "公民身份号码", "户籍性质", "就业状态", "失业登记日期", "享受低保"]
    if not declared:
        head.insert(2, "户籍地")
    _rows(ws, 1, [head])
    places = ["太原市小店区", "杏花岭区", "太原市迎泽区"]
    for i, place in enumerate(places):
        row = ["王丽", _id(1985, 5, 5 + i, "女", 61 + i), "城镇", "失业", dt.date(2024, 6, 1), "是"]
        row[0] = ["王丽", "赵敏", "孙燕"][i]
        if not declared:
            row.insert(2, place)
        ws.append(row)
    if declared:
        st = wb.create_sheet("设置")
        _rows(
            st, 1, [["政策代码", "SX-2008"], ["户籍均在本省", "是"], ["联系电话", "0351-1234567"]]
        )
    path = folder / ("山西_户籍均在本省.xlsx" if declared else "山西_户籍地无省名.xlsx")
    wb.save(path)
    return Layout(path, "SX-2008", 3, [], "山西省就业困难人员认定情况表（0477ly.com）")


def family_only_export(folder: Path) -> Layout:
    """Only the 家属信息 sheet of the 山西 form's 家庭人员基本情况 block
    (0477ly.com/newsdetail/news649507.html): 户主公民身份号码 家属姓名 家属公民身份号码
    与户主关系 就业状态 — no person ledger beside it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "家属信息"
    head_a = _id(1979, 9, 19, "男", 71)
    head_b = _id(1975, 2, 25, "男", 73)
    _rows(ws, 1, [["户主公民身份号码", "家属姓名", "家属公民身份号码", "与户主关系", "就业状态", "户籍性质"]])  # fmt: skip
    _rows(ws, 2, [
        [head_a, "田志刚", head_a, "户主", "失业", "城镇"],
        [head_a, "潘春燕", _id(1981, 10, 20, "女", 72), "配偶", "失业", "城镇"],
        [head_b, "谢国华", head_b, "户主", "失业", "城镇"],
        [head_b, "蒋素珍", _id(1976, 8, 8, "女", 74), "配偶", "在岗", "城镇"],
    ])  # fmt: skip
    path = folder / "山西_家属信息导出.xlsx"
    wb.save(path)
    return Layout(
        path, "SX-2008", 4, [], "山西省就业困难人员认定情况表 家庭人员基本情况（0477ly.com）"
    )


def shandong_application_with_family(folder: Path) -> Layout:
    """“4050” application list of a 山东 street office, the family side by side.

    An application form's family block (朔州市就业困难人员认定申请表: 零就业家庭成员
    need every working-age member's status, zxweld.com/zwgk/…/t20211209_371319;
    the member table 姓名 | 与本人关系 | 是否失业 of chnweiyu.com/bzawd/202509/627698.html)
    exported one applicant per row: 申请人姓名 | 申请人身份证号 | 配偶姓名 |
    配偶身份证号码 | 配偶就业状况 | 子女姓名 | 子女身份证号 | 子女就业状况.  Two-row
    header: 序号 and 备注 merged over both rows, a column nobody maps (特长) merged too.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申请人员"
    upper = ["序号", "申请人情况", None, None, None, None, "配偶情况", None, None, "子女情况", None, None, "特长"]  # fmt: skip
    lower = [None, "申请人姓名", "申请人身份证号", "户籍性质", "就业状态", "失业登记日期", "配偶姓名", "配偶身份证号码", "配偶就业状况", "子女姓名", "子女身份证号", "子女就业状况", None]  # fmt: skip
    _rows(ws, 1, [upper, lower])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:F1")
    ws.merge_cells("G1:I1")
    ws.merge_cells("J1:L1")
    ws.merge_cells("M1:M2")
    a = _id(1972, 3, 3, "男", 91, "370102")
    b = _id(1974, 4, 4, "男", 92, "370102")
    _rows(ws, 3, [
        [1, "孙建华", a, "城镇", "失业", dt.date(2024, 5, 1), "刘桂芝", _id(1975, 6, 6, "女", 93, "370102"), "失业", "孙磊", _id(1998, 7, 7, "男", 94, "370102"), "失业", "电工"],  # fmt: skip
        [2, "周国庆", b, "城镇", "失业", dt.date(2024, 6, 1), "吴秀兰", _id(1976, 8, 8, "女", 95, "370102"), "在岗", None, None, None, "驾驶"],  # fmt: skip
    ])  # fmt: skip
    path = folder / "山东_4050申请人员_家庭成员.xlsx"
    wb.save(path)
    return Layout(path, "SX-2008", 2, [], "朔州市就业困难人员认定申请表（zxweld.com）")


THIRD_READING: tuple[Callable[[Path], Layout], ...] = (
    guangdong_subsidy_export,
    neimenggu_category_roster,
    neimenggu_coded_export,
    shanxi_without_province,
    family_only_export,
    shandong_application_with_family,
)
