"""The *ruff* plugin: ruff's findings, each problem reported once (issue #19)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from frictionscan_ruff.codes import BY_CODE, CODES, table
from frictionscan_ruff.runner import find_ruff

from frictionscan.cli import main
from frictionscan.testing import StreamBuilder, build_repo, run_scan

ROOT = Path(__file__).resolve().parent.parent
RUFF = find_ruff("ruff")
needs_ruff = pytest.mark.skipif(RUFF is None, reason="ruff is not installed (it is in the "
                                "test extra: pip install -e '.[test]')")

SOURCE = (
    "import os\n"
    "\n"
    "\n"
    "def load(path, cache={}):\n"
    "    if path in cache:\n"
    "        return cache[path]\n"
    "    else:\n"
    "        data = path.upper()\n"
    "        cache[path] = data\n"
    "        return data\n"
    "\n"
    "\n"
    "def keep(path, seen={}):  # noqa: B006\n"
    "    return seen\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {
        "app/load.py": SOURCE,
        # the repository's own ruff configuration is not read (--isolated)
        "pyproject.toml": '[tool.ruff.lint]\nignore = ["RET505", "F401"]\n'})
    return build_repo(s.text(), tmp_path / "repo")


def findings(result, path: str = "app/load.py") -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    h = next(h for h in result.hotspots if h.path == path)
    return sorted((f.code, f.span.start_line) for f in h.analysis.findings)


def test_off_by_default_so_that_a_ranking_does_not_depend_on_the_machine(repo: Path) -> None:
    codes = findings(run_scan(repo))
    assert ("FS105", 4) in codes and ("FS121", 5) in codes
    assert not [c for c, _ in codes if c in BY_CODE]


@needs_ruff
def test_ruff_findings_replace_the_frictionscan_rule_they_overlap(repo: Path) -> None:
    result = run_scan(repo, overrides={"ruff.enabled": True})
    codes = findings(result)
    # ruff's codes, the repository's [tool.ruff] ignore notwithstanding ...
    assert ("B006", 4) in codes and ("RET505", 7) in codes and ("F401", 1) in codes
    # ... each problem once: FS105 and FS121 are what B006 and RET505 report
    assert ("FS105", 4) not in codes and ("FS121", 5) not in codes
    # a line the team silenced for ruff: ruff says nothing, frictionscan's rule still does
    assert ("B006", 13) not in codes and ("FS105", 13) in codes
    by = {f.code: f for h in result.hotspots for f in h.analysis.findings}
    assert by["RET505"].fix_available and by["RET505"].fix_safe
    assert by["B006"].fix_available and not by["B006"].fix_safe
    assert by["B006"].effort_minutes == BY_CODE["B006"].effort_minutes == 5
    assert by["RET505"].span.start_col == 4  # 0-based, as every span


@needs_ruff
def test_safe_ruff_fixes_are_quick_wins_and_fix_applies_them(repo: Path) -> None:
    (repo / ".frictionscan.toml").write_text("[ruff]\nenabled = true\n")
    from frictionscan.views.plan import build_plan

    plan = build_plan(run_scan(repo))
    assert {w.finding.code for w in plan.quick_wins if w.finding.fix_safe} >= {"F401",
                                                                               "RET505"}
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(repo)
    try:
        code = main(["fix", "--force"], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    assert code == 0, err.getvalue()
    assert "-import os\n" in out.getvalue()  # ruff's F401 fix
    assert "app/load.py:1: F401" in err.getvalue()
    assert "-    else:\n" in out.getvalue()  # the else after return, fixed once


def test_enabled_without_ruff_is_one_line_and_exit_2(repo: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    (repo / ".frictionscan.toml").write_text(
        '[ruff]\nenabled = true\ncommand = "no-such-ruff-here"\n')
    code = main(["scan", str(repo), "-f", "json"], stdout=out, stderr=err)
    assert code == 2 and out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ruff.enabled is set, but ruff")


@needs_ruff
def test_the_flag_turns_it_on_and_the_cache_keeps_each_run_apart(repo: Path) -> None:
    def scan(*args: str) -> dict:  # type: ignore[type-arg]
        out = io.StringIO()
        assert main(["scan", str(repo), "-f", "json", *args], stdout=out,
                    stderr=io.StringIO()) == 0
        return json.loads(out.getvalue())

    def codes(doc: dict) -> set[str]:  # type: ignore[type-arg]
        return {f["code"] for h in doc["hotspots"] for f in h["findings"]}

    plain, with_ruff = scan(), scan("--ruff")
    assert "FS121" in codes(plain) and "RET505" not in codes(plain)
    assert "RET505" in codes(with_ruff) and "FS121" not in codes(with_ruff)
    assert codes(scan()) == codes(plain)  # cached results of one never leak into the other


def test_docs_list_every_code() -> None:
    doc = (ROOT / "docs" / "ruff.md").read_text()
    assert table() in doc, "docs/ruff.md is stale: paste `python -m frictionscan_ruff.codes`"
    assert len({c.code for c in CODES}) == len(CODES)


def test_ruff_rules_link_to_ruffs_documentation_and_say_why() -> None:
    """In SARIF a ruff code is described like a frictionscan rule: its rationale, and
    ``helpUri`` at ruff's page for the rule."""
    import frictionscan_ruff

    rules = {r.code: r for r in frictionscan_ruff.frictionscan_rules(config=None)}
    assert rules["B006"].help_uri == "https://docs.astral.sh/ruff/rules/mutable-argument-default/"
    assert "instead of frictionscan's FS105" in rules["B006"].rationale
    assert rules["B006"].rationale != rules["B006"].summary
