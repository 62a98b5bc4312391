"""`frictionscan fix`: diff by default, atomic writes with --apply, safety rules."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from conftest import git

from frictionscan.cli import main
from frictionscan.testing import StreamBuilder, build_repo

SOURCE = (
    "def load(path, cache={}):\n"
    "    if path in cache:\n"
    "        return cache[path]\n"
    "    else:\n"
    "        # read it\n"
    "        data = open(path).read()\n"
    "        cache[path] = data\n"
    "        return data\n"
)
LATIN = ("# -*- coding: latin-1 -*-\r\ndef f(x):\r\n    if x == None:\r\n"
         "        return 'caf\xe9'\r\n    else:\r\n        y = x\r\n        z = y\r\n"
         "        return z\r\n").encode("latin-1")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app/load.py": SOURCE, "app/latin.py": LATIN,
                                             "app/clean.py": "x = 1\n"})
    return build_repo(s.text(), tmp_path / "repo")


def fix(repo: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(repo)
    try:
        code = main(["fix", *args], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def test_without_apply_prints_a_diff_and_writes_nothing(repo: Path) -> None:
    code, out, err = fix(repo)
    assert code == 0, err
    assert out.startswith("--- a/app/latin.py\n+++ b/app/latin.py\n")
    assert "--- a/app/load.py\n+++ b/app/load.py\n" in out
    assert "-    else:\n" in out
    assert "app/load.py:2: FS121" in err
    assert "would fix 2 findings in 2 files; 2 unsafe fixes left out" in err
    assert git(repo, "status", "--porcelain") == ""


def test_apply_writes_safe_fixes_keeping_encoding_and_line_endings(repo: Path) -> None:
    code, _, err = fix(repo, "--apply")
    assert code == 0, err
    assert (repo / "app/load.py").read_text() == (
        "def load(path, cache={}):\n    if path in cache:\n        return cache[path]\n"
        "    # read it\n    data = open(path).read()\n    cache[path] = data\n"
        "    return data\n")
    latin = (repo / "app/latin.py").read_bytes()
    assert b"caf\xe9" in latin and b"\r\n" in latin and b"else" not in latin
    assert b"== None" in latin  # unsafe: not without --unsafe
    assert sorted(p.name for p in (repo / "app").iterdir()) == ["clean.py", "latin.py",
                                                                  "load.py"]


def test_unsafe_fixes_and_rule_selection(repo: Path) -> None:
    code, _, err = fix(repo, "--apply", "--unsafe", "--rule", "FS105", "app/load.py")
    assert code == 0, err
    text = (repo / "app/load.py").read_text()
    assert "cache=None" in text and "if cache is None:\n        cache = {}" in text
    assert "    else:\n" in text  # FS121 was not selected
    assert (repo / "app/latin.py").read_bytes() == LATIN  # not under the given path


def test_files_with_uncommitted_changes_are_left_alone(repo: Path) -> None:
    (repo / "app/load.py").write_text(SOURCE + "# work in progress\n")
    code, out, err = fix(repo, "--apply")
    assert "skipped app/load.py: uncommitted changes" in err
    assert (repo / "app/load.py").read_text().endswith("# work in progress\n")
    assert "else" not in (repo / "app/latin.py").read_text(encoding="latin-1")
    code, out, err = fix(repo, "--apply", "--force", "app/load.py")
    assert "else" not in (repo / "app/load.py").read_text()


def test_bad_arguments(repo: Path, tmp_path: Path) -> None:
    code, _, err = fix(repo, "--rule", "FS999")
    assert code == 2 and err.startswith("error: unknown rule 'FS999'")
    code, _, err = fix(repo, "--rule", "FS101")
    assert code == 2 and "has no automatic fix" in err
    code, _, err = fix(repo, "no/such/dir")
    assert code == 2 and "does not exist" in err
    code, _, err = fix(repo, str(tmp_path))
    assert code == 2 and "is not inside a git repository" in err


def test_a_file_that_does_not_parse_is_reported_not_fixed(repo: Path) -> None:
    (repo / "app/broken.py").write_text("def broken(:\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "broken")
    code, _, err = fix(repo, "--apply")
    assert code == 0
    assert "skipped app/broken.py: does not parse" in err


def test_diff_is_the_default_spelled_out(repo: Path) -> None:
    assert fix(repo, "--diff") == fix(repo)
    code, _, err = fix(repo, "--diff", "--apply")
    assert code == 2 and err.startswith("error: argument --apply: not allowed with argument "
                                        "--diff (see frictionscan fix --help)"), err
    assert git(repo, "status", "--porcelain") == ""


def test_local_plugins_load_only_with_permission(repo: Path) -> None:
    (repo / "evil_plugin.py").write_text("raise SystemExit('executed!')\n")
    (repo / ".frictionscan.toml").write_text('plugins = ["evil_plugin"]\n')
    code, out, err = fix(repo)
    assert code == 0 and "not loaded without --allow-local-plugins" in err
    assert "--- a/app/load.py" in out
    code, _, err = fix(repo, "--allow-local-plugins")
    assert code == 3 and "evil_plugin" in err


def test_fix_reads_only_the_files_whose_cached_findings_have_a_fix(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #19: fix parsed every file on every run (41 s on a 485-file repository where a
    warm scan takes 0.6 s). The scan's cache says which files have a finding with a fix."""
    from frictionscan.plugin.hooks import HookCalls

    asked: list[str] = []
    original = HookCalls.fix_file

    def counting(self, file, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(file.path)
        return original(self, file, *args, **kwargs)

    monkeypatch.setattr(HookCalls, "fix_file", counting)
    code, cold_out, cold_err = fix(repo)
    assert code == 0, cold_err
    assert sorted(asked) == ["app/latin.py", "app/load.py"]  # clean.py has nothing to fix
    # fix went through the scan's cache: a scan now analyses nothing, and finds every file
    # checked
    out = io.StringIO()
    assert main(["scan", str(repo), "-f", "json", "--all-findings"], stdout=out,
                stderr=io.StringIO()) == 0
    assert json.loads(out.getvalue())["stats"]["cached_files"] == 3
    asked.clear()
    code, out, err = fix(repo)
    assert (code, out, err) == (0, cold_out, cold_err)
    assert sorted(asked) == ["app/latin.py", "app/load.py"]
    asked.clear()
    code, out, err = fix(repo, "--rule", "FS105", "--unsafe")  # load.py's `cache={}` only
    assert sorted(asked) == ["app/load.py"] and "app/load.py:1: FS105" in err


def test_a_file_with_only_unsafe_fixes_is_read_only_with_unsafe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --unsafe nothing in it changes: the cached findings say how many unsafe fixes
    it holds, for the summary, without parsing it (sqlalchemy after `fix --apply`: 44 s)."""
    from frictionscan.plugin.hooks import HookCalls

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app/unsafe.py": "def f(x=[]):\n    return x\n",
                                             "app/dirty.py": "def g(y={}):\n    return y\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    (repo / "app/dirty.py").write_text("def g(y={}):\n    return y\n\n\nZ = 1\n")
    asked: list[str] = []
    original = HookCalls.fix_file

    def counting(self, file, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(file.path)
        return original(self, file, *args, **kwargs)

    monkeypatch.setattr(HookCalls, "fix_file", counting)
    code, out, err = fix(repo)
    assert (code, out, asked) == (0, "", [])
    # the uncommitted file is skipped, and its unsafe fix not counted
    assert "would fix 0 findings in 0 files; 1 unsafe fixes left out" in err
    assert "skipped app/dirty.py: uncommitted changes" in err
    code, out, err = fix(repo, "--unsafe")
    assert asked == ["app/unsafe.py"] and "+++ b/app/unsafe.py" in out


def test_generated_files_are_left_alone(tmp_path: Path) -> None:
    """The scan does not parse generated code (it is regenerated, not edited), nor does fix
    (which used to parse every file: sqlalchemy's two generated test modules took 2 s)."""
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {
        "app/gen.py": "# @generated by a tool: DO NOT EDIT\n" + SOURCE,
        "app/load.py": SOURCE})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = fix(repo)
    assert code == 0, err
    assert "+++ b/app/load.py" in out and "app/gen.py" not in out + err
