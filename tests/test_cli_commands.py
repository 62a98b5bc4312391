"""The command tree: `frictionscan --help` lists every command, `frictionscan X --help` shows
X's options and runs nothing, usage errors name the command's help, and each command offers
only the formats it has."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import run

from frictionscan.cli import main
from frictionscan.core.errors import ExitCode
from frictionscan.testing import StreamBuilder, build_repo

#: Every command, with a word its summary in `frictionscan --help` must hold.
COMMANDS = {"scan": "hotspots", "plan": "sprint-planning", "explain": "one file",
            "ci": "pull-request", "baseline": "regressions", "backtest": "bug fixes",
            "trend": "friction over time",
            "fix": "quick fixes", "cache": "cache", "plugins": "plugins", "hooks": "hook",
            "rules": "rule"}
#: The commands whose first argument is a path (explain's must be a file).
PATHS = ("scan", "plan", "explain", "ci", "baseline", "backtest", "trend", "fix")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": "def f(x, y={}):\n    return x\n"})
    s.commit("2026-02-01T10:00:00", "fix f", {"app.py": "def f(x, y={}):\n    return x + 1\n"})
    return build_repo(s.text(), tmp_path / "repo")


def one_line_error(code: int, err: str, needle: str) -> str:
    assert code == ExitCode.USAGE_ERROR, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], err
    return lines[0]


def test_help_lists_every_command_with_its_summary() -> None:
    code, out, err = run("--help")
    assert code == 0 and err == ""
    assert out.startswith("usage: frictionscan ")
    listed = dict(re.findall(r"^    (\w+) +(.+)$", out, flags=re.MULTILINE))
    assert set(listed) == set(COMMANDS)
    for name, word in COMMANDS.items():
        assert word in listed[name], (name, listed[name])


def test_version() -> None:
    code, out, err = run("--version")
    assert code == 0 and re.fullmatch(r"frictionscan \d+\.\d+\.\d+\n", out), out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_help_shows_its_options_and_runs_nothing(repo: Path, command: str) -> None:
    args = ["info"] if command == "cache" else []
    before = sorted(p.name for p in repo.iterdir())
    code, out, err = run(command, *args, "--help", cwd=repo)
    assert code == 0, err
    assert err == ""
    # only the help: one usage line, the command's, and the help's last line at the end
    assert out.startswith(f"usage: frictionscan {command} ") and out.count("usage:") == 1
    assert out.endswith("See docs/cli.md.\n"), out[-300:]
    assert "--help" in out
    assert sorted(p.name for p in repo.iterdir()) == before  # no cache, no baseline


@pytest.mark.parametrize("command", PATHS + ("cache",))
def test_command_help_with_a_path_that_does_not_exist(tmp_path: Path, command: str) -> None:
    args = ["clear"] if command == "cache" else []
    code, out, err = run(command, *args, str(tmp_path / "nowhere"), "--help")
    assert code == 0, err
    assert out.startswith(f"usage: frictionscan {command} ") and err == ""


def test_options_before_the_command_name_still_select_plugins() -> None:
    _, out, _ = run("plan", "--help")
    assert "--maintainability" in out  # declared by the radon plugin
    code, out, err = run("-p", "no:radon", "plan", "--help")
    assert code == 0, err
    assert out.startswith("usage: frictionscan plan ") and "--maintainability" not in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_option_names_the_commands_help(repo: Path, command: str) -> None:
    args = {"explain": ["app.py"], "cache": ["info"]}.get(command, [])
    before = sorted(p.name for p in repo.iterdir())
    code, out, err = run(command, *args, "--no-such-option", cwd=repo)
    one_line_error(code, err, f"unrecognized arguments: --no-such-option (see frictionscan "
                              f"{command} --help)")
    assert out == ""
    assert sorted(p.name for p in repo.iterdir()) == before


def test_without_a_command_usage_errors_name_scan(repo: Path) -> None:
    code, _, err = run("--no-such-option", cwd=repo)
    one_line_error(code, err, "(see frictionscan scan --help)")


def test_without_a_command_scan_runs(planted_repo: Path) -> None:
    code, out, err = run("-p", "no:libcst", "--top", "3", str(planted_repo), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["hotspots"]) == 3 and not any(h["findings"] for h in doc["hotspots"])
    code, out, err = run("-f", "json", cwd=planted_repo)
    assert code == 0, err
    assert json.loads(out)["hotspots"][0]["path"] == "src/app/engine.py"


FORMATS = {"scan": {"json", "table"}, "plan": {"markdown", "html", "csv", "json"},
           "ci": {"markdown", "text", "sarif", "json"}, "explain": {"text", "json"},
           "backtest": {"table", "markdown", "json"},
           "trend": {"table", "markdown", "html", "csv", "json"}}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_format_choices_are_the_commands_own(command: str) -> None:
    code, out, _ = run(command, *(["info"] if command == "cache" else []), "--help")
    assert code == 0
    choices = re.search(r"-f \{([^}]*)\}, --format", out)
    if command in FORMATS:
        assert choices is not None, out
        assert set(choices.group(1).split(",")) == FORMATS[command]
    else:  # baseline writes its file, fix a diff; the others have one output
        assert choices is None and "--format" not in out


def test_a_format_of_another_command_is_refused(planted_repo: Path) -> None:
    code, _, err = run("explain", "src/app/engine.py", "-f", "table", cwd=planted_repo)
    one_line_error(code, err, "invalid choice: 'table'")
    assert "(see frictionscan explain --help)" in err
    code, _, err = run("baseline", str(planted_repo), "-f", "json")
    one_line_error(code, err, "unrecognized arguments: -f json")


def test_explain_writes_to_the_output_file(planted_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "explained.json"
    code, out, err = run("explain", "src/app/engine.py", "-f", "json", "-o", str(target),
                         cwd=planted_repo)
    assert code == 0, err
    assert out == ""
    assert json.loads(target.read_text())["path"] == "src/app/engine.py"
    code, out, err = run("explain", "src/app/engine.py", "-o", str(tmp_path / "no" / "x"),
                         cwd=planted_repo)
    one_line_error(code, err, "does not exist")


class Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["hooks", "--help"],
                                  ["plan", "--help"]])
def test_help_that_cannot_be_written_is_exit_6(args: list[str]) -> None:
    err = io.StringIO()
    code = main(args, stdout=Full(), stderr=err)
    assert code == ExitCode.OUTPUT_ERROR, err.getvalue()
    assert err.getvalue() == "error: cannot write to standard output: No space left on device\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["scan", "--help"]])
def test_help_into_dev_full_is_one_line_and_exit_6(args: list[str]) -> None:
    script = Path(sys.executable).parent / "frictionscan"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "frictionscan"]
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*cmd, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=120)
    assert proc.returncode == ExitCode.OUTPUT_ERROR, proc.stderr
    assert proc.stderr == "error: cannot write to standard output: No space left on device\n"
