"""`frictionscan plan` and `frictionscan explain`."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

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


def test_html_plan_needs_no_plotting_library_and_says_it_in_words(
        planted_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("matplotlib", "numpy"):  # importing either fails
        monkeypatch.setitem(sys.modules, name, None)
    target = tmp_path / "plan.html"
    code, _, err = plan(planted_repo, "--format", "html", "-o", str(target))
    assert code == 0, err
    page = target.read_text()
    # the chart: inline SVG written by the template, plain ticks, labelled top files
    chart = page[page.index('<div class="chart" id="chart">'):page.index("</svg></div>")]
    assert '<text class="label"' in chart and ">engine.py</text>" in chart
    assert "10⁰" not in chart and "<text class=\"tick\"" in chart
    assert "outside every focus area" not in chart  # every file is in an area
    # the table: no effort for a file that did not change; paths break only after / and .
    rows = page[page.index('<table id="hotspots">'):page.index("</table>")]
    assert "src/<wbr>app/<wbr>engine.<wbr>py" in rows
    latin = rows[rows.index("latin.<wbr>py"):]
    latin = latin[:latin.index("</tr>")]
    init = rows[rows.index("__init__.<wbr>py"):]
    assert '<td class="effort"><span class="band">S</span> 1.0 h</td>' in latin
    assert '<td class="effort"><span title="not changed' in init[:init.index("</tr>")]
    # the details, in words: the targets' open, the others' in one collapsed block
    details = page[page.index('<h2 id="details">'):]
    assert details.count('<details class="target" open>') == 6  # 1 + 5 targets
    assert details.count("<details") == 7
    assert "Details of the other 5 files</summary>" in details
    assert ("Changed in 25 commits over 12 months by 3 authors, 6 of them fixes; last "
            "changed 44 days ago.") in details
    assert "the most complex is <code>dispatch</code> (29)." in details
    assert "<code>dispatch</code> nests control flow" in details
    assert "change = " not in details and "`" not in details
    assert "Score 319.63, the product of its factors: size ×26.7, change ×2.26" in details


def test_html_plan_in_a_real_browser(planted_repo: Path, tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    target = tmp_path / "plan.html"
    code, _, err = plan(planted_repo, "--format", "html", "-o", str(target))
    assert code == 0, err
    driver = browser(1400, 1600)
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
    chart_shows_what_it_says(driver)
    nothing_breaks_inside_a_name(driver)
    driver.save_screenshot(str(tmp_path / "plan.png"))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert (tmp_path / "plan.png").stat().st_size > 10_000


def chart_shows_what_it_says(driver: Any) -> None:
    """The chart as the browser shows it: labelled top files, plain ticks, the quadrant
    guides, a legend of the areas that have files."""
    from selenium.webdriver.common.by import By

    def texts(selector: str) -> list[str]:
        return [e.text for e in driver.find_elements(By.CSS_SELECTOR, f"#chart svg {selector}")]

    labels = texts("text.label")
    assert {"engine.py", "billing.py", "helpers.py", "util.py"} <= set(labels)
    assert texts("text.tick") == ["0", "1", "10", "100", "0", "1", "10", "100", "1,000"]
    assert len(driver.find_elements(By.CSS_SELECTOR, "#chart svg line.guide")) == 2
    assert texts("text.legend") == ["Payments v2 (2)", "App core (8)", "Legacy <engine> (1)"]
    # every label is inside the chart and beside a bubble, and no two labels overlap
    boxes = driver.execute_script(
        "return Array.from(document.querySelectorAll('#chart svg text.label'))"
        ".map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


#: The elements whose text must stay on one line: paths, code, effort, area names.
ONE_LINE = "td.path .p, code, td.effort, span.area"
#: The texts of the elements matching ``arguments[0]`` that the browser lays out on more
#: than one line (their text's line boxes have different tops).
BROKEN = """
return Array.from(document.querySelectorAll(arguments[0])).filter(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
                       .map(r => Math.round(r.top)));
  return tops.size > 1;
}).map(el => el.textContent);
"""


def nothing_breaks_inside_a_name(driver: Any) -> None:
    """At 1400 pixels no path, code, effort or area name is cut across lines, in the table
    and in the details (the other files' opened too); and the check can see a cut one."""
    from selenium.webdriver.common.by import By

    assert driver.execute_script("return window.innerWidth") == 1400
    driver.find_element(By.CSS_SELECTOR, "#other-details > summary").click()
    measured = driver.execute_script(
        f"return document.querySelectorAll('{ONE_LINE}').length")
    assert measured > 40
    assert driver.execute_script(BROKEN, ONE_LINE) == []
    assert "\u2014" in driver.find_elements(By.CSS_SELECTOR, "#hotspots td.effort")[-1].text
    # the check works: squeezed into 40 pixels and allowed to break anywhere, paths break
    driver.execute_script("document.head.insertAdjacentHTML('beforeend', '<style>td.path "
                          ".p { display: inline-block; width: 40px; word-break: break-all; }"
                          "</style>')")
    assert "src/app/engine.py" in driver.execute_script(BROKEN, "td.path .p")
    driver.execute_script("document.head.lastElementChild.remove()")


def test_plan_repeats_the_scan_warnings(planted_copy: Path) -> None:
    (planted_copy / ".frictionscan.toml").write_text(
        '[[focus]]\nname = "Ghost"\npaths = ["src/ghost/**"]\n')
    code, out, err = run("plan", str(planted_copy))
    assert "**Warning:** focus area 'Ghost': paths src/ghost/\\*\\* match no analysed file" in out


# -- roadmap goals ---------------------------------------------------------------------------

#: App core weighs 2.0 x 0.3 (leave) = 0.6, above the 0.5 that marks a left-alone weight: the
#: goal decides, not the weight. Ghost matches nothing; Utils is retired but simple.
GOALS = """
[[focus]]
name = "App core"
paths = ["src/app/**"]
weight = 2.0
goal = "leave"

[[focus]]
name = "Ghost"
paths = ["src/ghost/**"]

[[focus]]
name = "Utils"
paths = ["src/payments/util*.py", "src/app/util.py"]
weight = 5.0
goal = "retire"
"""


def test_a_leave_goal_gets_no_targets_whatever_its_weight(planted_repo: Path,
                                                          tmp_path: Path) -> None:
    roadmap = tmp_path / "goals.toml"
    roadmap.write_text(GOALS)
    code, out, err = run("plan", str(planted_repo), "--config", str(roadmap))
    assert code == 0, err
    sections = out.split("\n## ")
    app = next(s for s in sections if s.startswith("App core"))
    assert "| Rank |" not in app
    assert ("Goal leave: no refactor targets here, whatever the friction; its complex files "
            "are listed under \"Left alone on purpose\".") in app
    left = next(s for s in sections if s.startswith("Left alone on purpose"))
    assert "| src/app/engine.py | 61 |" in left
    summary = out[:out.index("\n## ")]
    assert "App core" not in summary and "src/app/" not in summary
    assert "`src/app/" not in out[out.index("## Quick wins"):]  # no quick win there either
    ghost = next(s for s in sections if s.startswith("Ghost"))
    assert "No refactor targets: the area's paths match no analysed file." in ghost
    assert "changed in the window" not in ghost
    utils = next(s for s in sections if s.startswith("Utils"))
    assert "Goal retire: no refactor targets here, whatever the friction.\n" in utils
    code, out, err = run("plan", str(planted_repo), "--config", str(roadmap), "-f", "json")
    doc = json.loads(out)
    assert doc["schema_version"] == 1 and doc["schema_minor"] == 1
    figures = {a["name"]: a for a in doc["figures"]["areas"]}
    assert figures["App core"] == {"name": "App core", "kind": "product", "goal": "leave",
                                   "files": 8, "targets": 0, "hours": 0.0, "quick_wins": 0,
                                   "quick_win_minutes": 0, "left_alone": 1}
    assert figures["Ghost"]["files"] == 0 and figures["Everywhere else"]["targets"] == 1
    totals = doc["figures"]
    assert totals["targets"] == sum(len(a["targets"]) for a in doc["areas"]) == 1
    assert totals["hours"] == doc["areas"][-1]["targets"][0]["effort_hours"]
    assert totals["quick_wins"] == len(doc["quick_wins"]) > 0
    assert totals["quick_win_minutes"] == sum(w["effort_minutes"] for w in doc["quick_wins"])


def test_json_plan_figures_add_up(planted_repo: Path) -> None:
    code, out, err = plan(planted_repo, "--format", "json")
    doc = json.loads(out)
    figures = doc["figures"]
    assert (figures["files"], figures["changed"], figures["commits"]) == (11, 9, 26)
    areas = {a["name"]: a for a in figures["areas"]}
    assert [a["name"] for a in figures["areas"]] == [a["name"] for a in doc["areas"]]
    assert (areas["App core"]["targets"], areas["App core"]["hours"]) == (5, 10.5)
    assert sum(a["quick_wins"] for a in figures["areas"]) == figures["quick_wins"] == 10
    assert sum(a["quick_win_minutes"] for a in figures["areas"]) == 100
    assert areas["Legacy <engine>"]["left_alone"] == figures["left_alone"] == 1
    assert figures["hours"] == round(sum(a["hours"] for a in figures["areas"]), 1)


def test_markdown_plan_renders_on_github(planted_repo: Path, evil_repo: Path) -> None:
    """Rendered with GitHub's renderer: the summary is a list, and code shows as code, with
    no backslash or backtick left over."""
    from test_ci_render import parse, render  # cmarkgfm, in .[test]

    code, out, err = plan(planted_repo)
    html = render(out)
    summary = html[:html.index("<h2>")]
    assert summary.count("<li>") == 6 and "<ul>" in summary
    assert "<li>11 files analysed; 9 changed in the window" in summary
    assert "the worst is <code>src/payments/billing.py</code>.</li>" in summary
    code, out, err = run("plan", str(evil_repo))
    page = parse(render(out))
    prose = "".join(page.prose)
    assert "`" not in prose and "\\`" not in prose and "\\_" not in prose
    assert "== None" in page.code and "is None" in page.code and "f" in page.code
