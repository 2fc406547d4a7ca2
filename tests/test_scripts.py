"""One-click scripts run through xlwings.server.custom_scripts_call on a book payload
(what xlwings Lite / Server send), reading the workbook like ``jyyz`` does."""

from __future__ import annotations

import os

import pytest
import xlwings_helpers

sc = xlwings_helpers.load("xl_addin.scripts")

SETTINGS = (
    "设置",
    [["政策代码", "SX-2008"], ["认定基准日期", xlwings_helpers.serial(xlwings_helpers.AS_OF)]],
)
WIDTH = len(xlwings_helpers.HEADERS)  # the result columns start right of the ledger (0-based WIDTH)


def wang_not_yet_certified() -> list[list]:
    """The ledger with 王桂兰 awaiting certification (no 初次核定日期): a 拟认定 notice lists her."""
    rows = xlwings_helpers.ledger_rows()
    col = xlwings_helpers.HEADERS.index("初次核定日期")
    for row in rows:
        if row[1] == "王桂兰":
            row[col] = None
    return rows


def book(rows=None, selection="A1", extra=(), settings=SETTINGS, headers=None):
    ledger = [
        headers or xlwings_helpers.HEADERS,
        *(xlwings_helpers.ledger_rows() if rows is None else rows),
    ]
    sheets = [("台账", ledger), *([settings] if settings else []), *extra]
    return xlwings_helpers.book_json(sheets, selection=selection)


def actions(result):
    return result.json()["actions"]


def cells(result, sheet_position=0):
    """(Excel row, 0-based column) → value written by setValues on one sheet."""
    out = {}
    for a in actions(result):
        if a["func"] != "setValues" or a["sheet_position"] != sheet_position:
            continue
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                out[(a["start_row"] + i + 1, a["start_column"] + j)] = v
    return out


def column(written, col, rows):
    return [written.get((r, col)) for r in rows]


def last_report(result):
    return [a for a in actions(result) if a["func"] == "setValues"][-1]["values"]


class TestFillColumns:
    def test_writes_result_columns_right_of_the_ledger(self):
        written = cells(xlwings_helpers.run_script(sc, "jy_fill_columns", book()))
        assert column(written, WIDTH, [1]) == ["认定类别"]
        assert column(written, WIDTH + 1, [1, 2, 3, 4]) == ["认定结论", "符合", "不符合", "符合"]
        assert column(written, WIDTH + 2, [1, 2, 3, 4]) == ["是否符合", "是", "否", "是"]
        # 王桂兰: SX-2008 三(四) until the day before retirement (old law for the 5-year test, 2025 reform for the date)
        assert written[(4, WIDTH + 4)] == "2030-02-19"

    def test_reuses_existing_result_columns(self):
        rows = [r + ["旧"] for r in xlwings_helpers.ledger_rows()]
        data = book(rows, headers=xlwings_helpers.HEADERS + ["认定结论"])
        written = cells(xlwings_helpers.run_script(sc, "jy_fill_columns", data))
        assert column(written, WIDTH, [2, 3, 4]) == ["符合", "不符合", "符合"]  # over the old

    def test_missing_policy_is_reported_in_chinese(self):
        report = last_report(xlwings_helpers.run_script(sc, "jy_fill_columns", book(settings=None)))
        assert report[0][0] == "填写计算列"
        assert report[1][0].startswith("错误：未指定政策代码")
        assert "“设置”工作表" in report[1][0] and "--policy" not in report[1][0]

    def test_policy_from_the_parameter_sheet_like_the_command_line(self):
        params = ("参数", [["名称", "数值", "生效日期", "依据"], ["政策代码", "SX-2008", "", ""]])
        settings = ("设置", [["认定基准日期", xlwings_helpers.serial(xlwings_helpers.AS_OF)]])
        result = xlwings_helpers.run_script(
            sc, "jy_fill_columns", book(settings=settings, extra=[params])
        )
        assert column(cells(result), WIDTH + 1, [2, 3, 4]) == ["符合", "不符合", "符合"]
        assert "工作簿“参数”表" in last_report(result)[1][0]

    def test_blank_rows_stay_blank(self):
        rows = xlwings_helpers.ledger_rows()
        rows.insert(1, [None] * WIDTH)
        written = cells(xlwings_helpers.run_script(sc, "jy_fill_columns", book(rows)))
        assert column(written, WIDTH + 1, [2, 3, 4, 5]) == ["符合", None, "不符合", "符合"]

    def test_a_footer_row_is_not_a_person(self):
        rows = [
            *xlwings_helpers.ledger_rows(),
            ["合计：3人"] + [None] * (WIDTH - 1),
            ["填表人：李红梅"],
        ]
        result = xlwings_helpers.run_script(sc, "jy_fill_columns", book(rows))
        written = cells(result)
        assert (5, WIDTH + 1) not in written
        assert last_report(result)[0][0] == "填写计算列：已认定3人，符合2人"

    def test_title_rows_above_the_header(self):
        data = book()
        data["sheets"][0]["values"] = [
            ["2026年就业援助对象台账"] + [""] * (WIDTH - 1),
            ["填报单位：桥头街道"] + [""] * (WIDTH - 1),
            *data["sheets"][0]["values"],
        ]
        written = cells(xlwings_helpers.run_script(sc, "jy_fill_columns", data))
        assert column(written, WIDTH + 1, [3, 4, 5, 6]) == ["认定结论", "符合", "不符合", "符合"]

    def test_total_and_signature_rows_are_not_people(self):
        """The buttons use the command line's header/footer detector (ledger_read.find_table)."""
        total = ["合计", "3人"] + [None] * (WIDTH - 2)
        signed = ["填表人：", "李静", "审核人："] + [None] * (WIDTH - 3)
        written = cells(
            xlwings_helpers.run_script(
                sc, "jy_fill_columns", book([*xlwings_helpers.ledger_rows(), total, signed])
            )
        )
        assert column(written, WIDTH + 1, [1, 2, 3, 4]) == ["认定结论", "符合", "不符合", "符合"]
        assert (5, WIDTH + 1) not in written and (6, WIDTH + 1) not in written

    def test_the_field_map_sheet_names_a_column_the_buttons_did_not_know(self):
        headers = ["困难认定时点" if h == "初次核定日期" else h for h in xlwings_helpers.HEADERS]
        assert headers != list(xlwings_helpers.HEADERS)
        mapping = ("字段对照", [["台账表头", "标准字段"], ["困难认定时点", "初次核定日期"]])
        plain = xlwings_helpers.book_json(
            [("台账", [headers, *xlwings_helpers.ledger_rows()]), SETTINGS], selection="A1"
        )
        mapped = xlwings_helpers.book_json(
            [("台账", [headers, *xlwings_helpers.ledger_rows()]), SETTINGS, mapping], selection="A1"
        )

        def periods(data):
            written = cells(xlwings_helpers.run_script(sc, "jy_fill_columns", data))
            return column(written, WIDTH + 4, [1, 2, 3, 4])

        assert periods(mapped) == periods(book())  # the mapped column is used again
        assert periods(plain) != periods(book())


