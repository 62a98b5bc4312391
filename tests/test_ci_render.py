"""The pull-request comment as GitHub renders it (issue #17): hostile file, area and author
names come out exactly as they are, with no backslash they did not have, no HTML of theirs,
no mention; rendered with GitHub's own renderer (cmark-gfm, from the ``cmarkgfm`` package)
and shown in a real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import git
from test_cli import run

from frictionscan.core.text import markdown_code, visible
from frictionscan.testing import StreamBuilder, build_repo

cmarkgfm = pytest.importorskip("cmarkgfm")

#: File names that mean something to Markdown, HTML, GitHub or the terminal.
HOSTILE = [
    "src/test_under__score__.py",
    "src/back`tick.py",
    "src/``two``ticks`.py",
    "src/star*and*more*.py",
    "src/<script>alert(1)</script>.py",
    "src/@admin mention.py",
    "src/pipe|name.py",
    "src/new\nline.py",
    "src/back\\slash\\.py",
    "src/&amp; [link](evil) #1.py",
]
EVIL_AUTHOR = ("@root `x` *y* _z_ &amp; [l](u)", "evil@example.com")  # git allows no <>
FOCUS = '[[focus]]\nname = "<b>Pay</b> *v2* @team"\npaths = ["src/**"]\nhorizon = "6 weeks"\n'
#: Tags the comment may render to, with the attributes each may carry.
ALLOWED = {"p": set(), "ul": set(), "li": set(), "strong": set(), "em": set(), "code": set(),
           "details": {"open"}, "summary": set(), "sub": set(), "pre": {"lang"}}


def body(n: int, extra: str = "") -> str:
    return ("def work(x):\n" + extra + "".join(f"    if x == {i}:\n        return {i}\n"
                                               for i in range(n)) + "    return x\n")


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    s = StreamBuilder()
    s.commit("2026-01-02T10:00:00", "import",
             {**{p: body(2) for p in HOSTILE}, ".frictionscan.toml": FOCUS})
    for i in range(3):
        s.commit(f"2026-02-0{i + 1}T10:00:00", f"grow {i}", {p: body(3 + i) for p in HOSTILE},
                 author=EVIL_AUTHOR)
    return build_repo(s.text(), tmp_path_factory.mktemp("render") / "repo")


def branch(repo: Path, tmp_path: Path, worse: bool) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(".frictionscan"))
    git(dest, "checkout", "-q", "-b", "change")
    for p in HOSTILE:
        path = dest / p
        text = path.read_text()
        if worse:  # one more branch in the function, and a finding
            text = text.replace("def work(x):\n", "def work(x, seen=[]):\n    if x is None:\n"
                                                  "        return None\n")
        else:  # a comment
            text = text.replace("    return x\n", "    # unchanged\n    return x\n")
        path.write_text(text)
    git(dest, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "change"], cwd=dest, check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "d@x",
                        "GIT_AUTHOR_DATE": "2026-02-10T10:00:00 +0000",
                        "GIT_COMMITTER_DATE": "2026-02-10T10:00:00 +0000"})
    return dest


def render(markdown: str) -> str:
    """GitHub's renderer (cmark-gfm with its extensions), raw HTML let through so that any
    HTML the comment carries shows (GitHub would sanitise it afterwards)."""
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class Page(HTMLParser):
    """The rendered page's tags, the text of its code elements, and its text elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.stack: list[str] = []
        self.code: list[str] = []
        self.prose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.stack.append(tag)
        if tag == "code":
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "code" in self.stack:
            self.code[-1] += data
        else:
            self.prose.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_rendered_safely(markdown: str, names: list[str]) -> Page:
    page = parse(render(markdown))
    for tag, attrs in page.tags:
        assert tag in ALLOWED, (tag, attrs)  # no HTML from the repository
        assert {a for a, _ in attrs} <= ALLOWED[tag], (tag, attrs)
    for name in names:  # exactly the name: no stray backslash, nothing lost
        shown = visible(name)
        assert shown in page.code, (name, [c for c in page.code if name[-6:-3] in c])
        assert shown.count("\\") == name.count("\\")
    prose = "".join(page.prose)
    assert not re.search(r"(?<![\w@])@[A-Za-z0-9]", prose), prose  # nobody is mentioned
    return page


