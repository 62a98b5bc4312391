"""Built-in plugin *coupling*: files that keep changing together (docs/coupling-and-knowledge.md).

* ``frictionscan_analyse_repository``: from the window's commits (``history.commits``, the
  same ``git log`` pass as the churn numbers), for every pair of files the commits that
  changed both and the degree (shared commits over the mean of the two files' revisions,
  as code-maat defines it); mass commits (more than ``coupling.max_commit_files`` files)
  and merges left out; a pair is kept with at least ``coupling.min_shared`` shared commits
  and a degree of at least ``coupling.min_degree``. A pair whose files live in different
  directories (packages) or different focus areas is a *hidden dependency*, unless one of
  them is a test (``coupling.expected``): tests are meant to change with their code.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path

from frictionscan.api import (
    Between,
    Config,
    Coupling,
    Focus,
    History,
    OptionParser,
    SourceFile,
    Store,
    globs,
    history_key,
    hookimpl,
    match_any,
)
from frictionscan_coupling import codec
from frictionscan_coupling.pairs import couplings

__version__ = "0.1.0"

#: Files whose coupling with anything is expected, not hidden: tests change with their code.
DEFAULT_EXPECTED = ["test_*.py", "*_test.py", "tests.py", "conftest.py", "**/tests/**",
                    "**/test/**", "**/testing/**"]


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("coupling.min_shared", type=int, default=5, validate=Between(1),
                     help="commits two files must share to count as coupled")
    parser.addoption("coupling.min_degree", type=float, default=0.3, validate=Between(0, 1),
                     help="least degree of coupling: shared commits over the mean of the two "
                          "files' revisions, from 0 to 1")
    parser.addoption("coupling.max_commit_files", type=int, default=30, validate=Between(2),
                     help="commits touching more files than this (mass edits) are left out")
    parser.addoption("coupling.expected", type=list, default=DEFAULT_EXPECTED,
                     validate=globs,
                     help="globs of files (tests) whose coupling across boundaries is "
                          "expected, never a hidden dependency")


def boundary_of(focus: Focus, expected: Sequence[str]) -> Callable[[str, str], str]:
    """``boundary(a, b)``: ``"focus area"`` when the two files are not in the same focus
    areas, else ``"package"`` when they are in different directories, else ``""`` (and
    ``""`` whenever one of them is ``expected`` to change with others)."""
    areas: dict[str, frozenset[str]] = {}

    def areas_of(path: str) -> frozenset[str]:
        found = areas.get(path)
        if found is None:
            found = areas[path] = frozenset(a.name for a in focus.areas
                                            if match_any(path, a.paths))
        return found

    patterns = tuple(expected)

    def boundary(a: str, b: str) -> str:
        if match_any(a, patterns) or match_any(b, patterns):
            return ""
        if areas_of(a) != areas_of(b):
            return "focus area"
        if posixpath.dirname(a) != posixpath.dirname(b):
            return "package"
        return ""

    return boundary


@hookimpl
def frictionscan_analyse_repository(root: Path, files: Sequence[SourceFile], history: History,
                                    focus: Focus, config: Config,
                                    store: Store | None) -> list[Coupling]:
    """The couplings of every changed file; kept in ``store`` for the same history."""
    min_shared = int(config.getoption("coupling.min_shared", 5))
    min_degree = float(config.getoption("coupling.min_degree", 0.3))
    max_files = int(config.getoption("coupling.max_commit_files", 30))
    expected = list(config.getoption("coupling.expected", DEFAULT_EXPECTED))
    key = history_key("coupling", __version__, history, files, focus,
                    (min_shared, min_degree, max_files, expected))
    cached = codec.decode(store.get(key)) if store is not None else None
    if cached is not None:
        return cached
    found = couplings(history.commits, min_shared=min_shared, min_degree=min_degree,
                      max_files=max_files, boundary=boundary_of(focus, expected))
    if store is not None:
        store.put(key, codec.encode(found))
    return found
