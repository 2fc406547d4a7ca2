"""Workbooks jyyz writes survive a host without the add-in: ``fill --formulas`` output and
the bundled samples keep their cached =JY_… values instead of forcing a full
recalculation on open (``fullCalcOnLoad``), which would turn them into #NAME?."""

from __future__ import annotations

import re
import zipfile

import pytest

import workbooks
from workbooks import generate
from xl_addin import jobs


def calc_pr(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        m = re.search(rb"<calcPr\b[^>]*>", z.read("xl/workbook.xml"))
    return m.group(0) if m else b""


def jy_formula_cells(path, sheet="xl/worksheets/sheet1.xml") -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet)
    return re.findall(
        rb"<c\b[^>]*(?<!/)>(?:(?!</c>).)*?<f\b[^>]*>JY_(?:(?!</c>).)*?</c>", xml, re.S
    )


@pytest.mark.parametrize("policy,path", sorted(workbooks.sample_paths().items()))
def test_samples_hold_no_formula_a_host_without_the_addin_cannot_compute(policy, path):
    assert not jy_formula_cells(path), f"{policy}: the sample shows values, not =JY_ formulas"


def test_formula_samples_do_not_force_recalculation(tmp_path):
    samples = generate.generate(tmp_path, ["SX-2008"], formulas=True)
    path = samples["SX-2008"].path
    assert b"fullCalcOnLoad" not in calc_pr(path)
    cells = jy_formula_cells(path)
    assert cells, "the formulas sample has =JY_ formulas"
    # cached values stay (an empty first result has no <v>, as Excel writes it)
    assert any(b"<v>" in c for c in cells)


@pytest.fixture(scope="module")
def raw_ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("raw") / "台账.xlsx"
    generate.write_raw(generate.SPECS["SX-2008"], path)
    assert b'fullCalcOnLoad="1"' in calc_pr(path)  # xlsxwriter always asks for it
    return path


def test_fill_formulas_drops_full_calc_on_load(raw_ledger, tmp_path):
    out = tmp_path / "公式.xlsx"
    jobs.fill(raw_ledger, out=out, as_of=generate.REFERENCE_DATE, formulas=True)
    assert b"fullCalcOnLoad" not in calc_pr(out)
    assert calc_pr(out).startswith(b"<calcPr")  # the rest of calcPr is kept
    assert any(b"<v>" in c for c in jy_formula_cells(out))


def test_fill_values_leaves_the_clerks_calc_settings_alone(raw_ledger, tmp_path):
    out = tmp_path / "数值.xlsx"
    jobs.fill(raw_ledger, out=out, as_of=generate.REFERENCE_DATE)
    assert calc_pr(out) == calc_pr(raw_ledger)
    assert jy_formula_cells(out) == []