class TestCheckLedger:
    def make(self):
        rows = xlwings_helpers.ledger_rows()
        body = rows[1][2][:17]
        wrong = "0" if xlwings_helpers.check_char(body) != "0" else "1"
        rows[1][2] = body + wrong  # C3: wrong check digit
        rows[0][9] = "2025-02-30"  # J2: no such day
        rows[2][1] = None  # B4: missing name
        return rows, xlwings_helpers.check_char(body), wrong

    def test_marks_cells_and_writes_summary(self):
        rows, expected, wrong = self.make()
        result = xlwings_helpers.run_script(sc, "jy_check_ledger", book(rows))
        acts = actions(result)
        notes = {a["args"][0]: a["args"][1] for a in acts if a["func"] == "addNote"}
        assert set(notes) == {"$J$2", "$C$3", "$B$4"}
        assert "2025-02-30" in notes["$J$2"] and "28天" in notes["$J$2"]
        assert f"应为{expected}" in notes["$C$3"] and f"实为{wrong}" in notes["$C$3"]
        assert "姓名" in notes["$B$4"] and "空" in notes["$B$4"]
        colours = {
            (a["start_row"], a["start_column"]): a["args"][0]
            for a in acts
            if a["func"] == "setRangeColor"
        }
        assert colours == {(1, 9): "#FFC7CE", (2, 2): "#FFC7CE", (3, 1): "#FFC7CE"}
        assert ["addSheet", [2, "检查结果"]] in [[a["func"], a["args"]] for a in acts]
        summary = last_report(result)
        assert summary[0][0].startswith("台账检查结果：台账.xlsx 工作表“台账”")
        assert summary[1][0].startswith("共 3 人；错误 3 处")
        assert summary[4] == ["序号", "单元格", "行号", "列名", "级别", "问题"]
        assert [r[1] for r in summary[5:8]] == ["J2", "C3", "B4"]

    def test_a_second_check_replaces_the_first_notes(self):
        rows, _, _ = self.make()
        data = book(rows)
        data["sheets"][0]["notes"] = [{"address": "$J$2"}]  # left by an earlier check
        acts = actions(xlwings_helpers.run_script(sc, "jy_check_ledger", data))
        assert [a["args"][0] for a in acts if a["func"] == "setNoteText"] == ["$J$2"]
        assert sorted(a["args"][0] for a in acts if a["func"] == "addNote") == ["$B$4", "$C$3"]

    def test_falls_back_to_comments_without_notes(self):
        rows, _, _ = self.make()
        data = book(rows)
        del data["sheets"][0]["notes"]  # an Excel without the notes API
        funcs = [
            a["func"] for a in actions(xlwings_helpers.run_script(sc, "jy_check_ledger", data))
        ]
        assert "addNote" not in funcs and funcs.count("addComment") == 3

    def test_clean_ledger_has_no_red_marks(self):
        acts = actions(xlwings_helpers.run_script(sc, "jy_check_ledger", book()))
        assert not [a for a in acts if a["func"] == "setRangeColor" and a["args"] == ["#FFC7CE"]]

    def test_direct_call_returns_the_report(self):
        import xlwings as xw

        rows, _, _ = self.make()
        report = sc.check_ledger(xw.Book(json=book(rows)))
        assert [p.cell for p in report.errors] == ["J2", "C3", "B4"]