def test_markdown_code_shows_any_name_exactly() -> None:
    for name in HOSTILE + ["`", "``", " a ", "`a`", "a ", "  "]:
        (shown,) = parse(render(f"x {markdown_code(name)} y")).code
        assert shown == visible(name), (name, shown)


def test_the_comment_renders_hostile_names_exactly(hostile_repo: Path, tmp_path: Path) -> None:
    repo = branch(hostile_repo, tmp_path, worse=True)
    code, out, err = run("ci", str(repo), "--base", "main", "--top", "50", "-f", "markdown",
                         "--mermaid", "--fail-on", "complexity-increase,new-findings")
    assert code == 5, err  # the policy lines, with the names and the area's, render too
    # every file is in the focus area but the one with a line feed (a glob's * stops there)
    assert out.count("- :x: **new-findings** in ") == len(HOSTILE) - 1
    page = assert_rendered_safely(out, HOSTILE)
    summaries = [t for t, _ in page.tags if t == "summary"]
    assert len(summaries) == len(HOSTILE)  # one section per file, each name in raw HTML
    prose = "".join(page.prose)
    assert "in '<b>Pay</b> *v2* @\u200bteam', next 6 weeks" in prose  # the area's name
    assert "Knows this code: @\u200broot `x` *y* _z_ &amp; [l](u) (3 changes)" in prose
    assert "\\" not in prose  # no escape is visible anywhere outside the names
    chart = out.split("```mermaid\n")[1].split("```")[0]
    assert '"src/_script_alert(1)_/script_.py": [' in chart  # a label, not markup


def test_the_quiet_comment_renders_hostile_names_exactly(hostile_repo: Path,
                                                        tmp_path: Path) -> None:
    repo = branch(hostile_repo, tmp_path, worse=False)
    code, out, err = run("ci", str(repo), "--base", "main", "-f", "markdown")
    assert code == 0, err
    assert out.splitlines()[1].startswith("✅ **frictionscan:** 10 files touched without "
                                          "friction change")
    assert_rendered_safely(out, HOSTILE)


def test_the_rendered_comment_in_a_real_browser(hostile_repo: Path, tmp_path: Path,
                                                browser: Any) -> None:
    from selenium.webdriver.common.by import By

    repo = branch(hostile_repo, tmp_path, worse=True)
    code, out, err = run("ci", str(repo), "--base", "main", "--top", "50", "-f", "markdown")
    assert code == 0, err
    page = tmp_path / "comment.html"
    page.write_text("<!doctype html><meta charset=utf-8><title>comment</title><style>body{"
                    "font:14px sans-serif;max-width:900px;margin:1em}code{background:#eee}"
                    "</style><body>" + render(out) + "</body>", encoding="utf-8")
    driver = browser(1000, 1400)
    driver.get(page.as_uri())  # an alert() run by the page would fail every call below
    assert driver.find_elements(By.TAG_NAME, "script") == []
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert len(driver.find_elements(By.CSS_SELECTOR, "details[open]")) == len(HOSTILE)
    shown = [e.get_attribute("textContent")
             for e in driver.find_elements(By.CSS_SELECTOR, "summary code")]
    assert sorted(shown) == sorted(visible(p) for p in HOSTILE)
    text = driver.find_element(By.TAG_NAME, "body").text
    assert text.splitlines()[0].startswith("⚠️ frictionscan: 10 functions more complex")
    driver.save_screenshot(str(tmp_path / "comment.png"))
    assert (tmp_path / "comment.png").stat().st_size > 10_000
