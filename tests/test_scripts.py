"""One-click scripts run through xlwings.server.custom_scripts_call on a book payload."""

from __future__ import annotations

import os

import pytest
import xlwings_helpers as H

sc = H.load("xl_addin.scripts")

SETTINGS = ("设置", [["政策代码", "SX-2008"], ["认定基准日期", H.serial(H.AS_OF)]])


def book(rows=None, selection="A1", extra=()):
    ledger = [H.HEADERS, *(H.ledger_rows() if rows is None else rows)]
    return H.book_json([("台账", ledger), SETTINGS, *extra], selection=selection)


def actions(result):
    return result.json()["actions"]


def values_written(result, sheet_position=None):
    return [
        a
        for a in actions(result)
        if a["func"] == "setValues"
        and (sheet_position is None or a["sheet_position"] == sheet_position)
    ]


class TestFillColumns:
    def test_writes_result_columns_right_of_the_ledger(self):
        result = H.run_script(sc, "jy_fill_columns", book())
        written = values_written(result, 0)
        first = len(H.HEADERS)  # 0-based column after the ledger
        by_col = {a["start_column"]: a["values"] for a in written}
        assert by_col[first][0] == ["认定类别"]
        assert by_col[first + 1] == [["认定结论"], ["符合"], ["不符合"], ["符合"]]
        assert by_col[first + 2] == [["是否符合"], ["是"], ["否"], ["是"]]
        # 王桂兰: SX-2008 三(四) until the day before retirement (2028-05-20)
        assert by_col[first + 4][3] == ["2028-05-19"]
        assert all(a["start_row"] == 0 for a in written)

    def test_reuses_existing_result_columns(self):
        rows = [r + ["旧"] for r in H.ledger_rows()]
        data = H.book_json([("台账", [H.HEADERS + ["认定结论"], *rows]), SETTINGS], selection="A1")
        result = H.run_script(sc, "jy_fill_columns", data)
        by_col = {a["start_column"]: a["values"] for a in values_written(result, 0)}
        assert by_col[len(H.HEADERS)][1] == ["符合"]  # written over the old column

    def test_missing_policy_is_reported_in_chinese(self):
        data = H.book_json([("台账", [H.HEADERS, *H.ledger_rows()])])
        result = H.run_script(sc, "jy_fill_columns", data)
        report = values_written(result)[-1]["values"]
        assert report[0][0] == "填写计算列"
        assert report[1][0].startswith("错误：未设置政策代码")

    def test_blank_rows_stay_blank(self):
        rows = H.ledger_rows()
        rows.insert(1, [None] * len(H.HEADERS))
        result = H.run_script(sc, "jy_fill_columns", book(rows))
        by_col = {a["start_column"]: a["values"] for a in values_written(result, 0)}
        assert by_col[len(H.HEADERS) + 1] == [["认定结论"], ["符合"], [""], ["不符合"], ["符合"]]

    def test_total_and_signature_rows_are_not_people(self):
        """The buttons use the command line's header/footer detector (ledger_read.find_table)."""
        width = len(H.HEADERS)
        total = ["合计", "3人"] + [None] * (width - 2)
        signed = ["填表人：", "李静", "审核人："] + [None] * (width - 3)
        result = H.run_script(sc, "jy_fill_columns", book([*H.ledger_rows(), total, signed]))
        by_col = {a["start_column"]: a["values"] for a in values_written(result, 0)}
        assert by_col[width + 1] == [["认定结论"], ["符合"], ["不符合"], ["符合"], [""], [""]]

    def test_the_field_map_sheet_names_a_column_the_buttons_did_not_know(self):
        headers = ["困难认定时点" if h == "初次核定日期" else h for h in H.HEADERS]
        assert headers != list(H.HEADERS)
        mapping = ("字段对照", [["台账表头", "标准字段"], ["困难认定时点", "初次核定日期"]])
        plain = H.book_json([("台账", [headers, *H.ledger_rows()]), SETTINGS], selection="A1")
        mapped = H.book_json(
            [("台账", [headers, *H.ledger_rows()]), SETTINGS, mapping], selection="A1"
        )
        first = len(H.HEADERS)

        def periods(data):
            result = H.run_script(sc, "jy_fill_columns", data)
            return {a["start_column"]: a["values"] for a in values_written(result, 0)}[first + 4]

        assert periods(mapped) == periods(book())  # the mapped column is used again
        assert periods(plain) != periods(book())


