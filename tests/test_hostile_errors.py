"""Hostile input that must end in one line naming the culprit (issue #12, "errors that name
the culprit"), and the promises of docs/cli.md about fixes, symbolic links and the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import git
from test_cli import run

from frictionscan import hookimpl
from frictionscan.core.config import Config, OptionParser
from frictionscan.core.errors import ConfigError, ExitCode, RepositoryError
from frictionscan.core.run import Run
from frictionscan.testing import StreamBuilder, build_repo, run_scan

APP = "def f(x):\n    if x:\n        return 1\n    return 2\n"


def one_line_error(code: int, err: str, needle: str,
                   expected: ExitCode = ExitCode.USAGE_ERROR) -> str:
    """The single ``error:`` line, after checking the exit code and that it says ``needle``."""
    assert code == expected, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert needle in lines[0], err
    assert "Traceback" not in err and "raised" not in err
    return lines[0]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Three commits; the last one (HEAD) is dated a month before its parent."""
    s = StreamBuilder()
    s.commit("2025-01-01", "add app", {"app.py": APP, "lib/b.py": "x = 1\n"})
    s.commit("2025-03-01", "fix app", {"app.py": APP.replace("1", "3")})
    s.commit("2025-02-01", "change b", {"lib/b.py": "x = 2\n"})
    return build_repo(s.text(), tmp_path / "repo")


def configure(repo: Path, text: str, name: str = ".frictionscan.toml") -> Path:
    path = repo / name
    path.write_text(text)
    return path


# --- invalid configuration is exit 2, naming the file and the key ----------------------


def test_a_fix_pattern_that_does_not_compile_names_file_and_key(repo: Path) -> None:
    path = configure(repo, '[tool.frictionscan.git]\nfix_pattern = "(unclosed"\n',
                     "pyproject.toml")
    code, _, err = run("scan", str(repo), "-f", "json")
    line = one_line_error(code, err, f"{path}: tool.frictionscan.git.fix_pattern: ")
    assert "not a valid regular expression: missing )" in line


def test_an_include_glob_with_a_bad_range_names_file_and_key(repo: Path) -> None:
    path = configure(repo, 'include = ["[z-a]"]\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, f"{path}: include: '[z-a]' is not a valid glob: bad character "
                              f"range z-a")
    code, _, err = run("scan", str(repo), "-f", "json", "--include", "*.py",
                       "--exclude", "[z-a]")
    one_line_error(code, err, "error: --exclude: '[z-a]' is not a valid glob")


