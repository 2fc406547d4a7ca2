"""VBA source helpers for the add-in tests: conditional compilation as VBA does it, and a
real VBA grammar (PyPI ``antlr4-vba``, the ANTLR grammar of MS-VBAL used by ``vba-linter``)."""

from __future__ import annotations

import re

from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from antlr4_vba.vbaLexer import vbaLexer
from antlr4_vba.vbaParser import vbaParser

#: Compilation constants of Excel 2010+ on Windows (MS-VBAL §3.4.1 "predefined constants");
#: an undefined constant is Empty (0).
WIN64 = {"VBA7": True, "WIN64": True, "WIN32": True, "MAC": False, "VBA6": True}
WIN32 = {**WIN64, "WIN64": False}

_DIRECTIVE = re.compile(r"^\s*#(If|ElseIf|Else|End\s*If|Const)\b(.*)$", re.I)


def _evaluate(expression: str, constants: dict) -> bool:
    expr = re.sub(r"'.*$", "", expression).strip()
    expr = re.sub(r"\s+Then\s*$", "", expr, flags=re.I)
    expr = re.sub(r"(?<![<>=])=(?!=)", "==", expr)
    expr = re.sub(r"<>", "!=", expr)
    expr = re.sub(r"\bNot\b", " not ", expr, flags=re.I)
    expr = re.sub(r"\bAnd\b", " and ", expr, flags=re.I)
    expr = re.sub(r"\bOr\b", " or ", expr, flags=re.I)

    def name(m: re.Match) -> str:
        word = m.group(0)
        if word in ("not", "and", "or"):
            return word
        return repr(constants.get(word.upper(), 0))

    expr = re.sub(
        r'"[^"]*"|[A-Za-z_]\w*',
        lambda m: m.group(0) if m.group(0).startswith('"') else name(m),
        expr,
    )
    return bool(eval(expr, {"__builtins__": {}}))  # noqa: S307 - only the literals built above


def preprocess(source: str, constants: dict) -> str:
    """The source as the VBA compiler sees it: directives and excluded lines blanked
    (line numbers kept), ``#Const`` values applied."""
    consts = dict(constants)
    out: list[str] = []
    stack: list[tuple[bool, bool]] = []  # (this branch active, some branch taken)
    for line in source.replace("\r\n", "\n").split("\n"):
        m = _DIRECTIVE.match(line)
        active = all(a for a, _ in stack)
        if not m:
            out.append(line if active else "")
            continue
        kind, rest = m.group(1).lower().replace(" ", ""), m.group(2)
        if kind == "const":
            if active:
                key, value = rest.split("=", 1)
                # #Const NAME = "literal" (the only form these sources use)
                literal = re.sub(r"'.*$", "", value).strip()
                assert re.fullmatch(r'"[^"]*"|-?\d+|True|False', literal), literal
                consts[key.strip().upper()] = {"True": True, "False": False}.get(
                    literal, literal.strip('"') if literal.startswith('"') else literal
                )
        elif kind == "if":
            ok = _evaluate(rest, consts)
            stack.append((ok, ok))
        elif kind == "elseif":
            _, taken = stack.pop()
            ok = not taken and _evaluate(rest, consts)
            stack.append((ok, taken or ok))
        elif kind == "else":
            _, taken = stack.pop()
            stack.append((not taken, True))
        elif kind == "endif":
            stack.pop()
        out.append("")
    assert not stack, "unbalanced #If"
    return "\n".join(out)


class _Errors(ErrorListener):
    def __init__(self) -> None:
        self.errors: list[tuple[int, int, str]] = []

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802
        self.errors.append((line, column, msg))


def syntax_errors(source: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of every syntax error the VBA grammar finds."""
    listener = _Errors()
    lexer = vbaLexer(InputStream(source))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    parser.startRule()
    return listener.errors
