"""Canonical ledger fields: header matching and the generated documentation."""

from pathlib import Path

from calc.fields import FIELDS, fields_markdown, frame_from_table, map_headers, match_header


def test_documentation_is_generated_from_the_table():
    doc = Path(__file__).resolve().parent.parent / "docs" / "fields.md"
    assert doc.read_text(encoding="utf-8") == fields_markdown(), (
        "重新运行 python -m calc.fields > docs/fields.md"
    )


def test_synonyms_and_noise_map_to_the_same_field():
    assert match_header("身份证号码") == match_header("公民身份号码") == "id_number"
    assert match_header(" 身份证号 ") == "id_number"
    assert match_header("家庭月收入（元）") == "household_income"
    assert match_header("*姓 名") == "name"
    assert match_header("序号") is None


def test_every_synonym_is_unique():
    seen = {}
    for f in FIELDS.values():
        for h in f.all_headers:
            assert match_header(h) == f.name, (h, seen.get(h))
            seen[h] = f.name


def test_first_column_of_a_field_wins_and_duplicates_are_reported():
    hmap = map_headers(["姓名", "身份证号", "公民身份号码", "备注"])
    assert hmap.fields == {"name": 0, "id_number": 1}
    assert hmap.duplicates == [(2, "公民身份号码")]
    assert hmap.unknown == [(3, "备注")]
    assert hmap.missing(["name", "sex"]) == ["sex"]


def test_frame_from_table_pads_short_rows():
    frame, _ = frame_from_table(["姓名", "性别"], [["张三"], ["李四", "女"]])
    assert frame["sex"].tolist() == [None, "女"]
