"""The terminal table of ``scan`` (issue #19): one line per file that fits 80 to 100
columns, paths and function names shortened in the middle (never split across lines),
reasons under ``--why``, files whose findings were not checked marked apart from files
without findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from frictionscan_report import shorten
from test_cli import run

from frictionscan.testing import StreamBuilder, build_repo

DEEP = "plugins/frictionscan_git/a_rather_long_package_name/internals/__init__.py"
LONG = "src/somewhere/quite_deep/inside/the_project/module_name.py"
DORMANT = "src/old/dormant_module.py"
HOT = "VeryLongClassNameForTheTableTest.method_long_name"
CLASS = '''class VeryLongClassNameForTheTableTest:
    def method_long_name(self, x):
        if x > {n}:
            return x
        elif x < 0:
            return -x
        return 0
'''
PLAIN = '''def helper(x):
    if x:
        return {n}
    return 0
'''


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    s = StreamBuilder()
    s.commit("2020-01-01T10:00:00", "old", {DORMANT: PLAIN.format(n=0)})
    for n in range(1, 6):
        s.commit(f"2026-0{n}-01T10:00:00", f"change {n}",
                 {DEEP: CLASS.format(n=n), LONG: PLAIN.format(n=n)})
    return build_repo(s.text(), tmp_path_factory.mktemp("table") / "repo")


ROW = re.compile(r" *\d+ +\d+\.\d\d ")


def rows(out: str) -> list[str]:
    """The table's rows: lines that start with a rank and a score."""
    return [line for line in out.splitlines() if ROW.match(line)]


