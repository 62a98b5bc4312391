"""`frictionscan plan` and `frictionscan explain`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, git
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode
from frictionscan.testing import StreamBuilder, build_repo

ROADMAP = str(FIXTURES / "roadmaps" / "plan.toml")


def plan(repo: Path, *args: str) -> tuple[int, str, str]:
    return run("plan", str(repo), "--config", ROADMAP, *args)


def test_markdown_plan(planted_repo: Path) -> None:
    code, out, err = plan(planted_repo)
    assert code == 0, err
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == [
        "## Payments v2 (weight x3, next 3 months, owner team-payments, goal: refactor)",
        "## App core (weight x2, next 6 months, owner team-core, goal: supervise)",
        "## Legacy &lt;engine&gt; (weight x0.1, goal: retire)",
        "## Everywhere else", "## Trend since 2026-03-05", "## Quick wins",
        "## Left alone on purpose"]
    assert "| 2 | src/payments/billing.py |" in out
    assert "- [ ] `src/app/engine.py:" in out
    # the retired legacy code is left alone, with its reason
    assert "| src/legacy/monolith.py | 264 | L (38 h) | focus area 'Legacy &lt;engine&gt;'" in out
    assert out.startswith("# Friction plan: repo at 0a4c182a59 (2026-06-30)\n\n- ")


def test_csv_plan_has_stable_columns_and_one_row_per_item(planted_repo: Path) -> None:
    code, out, err = plan(planted_repo, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["section", "area", "rank", "path", "score", "effort_band",
                             "effort_hours", "code", "line", "message", "effort_minutes", "fix",
                             "reasons", "functions", "partner", "shared", "degree",
                             "bus_factor", "at_risk", "team", "trend"]
    sections = {r["section"] for r in rows}
    assert sections == {"refactor", "quick-win", "left-alone", "knowledge"}
    billing = next(r for r in rows if r["path"] == "src/payments/billing.py"
                   and r["section"] == "refactor")
    assert billing["area"] == "Payments v2" and billing["effort_band"] == "S"


def test_json_plan(planted_repo: Path) -> None:
    code, out, err = plan(planted_repo, "--format", "json")
    doc = json.loads(out)
    assert [a["name"] for a in doc["areas"]] == ["Payments v2", "App core", "Legacy <engine>",
                                                 "Everywhere else"]
    assert doc["areas"][2]["weight"] == 0.1 and doc["areas"][2]["targets"] == []
    assert doc["quick_wins"] and all(w["effort_minutes"] <= 15 for w in doc["quick_wins"])
    assert doc["left_alone"][0]["path"] == "src/legacy/monolith.py"


def test_snapshots_show_what_changed(planted_copy: Path) -> None:
    code, _, err = plan(planted_copy, "--save")
    assert code == 0 and "snapshot saved to .frictionscan/snapshots/plan-latest.json" in err
    assert git(planted_copy, "status", "--porcelain") == ""  # .frictionscan ignores itself
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text() + "\n\nMAGIC = 24\n")
    (planted_copy / "src/app/new_thing.py").write_text(
        "def handler(a, b, c, d, e, f, g, h):\n" + "".join(
            f"    if a == {i}:\n        return b\n" for i in range(12)) + "    return c\n")
    git(planted_copy, "add", ".")
    git(planted_copy, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-qm",
        "fix crash in engine")
    code, out, err = plan(planted_copy)
    assert "## Since the snapshot of 2026-06-30T12:00:00+00:00" in out
    assert "| src/app/new\\_thing.py | new hotspot |" in out
    assert "Since the last snapshot: 1 new hotspots" in out
    # a broken snapshot is a warning, not a crash
    (planted_copy / ".frictionscan/snapshots/plan-latest.json").write_text("{not json")
    code, out, err = plan(planted_copy)
    assert code == 0 and "the saved snapshot is unreadable" in err


def test_explain(planted_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(planted_repo / "src")
    code, out, err = run("explain", "app/engine.py")
    assert code == 0, err
    assert out.startswith("src/app/engine.py  rank 1 of 11")
    for needle in ("Why it ranks here", "Change history", "2025-10   3", "dispatch",
                   "FS101", "Focus"):
        assert needle in out
    code, out, err = run("explain", "app/engine.py", "--format", "json")
    doc = json.loads(out)
    assert doc["rank"] == 1 and doc["history"]["commits_per_month"]["2025-10"] == 3
    assert doc["functions"][0] == {"name": "dispatch", "line": 4, "complexity": 29}
    # explain reads all of history, beyond the window a scan reads by default
    assert doc["history"]["first_change"] == "2025-08-01T09:00:00+00:00"
    code, out, err = run("explain", "app/helpers.py", "--format", "json")
    assert json.loads(out)["history"]["former_paths"] == ["src/app/helper_funcs.py"]
    code, _, err = run("explain", "app/nothing.py")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "is not a file")
    monkeypatch.chdir(planted_repo)
    code, _, err = run("explain", "README.md")
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, "README.md was not analysed")


EVIL = "src/<script>alert(1)</script> [x](y) @team.py"


@pytest.fixture
def evil_repo(tmp_path: Path) -> Path:
    s = StreamBuilder()
    body = "def f(x, y=[]):\n    if x == None:\n        return 1\n    return 2\n"
    for i in range(3):
        s.commit(f"2026-0{i + 1}-01T10:00:00", "fix", {EVIL: body + f"N = {i}\n"})
    return build_repo(s.text(), tmp_path / "repo")


def test_repository_text_is_escaped_in_markdown_and_html(evil_repo: Path,
                                                         tmp_path: Path) -> None:
    from test_ci_render import parse, render  # GitHub's renderer (cmarkgfm, in .[test])

    code, out, err = run("plan", str(evil_repo))
    assert code == 0, err
    assert "\\[x\\](y)" in out  # in a table cell, escaped
    page = parse(render(out))
    assert not {tag for tag, _ in page.tags} & {"script", "a"}
    assert f"{EVIL}:1" in page.code  # a quick win's place, exactly, as code
    prose = "".join(page.prose)
    assert "<script>alert(1)</script>" in prose and "@team" not in prose
    target = tmp_path / "plan.html"
    code, _, err = run("plan", str(evil_repo), "--format", "html", "-o", str(target))
    assert code == 0, err
    page = target.read_text()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def test_html_plan_in_a_real_browser(planted_repo: Path, tmp_path: Path) -> None:
    found = _chromium()
    if found is None:
        if os.environ.get("FRICTIONSCAN_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromium-driver were found by .ci/run but not here")
        pytest.skip("chromium and chromedriver are not installed (.ci/run installs them)")
    try:
        from selenium import webdriver
    except ImportError:
        if os.environ.get("FRICTIONSCAN_REQUIRE_BROWSER"):
            pytest.fail("selenium is not installed, but .ci/run installs it (.[dev])")
        pytest.skip("selenium is not installed (it is in the dev extra: pip install -e "
                    "'.[dev]')")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    target = tmp_path / "plan.html"
    code, _, err = plan(planted_repo, "--format", "html", "-o", str(target))
    assert code == 0, err
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1200,1600",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    try:
        driver.get(target.as_uri())
        assert driver.title == "Friction plan: repo"
        assert driver.find_element(By.CSS_SELECTOR, "#chart svg")
        points = driver.find_elements(By.CSS_SELECTOR, "#chart svg g[id^='fs-point-'] title")
        assert len(points) == 11
        rows = driver.find_elements(By.CSS_SELECTOR, "#hotspots tbody tr")
        assert len(rows) == 11
        first = rows[0].find_element(By.CSS_SELECTOR, "td.path").text
        assert first.startswith("src/app/engine.py")
        # sort by the "Changes" column, twice (descending): the busiest file comes first
        header = driver.find_elements(By.CSS_SELECTOR, "#hotspots th")[3]
        header.click()
        header.click()
        top = driver.find_element(By.CSS_SELECTOR, "#hotspots tbody tr td.path").text
        assert top.startswith("src/app/engine.py")
        assert header.get_attribute("aria-sort") == "descending"
        assert len(driver.find_elements(By.CSS_SELECTOR, "#quick-wins li")) > 0
        driver.save_screenshot(str(tmp_path / "plan.png"))
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
    assert (tmp_path / "plan.png").stat().st_size > 10_000


def test_plan_repeats_the_scan_warnings(planted_copy: Path) -> None:
    (planted_copy / ".frictionscan.toml").write_text(
        '[[focus]]\nname = "Ghost"\npaths = ["src/ghost/**"]\n')
    code, out, err = run("plan", str(planted_copy))
    assert "**Warning:** focus area 'Ghost': paths src/ghost/\\*\\* match no analysed file" in out
