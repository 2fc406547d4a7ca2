"""`jyyz install` (xl_addin.install): config writing and the non-Windows explanation."""

from __future__ import annotations

import sys

from xl_addin import install as I


def test_writes_udf_modules_and_interpreter(tmp_path):
    path = I.write_config(tmp_path, interpreter=r"C:\jyyz\.venv\Scripts\pythonw.exe")
    assert path == tmp_path / ".xlwings" / "xlwings.conf"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"UDF MODULES","xl_addin.functions;xl_addin.scripts"' in lines
    assert '"INTERPRETER_WIN","C:\\jyyz\\.venv\\Scripts\\pythonw.exe"' in lines


def test_keeps_other_settings_and_replaces_old_values(tmp_path):
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text(
        '"PYTHONPATH","D:\\lib"\n"Interpreter_Win","C:\\old\\python.exe"\n"UDF Modules","old"\n',
        encoding="utf-8",
    )
    I.write_config(tmp_path, interpreter="C:\\new\\python.exe")
    values = I.read_config(tmp_path)
    assert values == {
        "PYTHONPATH": "D:\\lib",
        "UDF MODULES": "xl_addin.functions;xl_addin.scripts",
        "INTERPRETER_WIN": "C:\\new\\python.exe",
    }


def test_default_interpreter_is_this_python():
    assert I.default_interpreter().startswith(
        str(__import__("pathlib").Path(sys.executable).parent)
    )


def test_non_windows_explains_in_chinese(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(I.sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert I.install([]) == 1
    out = capsys.readouterr().out
    assert "需要 Windows 系统和桌面版 Excel" in out
    assert "xlwings Lite" in out
    assert not (tmp_path / ".xlwings").exists()  # nothing written


def test_windows_path_runs_addin_install_and_writes_config(monkeypatch, capsys, tmp_path):
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return __import__("subprocess").CompletedProcess(cmd, 0, "Successfully installed", "")

    monkeypatch.setattr(I.sys, "platform", "win32")
    monkeypatch.setattr(I.subprocess, "run", fake_run)
    monkeypatch.setattr(I.Path, "home", classmethod(lambda cls: tmp_path))
    assert I.install([]) == 0
    assert calls == [[sys.executable, "-m", "xlwings", "addin", "install"]]
    assert I.read_config(tmp_path)["UDF MODULES"] == "xl_addin.functions;xl_addin.scripts"
    out = capsys.readouterr().out
    assert "Import Functions" in out and "信任对 VBA 工程对象模型的访问" in out


def test_windows_addin_failure_is_reported(monkeypatch, capsys, tmp_path):
    def fake_run(cmd, **kwargs):
        return __import__("subprocess").CompletedProcess(cmd, 1, "", "Excel is running")

    monkeypatch.setattr(I.sys, "platform", "win32")
    monkeypatch.setattr(I.subprocess, "run", fake_run)
    monkeypatch.setattr(I.Path, "home", classmethod(lambda cls: tmp_path))
    assert I.install([]) == 1
    assert "加载项安装失败" in capsys.readouterr().out