class TestCheckLedger:
    def make(self):
        rows = H.ledger_rows()
        body = rows[1][2][:17]
        wrong = "0" if H.check_char(body) != "0" else "1"
        rows[1][2] = body + wrong  # C3: wrong check digit
        rows[0][9] = "2025-02-30"  # J2: no such day
        rows[2][1] = None  # B4: missing name
        return rows, H.check_char(body), wrong

    def test_marks_cells_and_writes_summary(self):
        rows, expected, wrong = self.make()
        result = H.run_script(sc, "jy_check_ledger", book(rows))
        acts = actions(result)
        notes = [a["args"] for a in acts if a["func"] == "addNote"]
        assert notes == [
            ["$J$2", "初次核定日期：“2025-02-30”不是有效日期（2025年2月只有28天）"],
            ["$C$3", f"公民身份号码：身份证号码第18位应为{expected}，实为{wrong}"],
            ["$B$4", "姓名：缺少必填项“姓名”"],
        ]
        colours = [
            (a["start_row"], a["start_column"]) for a in acts if a["func"] == "setRangeColor"
        ]
        assert colours == [(1, 9), (2, 2), (3, 1)]
        assert all(a["args"] == ["#FFC7CE"] for a in acts if a["func"] == "setRangeColor")
        assert ["addSheet", [2, "检查结果"]] in [[a["func"], a["args"]] for a in acts]
        summary = values_written(result, 2)[-1]["values"]
        assert summary[0][0] == "检查“台账”共3行，发现3处问题"
        assert summary[2] == ["行号", "单元格", "字段", "问题"]
        assert summary[3][:3] == [2, "J2", "初次核定日期"]
        assert summary[5][:3] == [4, "B4", "姓名"]

    def test_falls_back_to_comments_without_notes(self):
        rows, _, _ = self.make()
        data = book(rows)
        del data["sheets"][0]["notes"]  # an Excel without the notes API
        result = H.run_script(sc, "jy_check_ledger", data)
        funcs = [a["func"] for a in actions(result)]
        assert "addNote" not in funcs and funcs.count("addComment") == 3

    def test_clean_ledger(self):
        result = H.run_script(sc, "jy_check_ledger", book())
        assert not [a for a in actions(result) if a["func"] in ("addNote", "setRangeColor")]
        assert values_written(result)[-1]["values"][0][0] == "检查“台账”共3行，发现0处问题"

    def test_direct_call_returns_summary_rows(self):
        import xlwings as xw

        rows, _, _ = self.make()
        summary = sc.check_ledger(xw.Book(json=book(rows)))
        assert [r[1] for r in summary] == ["J2", "C3", "B4"]


class TestDocumentSelection:
    def test_selected_rows(self):
        import xlwings as xw

        ledger, rows = sc.selection_for_documents(
            xw.Book(json=book(selection="B3:D4")), all_eligible_if_none=False
        )
        assert rows == [1, 2]
        assert ledger.policy == "SX-2008" and ledger.as_of == H.AS_OF

    def test_nothing_selected(self):
        import xlwings as xw

        with pytest.raises(sc.InputError, match="请先在台账中选中"):
            sc.selection_for_documents(xw.Book(json=book()), all_eligible_if_none=False)
        _, rows = sc.selection_for_documents(xw.Book(json=book()), all_eligible_if_none=True)
        assert rows == [0, 1, 2]

    @pytest.mark.parametrize(
        "name,selection,expected",
        [
            # rows 2–3 selected: 张秀英 (符合) and 李建国 (不符合) → one agreement
            ("jy_make_agreements", "B2:B3", ["张秀英"]),
            # the notice lists the eligible among the selected rows only
            ("jy_make_notice", "B3:B4", None),
            # one letter per community with eligible persons
            ("jy_make_letters", "A1", ["桥头社区", "新建社区"]),
        ],
    )
    def test_document_scripts_write_files_and_list_them(
        self, name, selection, expected, tmp_path, monkeypatch
    ):
        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        result = H.run_script(sc, name, book(selection=selection))
        report = values_written(result)[-1]["values"]
        assert not report[1][0].startswith("错误："), report
        assert report[0][0].endswith(f"已生成{len(report) - 1}个文件")
        paths = [r[0] for r in report[1:]]
        assert paths and all(os.path.exists(p) and p.endswith(".docx") for p in paths)
        assert all(p.startswith(str(tmp_path)) for p in paths)
        if expected:
            assert len(paths) == len(expected)
            for word, path in zip(expected, sorted(paths), strict=True):
                assert word in os.path.basename(path) or any(word in p for p in paths)

    def test_notice_contains_only_selected_eligible(self, tmp_path, monkeypatch):
        from docx import Document

        monkeypatch.setenv("JYYZ_OUTPUT_DIR", str(tmp_path))
        result = H.run_script(sc, "jy_make_notice", book(selection="B3:B4"))
        path = values_written(result)[-1]["values"][1][0]
        doc = Document(path)
        text = "\n".join(
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        )
        assert "王桂兰" in text  # selected and eligible
        assert "李建国" not in text  # selected, not eligible
        assert "张秀英" not in text  # eligible, not selected
        assert H.ID_WANG not in text  # no ID number in a public notice

    def test_agreement_needs_a_selection(self):
        result = H.run_script(sc, "jy_make_agreements", book())
        report = values_written(result)[-1]["values"]
        assert report[1][0] == "错误：请先在台账中选中要生成文书的人员所在行（可多选连续行）"
