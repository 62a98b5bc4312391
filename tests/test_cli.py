"""The command line, including every kind of bad input: one line, non-zero exit, no traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import git

from frictionscan.cli import main
from frictionscan.core.errors import ExitCode


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if cwd is not None:
        import os

        old = os.getcwd()
        os.chdir(cwd)
        try:
            code = main(list(args), stdout=out, stderr=err)
        finally:
            os.chdir(old)
    else:
        code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(code: int, err: str, expected: ExitCode, needle: str) -> None:
    assert code == expected, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and needle in lines[0], err
    assert "Traceback" not in err


def test_the_table_is_the_default_off_a_terminal_too(planted_repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #19: off a terminal (a pipe, a CI log) the human format, plain: no colour or
    control sequences, 100 columns (or ``$COLUMNS``); JSON only with ``--format json``."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich would colour even a pipe with it
    code, out, err = run("scan", str(planted_repo), "-j", "2", "--top", "3", "--why")
    assert code == 0, err
    assert out.startswith("Friction hotspots: 11 files") and "\x1b" not in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].endswith("(HEAD 0a4c182a59)")
    assert max(len(line) for line in lines) > 80  # reasons wrap at 100, not 80
    assert any(line.strip() == "outside every focus area: x0.5" for line in lines)
    monkeypatch.setenv("COLUMNS", "132")
    code, out, err = run("scan", str(planted_repo), "-j", "2", "--top", "3", "--why")
    assert max(len(line) for line in out.splitlines()) <= 132
    assert "12 months, outside every focus area: x0.5" in out  # one line at 132
    code, out, err = run("scan", str(planted_repo), "-j", "2", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert doc["hotspots"][0]["path"] == "src/app/engine.py"
    assert doc["hotspots"][0]["rank"] == 1


def test_table_output(planted_repo: Path) -> None:
    code, out, err = run(str(planted_repo), "--format", "table", "--top", "3")
    assert code == 0, err
    assert "src/app/engine.py" in out and "hot function" in out
    assert "... 8 more files" in out
    assert "files with problems" in out


def test_scan_from_a_subdirectory_and_output_file(planted_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, err = run("scan", "-o", str(target), "--format", "json",
                         cwd=planted_repo / "src" / "app")
    assert code == 0, err
    assert out == ""
    assert json.loads(target.read_text())["repository"]["root"] == str(planted_repo)


def test_missing_path() -> None:
    code, _, err = run("scan", "/no/such/place")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "does not exist")


def test_not_a_repository(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "not inside a git repository")


def test_repository_without_commits(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    code, _, err = run("scan", str(tmp_path))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "no commits yet")


def test_shallow_clone_is_scanned_with_a_warning(planted_repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "3", planted_repo.as_uri(), str(clone)],
                   check=True, capture_output=True)
    code, out, err = run("scan", str(clone), "--format", "json")
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    assert any("shallow clone" in w and "fetch-depth: 0" in w for w in warnings)


@pytest.mark.parametrize("content,needle", [
    ("[tool.frictionscan\nsince=", "invalid TOML"),
    ("[tool.frictionscan]\nsinse = '3 months'\n", "tool.frictionscan.sinse: unknown key"),
    ("[tool.frictionscan]\nsince = 3\n", "tool.frictionscan.since must be a string"),
    ("[tool.frictionscan]\nsince = 'soon'\n", "not a duration"),
    ("[tool.frictionscan]\nexclude = 'x'\n", "exclude must be a list of strings"),
    ("[tool.frictionscan.radon]\nmaintainability = 'yes'\n", "maintainability must be true"),
    ("[tool.frictionscan.radon]\nspeed = 1\n", "radon.speed: unknown key"),
    ("[tool.frictionscan.todo]\nx = 1\n", "tool.frictionscan.todo: no loaded plugin declares"),
    ("[[tool.frictionscan.focus]]\nname = 'x'\n", "missing required key 'paths'"),
    ("[[tool.frictionscan.focus]]\nname = 'x'\npaths = ['a/**']\nweight = -1\n",
     "weight must not be negative"),
    ("[[tool.frictionscan.focus]]\nname = 'x'\npaths = ['a/**']\nhorizon = 'later'\n",
     "horizon"),
])
def test_broken_config(planted_copy: Path, content: str, needle: str) -> None:
    (planted_copy / "pyproject.toml").write_text(content)
    code, _, err = run("scan", str(planted_copy))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, needle)
    assert "pyproject.toml" in err


def test_frictionscan_toml_wins_and_cli_overrides(planted_copy: Path) -> None:
    (planted_copy / ".frictionscan.toml").write_text('since = "1 month"\ntop = 2\n')
    code, out, err = run("scan", str(planted_copy), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["hotspots"]) == 2
    assert doc["window"]["since"] == "2026-05-30T12:00:00Z"
    code, out, err = run("scan", str(planted_copy), "--format", "json", "--since", "2025-01-01",
                         "--top", "0")
    doc = json.loads(out)
    assert doc["window"]["since"] == "2025-01-01T00:00:00Z" and len(doc["hotspots"]) == 11


def test_include_and_exclude_options(planted_repo: Path) -> None:
    code, out, _ = run("scan", str(planted_repo), "-f", "json", "--exclude", "src/app/**")
    paths = [h["path"] for h in json.loads(out)["hotspots"]]
    assert paths and not any(p.startswith("src/app/") for p in paths)
    code, out, _ = run("scan", str(planted_repo), "-f", "json", "--include", "src/payments/*.py")
    assert {h["path"] for h in json.loads(out)["hotspots"]} == {
        "src/payments/__init__.py", "src/payments/billing.py"}


def test_unknown_format_and_bad_option(planted_repo: Path) -> None:
    code, _, err = run("scan", str(planted_repo), "--format", "xml")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "invalid choice: 'xml'")
    code, _, err = run("scan", str(planted_repo), "--top", "many")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "--top: invalid int value")


def test_unknown_plugin_module(planted_repo: Path) -> None:
    code, _, err = run("scan", str(planted_repo), "-p", "no_such_plugin_xyz")
    assert_one_line_error(code, err, ExitCode.PLUGIN_ERROR,
                          "cannot load plugin 'no_such_plugin_xyz'")


def test_blocking_a_builtin(planted_repo: Path) -> None:
    code, out, err = run("scan", str(planted_repo), "-f", "json", "-p", "no:libcst")
    assert code == 0, err
    assert all(not h["findings"] for h in json.loads(out)["hotspots"])
    code, _, err = run("scan", str(planted_repo), "-p", "no:scoring")
    assert_one_line_error(code, err, ExitCode.PLUGIN_ERROR, "no plugin answered frictionscan_score")


def test_plugins_command_lists_hooks() -> None:
    code, out, _ = run("plugins")
    assert code == 0
    assert "git  (frictionscan_git, builtin)" in out
    assert "frictionscan_collect_history" in out
    code, out, _ = run("plugins", "-p", "no:radon")
    assert "radon" not in out


def test_local_plugins_from_config_need_permission(planted_copy: Path) -> None:
    (planted_copy / "evil_plugin.py").write_text("raise SystemExit('executed!')\n")
    (planted_copy / ".frictionscan.toml").write_text('plugins = ["evil_plugin"]\n')
    code, out, err = run("scan", str(planted_copy), "-f", "json")
    assert code == 0
    assert "not loaded without --allow-local-plugins" in err
    code, out, err = run("scan", str(planted_copy), "-f", "json", "--allow-local-plugins")
    assert code == ExitCode.PLUGIN_ERROR and "evil_plugin" in err


def write_plugin(directory: Path, name: str, body: str) -> None:
    (directory / f"{name}.py").write_text(textwrap.dedent(body))


def test_plugin_raising_per_file_is_recorded(planted_repo: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "raising_plugin", """
        import frictionscan

        @frictionscan.hookimpl
        def frictionscan_measure_file(file):
            if file.path.endswith("util.py"):
                raise RuntimeError("boom in util")
    """)
    monkeypatch.chdir(tmp_path)
    code, out, err = main_in(planted_repo, "-p", "raising_plugin")
    assert code == ExitCode.OK  # a complete ranking: util.py is listed, ranked on history
    doc = json.loads(out)
    errors = [e for e in doc["errors"] if e["kind"] == "plugin"]
    assert errors == [{"path": "src/app/util.py", "kind": "plugin", "plugin": "raising_plugin",
                       "hook": "frictionscan_measure_file",
                       "message": "RuntimeError: boom in util"}]
    util = next(h for h in doc["hotspots"] if h["path"] == "src/app/util.py")
    assert util["signals"]["radon.cc_total"] == 1  # the other plugins' results are kept


def test_plugin_raising_in_a_whole_run_hook(planted_repo: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "bad_rank", """
        import frictionscan

        @frictionscan.hookimpl
        def frictionscan_rank(hotspots):
            return 1 / 0
    """)
    monkeypatch.chdir(tmp_path)
    code, _, err = main_in(planted_repo, "-p", "bad_rank")
    assert_one_line_error(code, err, ExitCode.PLUGIN_ERROR,
                          "plugin 'bad_rank' raised in frictionscan_rank: ZeroDivisionError")


def test_plugin_with_a_misspelled_hook(planted_repo: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "typo_plugin", """
        import frictionscan

        @frictionscan.hookimpl
        def frictionscan_mesure_file(file):
            pass
    """)
    monkeypatch.chdir(tmp_path)
    code, _, err = main_in(planted_repo, "-p", "typo_plugin")
    assert_one_line_error(code, err, ExitCode.PLUGIN_ERROR, "unknown hook")


def main_in(repo: Path, *args: str) -> tuple[int, str, str]:
    return run("scan", str(repo), "-f", "json", "-j", "1", *args)


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "frictionscan", "--version"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("frictionscan ")


def test_repository_strings_are_not_markup_in_the_table(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    stream = StreamBuilder()
    stream.commit("2026-01-01T10:00:00", "add", {"[red]evil[/red] <b>.py": "x = 1\n",
                                                 "caf\u00e9/\u65e5\u672c.py": "y = 2\n"})
    repo = build_repo(stream.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "-f", "table")
    assert code == 0, err
    assert "[red]evil[/red] <b>.py" in out
    assert "caf\u00e9/\u65e5\u672c.py" in out
    code, out, err = run("scan", str(repo), "-f", "json")
    assert {h["path"] for h in json.loads(out)["hotspots"]} == {
        "[red]evil[/red] <b>.py", "caf\u00e9/\u65e5\u672c.py"}


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    stream = StreamBuilder()
    name = b"lat\xe9n.py".decode("utf-8", "surrogateescape")
    stream.commit("2026-01-01T10:00:00", "add", {name: "def f(x):\n    return x\n"})
    repo = build_repo(stream.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "-f", "json")
    assert code == 0, err
    (hotspot,) = json.loads(out)["hotspots"]
    assert hotspot["path"] == "lat\ufffdn.py"
    assert hotspot["signals"]["radon.cc_total"] == 1  # the file itself was read
    code, out, err = run("scan", str(repo), "-f", "table")
    assert code == 0 and "lat\ufffdn.py" in out


def test_repository_without_python_files(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    stream = StreamBuilder()
    stream.commit("2026-01-01T10:00:00", "add", {"README.md": "hi\n", "vendor/x.py": "x = 1\n"})
    repo = build_repo(stream.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "-f", "table")
    assert code == 0, err
    assert ("no files to analyse: 1 tracked files match include (**/*.py), 1 of them excluded"
            in " ".join(out.split()))


def test_local_plugin_from_config_with_its_own_flag(planted_copy: Path) -> None:
    (planted_copy / "team_plugin.py").write_text(textwrap.dedent("""
        import frictionscan
        from frictionscan.core.model import Measurement

        @frictionscan.hookimpl
        def frictionscan_addoption(parser):
            parser.addoption("team.level", type=int, default=1, help="a level",
                             flag="--team-level")

        @frictionscan.hookimpl
        def frictionscan_measure_file(config):
            return Measurement(key="team.level", value=config.getoption("team.level"))
    """))
    (planted_copy / ".frictionscan.toml").write_text(
        'plugins = ["team_plugin"]\n[team]\nlevel = 3\n')
    code, out, err = run("scan", "--team-level", "7", str(planted_copy), "-f", "json",
                         "--allow-local-plugins", "-j", "1")
    assert code == 0, err
    assert json.loads(out)["hotspots"][0]["signals"]["team.level"] == 7
    code, out, err = run("scan", str(planted_copy), "-f", "json", "--allow-local-plugins")
    assert json.loads(out)["hotspots"][0]["signals"]["team.level"] == 3


def test_output_to_a_directory_or_nowhere(planted_repo: Path, tmp_path: Path) -> None:
    code, _, err = run("scan", str(planted_repo), "-o", str(tmp_path))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "it is a directory")
    code, _, err = run("scan", str(planted_repo), "-o", str(tmp_path / "no" / "x.json"))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "does not exist")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_output_into_a_pipe_or_through_a_link(planted_repo: Path, tmp_path: Path) -> None:
    """-o /dev/null must write into the device, not replace it with a file (as root it
    could); a named pipe is read by whoever waits on it; a link keeps pointing where it
    did."""
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    code, _, err = run("scan", str(planted_repo), "-f", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, err
    assert json.loads(received[0])["hotspots"]
    assert fifo.is_fifo()
    real = tmp_path / "reports" / "scan.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    code, _, err = run("scan", str(planted_repo), "-f", "json", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and json.loads(real.read_text())["hotspots"]


def test_a_reader_that_goes_away_is_not_an_error(planted_repo: Path) -> None:
    """``frictionscan scan | head -1`` exits 0 like ``-f json | head``: rich turns the broken
    pipe into ``SystemExit(1)``, which is not the command's failure (docs/cli.md)."""
    import subprocess

    for fmt in ("table", "json"):
        proc = subprocess.Popen([sys.executable, "-m", "frictionscan", "scan", str(planted_repo),
                                 "-f", fmt, "--top", "11", "--why", "-q"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(1)
        proc.stdout.close()  # the reader goes away after one byte
        assert proc.wait(timeout=120) == 0, (fmt, proc.stderr.read())