class TestDocuments:
    def test_selected_rows(self):
        import xlwings as xw

        from xl_addin import ledger_read

        b = xw.Book(json=book(selection="B3:D4"))
        ledger = ledger_read.read_ledger(sc.workbook_values(b))
        assert sc.selected_rows(b, ledger) == (3, 4)
        assert sc.selected_rows(xw.Book(json=book()), ledger) is None  # only the header

    @pytest.mark.parametrize(
        "name,selection,people",
        [
            # rows 2–3 selected: 张秀英 (符合) and 李建国 (不符合) → one agreement
            ("jy_make_agreements", "B2:B3", 1),
            # the notice lists the eligible among the selected rows only
            ("jy_make_notice", "B3:B4", 1),
            # the letters cover the whole ledger
            ("jy_make_letters", "A1", 2),
        ],
    )
    def test_document_scripts_write_files_and_list_them(
        self, name, selection, people, tmp_path, monkeypatch
    ):
        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        rows = wang_not_yet_certified() if name == "jy_make_notice" else None
        report = last_report(xlwings_helpers.run_script(sc, name, book(rows, selection=selection)))
        assert not report[1][0].startswith("错误："), report
        assert report[0][0].startswith(f"{name and sc.ACTIONS[name]}：{people}人")
        paths = [r[0] for r in report[1:] if r[0].startswith(str(tmp_path))]
        assert paths and all(os.path.exists(p) for p in paths)
        assert any(p.endswith(".docx") for p in paths)

    def test_notice_contains_only_selected_eligible(self, tmp_path, monkeypatch):
        from docx import Document

        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        path = last_report(
            xlwings_helpers.run_script(
                sc, "jy_make_notice", book(wang_not_yet_certified(), selection="B3:B4")
            )
        )[1][0]
        doc = Document(path)
        text = "\n".join(
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        )
        assert "王桂兰" in text  # selected and eligible
        assert "李建国" not in text  # selected, not eligible
        assert "张秀英" not in text  # eligible, not selected
        assert xlwings_helpers.ID_WANG not in text  # no ID number in a public notice

    def test_agreement_needs_a_selection(self):
        report = last_report(xlwings_helpers.run_script(sc, "jy_make_agreements", book()))
        assert report[1][0] == "错误：请先在台账中选中要生成文书的人员所在行（可多选连续行）"

    def test_missing_document_modules_are_named_in_chinese(self, monkeypatch):
        monkeypatch.setattr(sc, "DOCUMENT_MODULES", ("lxml", "no_such_module_jyyz"))
        report = last_report(xlwings_helpers.run_script(sc, "jy_make_notice", book()))
        assert "缺少生成 Word 文书所需的模块（no_such_module_jyyz）" in report[1][0]
        assert "填写计算列和检查台账不受影响" in report[1][0]


class TestReport:
    def test_report_of_the_open_workbook_lists_its_files(self, tmp_path, monkeypatch):
        import zipfile

        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        rows = xlwings_helpers.ledger_rows()
        report = last_report(xlwings_helpers.run_script(sc, "jy_make_report", book(rows)))
        assert not report[1][0].startswith("错误："), report
        ids = {r[xlwings_helpers.HEADERS.index("公民身份号码")] for r in rows}
        assert report[0][0].startswith(f"{sc.ACTIONS['jy_make_report']}：{len(ids)}人")
        paths = [r[0] for r in report[1:] if r[0].startswith(str(tmp_path))]
        xlsx = [p for p in paths if p.endswith(".xlsx")]
        assert len(xlsx) == 1 and any(p.endswith("_通报.docx") for p in paths)
        with zipfile.ZipFile(xlsx[0]) as z:  # native charts, not pictures
            assert any(n.startswith("xl/charts/chart") for n in z.namelist())
        # the values went through a temporary copy that is gone again
        assert not any("jyyz-" in p for p in paths)

    def test_unsaved_workbook_without_a_ledger_is_reported(self, tmp_path, monkeypatch):
        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        data = xlwings_helpers.book_json([("Sheet1", [["说明"]]), SETTINGS])
        report = last_report(xlwings_helpers.run_script(sc, "jy_make_report", data))
        assert report[0][0] == "生成统计报表"
        assert report[1][0].startswith("错误：")
        assert not list(tmp_path.glob("统计报表*.xlsx"))