@pytest.mark.parametrize("columns", [80, 100])
def test_one_line_per_file_within_the_width(repo: Path, columns: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run("scan", str(repo), "--no-cache")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= columns
    found = rows(out)
    assert [line.split()[0] for line in found] == ["1", "2", "3"]  # one line each
    for name in ("__init__.py", "module_name.py", "dormant_module.py"):
        assert sum(name in line for line in found) == 1, (name, out)
    deep = next(line for line in found if "__init__.py" in line)
    assert "…" in deep.split()[2] and deep.split()[2].endswith("/__init__.py")  # the middle cut
    assert "…method_long_name" in deep or HOT in deep
    header = next(line.split() for line in out.splitlines() if line.startswith("#"))
    assert header == ["#", "score", "file", "changes", "cc", "find.", "focus", "hot",
                      "function"]
    assert "changes by" not in out  # the reasons are --why's


def test_why_puts_the_reasons_under_each_row(repo: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("scan", str(repo), "--no-cache", "--why")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    first = next(i for i, line in enumerate(lines) if line.split()[:1] == ["1"])
    reason = lines[first + 1]
    assert reason.startswith(" " * 8) and reason.split()[:4] == ["5", "changes", "by", "1"]
    assert HOT in out  # whole in the reasons, wrapped at words
    found = rows(out)
    assert len(found) == 3  # a reason line after each
    assert all(not ROW.match(lines[lines.index(row) + 1]) for row in found)


def test_not_checked_is_not_zero_findings(repo: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run("scan", str(repo), "--no-cache")
    assert code == 0, err
    by_name = {line.split()[2].rsplit("/", 1)[-1]: line.split() for line in rows(out)}
    # columns: rank, score, file, changes, cc, find., ...
    assert by_name["dormant_module.py"][5] == "·"  # unchanged in the window: not checked
    assert by_name["module_name.py"][5] == "0"  # checked, nothing found
    legend = [line for line in out.splitlines() if line.startswith("· not checked")]
    assert len(legend) == 1 and "--all-findings" in legend[0]
    code, out, err = run("scan", str(repo), "--no-cache", "--all-findings")
    assert code == 0, err
    by_name = {line.split()[2].rsplit("/", 1)[-1]: line.split() for line in rows(out)}
    assert by_name["dormant_module.py"][5] == "0"
    assert "· not checked" not in out


def test_an_unreadable_file_is_marked_as_not_checked(planted_repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run("scan", str(planted_repo), "--top", "11")
    assert code == 0, err
    broken = next(line.split() for line in rows(out) if "src/app/broken.py" in line)
    assert broken[4:6] == ["-", "-"]
    assert "- not checked: it could not be read or parsed (see below)" in out


@pytest.mark.parametrize("width", [8, 12, 20, 24, 30, 40, 80])
def test_shortened_paths_keep_their_file_name(width: int) -> None:
    for path in (DEEP, LONG, "a/b.py", "setup.py", "src/日本語/ファイル名.py"):
        short = shorten.path(path, width)
        assert shorten.cell_len(short) <= width, (path, short)
        name = path.rsplit("/", 1)[-1]
        if shorten.cell_len(name) + 2 <= width:
            assert short.endswith("/" + name) or short == path, (path, short)
        if short != path:
            assert short.startswith("…") or "/…" in short, (path, short)


def test_shortening_cuts_the_middle_not_the_ends() -> None:
    assert shorten.path(DEEP, 31) == "plugins/…/internals/__init__.py"
    assert shorten.path(DEEP, 30) == "plugins/…internals/__init__.py"  # the room filled
    assert shorten.path(DEEP, 23) == shorten.path(DEEP, 21) == "plugins/…/__init__.py"
    assert shorten.path(DEEP, 24) == "plugins/…als/__init__.py"
    assert shorten.path(DEEP, 12) == "…__init__.py"
    assert shorten.path(DEEP, 15) == "…/__init__.py"
    assert shorten.path("a/b.py", 5) == "…b.py"
    assert shorten.path(DEEP, len(DEEP)) == DEEP
    assert shorten.qualified(HOT, 25) == "VeryLong…method_long_name"
    assert shorten.qualified(HOT, 20) == "…method_long_name"
    assert shorten.path_minimum(DEEP) == len("…/__init__.py")
    assert shorten.qualified_minimum(HOT) == len("…method_long_name")
    assert shorten.qualified("Cls.method", 5) == "me…od"
    assert shorten.middle("abcdefghij", 5) == "ab…ij"
    assert shorten.focus("Core pipeline x3", 14) == "Core pipel… x3"
    assert shorten.focus("Core pipeline x3", 16) == "Core pipeline x3"
    assert shorten.focus("x0.5", 4) == "x0.5"


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_explain_never_breaks_a_name(repo: Path, columns: int,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #19: off a terminal and at narrow widths, function names and paths stay on one
    line: shortened in the middle in the X-ray, wrapped at words elsewhere."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run("explain", str(repo / DEEP), "--no-cache")
    assert code == 0, err
    lines = out.splitlines()
    assert "\x1b" not in out
    last = HOT.rsplit(".", 1)[1]
    for part in ("method_lo", "VeryLongClass"):  # no line ends inside a name
        assert not any(line.endswith(part) or line.lstrip().startswith(part[3:])
                       for line in lines), out
    xray = [line for line in lines if line.rstrip().endswith(" (2)")]
    assert len(xray) == 1 and f"{last} (2)" in xray[0]
    complex_row = next(line for line in lines if line.split()[1:2] == ["2"]
                       and line.split()[0].isdigit())
    assert complex_row.endswith(last)
    assert DEEP in out


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_rules_never_break_a_name(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from frictionscan.engine.session import Session
    from frictionscan.engine.suppressions import all_rules
    from frictionscan.plugin.manager import PluginSpec

    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run("rules")
    assert code == 0, err
    lines = out.splitlines()
    rules = [info for _, info in all_rules(Session.start(PluginSpec()).hooks)]
    assert rules
    for info in rules:
        row = next(line for line in lines if line.startswith(f"{info.code} "))
        assert row.split()[1] == info.name, row
    if columns >= 80:  # the widest name with its columns fits in 80
        assert max(len(line) for line in lines) <= columns


def test_the_title_counts_in_good_english(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": "def f(x):\n    return x\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "--no-cache")
    assert code == 0, err
    assert out.startswith("Friction hotspots: 1 file, 1 commit since")


def test_an_unknown_kind_is_a_one_line_error(planted_repo: Path) -> None:
    from test_cli import assert_one_line_error

    from frictionscan.core.errors import ExitCode

    code, out, err = run("scan", str(planted_repo), "--kinds", "product,bogus")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "no kind of file called bogus")
    assert "product, test, docs, tooling, generated, vendored" in err
    code, out, err = run("scan", str(planted_repo), "--kinds", "product,vendored", "--no-cache")
    assert code == 0, err  # a known kind with no file is no error
