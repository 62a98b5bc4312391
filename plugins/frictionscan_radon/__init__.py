"""Built-in plugin *radon*: cyclomatic complexity per function, size, maintainability.

Measurements (all per file unless noted):

* ``radon.cc`` per function or method (with its symbol: qualified name and lines);
* ``radon.cc_total`` (all functions plus module-level code), ``radon.cc_max``,
  ``radon.functions``;
* ``radon.loc`` (lines) and ``radon.sloc`` (lines that are not blank or only a comment),
  counted directly from the text: radon's ``raw.analyze`` tokenizes and costs 10x a parse;
* ``radon.mi`` (maintainability index) only with ``maintainability = true`` under
  ``[tool.frictionscan.radon]`` or ``--maintainability``, because it is the most expensive
  metric and the default score does not use it.

radon parses with the running interpreter's :mod:`ast`. A file using newer syntax than the
interpreter knows is measured from libcst's tree instead (same counting rules) and gets a
``note``; a file neither can parse gets a ``parse`` error and is ranked on history alone.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from typing import Any

from radon.visitors import ComplexityVisitor

from frictionscan.api import (
    AnalysisError,
    Config,
    ErrorKind,
    Measurement,
    OptionParser,
    SourceFile,
    Span,
    Symbol,
    SymbolKind,
    hookimpl,
)

__version__ = "0.1.1"  # 0.1.1: a function's span ends at its last line (ast end_lineno)


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("radon.maintainability", type=bool, default=False,
                     flag="--maintainability",
                     help="also compute radon's maintainability index (slow on large files)")


def count_lines(source: str) -> tuple[int, int]:
    """(lines, source lines): a source line is neither blank nor only a comment."""
    loc = sloc = 0
    for line in source.splitlines():
        loc += 1
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            sloc += 1
    return loc, sloc


def _symbol(name: str, is_method: bool, line: int, col: int, end: int) -> Symbol:
    return Symbol(name=name, kind=SymbolKind.METHOD if is_method else SymbolKind.FUNCTION,
                  span=Span(start_line=line, start_col=col, end_line=end))


def _def_ends(tree: ast.Module) -> dict[tuple[int, int], int]:
    """(line, column) of every ``def`` -> its last line. radon's ``endline`` is where the
    function's last statement *starts*; a change to the rest of a multi-line last statement
    is a change to the function too (the X-ray). Statements only, not expressions: a small
    part of a full walk."""
    ends: dict[tuple[int, int], int] = {}
    todo: list[list[ast.stmt]] = [tree.body]
    while todo:
        for node in todo.pop():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ends[(node.lineno, node.col_offset)] = node.end_lineno or node.lineno
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(node, name, None)
                if isinstance(inner, list):
                    todo.append(inner)
            for handler in getattr(node, "handlers", ()):
                todo.append(handler.body)
            for case in getattr(node, "cases", ()):
                todo.append(case.body)
    return ends


def _radon_blocks(source: str) -> tuple[list[Measurement], int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences etc. in analysed code
        tree = ast.parse(source)
    visitor = ComplexityVisitor.from_ast(tree)
    ends = _def_ends(tree)
    out = [Measurement(key="radon.cc", value=block.complexity, symbol=_symbol(
        name, is_method, block.lineno, block.col_offset,
        max(block.endline, ends.get((block.lineno, block.col_offset), block.endline))))
        for name, is_method, block in _expand(visitor.functions + visitor.classes, "", False)]
    return out, max(0, visitor.complexity - 1)  # radon starts a module at 1


def _expand(blocks: list[Any], prefix: str, in_class: bool) -> Iterator[tuple[str, bool, Any]]:
    """Functions, methods and closures with qualified names (``Class.method.inner``)."""
    for block in blocks:
        if hasattr(block, "methods"):  # a class
            inner = prefix + block.name + "."
            yield from _expand(block.methods, inner, True)
            yield from _expand(block.inner_classes, inner, False)
        else:
            name = prefix + block.name
            yield name, in_class, block
            yield from _expand(block.closures, name + ".", False)


def _cst_blocks(source: str) -> tuple[list[Measurement], int]:
    from frictionscan_radon.cst_complexity import complexity_blocks

    blocks, module = complexity_blocks(source)
    return [Measurement(key="radon.cc", value=b.complexity, symbol=_symbol(
        b.name, b.is_method, b.lineno, b.col, b.endline)) for b in blocks], module


@hookimpl
def frictionscan_measure_file(file: SourceFile, source: str,
                              config: Config) -> list[Measurement | AnalysisError]:
    loc, sloc = count_lines(source)
    out: list[Measurement | AnalysisError] = [
        Measurement(key="radon.loc", value=loc), Measurement(key="radon.sloc", value=sloc)]
    try:
        functions, module_cc = _radon_blocks(source)
    except (SyntaxError, ValueError) as exc:
        # newer syntax than this interpreter's ast knows? libcst's parser may still read it
        import libcst

        try:
            functions, module_cc = _cst_blocks(source)
        except (libcst.ParserSyntaxError, RecursionError, ValueError):
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            out.append(AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                                     message=f"does not parse: {getattr(exc, 'msg', exc)}"
                                             f"{where}; ranked on history only"))
            return out
        out.append(AnalysisError(
            kind=ErrorKind.NOTE, path=file.path,
            message="syntax newer than this Python's ast; complexity measured with libcst"))
    except RecursionError:
        out.append(AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                                 message="too deeply nested for the parser; ranked on history"))
        return out
    values = [m.value for m in functions]
    out.extend(functions)
    out += [
        Measurement(key="radon.cc_total", value=sum(values) + module_cc),
        Measurement(key="radon.cc_max", value=max(values, default=0)),
        Measurement(key="radon.functions", value=len(values)),
    ]
    if config.getoption("radon.maintainability", False):
        from radon.metrics import mi_visit

        out.append(Measurement(key="radon.mi", value=round(mi_visit(source, multi=True), 2)))
    return out
