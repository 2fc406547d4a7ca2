"""Run the Lite entry point (xl_addin/lite/main.py) on given Office.js payloads.

Used twice by tests/test_lite_pyodide.py with the same inputs: in CPython and in a real
Pyodide under Node.  ``await probe(folder)`` reads ``calls.json`` (custom-function
payloads) and ``books.json`` (script name → book payload) from ``folder`` and returns
what xlwings.server answers, plus what this runtime has installed.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import json
import os
import re
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"  # xlwings Lite sets it; harmless under Pyodide
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _requirements() -> dict[str, bool]:
    """jyyz's Requires-Dist that apply in this runtime → installed?"""
    from packaging.requirements import Requirement

    out = {}
    for text in md.requires("jyyz") or []:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            md.version(req.name)
            out[req.name] = True
        except md.PackageNotFoundError:
            out[req.name] = False
    return out


async def probe(folder: str) -> dict:
    import xlwings as xw
    import xlwings.server as xs

    main = importlib.import_module("xl_addin.lite.main")
    with open(os.path.join(folder, "calls.json"), encoding="utf-8") as fh:
        calls = json.load(fh)
    with open(os.path.join(folder, "books.json"), encoding="utf-8") as fh:
        books = json.load(fh)
    functions = []
    for payload in calls:
        payload["version"] = xw.__version__
        functions.append(await xs.custom_functions_call(payload, main))
    scripts = {}
    for key, (name, data) in books.items():
        data["version"] = xw.__version__
        book = xw.Book(json=data)
        result = await xs.custom_scripts_call(main, name, typehint_to_value={xw.Book: book})
        actions = json.loads(STAMP.sub("<now>", json.dumps(result.json()["actions"])))
        scripts[key] = actions
    meta = xs.custom_functions_meta(main)
    return {
        "platform": sys.platform,
        "pandas": md.version("pandas"),
        "functions": functions,
        "scripts": scripts,
        "registered": sorted(f["name"] for f in meta["functions"]),
        "has": {m: _importable(m) for m in ("python_calamine", "lxml", "docx", "ssl")},
        "requirements": _requirements(),
    }


if __name__ == "__main__":  # CPython
    import asyncio

    print(json.dumps(asyncio.run(probe(sys.argv[1])), ensure_ascii=False, default=str))
