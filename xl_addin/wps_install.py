"""The WPS 表格 JS add-in (WPS 加载项): its generated files and ``jyyz install --wps``.

The add-in's files live in ``xl_addin/wps/`` (laid out like the spreadsheet "et"
template of Kingsoft's ``wpsjs`` 2.2.3: ``ribbon.xml``, ``index.html``,
``main.js``, ``manifest.xml``, ``js/``, ``images/``).  It is a thin client of the
local service (``jyyz serve``): every button and every ``=JYYZ.JY_…`` function
is one synchronous request to ``/api/v1`` (docs/wps.md).

Generated here, never written by hand:

- ``js/functions.js`` — one ES5 function per worksheet function of
  :mod:`xl_addin.functions` with the JSDoc ``@customfunction`` block the wpsjs
  ``functionsScanner`` reads, and the ``wps.AddCustomFunction`` registration
  that scanner appends; names, arguments and Chinese help come from the
  service's catalogue (``GET /api/v1/functions``);
- ``functions.json`` — the metadata ``manifest.xml`` points WPS at, in the shape
  the wpsjs scanner writes (``{"functions": [{name, parameters, description,
  result}]}``).

Both are kept in the package (the service serves ``xl_addin/wps/`` at
``/wps/``); ``python -m xl_addin.wps_install --regenerate`` rewrites them and a
test fails when they are stale.

Installing (``jyyz install --wps [--dir DIR] [--url URL] [--uninstall]``)
follows wpsjs' offline package: the add-in is copied into
``<jsaddons>/jyyz_<version>/`` and ``<jsaddons>/publish.xml`` gets the entry
``<jsplugin name="jyyz" type="et" url="jyyz_<version>" …/>`` (other entries
are kept).  ``--url`` writes an online entry (``<jspluginonline …/>``) pointing
at a running service's ``/wps/`` instead.  The copy's ``js/config.js`` names
this account's discovery file (``service.json``), from which the add-in reads
the service's port and token.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from calc.safe_files import write_bytes_safely

ADDIN_DIR = Path(__file__).parent / "wps"
ADDIN_NAME = "jyyz"
NAMESPACE = "JYYZ"
ADDIN_TYPE = "et"  # WPS 表格
PUBLISH_FILE = "publish.xml"
MARKER = ".jyyz-wps-addin"  # in every folder the installer made (uninstall removes only those)
GENERATED = ("js/functions.js", "functions.json")
SUFFIXES = (".html", ".js", ".xml", ".json", ".svg")


# --------------------------------------------------------------------------- functions


def _range_args() -> dict[str, set[str]]:
    """Per function, the arguments declared ``ndim=2`` (ranges): a 2-D array in WPS too."""
    from xl_addin import functions as fm

    tree = ast.parse(inspect.getsource(fm))
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name not in fm.__all__:
            continue
        names: set[str] = set()
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            shared = isinstance(target, ast.Name) and target.id in defs and target.id != "arg"
            # a decorator of this module (e.g. _ledger_row_function) declares arguments inside
            for call in ast.walk(defs[target.id] if shared else dec):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id == "arg"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and any(
                        k.arg == "ndim" and isinstance(k.value, ast.Constant) and k.value.value == 2
                        for k in call.keywords
                    )
                ):
                    names.add(str(call.args[0].value))
        out[node.name.upper()] = names
    return out


def catalogue() -> list[dict[str, Any]]:
    """The service's function catalogue (``GET /api/v1/functions``), ranges marked."""
    from xl_addin.service.work import catalogue as service_catalogue

    ranges = _range_args()
    out = []
    for f in service_catalogue():
        args = [dict(a, range=a["name"] in ranges.get(f["name"], set())) for a in f["args"]]
        out.append(dict(f, args=args))
    return out


def _type(arg: dict[str, Any]) -> str:
    return "any[][]" if arg["range"] else "any"


