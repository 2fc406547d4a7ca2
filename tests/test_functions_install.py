"""`jyyz install` (xl_addin.install), run for real: xlwings' own command line installing and
removing jyyz.xlam, and the add-in's config file in the encoding xlwings' VBA reads.

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

from xl_addin import install

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
        path = install.write_config(tmp_path, interpreter=CHINESE_PYTHON, encoding="cp936")
        # xlwings_custom_addin.bas GetConfigFilePath with PROJECT_NAME "jyyz"
        assert path == tmp_path / ".jyyz" / "jyyz.conf"
        data = path.read_bytes()
        # what VBA sees on a Chinese Windows (code page 936) is the path itself
        assert ("INTERPRETER_WIN", CHINESE_PYTHON) in vba_input(data, "cp936")
        assert ("UDF MODULES", "xl_addin.functions;xl_addin.scripts") in vba_input(data, "cp936")
        # the old UTF-8 file was garbled there: the bytes differ
        assert CHINESE_PYTHON.encode("utf-8") not in data
        assert CHINESE_PYTHON.encode("cp936") in data
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")

    def test_default_encoding_is_the_locale_code_page(self, tmp_path):
        path = install.write_config(tmp_path, interpreter=r"C:\py\pythonw.exe")
        assert install.ansi_encoding() == __import__("locale").getencoding()
        assert path.read_bytes().decode(install.ansi_encoding()).splitlines()[-1] == (
            '"INTERPRETER_WIN","C:\\py\\pythonw.exe"'
        )

    def test_unrepresentable_path_is_refused_in_chinese(self, tmp_path):
        with pytest.raises(ValueError, match="编码无法表示"):
            install.write_config(
                tmp_path, interpreter="C:\\Users\\김민준\\python.exe", encoding="cp936"
            )
        assert not install.config_path(tmp_path).exists()

    def test_keeps_other_settings_and_replaces_old_values(self, tmp_path):
        conf = install.config_path(tmp_path)
        conf.parent.mkdir()
        conf.write_bytes(
            '"PYTHONPATH","D:\\台账\\lib"\r\n"Interpreter_Win","C:\\old\\python.exe"\r\n'
            '"UDF Modules","old"\r\n'.encode("cp936")
        )
        install.write_config(tmp_path, interpreter="C:\\new\\python.exe", encoding="cp936")
        assert install.read_config(tmp_path, encoding="cp936") == {
            "PYTHONPATH": "D:\\台账\\lib",
            "UDF MODULES": "xl_addin.functions;xl_addin.scripts",
            "INTERPRETER_WIN": "C:\\new\\python.exe",
        }

    def test_an_old_utf8_file_is_rewritten_readably(self, tmp_path):
        conf = install.config_path(tmp_path)
        conf.parent.mkdir()
        conf.write_text('"PYTHONPATH","D:\\台账"\n', encoding="utf-8")
        install.write_config(tmp_path, interpreter="C:\\py.exe", encoding="cp936")
        assert ("PYTHONPATH", "D:\\台账") in vba_input(conf.read_bytes(), "cp936")


def test_default_interpreter_is_this_python():
    assert install.default_interpreter().startswith(str(BIN))


class TestXlwingsCommand:
    def test_command_is_xlwings_console_script_with_the_addin_file(self):
        for action in ("install", "remove"):
            cmd = install.addin_command(action)
            assert cmd[-4:] == ["addin", action, "--file", str(install.addin_path())]
            assert Path(cmd[0]).name.startswith("xlwings") or cmd[1:3] == ["-m", "xlwings.cli"]
        assert install.addin_path().is_file() and install.addin_path().name == "jyyz.xlam"

    def test_xlwings_reads_the_custom_addin_config_jyyz_install_writes(self):
        # the add-in's xlwings module: PROJECT_NAME names the user config file
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(install.addin_path()))
        code = {s.split("/")[-1]: c for _, s, _, c in parser.extract_macros()}["xlwings"]
        parser.close()
        assert f'PROJECT_NAME As String = "{install.PROJECT_NAME}"' in code
        assert (
            'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in code
        )
        assert "Open sFile For Input As" in code and "Input #" in code

    @pytest.mark.parametrize("action", ["install", "remove"])
    def test_the_real_command_runs_up_to_where_excel_is_needed(self, action):
        # the exact argv jyyz runs, really started: it parses, enters xlwings' addin_install /
        # addin_remove and stops at xw.apps, which needs Windows/macOS Excel
        result = subprocess.run(
            install.addin_command(action), capture_output=True, text=True, check=False
        )
        assert "only supported on Windows and macOS" in result.stderr
        assert "No module named" not in result.stderr  # the old `python -m xlwings` failure

    def test_module_form_is_a_real_entry_point_too(self):
        result = subprocess.run(
            [sys.executable, "-m", "xlwings.cli", "addin", "install", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0 and "--file" in result.stdout

    def test_install_and_remove_report_xlwings_error(self):
        with pytest.raises(RuntimeError, match="only supported on Windows and macOS"):
            install.install_addin()
        with pytest.raises(RuntimeError, match="only supported on Windows and macOS"):
            install.remove_addin()


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
        assert "安装 Excel 加载项" in result.stdout and "--uninstall" in result.stdout

    @pytest.mark.parametrize("args", [(), ("--uninstall",)])
    def test_non_windows_stops_where_windows_is_needed(self, tmp_path, args):
        result = self.run(*args, home=tmp_path)
        assert result.returncode == 1
        assert f"已找到 Excel 加载项：{install.addin_path()}" in result.stdout
        assert "需要 Windows 系统和" in result.stdout
        # nothing of jyyz's written (importing xlwings lets matplotlib, when installed,
        # keep its font cache under ~/.cache and ~/.config)
        written = [p for p in tmp_path.rglob("*") if p.is_file() and "matplotlib" not in p.parts]
        assert written == []

    def test_windows_flow_with_the_real_xlwings_command(self, monkeypatch, capsys, tmp_path):
        # Only the platform check is told "Windows"; the xlwings command really runs and
        # fails where Excel is needed, and jyyz says so without writing anything.
        monkeypatch.setattr(install.sys, "platform", "win32")
        monkeypatch.setattr(install.Path, "home", classmethod(lambda cls: tmp_path))
        assert install.install([]) == 1
        out = capsys.readouterr().out
        assert "加载项安装失败" in out and "only supported on Windows and macOS" in out
        assert not install.config_path(tmp_path).exists()

    def test_windows_uninstall_with_the_real_xlwings_command(self, monkeypatch, capsys, tmp_path):
        monkeypatch.setattr(install.sys, "platform", "win32")
        monkeypatch.setattr(install.Path, "home", classmethod(lambda cls: tmp_path))
        install.write_config(tmp_path, interpreter="C:\\py\\pythonw.exe", encoding="cp936")
        assert install.install(["--uninstall"]) == 1
        out = capsys.readouterr().out
        assert "加载项卸载失败" in out and "only supported on Windows and macOS" in out
        assert install.config_path(tmp_path).exists()  # kept: the add-in is still there

    def test_windows_config_only_writes_config_and_next_steps(self, monkeypatch, capsys, tmp_path):
        monkeypatch.setattr(install.sys, "platform", "win32")
        monkeypatch.setattr(install.Path, "home", classmethod(lambda cls: tmp_path))
        assert install.install(["--config-only"]) == 0
        assert install.read_config(tmp_path)["UDF MODULES"] == "xl_addin.functions;xl_addin.scripts"
        out = capsys.readouterr().out
        assert "“就业援助”选项卡" in out
        for button in (
            "填写计算列",
            "检查台账",
            "生成协议书",
            "生成公示",
            "生成责任书",
            "打开 jyyz 页面",
            "设置",
        ):
            assert button in out
        assert "Import Functions" not in out and "Alt+F8" not in out

    def test_remove_config_leaves_other_files(self, tmp_path):
        path = install.write_config(tmp_path, interpreter="C:\\py.exe", encoding="cp936")
        other = path.parent / "notes.txt"
        other.write_text("x")
        install.remove_config(tmp_path)
        assert not path.exists() and other.exists()
        other.unlink()
        install.write_config(tmp_path, interpreter="C:\\py.exe", encoding="cp936")
        install.remove_config(tmp_path)
        assert not path.parent.exists()


def test_install_refuses_another_xlwings_release(monkeypatch, capsys):
    import xlwings

    monkeypatch.setattr(xlwings, "__version__", "0.99.0")
    assert install.install([]) == 1
    out = capsys.readouterr().out
    assert "需要 xlwings 0.37.8" in out and "0.99.0" in out
