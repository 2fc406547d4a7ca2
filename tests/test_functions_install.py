"""`jyyz install` (xl_addin.install), run for real: xlwings' own command line and the config
file in the encoding xlwings' VBA reads.

Nothing here replaces the command ``jyyz install`` runs: on Linux xlwings' ``addin install``
really starts and stops where it needs Excel (``xw.apps``), which is as far as this machine
can go.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xl_addin import install as I

BIN = Path(sys.executable).parent
CHINESE_PYTHON = r"C:\Users\张伟\AppData\Local\Programs\Python\Python312\pythonw.exe"


def vba_input(data: bytes, codepage: str) -> list[tuple[str, str]]:
    """What xlwings.bas ``GetConfigFromFile`` gets: ``Open … For Input`` decodes the ANSI
    code page; ``Input #f, name, value`` reads two comma-separated, quoted fields a line."""
    text = data.decode(codepage)  # VBA has no UTF-8 mode here: bytes → ANSI characters
    out = []
    for line in re.split(r"\r\n|\n", text):
        if not line:
            continue
        m = re.fullmatch(r'"([^"]*)","([^"]*)"', line)
        assert m, f"VBA Input # cannot read {line!r}"
        out.append((m.group(1), m.group(2)))
    return out


class TestConfigFile:
    def test_written_in_the_ansi_code_page_vba_reads(self, tmp_path):
        path = I.write_config(tmp_path, interpreter=CHINESE_PYTHON, encoding="cp936")
        assert path == tmp_path / ".xlwings" / "xlwings.conf"
        data = path.read_bytes()
        # what VBA sees on a Chinese Windows (code page 936) is the path itself
        assert ("INTERPRETER_WIN", CHINESE_PYTHON) in vba_input(data, "cp936")
        assert ("UDF MODULES", "xl_addin.functions;xl_addin.scripts") in vba_input(data, "cp936")
        # the old UTF-8 file was garbled there: the bytes differ
        assert CHINESE_PYTHON.encode("utf-8") not in data
        assert CHINESE_PYTHON.encode("cp936") in data
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")

    def test_default_encoding_is_the_locale_code_page(self, tmp_path):
        path = I.write_config(tmp_path, interpreter=r"C:\py\pythonw.exe")
        assert I.ansi_encoding() == __import__("locale").getencoding()
        assert path.read_bytes().decode(I.ansi_encoding()).splitlines()[-1] == (
            '"INTERPRETER_WIN","C:\\py\\pythonw.exe"'
        )

    def test_unrepresentable_path_is_refused_in_chinese(self, tmp_path):
        with pytest.raises(ValueError, match="编码无法表示"):
            I.write_config(tmp_path, interpreter="C:\\Users\\김민준\\python.exe", encoding="cp936")
        assert not I.config_path(tmp_path).exists()

    def test_keeps_other_settings_and_replaces_old_values(self, tmp_path):
        conf = I.config_path(tmp_path)
        conf.parent.mkdir()
        conf.write_bytes(
            '"PYTHONPATH","D:\\台账\\lib"\r\n"Interpreter_Win","C:\\old\\python.exe"\r\n'
            '"UDF Modules","old"\r\n'.encode("cp936")
        )
        I.write_config(tmp_path, interpreter="C:\\new\\python.exe", encoding="cp936")
        assert I.read_config(tmp_path, encoding="cp936") == {
            "PYTHONPATH": "D:\\台账\\lib",
            "UDF MODULES": "xl_addin.functions;xl_addin.scripts",
            "INTERPRETER_WIN": "C:\\new\\python.exe",
        }

    def test_an_old_utf8_file_is_rewritten_readably(self, tmp_path):
        conf = I.config_path(tmp_path)
        conf.parent.mkdir()
        conf.write_text('"PYTHONPATH","D:\\台账"\n', encoding="utf-8")
        I.write_config(tmp_path, interpreter="C:\\py.exe", encoding="cp936")
        assert ("PYTHONPATH", "D:\\台账") in vba_input(conf.read_bytes(), "cp936")


def test_default_interpreter_is_this_python():
    assert I.default_interpreter().startswith(str(BIN))


class TestXlwingsCommand:
    def test_command_is_xlwings_console_script(self):
        cmd = I.addin_command()
        assert cmd[-2:] == ["addin", "install"]
        assert Path(cmd[0]).name.startswith("xlwings") or cmd[1:3] == ["-m", "xlwings.cli"]

    def test_the_real_command_runs_up_to_where_excel_is_needed(self):
        # the exact argv jyyz runs, really started: it parses, enters xlwings' addin_install
        # and stops at xw.apps, which needs Windows/macOS Excel
        result = subprocess.run(I.addin_command(), capture_output=True, text=True, check=False)
        assert "only supported on Windows and macOS" in result.stderr
        assert "No module named" not in result.stderr  # the old `python -m xlwings` failure

    def test_module_form_is_a_real_entry_point_too(self):
        result = subprocess.run(
            [sys.executable, "-m", "xlwings.cli", "addin", "install", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0 and "--glob" in result.stdout

    def test_install_addin_reports_xlwings_error(self):
        with pytest.raises(RuntimeError, match="only supported on Windows and macOS"):
            I.install_addin()


class TestJyyzInstall:
    def run(self, *args, home):
        env = dict(os.environ, HOME=str(home), USERPROFILE=str(home))
        return subprocess.run(
            [str(BIN / "jyyz"), "install", *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )

    def test_help(self, tmp_path):
        result = self.run("--help", home=tmp_path)
        assert result.returncode == 0
        assert "安装 Excel 加载项" in result.stdout

    def test_non_windows_explains_in_chinese(self, tmp_path):
        result = self.run(home=tmp_path)
        assert result.returncode == 1
        assert "需要 Windows 系统和桌面版 Excel" in result.stdout
        assert "xl_addin/lite/" in result.stdout
        assert not (tmp_path / ".xlwings").exists()  # nothing written

    def test_windows_flow_with_the_real_xlwings_command(self, monkeypatch, capsys, tmp_path):
        # Only the platform check is told "Windows"; the xlwings command really runs and
        # fails where Excel is needed, and jyyz says so without writing anything.
        monkeypatch.setattr(I.sys, "platform", "win32")
        monkeypatch.setattr(I.Path, "home", classmethod(lambda cls: tmp_path))
        assert I.install([]) == 1
        out = capsys.readouterr().out
        assert "加载项安装失败" in out and "only supported on Windows and macOS" in out
        assert not I.config_path(tmp_path).exists()

    def test_windows_config_only_writes_config_and_next_steps(self, monkeypatch, capsys, tmp_path):
        monkeypatch.setattr(I.sys, "platform", "win32")
        monkeypatch.setattr(I.Path, "home", classmethod(lambda cls: tmp_path))
        assert I.install(["--config-only"]) == 0
        assert I.read_config(tmp_path)["UDF MODULES"] == "xl_addin.functions;xl_addin.scripts"
        out = capsys.readouterr().out
        assert "Import Functions" in out and "信任对 VBA 工程对象模型的访问" in out
        assert "Alt+F8" in out and "jy_fill_columns（填写计算列）" in out
