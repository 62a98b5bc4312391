"""`frictionscan trend` and the plan's trend column, on a generated history with a planted
rising file, a cooling one, a new one and a refactor commit with known fix rates before and
after it."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import git
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode
from frictionscan.testing import StreamBuilder, build_repo

ROADMAP = """
[[focus]]
name = "Billing"
paths = ["billing/**"]
weight = 2

[[focus]]
name = "Core"
paths = ["core/**"]
"""

HEAD_TIME = "2026-01-15T12:00:00"
#: A JSON document.
Doc = dict[str, Any]
REFACTOR_TIME = "2025-07-06T10:00:00"


def function(name: str, branches: int) -> str:
    """A function of complexity ``branches + 1``."""
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(branches))
    return f"def {name}(x):\n{body}    return -1\n"


def content(branches: int, version: int, name: str = "handle") -> str:
    return function(name, branches) + f"\nVERSION = {version}\n"


def months(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """(year, month) from ``start`` to ``end``, both included."""
    out = []
    y, m = start
    while (y, m) <= end:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def history() -> StreamBuilder:
    """From June 2024 to HEAD on 2026-01-15:

    * ``billing/invoice.py`` (complexity 61): four commits a month, three of them bug fixes,
      until the refactor on 2025-07-06 halves its complexity (31); then four a month, one a
      bug fix. Fixes per month: 3 before, 1 after; changes per month: 4 on both sides.
    * ``core/rising.py`` (complexity 31): one commit every other month, then from May 2025
      more every month (1, 1, 2, 2, 3, 3, 4, 4, 4).
    * ``core/cooling.py`` (complexity 31): four commits a month until January 2025, then none.
    * ``core/fresh.py``: added in September 2025, changed every week: a new hotspot.
    * ``core/steady.py`` (complexity 21): two commits a month throughout.
    """
    s = StreamBuilder()
    s.commit("2024-06-01T09:00:00", "start", {
        "billing/invoice.py": content(60, 0), "core/rising.py": content(30, 0),
        "core/cooling.py": content(30, 0), "core/steady.py": content(20, 0),
        "README.md": "hello\n"})
    events: list[tuple[datetime, str, dict[str, str]]] = []

    def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
        return datetime(y, m, d, hour, tzinfo=timezone.utc)

    refactored = datetime.fromisoformat(REFACTOR_TIME).replace(tzinfo=timezone.utc)
    n = 0
    head = datetime.fromisoformat(HEAD_TIME).replace(tzinfo=timezone.utc)
    for y, m in months((2024, 6), (2026, 1)):
        for i, day in enumerate((3, 10, 17, 24)):
            n += 1
            when = at(y, m, day)
            if when > head:
                break
            after = when > refactored
            fix = i == 1 if after else i < 3
            events.append((when, ("Fix rounding in invoice" if fix else "Tweak invoice"),
                           {"billing/invoice.py": content(30 if after else 60, n)}))
            if (y, m) <= (2025, 1):
                events.append((when + timedelta(hours=1), "Tune cooling",
                               {"core/cooling.py": content(30, n)}))
        for day in (6, 20):
            if (y, m) > (2025, 12):
                break
            n += 1
            events.append((at(y, m, day), "Steady work", {"core/steady.py": content(20, n)}))
    rising = {(2025, 5): 1, (2025, 6): 1, (2025, 7): 2, (2025, 8): 2, (2025, 9): 3,
              (2025, 10): 3, (2025, 11): 4, (2025, 12): 4, (2026, 1): 4}
    for y, m in months((2024, 6), (2026, 1)):
        count = rising.get((y, m), 1 if (y * 12 + m) % 2 == 0 else 0)
        for k in range(count):
            n += 1
            events.append((at(y, m, 5 + 2 * k, 11), "Grow rising",
                           {"core/rising.py": content(30, n)}))
    week = at(2025, 9, 2, 14)
    while week < at(2026, 1, 14):
        n += 1
        events.append((week, "Work on fresh", {"core/fresh.py": content(15, n, "fresh")}))
        week += timedelta(days=7)
    events.append((refactored, "Refactor invoice: split the rules",
                   {"billing/invoice.py": content(30, 0) + "\n# refactored\n"}))
    for when, subject, files in sorted(events, key=lambda e: e[0]):
        s.commit(when.replace(tzinfo=None).isoformat(), subject, files)
    s.commit(HEAD_TIME, "docs", {"README.md": "hello again\n"})
    return s


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    built = build_repo(history().text(), tmp_path_factory.mktemp("trend") / "repo")
    (built / ".frictionscan.toml").write_text(ROADMAP)
    return built


@pytest.fixture(scope="module")
def doc(repo: Path) -> Doc:
    code, out, err = run("trend", str(repo), "-f", "json")
    assert code == 0, err
    doc: Doc = json.loads(out)
    return doc


def test_twelve_monthly_points_oldest_first(doc: Doc, repo: Path) -> None:
    points = doc["points"]
    assert [p["time"][:10] for p in points] == [
        f"{y}-{m:02d}-15" for y, m in months((2025, 2), (2026, 1))]
    # each point is the last commit on the first-parent line before its time
    for p in points:
        assert git(repo, "rev-list", "-1", "--first-parent", f"--before={p['time']}",
                   "HEAD").strip() == p["commit"]
        assert p["commit_time"] <= p["time"]
    assert points[-1]["commit"] == git(repo, "rev-parse", "HEAD").strip()
    # "Everywhere else" holds no Python file at any point: no such area
    assert [a["name"] for a in points[-1]["areas"]] == ["Billing", "Core"]
    assert points[0]["total"]["files"] == 4 and points[-1]["total"]["files"] == 5
    assert points[-1]["total"]["findings"] > 0  # every file's findings, checked once


def test_rising_cooling_new_and_their_reasons(doc: Doc) -> None:
    assert list(doc["rising"]) == ["core/rising.py"]
    rising = doc["rising"]["core/rising.py"]
    assert rising["slope"] > 0 and rising["change"] >= 0.25
    assert rising["reasons"][0].startswith("more change (")
    # the refactor halved the invoice's code: its friction cooled too, the largest drop first
    assert list(doc["cooling"]) == ["billing/invoice.py", "core/cooling.py"]
    cooling = doc["cooling"]["core/cooling.py"]
    assert cooling["slope"] < 0 and cooling["reasons"][0].startswith("less change (")
    assert doc["cooling"]["billing/invoice.py"]["reasons"][0] == "less code (124 → 64 lines)"
    assert list(doc["new"]) == ["core/fresh.py"]
    assert doc["new"]["core/fresh.py"]["scores"][:7] == [None] * 7  # added in September
    assert "core/steady.py" not in {**doc["rising"], **doc["cooling"], **doc["new"]}


def test_the_refactor_is_found_with_its_rates_before_and_after(doc: Doc) -> None:
    assert list(doc["refactored"]) == ["billing/invoice.py"]
    r = doc["refactored"]["billing/invoice.py"]
    assert (r["complexity_before"], r["complexity_after"], r["drop"]) == (61, 31, 0.4918)
    assert r["start"][:10] == "2025-06-10" and r["end"][:10] == "2025-07-10"
    # three fixes in four changes a month before, one in four after
    assert r["fixes_per_month_before"] == pytest.approx(3.0, abs=0.35)
    assert r["fixes_per_month_after"] == pytest.approx(1.0, abs=0.2)
    assert r["changes_per_month_before"] == pytest.approx(4.0, abs=0.45)
    assert r["changes_per_month_after"] == pytest.approx(4.0, abs=0.45)
    assert r["verdict"] == "fewer fixes"
    assert "(unchanged): fewer fixes since" in r["summary"]


def test_areas_and_friction_faster_than_code(doc: Doc) -> None:
    areas = {a["name"]: a for a in doc["areas"]}
    assert set(areas) == {"Billing", "Core"}
    assert len(areas["Core"]["scores"]) == 12
    # Core's code grew by a new file; its friction more than that (fresh and rising)
    assert areas["Core"]["lines_growth"] > 0
    assert areas["Core"]["faster_than_code"] == (
        areas["Core"]["growth"] - areas["Core"]["lines_growth"] >= 0.1)
    assert areas["Billing"]["lines_growth"] < 0  # the refactor removed code


def test_refactor_commit_before_and_after(repo: Path) -> None:
    sha = git(repo, "rev-list", "-1", f"--before={REFACTOR_TIME}", "HEAD").strip()
    assert git(repo, "log", "-1", "--format=%s", sha).startswith("Refactor invoice")
    code, out, err = run("trend", str(repo), "-f", "json", "--refactor", sha[:10])
    assert code == 0, err
    q = json.loads(out)["question"]
    assert q["kind"] == "commit" and q["subject"] == sha
    r = q["refactors"]["billing/invoice.py"]
    assert (r["complexity_before"], r["complexity_after"]) == (61, 31)
    assert r["commit"] == sha and r["start"] == r["end"] == "2025-07-06T10:00:00+00:00"
    # after: the 6.3 months to HEAD; before: as long, up to the commit
    assert r["months_after"] == pytest.approx(6.3, abs=0.1)
    assert r["months_before"] == r["months_after"]
    assert r["fixes_per_month_before"] == pytest.approx(3.0, abs=0.35)
    assert r["fixes_per_month_after"] == pytest.approx(1.0, abs=0.2)
    assert r["changes_per_month_after"] == pytest.approx(4.0, abs=0.45)


def test_file_question_with_its_functions(repo: Path) -> None:
    code, out, err = run("trend", str(repo), "-f", "json", "--file", "billing/invoice.py")
    assert code == 0, err
    q = json.loads(out)["question"]
    assert q["kind"] == "file" and q["subject"] == "billing/invoice.py"
    assert q["file"]["functions"][0]["name"] == "handle"
    assert q["file"]["functions"][0]["complexity"][4:6] == [61, 31]
    assert list(q["refactors"]) == ["billing/invoice.py"]
    code, out, err = run("trend", str(repo), "-f", "json", "--file", "core/steady.py")
    q = json.loads(out)["question"]
    assert q["refactors"] == {} and "never dropped" in q["note"]


@pytest.mark.parametrize("index", [0, 5, 11])
def test_a_point_equals_a_scan_of_a_checkout_of_its_commit(
        doc: Doc, repo: Path, tmp_path: Path, index: int) -> None:
    point = doc["points"][index]
    checkout = tmp_path / "checkout"
    git(repo, "worktree", "add", "-q", "--detach", str(checkout), point["commit"])
    try:
        (checkout / ".frictionscan.toml").write_text(ROADMAP)
        code, out, err = run("scan", str(checkout), "-f", "json", "--all-findings",
                             "--no-cache")
        assert code == 0, err
        scan = json.loads(out)
    finally:
        git(repo, "worktree", "remove", "--force", str(checkout))
    hotspots = scan["hotspots"]
    assert point["total"]["files"] == len(hotspots)
    assert point["total"]["score"] == pytest.approx(sum(h["score"] for h in hotspots), abs=1e-6)
    assert point["total"]["findings"] == sum(len(h["findings"]) for h in hotspots)
    assert point["total"]["complexity"] == sum(h["signals"]["radon.cc_total"]
                                               for h in hotspots)
    assert [(f["path"], f["score"]) for f in point["top"]] == \
        [(h["path"], h["score"]) for h in hotspots if h["score"] > 0][:len(point["top"])]


def test_table_markdown_csv_and_a_warm_run(repo: Path, doc: Doc) -> None:
    code, out, err = run("trend", str(repo), "-f", "table")
    assert code == 0, err
    assert "Rising hotspots" in out and "core/rising.py" in out and "more change" in out
    assert "billing/invoice.py lost 49% of its complexity" in out
    code, out, err = run("trend", str(repo), "-f", "markdown")
    assert code == 0, err
    assert "## Rising hotspots" in out and "| core/rising.py | " in out
    refactors = out.split("## Refactors\n")[1]
    row = next(line for line in refactors.splitlines()
               if line.startswith("| billing/invoice.py |"))
    assert row.startswith("| billing/invoice.py | 2025-06-10 to 2025-07-10 | 61 → 31 (-49%) | ")
    assert row.endswith(" | fewer fixes |")
    code, out, err = run("trend", str(repo), "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["section"] for r in rows} == {"point", "top", "area", "rising", "cooling",
                                            "new", "refactor"}
    assert sum(r["section"] == "point" for r in rows) == 12 * 3
    refactor = next(r for r in rows if r["section"] == "refactor")
    assert refactor["path"] == "billing/invoice.py" and refactor["verdict"] == "fewer fixes"
    # everything cached: the same document
    code, out, err = run("trend", str(repo), "-f", "json")
    assert json.loads(out) == doc


@pytest.mark.parametrize(("args", "needle"), [
    (["--every", "0 days"], "--every '0 days' is no time at all"),
    (["--every", "1 fortnight"], "--every: '1 fortnight' is not a duration"),
    (["--last", "5 years"], "--last 5 years reaches back before the first commit"),
    (["--last", "1 month", "--every", "2 months"], "one point is no trend"),
    (["--every", "1 day", "--last", "2 years"], "more than 120 points"),
    (["--refactor", "no-such-rev"], "--refactor 'no-such-rev' is not a commit"),
    (["--file", "core/nothing.py"], "--file core/nothing.py: not a file analysed"),
    (["--threshold", "-1"], "--threshold -1: the threshold must be a number, zero or more"),
    (["--threshold", "nan"], "--threshold nan: the threshold must be a number, zero or more"),
    (["--threshold", "inf"], "--threshold inf: the threshold must be a number"),
    (["--threshold=-inf"], "--threshold -inf: the threshold must be a number"),
])
def test_bad_input_is_one_line(repo: Path, args: list[str], needle: str) -> None:
    code, _, err = run("trend", str(repo), *args)
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, needle)


def test_a_refactor_outside_heads_history_is_one_line(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "side", "HEAD~3")
    git(clone, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty",
        "-m", "side")
    side = git(clone, "rev-parse", "HEAD").strip()
    git(clone, "checkout", "-q", "main")
    code, _, err = run("trend", str(clone), "--refactor", side)
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "is not in HEAD's history")


EVIL = "core/<script>alert(1)</script> [x](y) @team =cmd.py"


@pytest.fixture(scope="module")
def evil_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    s = StreamBuilder()
    for i, (y, m) in enumerate(months((2025, 1), (2025, 12))):
        s.commit(f"{y}-{m:02d}-01T10:00:00", "fix it",
                 {EVIL: content(12 + i, i), "core/b.py": content(5, i)})
    return build_repo(s.text(), tmp_path_factory.mktemp("evil") / "repo")


def test_repository_text_is_escaped_in_every_format(evil_repo: Path) -> None:
    code, out, err = run("trend", str(evil_repo), "-f", "markdown", "--last", "6 months",
                         "--file", EVIL)
    assert code == 0, err
    assert "<script>" not in out and "&lt;script&gt;" in out and "\\[x\\](y)" in out
    assert "@team" not in out.replace("@\u200bteam", "")
    code, out, err = run("trend", str(evil_repo), "-f", "html", "--last", "6 months",
                         "--file", EVIL)
    assert code == 0, err
    assert "<script>alert(1)" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    code, out, err = run("trend", str(evil_repo), "-f", "csv", "--last", "6 months")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and not any(v.startswith("=") for r in rows for v in r.values() if v)
    code, out, err = run("trend", str(evil_repo), "-f", "table", "--last", "6 months")
    assert code == 0, err


def test_html_trend_in_a_real_browser(repo: Path, tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    target = tmp_path / "trend.html"
    code, _, err = run("trend", str(repo), "-f", "html", "-o", str(target), "--file",
                       "billing/invoice.py")
    assert code == 0, err
    page = target.read_text()
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    driver = browser(1200, 2400)
    driver.get(target.as_uri())
    assert driver.title == "Friction trend: repo"
    charts = driver.find_elements(By.CSS_SELECTOR, "#areas .area")
    assert [c.find_element(By.TAG_NAME, "h3").text for c in charts] == [
        "Whole repository", "Billing", "Core"]
    for chart in charts:
        dots = chart.find_elements(By.CSS_SELECTOR, "svg circle.dot")
        assert len(dots) == 12
        assert chart.find_element(By.CSS_SELECTOR, "svg polyline.friction").size["width"] > 100
    tip = charts[0].find_elements(By.CSS_SELECTOR, "svg circle.dot title")[-1]
    assert tip.get_attribute("textContent").startswith("2026-01-15: friction ")
    rising = driver.find_elements(By.CSS_SELECTOR, "#rising tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td.path").text.split()[0]
            for r in rising] == ["core/rising.py"]
    spark = rising[0].find_element(By.CSS_SELECTOR, "svg.sparkline")
    assert spark.size["width"] == 120 and spark.find_elements(By.TAG_NAME, "polyline")
    refactors = driver.find_elements(By.CSS_SELECTOR, "#refactors tbody tr")
    assert "billing/invoice.py" in refactors[0].text and "fewer fixes" in refactors[0].text
    assert driver.find_element(By.ID, "question").text == "File billing/invoice.py"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#points tbody tr")) == 12
    driver.save_screenshot(str(tmp_path / "trend.png"))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert (tmp_path / "trend.png").stat().st_size > 10_000


def test_plan_shows_the_trend_of_the_last_three_months(repo: Path, tmp_path: Path) -> None:
    code, out, err = run("plan", str(repo))
    assert code == 0, err
    assert "- Since 2025-10-14 (3 months before): 1 rising, 1 cooling hotspots." in out
    assert "| Rank | File | Score | Trend | Effort | Hot functions | Why |" in out
    assert "| 4 | core/fresh.py | 60.28 | rising |" in out
    assert "| 5 | core/cooling.py | 59.56 | cooling |" in out
    assert "| 1 | billing/invoice.py | 601.68 | steady |" in out
    section = out.split("## Trend since 2025-10-14\n", 1)[1].split("\n## ", 1)[0]
    assert [line.split(" | ")[0:2] for line in section.splitlines() if line.startswith("| core")] \
        == [["| core/fresh.py", "rising"], ["| core/cooling.py", "cooling"]]
    code, out, err = run("plan", str(repo), "-f", "json")
    doc = json.loads(out)
    assert doc["trend"]["since"] == "2025-10-14T14:00:00+00:00"
    assert {t["path"]: t["trend"] for a in doc["areas"] for t in a["targets"]}["core/fresh.py"] \
        == "rising"
    code, out, err = run("plan", str(repo), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["path"]: r["trend"] for r in rows if r["section"] == "refactor"} == {
        "billing/invoice.py": "steady", "core/rising.py": "steady", "core/fresh.py": "rising",
        "core/steady.py": "steady", "core/cooling.py": "cooling"}
    target = tmp_path / "plan.html"
    code, _, err = run("plan", str(repo), "-f", "html", "-o", str(target))
    page = target.read_text()
    assert "<h2>Trend since 2025-10-14</h2>" in page and \
        '<span class="trend rising">rising</span>' in page
    code, out, err = run("plan", str(repo), "--no-trend")
    assert code == 0, err
    assert "Trend" not in out and "Since 2025" not in out


def test_plan_without_three_months_of_history_has_no_trend(tmp_path: Path) -> None:
    s = StreamBuilder()
    for day in (1, 15, 28):
        s.commit(f"2026-01-{day:02d}T10:00:00", "work", {"a.py": content(12, day)})
    young = build_repo(s.text(), tmp_path / "young")
    code, out, err = run("plan", str(young))
    assert code == 0, err
    assert "| Rank | File | Score | Effort | Hot functions | Why |" in out and "Trend" not in out


def test_files_are_followed_through_renames(tmp_path: Path) -> None:
    s = StreamBuilder()
    for i, (y, m) in enumerate(months((2025, 1), (2025, 12))):
        old, new = "pkg/old_name.py", "pkg/new_name.py"
        if (y, m) == (2025, 6):
            s.commit(f"{y}-{m:02d}-01T10:00:00", "move", renames={old: new})
        name = new if (y, m) >= (2025, 6) else old
        s.commit(f"{y}-{m:02d}-10T10:00:00", "work", {name: content(20, i)})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("trend", str(repo), "-f", "json", "--last", "9 months",
                         "--file", "pkg/old_name.py")
    assert code == 0, err
    doc = json.loads(out)
    q = doc["question"]
    assert q["subject"] == "pkg/new_name.py"
    assert None not in q["file"]["scores"] and len(q["file"]["scores"]) == 9
    # the points of April and May 2025 knew it by its old name
    assert [p["top"][0]["path"] for p in doc["points"]] == \
        ["pkg/old_name.py"] * 2 + ["pkg/new_name.py"] * 7


def test_a_session_keeps_its_workers_from_one_scan_to_the_next(repo: Path) -> None:
    """trend's points share the worker processes (and the parsers they imported)."""
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec

    first, second = git(repo, "rev-list", "--first-parent", "HEAD~40").split()[:2]
    session = Session.start(PluginSpec(autoload=False))
    config = session.configure(repo, overrides={"cache": False, "jobs": 1})
    with session.sharing():
        session.scan(config, Run(revision=second))
        assert session._shared is not None
        pool = session._shared["pool"]
        started = [w.process.pid for w in pool.workers]
        result = session.scan(config, Run(revision=first))
        assert session._shared["pool"] is pool
        assert [w.process.pid for w in pool.workers] == started
        assert started and all(w.process.is_alive() for w in pool.workers)
    assert session._shared is None and result.stat("cached_files") == 0
    assert not pool.workers  # closed when the block ends
    session.scan(config, Run(revision=first))  # outside the block: its own workers, closed
    assert session._shared is None