def functions_json(cat: list[dict[str, Any]] | None = None) -> str:
    """``functions.json`` as wpsjs' scanner writes it from the JSDoc of ``functions.js``."""
    cat = catalogue() if cat is None else cat
    data = {
        "functions": [
            {
                "name": f["name"],
                "parameters": [
                    {
                        "name": a["name"],
                        "description": a["help"],
                        "type": _type(a) + ("?" if a["optional"] else ""),
                    }
                    for a in f["args"]
                ],
                "description": f["help"],
                "result": {"type": "any"},
            }
            for f in cat
        ]
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _comment(text: str) -> str:
    return " ".join(str(text).replace("*/", "*∕").split())


def functions_js(cat: list[dict[str, Any]] | None = None) -> str:
    """``js/functions.js``: the JSDoc-declared functions and their registration (ES5)."""
    cat = catalogue() if cat is None else cat
    out = [
        "// 由 xl_addin/wps_install.py 生成（python -m xl_addin.wps_install --regenerate），请勿手改。",
        "// 每个函数把参数交给本机 jyyz 服务，由同名的 Python 函数计算（与 Excel 的 =JY_… 相同）。",
        f"// 在 WPS 表格中写作 ={NAMESPACE}.函数名(…)，例如 ={NAMESPACE}.JY_ID(A2)。",
        "",
    ]
    for f in cat:
        names = [a["name"] for a in f["args"]]
        out.append("/**")
        out.append(f" * {_comment(f['help'])}")
        out.append(" * @customfunction")
        for a in f["args"]:
            name = f"[{a['name']}]" if a["optional"] else a["name"]
            out.append(f" * @param {{{_type(a)}}} {name} - {_comment(a['help'])}")
        out.append(" * @returns {any} - 结果（出错时为“错误：……”）")
        out.append(" */")
        out.append(f"function {f['name']}({', '.join(names)}) {{")
        out.append(f'    return Jyyz.cellFunction("{f["name"]}", arguments);')
        out.append("}")
        out.append("")
    out.append('if (typeof wps !== "undefined" && wps && wps.AddCustomFunction) {')
    for f in cat:
        out.append(f'    wps.AddCustomFunction("{NAMESPACE}", "{f["name"]}", {f["name"]});')
    out.append("}")
    return "\n".join(out) + "\n"


def generated_files(cat: list[dict[str, Any]] | None = None) -> dict[str, str]:
    cat = catalogue() if cat is None else cat
    return {"js/functions.js": functions_js(cat), "functions.json": functions_json(cat)}


def regenerate() -> list[Path]:
    """Rewrite the generated files inside the package (development)."""
    written = []
    for rel, text in generated_files().items():
        path = ADDIN_DIR / rel
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# --------------------------------------------------------------------------- files


def addin_files() -> dict[str, bytes]:
    """Every file of the add-in (relative POSIX path → content), as the package holds them."""
    out = {}
    for path in sorted(ADDIN_DIR.rglob("*")):
        if path.is_file() and path.suffix in SUFFIXES:
            out[path.relative_to(ADDIN_DIR).as_posix()] = path.read_bytes()
    return out


def config_js(discovery: str | os.PathLike[str] | None) -> bytes:
    """``js/config.js`` naming the discovery file this account's ``jyyz serve`` writes."""
    data = {"discovery": os.fspath(discovery) if discovery is not None else None}
    return (
        "// 由 jyyz install --wps 写入：本机 jyyz 服务发现文件的位置。\n"
        f"var JYYZ_CONFIG = {json.dumps(data, ensure_ascii=False)};\n"
    ).encode()


def version() -> str:
    try:
        from importlib.metadata import version as dist_version

        return dist_version("jyyz")
    except Exception:  # noqa: BLE001 - a source tree without metadata
        return "0"


def folder_name() -> str:
    return f"{ADDIN_NAME}_{version()}"


def default_jsaddons() -> Path:
    """WPS's per-user ``jsaddons`` folder (where wpsjs' publish writes ``publish.xml``)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "kingsoft" / "wps" / "jsaddons"
    if sys.platform == "darwin":
        return (
            Path.home()
            / "Library/Containers/com.kingsoft.wpsoffice.mac/Data/.kingsoft/wps/jsaddons"
        )
    return Path.home() / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def _discovery_path() -> Path:
    from xl_addin.service import discovery

    return discovery.discovery_path()


# --------------------------------------------------------------------------- publish.xml


def _read_publish(path: Path) -> ET.Element:
    if not path.exists():
        return ET.Element("jsplugins")
    try:
        root = ET.fromstring(path.read_bytes())
    except ET.ParseError as err:
        from calc.errors import InputError

        raise InputError(
            f"WPS 加载项清单“{path}”不是有效的 XML（{err}），未作改动；请检查或删除该文件后重试"
        ) from None
    if root.tag != "jsplugins":
        root = ET.Element("jsplugins")
    return root


def _without_ours(root: ET.Element) -> None:
    for child in list(root):
        if child.get("name") == ADDIN_NAME:
            root.remove(child)


def _write_publish(path: Path, root: ET.Element) -> None:
    ET.indent(root, space="    ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    write_bytes_safely(path, data + b"\n")


def publish_entry(url: str | None) -> ET.Element:
    """Our ``publish.xml`` entry: the local copy (offline) or a service URL (online)."""
    if url:
        attrs = {"name": ADDIN_NAME, "type": ADDIN_TYPE, "url": url}
        tag = "jspluginonline"
    else:
        attrs = {"name": ADDIN_NAME, "type": ADDIN_TYPE, "url": folder_name(), "version": version()}
        tag = "jsplugin"
    attrs.update({"enable": "enable_dev", "install": "null", "customDomain": ""})
    return ET.Element(tag, attrs)


def installed_folders(jsaddons: Path) -> list[Path]:
    if not jsaddons.is_dir():
        return []
    return sorted(
        p
        for p in jsaddons.iterdir()
        if p.is_dir() and p.name.startswith(ADDIN_NAME + "_") and (p / MARKER).exists()
    )


def install(jsaddons: Path, url: str | None = None) -> dict[str, Any]:
    """Copy the add-in into ``jsaddons`` and add our entry to its ``publish.xml``."""
    jsaddons.mkdir(parents=True, exist_ok=True)
    publish = jsaddons / PUBLISH_FILE
    root = _read_publish(publish)
    for old in installed_folders(jsaddons):
        shutil.rmtree(old)
    target = None
    if not url:
        target = jsaddons / folder_name()
        if target.exists():
            raise FileExistsError(target)
        files = addin_files()
        files["js/config.js"] = config_js(_discovery_path())
        for rel, data in files.items():
            dst = target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
        (target / MARKER).write_text("jyyz install --wps\n", encoding="utf-8")
    _without_ours(root)
    root.append(publish_entry(url))
    _write_publish(publish, root)
    return {"publish": publish, "folder": target, "url": url}


def uninstall(jsaddons: Path) -> dict[str, Any]:
    """Remove our entry from ``publish.xml`` and the folders the installer made."""
    publish = jsaddons / PUBLISH_FILE
    removed = installed_folders(jsaddons)
    for folder in removed:
        shutil.rmtree(folder)
    had_entry = False
    if publish.exists():
        root = _read_publish(publish)
        had_entry = any(c.get("name") == ADDIN_NAME for c in root)
        _without_ours(root)
        _write_publish(publish, root)
    return {"publish": publish, "folders": removed, "entry": had_entry}


INSTALLED = """\
已安装 WPS 加载项“就业援助”（jyyz {version}）：
  - 加载项清单：{publish}
  - 加载项文件：{where}
下一步：
  1. 运行 jyyz serve 启动本机服务（加载项的按钮和 JYYZ.JY_… 函数都由它计算）；
  2. 完全退出并重新打开 WPS 表格，功能区出现“就业援助”选项卡；
  3. 在单元格中输入 =JYYZ.JY_POLICIES() 检查（WPS 12.1.0.20540 及以上版本才有自定义函数；
     更早的版本只有功能区按钮）。注意：WPS 中函数名带命名空间 JYYZ.，Excel 中为 =JY_…。
"""


def main(argv: list[str] | None = None) -> int:
    """``jyyz install --wps``: exit status 0 on success."""
    parser = argparse.ArgumentParser(
        prog="jyyz install --wps", description="安装（或卸载）WPS 表格加载项“就业援助”"
    )
    parser.add_argument(
        "--dir", metavar="目录", help="WPS 的 jsaddons 目录（默认：本账户的 WPS 加载项目录）"
    )
    parser.add_argument(
        "--url",
        metavar="网址",
        help="改为在线方式：加载项清单指向该网址（如 http://127.0.0.1:端口/wps/），不复制文件",
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="卸载：从清单中删除并删除复制的文件"
    )
    parser.add_argument("--regenerate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.regenerate:
        for path in regenerate():
            print(f"已生成：{path}")
        return 0
    jsaddons = Path(args.dir) if args.dir else default_jsaddons()
    from calc.errors import InputError

    try:
        if args.uninstall:
            r = uninstall(jsaddons)
            if not r["entry"] and not r["folders"]:
                print(f"未发现已安装的 jyyz WPS 加载项（{jsaddons}）。")
            else:
                print(f"已卸载 WPS 加载项“就业援助”：{r['publish']} 中的条目及 {len(r['folders'])} 个文件夹已删除。请重新打开 WPS。")  # fmt: skip
            return 0
        r = install(jsaddons, args.url)
    except InputError as err:
        print(f"错误：{err.describe()}")
        return 1
    except OSError as err:
        from calc.safe_files import describe_os_error

        print(f"错误：{describe_os_error(err, action='写入')}")
        return 1
    where = r["folder"] if r["folder"] is not None else f"{args.url}（在线，需 jyyz 服务在运行）"
    print(INSTALLED.format(version=version(), publish=r["publish"], where=where))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