def test_absolute_and_escaping_globs_are_rejected(repo: Path) -> None:
    code, _, err = run("scan", str(repo), "-f", "json", "--include", "/etc/*")
    line = one_line_error(code, err, "error: --include: '/etc/*' is an absolute path")
    assert "'etc/*'" in line  # how to say "at the root"
    path = configure(repo, '[[focus]]\nname = "up"\npaths = ["../shared/**"]\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, f"{path}: focus[0].paths: '../shared/**' leaves the repository")


def test_a_git_failure_is_reported_whole(repo: Path) -> None:
    """A plugin given a configuration by other code: git's own message, complete (it was cut
    to a single quote: GitPython wraps stderr in ``stderr: '...'``)."""
    from frictionscan_git import frictionscan_collect_history, git_message

    config = Config(root=str(repo), include=("/etc/*",), cache=False)
    with pytest.raises(RepositoryError) as caught:
        frictionscan_collect_history(repo, [], config, None, Run())
    message = str(caught.value)
    assert message.startswith("git log failed: ") and "outside repository" in message
    assert "\n" not in message and message.endswith(f"outside repository at '{repo}'")
    assert git_message("\n  stderr: 'warning: x\nfatal: bad thing\n'") == "bad thing"


def test_a_negative_dormant_factor_is_refused(repo: Path) -> None:
    path = configure(repo, "[roadmap]\ndormant_factor = -1\n")
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, f"{path}: roadmap.dormant_factor: must be between 0 and 1, "
                              f"got -1.0")
    configure(repo, "[git]\nhalf_life_days = -3\n")
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, "git.half_life_days: must be at least 0, got -3.0")
    configure(repo, '[roadmap]\ndormant_after = "soon"\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, f"{path}: roadmap.dormant_after: 'soon' is not a duration")


def test_config_naming_a_directory(repo: Path, tmp_path: Path) -> None:
    code, _, err = run("scan", str(repo), "--config", str(tmp_path))
    one_line_error(code, err, f"config file {tmp_path} is a directory, not a file")


def test_a_bad_command_line_value_names_the_flag_not_the_file(repo: Path) -> None:
    configure(repo, '[tool.frictionscan]\nsince = "12 months"\n', "pyproject.toml")
    code, _, err = run("scan", str(repo), "-f", "json", "--since", "6 mnths")
    line = one_line_error(code, err, "error: --since: '6 mnths' is not a duration")
    assert "pyproject.toml" not in line


def test_a_plugin_declares_what_is_valid(repo: Path) -> None:
    """The general mechanism: ``validate`` on ``addoption``, for the file and the flag."""
    from frictionscan.core.config import Between

    class Team:
        @hookimpl
        def frictionscan_addoption(self, parser: OptionParser) -> None:
            parser.addoption("team.level", type=int, default=1, help="level",
                             flag="--team-level", validate=Between(1, 5))

    path = configure(repo, "[team]\nlevel = 9\n")
    with pytest.raises(ConfigError, match=rf"^{path}: team.level: must be between 1 and 5, "
                                          rf"got 9$"):
        run_scan(repo, plugins=[Team()])
    with pytest.raises(ConfigError, match=r"^--team-level: must be between 1 and 5, got 0$"):
        run_scan(repo, plugins=[Team()], overrides={"team.level": 0})
    path.unlink()
    assert run_scan(repo, plugins=[Team()], overrides={"team.level": 3}).hotspots


# --- time: durations, dates, HEAD older than its parent ---------------------------------


def test_an_absurd_duration_is_one_clear_line(repo: Path) -> None:
    path = configure(repo, 'since = "99999999 years"\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    one_line_error(code, err, f"{path}: since: '99999999 years' is too long: at most 1000 years")
    code, _, err = run("scan", str(repo), "-f", "json", "--since", "9" * 5000 + " days")
    one_line_error(code, err, "error: --since: ")


def test_a_date_before_1970_means_all_of_history(repo: Path) -> None:
    code, out, err = run("scan", str(repo), "-f", "json", "--since", "0001-01-01")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["window"]["since"] == "1970-01-01T00:00:00Z"
    assert doc["window"]["commits"] == 3


def test_since_after_head_is_an_error_not_an_empty_window(repo: Path) -> None:
    code, _, err = run("scan", str(repo), "-f", "json", "--since", "2099-01-01")
    one_line_error(code, err, "since 2099-01-01 is after HEAD's commit time (2025-02-01): the "
                              "window would be empty")


def test_explain_never_says_negative_days(repo: Path) -> None:
    code, out, err = run("explain", "--no-cache", "app.py", cwd=repo)
    assert code == 0, err
    flat = " ".join(out.split())
    assert "last today" in flat and "0 days ago" not in flat and "-28" not in flat
    app = next(h for h in run_scan(repo).hotspots if h.path == "app.py")
    assert app.analysis.history.idle_days == 0.0
    assert app.analysis.history.age_days == 31.0  # first change 2025-01-01, HEAD 2025-02-01


# --- backtest on a repository without a usable history ---------------------------------


def test_backtest_on_an_empty_repository(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    code, _, err = run("backtest", str(empty))
    one_line_error(code, err, "the repository has no commits yet")


def test_backtest_on_a_single_commit(tmp_path: Path) -> None:
    s = StreamBuilder()
    s.commit("2025-01-01", "add", {"a.py": "x = 1\n"})
    one = build_repo(s.text(), tmp_path / "one")
    code, _, err = run("backtest", str(one))
    one_line_error(code, err, "the history is too short")
    code, _, err = run("backtest", str(one), "--at", "HEAD")
    one_line_error(code, err, "the cut is HEAD itself")


# --- fix: a patch that git applies -------------------------------------------------------

BODY = ("def f(x):\n    if x == None:\n        return 'caf\xe9'\n    else:\n        y = x\n"
        "        z = y\n        return z")
ENCODED = {
    "latin.py": ("# -*- coding: latin-1 -*-\n" + BODY + "\n").encode("latin-1"),
    "crlf.py": ("# -*- coding: latin-1 -*-\n" + BODY + "\n").encode("latin-1")
    .replace(b"\n", b"\r\n"),
    "bom.py": b"\xef\xbb\xbf" + (BODY + "\n").encode(),
    "no_newline.py": BODY.encode(),
    "feed.py": ("# a\x0cb and c\rd\n" + BODY + "\n").encode(),
    "sp ace.py": b"\xef\xbb\xbf" + (BODY + "\n").encode(),
    'quo"te.py': (BODY + "\n").encode(),
}


@pytest.fixture
def encoded_repo(tmp_path: Path) -> Path:
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", dict(ENCODED))
    return build_repo(s.bytes(), tmp_path / "repo")


def test_fix_output_applies_with_git_apply(encoded_repo: Path, tmp_path: Path) -> None:
    patch = tmp_path / "fixes.patch"
    with patch.open("wb") as fh:
        proc = subprocess.run([sys.executable, "-m", "frictionscan", "fix"], cwd=encoded_repo,
                              stdout=fh, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"would fix {len(ENCODED)} findings in {len(ENCODED)} files" in proc.stderr
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=encoded_repo,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    git(encoded_repo, "apply", str(patch))
    patched = {name: (encoded_repo / name).read_bytes() for name in ENCODED}
    git(encoded_repo, "checkout", "--", ".")
    code, _, err = run("fix", "--apply", cwd=encoded_repo)
    assert code == 0, err
    applied = {name: (encoded_repo / name).read_bytes() for name in ENCODED}
    assert patched == applied
    assert applied["bom.py"].startswith(b"\xef\xbb\xbf") and b"else" not in applied["bom.py"]
    assert b"caf\xe9'\r\n" in applied["crlf.py"]
    assert not applied["no_newline.py"].endswith(b"\n")


# --- symbolic links out of the repository ------------------------------------------------


@pytest.fixture
def linked_repo(tmp_path: Path) -> Iterator[Path]:
    outside = tmp_path / "outside.py"
    outside.write_text("def g(x):\n    if x:\n        return 1\n    else:\n        y = 1\n"
                       "        z = y\n        return z\n")
    s = StreamBuilder()
    s.commit("2025-01-01", "add", {"app.py": APP, "inner.py": "app.py", "out.py": str(outside),
                                   "gone.py": "nowhere.py"},
             modes={"inner.py": "120000", "out.py": "120000", "gone.py": "120000"})
    yield build_repo(s.text(), tmp_path / "repo")


def test_symlinks_out_of_the_repository_are_listed_as_skipped(linked_repo: Path) -> None:
    code, out, err = run("scan", str(linked_repo), "-f", "json", "--no-cache")
    assert code == 0, err
    doc = json.loads(out)
    skipped = {e["path"]: e["message"] for e in doc["errors"] if e["kind"] == "skipped"}
    assert skipped == {"out.py": "symbolic link out of the repository; not followed",
                       "gone.py": "symbolic link to a missing file or a loop; not followed"}
    # a link inside the repository is its target, analysed under its own name
    assert "inner.py" not in {h["path"] for h in doc["hotspots"]}
    code, out, err = run("scan", str(linked_repo), "-f", "table", "--no-cache")
    assert "out.py: skipped: symbolic link out of the repository" in " ".join(out.split())


def test_fix_does_not_follow_a_symlink(linked_repo: Path, tmp_path: Path) -> None:
    before = (tmp_path / "outside.py").read_bytes()
    code, _, err = run("fix", "--apply", cwd=linked_repo)
    assert code == 0, err
    assert "skipped out.py: symbolic link; not followed" in err
    assert (tmp_path / "outside.py").read_bytes() == before
    assert (linked_repo / "out.py").is_symlink()


# --- what frictionscan writes into the repository ----------------------------------------


def test_the_cache_ignores_itself_as_docs_cli_says(repo: Path) -> None:
    code, _, err = run("scan", str(repo), "-f", "json")
    assert code == 0, err
    assert (repo / ".frictionscan" / "cache").is_dir()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    docs = " ".join((Path(__file__).parent.parent / "docs" / "cli.md").read_text().split())
    assert "never writes into the analysed repository" not in docs
    assert "`.frictionscan/cache/`" in docs and "`.gitignore` of its own" in docs


def test_ignoring_an_unknown_rule_is_a_configuration_error(repo: Path) -> None:
    configure(repo, '[libcst]\nignore = ["FS999"]\n')
    code, _, err = run("scan", str(repo), "-f", "json")
    line = one_line_error(code, err, "libcst.ignore: unknown rule code 'FS999'")
    assert ".frictionscan.toml" in line