def test_work_in_flight_weighs_no_point(tmp_path: Path) -> None:
    """Only today's branches are known: weighing the newest point by them would make the
    files with open work look as if they were rising."""
    s = StreamBuilder()
    for i, (y, m) in enumerate(months((2025, 1), (2025, 12))):
        s.commit(f"{y}-{m:02d}-01T10:00:00", "work",
                 {"core/a.py": content(20, i), "core/b.py": content(20, i)})
    s.commit("2025-12-10T10:00:00", "open work", {"core/a.py": content(22, 99)},
             branch="topic")
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("trend", str(repo), "-f", "json", "--last", "6 months")
    assert code == 0, err
    newest = {f["path"]: f["score"] for f in json.loads(out)["points"][-1]["top"]}
    scans = {}
    for flag in ("--evidence", "--no-evidence"):
        code, out, err = run("scan", str(repo), "-f", "json", "--all-findings", flag)
        scans[flag] = {h["path"]: h["score"] for h in json.loads(out)["hotspots"]}
    assert scans["--evidence"]["core/a.py"] > scans["--no-evidence"]["core/a.py"]
    assert newest == scans["--no-evidence"]


def test_the_plans_trend_is_not_moved_by_work_in_flight(tmp_path: Path) -> None:
    """Two files with the same history, one touched by an open branch: today's scan weighs
    it (work in flight), the scan of three months ago cannot; the plan's trend compares
    their friction without the roadmap's weights, so both moved alike."""
    s = StreamBuilder()
    for i, (y, m) in enumerate(months((2025, 1), (2025, 9))):
        s.commit(f"{y}-{m:02d}-01T10:00:00", "work",
                 {"core/a.py": content(20, i), "core/b.py": content(20, i)})
    day = datetime(2025, 10, 1, 10)
    while day < datetime(2025, 12, 28):
        s.commit(day.isoformat(), "busy", {"core/a.py": content(20, day.toordinal()),
                                           "core/b.py": content(20, day.toordinal())})
        day += timedelta(days=5)
    s.commit("2025-12-29T10:00:00", "open work", {"core/a.py": content(22, 0)},
             branch="topic")
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("plan", str(repo), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    targets = {t["path"]: t for a in doc["areas"] + doc["in_flight"] for t in a["targets"]}
    assert targets["core/a.py"]["score"] > targets["core/b.py"]["score"]  # in flight
    assert targets["core/a.py"]["trend"] == targets["core/b.py"]["trend"] == "rising"
    moved = {f["path"]: f for f in doc["trend"]["files"]}
    assert moved["core/a.py"]["kind"] == moved["core/b.py"]["kind"] == "rising"
    assert moved["core/a.py"]["after"] == moved["core/b.py"]["after"]
    assert moved["core/a.py"]["before"] == moved["core/b.py"]["before"]


# -- durations as two words (docs/cli.md#durations) -------------------------------------


@pytest.mark.parametrize("argv", [
    ["--every", "2", "months", "--last", "6", "months", "{repo}"],
    ["{repo}", "--every", "2", "months", "--last", "6", "months"],
    ["--every", "2 months", "--last", "6 months", "{repo}"],
    ["--every", "2mo", "--last=6", "months", "{repo}"],
    ["--ever", "2", "months", "--la", "6", "months", "{repo}"],
])
def test_a_duration_may_be_two_words(repo: Path, argv: list[str]) -> None:
    """docs/trend.md's own example, `--every 2 weeks --last 6 months`, unquoted: the unit is
    not taken for the path."""
    code, out, err = run("trend", "-f", "json", *(a.format(repo=repo) for a in argv))
    assert code == 0, err
    doc = json.loads(out)
    assert [p["time"][:10] for p in doc["points"]] == [
        "2025-09-15", "2025-11-15", "2026-01-15"]
    assert (doc["every"], doc["last"]) == ("2 months", "6 months")


def test_a_duration_in_two_words_then_the_path(repo: Path) -> None:
    code, out, err = run("trend", "-f", "csv", "--every", "2", "months", "--last", "6",
                         "months", cwd=repo)
    assert code == 0, err
    assert sum(r["section"] == "point" for r in csv.DictReader(io.StringIO(out))) == 3 * 3


@pytest.mark.parametrize(("args", "needle"), [
    (["--every", "2", "fortnights"], "--every: '2 fortnights' is not a duration"),
    (["--every", "2", "--last", "6", "months"], "--every: '2' is not a duration"),
    (["--last", "6", "months", "--every"], "expected one argument"),
])
def test_a_bad_duration_in_two_words_is_one_line(repo: Path, args: list[str],
                                                 needle: str) -> None:
    code, _, err = run("trend", str(repo), *args)
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, needle)


