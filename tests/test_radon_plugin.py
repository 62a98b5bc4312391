"""The radon plugin: complexity per function, sizes, and newer syntax."""

from __future__ import annotations

import ast
import sys

import pytest
from frictionscan_radon import count_lines, frictionscan_measure_file
from frictionscan_radon.cst_complexity import complexity_blocks

from frictionscan.core.config import Config
from frictionscan.core.model import AnalysisError, ErrorKind, Measurement, SourceFile

SOURCE = '''\
"""doc"""
import os

# a comment

def simple():
    return 1


def branchy(x, items):
    if x and items:
        for i in items:
            if i > 2:
                return i
    elif x or not items:
        return [j for j in items if j]
    return x if x else None


class Store:
    def get(self, key):
        try:
            return self.data[key]
        except KeyError:
            return None
        except TypeError:
            raise

    def closure(self):
        def inner(y):
            while y:
                y -= 1
            return y
        return inner
'''


def measure(source: str, **options: object) -> list[Measurement | AnalysisError]:
    config = Config(root=".", options=tuple(options.items()))
    return frictionscan_measure_file(SourceFile(path="m.py"), source, config)


def by_symbol(results: list[Measurement | AnalysisError]) -> dict[str, float]:
    return {m.symbol.name: m.value for m in results
            if isinstance(m, Measurement) and m.symbol is not None}


def file_value(results: list[Measurement | AnalysisError], key: str) -> float:
    return next(m.value for m in results
                if isinstance(m, Measurement) and m.key == key and m.symbol is None)


# branchy: 1 + if + and + for + if + elif + or + comprehension (for, if) + ternary = 10
EXPECTED = {"simple": 1, "branchy": 10, "Store.get": 3, "Store.closure": 1,
            "Store.closure.inner": 2}


def test_complexity_per_function_and_file() -> None:
    results = measure(SOURCE)
    assert by_symbol(results) == EXPECTED
    assert file_value(results, "radon.cc_total") == sum(EXPECTED.values())
    assert file_value(results, "radon.cc_max") == 10
    assert file_value(results, "radon.functions") == 5
    get = next(m for m in results if isinstance(m, Measurement) and m.symbol
               and m.symbol.name == "Store.get")
    assert get.symbol is not None and get.symbol.kind.value == "method"
    assert (get.symbol.span.start_line, get.symbol.span.end_line) == (21, 27)


def test_libcst_fallback_counts_like_radon() -> None:
    blocks, module = complexity_blocks(SOURCE)
    assert {b.name: b.complexity for b in blocks} == EXPECTED
    assert module == 0


def test_sizes() -> None:
    assert count_lines("a = 1\n\n# c\n  # d\nb = 2\n") == (5, 2)
    results = measure(SOURCE)
    assert file_value(results, "radon.loc") == SOURCE.count("\n")


def test_maintainability_only_when_enabled() -> None:
    assert all(getattr(m, "key", None) != "radon.mi" for m in measure(SOURCE))
    mi = [m for m in measure(SOURCE, **{"radon.maintainability": True})
          if isinstance(m, Measurement) and m.key == "radon.mi"]
    assert len(mi) == 1 and 0 < mi[0].value <= 100


NEW_SYNTAX = '''\
type Pair[T] = tuple[T, T]


def first[T](pair: Pair[T], flag: bool) -> T:
    if flag and pair:
        return pair[0]
    return pair[1]
'''


def test_newer_syntax_than_the_interpreter_still_gets_complexity() -> None:
    results = measure(NEW_SYNTAX)
    assert by_symbol(results) == {"first": 3}
    notes = [r for r in results if isinstance(r, AnalysisError)]
    try:
        ast.parse(NEW_SYNTAX)
    except SyntaxError:
        assert [n.kind for n in notes] == [ErrorKind.NOTE]
        assert "measured with libcst" in notes[0].message
    else:
        assert notes == [], sys.version


@pytest.mark.parametrize("source", ["def broken(:\n    pass\n", "x = (" * 200 + ")" * 200])
def test_unparseable_files_get_a_parse_error(source: str) -> None:
    results = measure(source)
    errors = [r for r in results if isinstance(r, AnalysisError)]
    if "broken" in source:
        assert [e.kind for e in errors] == [ErrorKind.PARSE]
        assert "line 1" in errors[0].message
    assert file_value(results, "radon.loc") >= 1