def test_since_and_horizon_take_two_words_too(repo: Path) -> None:
    code, out, err = run("scan", "--since", "3", "months", str(repo), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["window"]["since"][:10] == "2025-10-15"
    code, _, err = run("backtest", "--horizon", "3", "months", "--months-ago", "6",
                       str(repo), "-f", "json")
    assert code == 0, err


def test_join_words() -> None:
    from frictionscan.cli.duration_words import join_words, mark

    parser = argparse.ArgumentParser()
    mark(parser.add_argument("--since"))
    parser.add_argument("--sincere")
    parser.add_argument("--top")
    actions = parser._actions
    assert join_words(["--since", "6", "months", "src"], actions) == \
        ["--since", "6 months", "src"]
    assert join_words(["--since=6", "months"], actions) == ["--since=6 months"]
    # a date, a whole value, another flag, a number then a path, after `--`: untouched
    for argv in (["--since", "2025-01-01", "src"], ["--since", "6months", "src"],
                 ["--top", "6", "months"], ["--since", "6", "./src"],
                 ["--", "--since", "6", "months"], ["--sinc", "6", "months"]):
        assert join_words(argv, actions) == argv


def test_the_file_questions_sentence_is_never_empty(repo: Path) -> None:
    """`--file` of the file whose drop the summary already tells: a sentence that says so,
    not `billing/invoice.py: .`"""
    code, out, err = run("trend", str(repo), "-f", "markdown", "--file", "billing/invoice.py")
    assert code == 0, err
    summary = [line for line in out.splitlines() if line.startswith("> ")]
    assert not any(line.rstrip().endswith(": .") for line in summary), summary
    assert "> billing/invoice.py: its largest complexity drop is the one above." in summary
    code, out, err = run("trend", str(repo), "-f", "json", "--file", "core/steady.py")
    assert json.loads(out)["summary"][-1] == \
        "core/steady.py: its complexity never dropped between two points."


def test_a_refactor_says_which_dates_are_the_points_and_which_the_commits(doc: Doc) -> None:
    """The points are labelled by their sample dates, the drop by its commits: both named."""
    r = doc["refactored"]["billing/invoice.py"]
    assert r["summary"].startswith(
        "billing/invoice.py lost 49% of its complexity (61 → 31) between the points of "
        "2025-06-15 and 2025-07-15 (commits of 2025-06-10 and 2025-07-10); ")
    assert [p["time"][:10] for p in doc["points"]][4:6] == ["2025-06-15", "2025-07-15"]


def test_html_tooltips_count_hotspots_in_good_english() -> None:
    from frictionscan_report.trend_html import area_chart

    from frictionscan.views.trend import AreaTrend

    area = AreaTrend(name="Core", scores=(3.0, 4.0, 5.0), score_growth=0.66,
                     lines_growth=0.0, complexity_growth=0.0, findings_growth=0.0,
                     faster_than_code=True)
    times = [datetime(2025, m, 15, tzinfo=timezone.utc) for m in (1, 2, 3)]
    chart = area_chart(area, times, [100.0, 100.0, 100.0], [0, 1, 2])
    assert [tip for _, _, tip in chart.dots] == [
        "2025-01-15: friction 3.0, 0 hotspots", "2025-02-15: friction 4.0, 1 hotspot",
        "2025-03-15: friction 5.0, 2 hotspots"]


# -- outputs of hostile and long names ---------------------------------------------------

ESC_PATH = "core/\x1b[31mred\x1b]0;title\x07.py"
LONG_PATH = "src/shipping/carriers/international/customs_declarations.py"


@pytest.fixture(scope="module")
def names_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    """A year of monthly commits making two files more complex: one named with escape
    sequences, one with a long path; both rise."""
    s = StreamBuilder()
    for i, (y, m) in enumerate(months((2025, 1), (2025, 12))):
        for day in range(1, 2 + i):
            s.commit(f"{y}-{m:02d}-{day:02d}T10:00:00", "fix it",
                     {ESC_PATH: content(12 + i, day), LONG_PATH: content(14 + i, day, "ship"),
                      "core/b.py": content(5, i)})
    return build_repo(s.text(), tmp_path_factory.mktemp("names") / "repo")


RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("command", "fmt", "shown"), [
    ("trend", "csv", "core/\\x1b[31mred\\x1b]0;title\\x07.py"),
    ("trend", "html", "core/\u241b[31mred\u241b]0;title\u2407.py"),
    ("plan", "csv", "core/\\x1b[31mred\\x1b]0;title\\x07.py"),
    ("plan", "html", "\u241b[31mred\u241b]0;title\u2407.py"),
])
def test_control_characters_never_reach_csv_or_html_raw(names_repo: Path, command: str,
                                                        fmt: str, shown: str) -> None:
    args = ["--last", "6 months"] if command == "trend" else ["--top", "20"]
    code, out, err = run(command, str(names_repo), "-f", fmt, *args)
    assert code == 0, err
    assert not RAW_CONTROL.search(out.replace("\n", "")), \
        RAW_CONTROL.findall(out.replace("\n", ""))
    assert shown in out
    # the page's own line breaks are layout, never shown as control pictures
    assert "\u240a" not in out and "\u2409" not in out


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_table_never_breaks_a_name(names_repo: Path, width: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Off a terminal the table is $COLUMNS wide: file names are shortened in the middle
    (``src/…/customs_declarations.py``), never split across two lines."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("trend", str(names_repo), "-f", "table", "--last", "6 months")
    assert code == 0, err
    lines = out.splitlines()
    assert all(cell_len(line.rstrip()) <= width for line in lines), \
        [line for line in lines if cell_len(line.rstrip()) > width]
    rows = [line for line in lines if "customs" in line or "international" in line]
    assert rows and all("customs_declarations.py" in line or "…" in line for line in rows)
    listed = out.split("Rising hotspots\n", 1)[1].splitlines()
    assert listed[0].split()[0] == "file"
    assert listed[1].split()[0].endswith("/customs_declarations.py")


def test_a_reason_counts_one_in_good_english() -> None:
    from frictionscan.core.model import (
        Component,
        FileAnalysis,
        FileHistory,
        Hotspot,
        SourceFile,
    )
    from frictionscan.views.trend import reasons

    def hot(fixes: int) -> Hotspot:
        analysis = FileAnalysis(file=SourceFile(path="a.py"),
                                history=FileHistory(path="a.py", fixes=fixes))
        return Hotspot(analysis=analysis, score=1.0 + fixes,
                       components=(Component(name="fixes", value=(1 + fixes) ** 0.5,
                                             reason=""),))

    assert reasons(hot(0), hot(1), rising=True) == ("more fixes (0 → 1 bug fix in the window)",)
    assert reasons(hot(0), hot(2), rising=True) == ("more fixes (0 → 2 bug fixes in the window)",)
