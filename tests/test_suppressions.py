"""Suppression comments."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.core.model import Finding, Span
from frictionscan.engine import suppressions

NOW = datetime(2026, 6, 30, tzinfo=timezone.utc)


def finding(code: str, line: int) -> Finding:
    return Finding(code=code, name="x", message="m", span=Span(start_line=line))


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code, f.span.start_line) for f in findings]


SOURCE = '''\
def handler(a, b, c, d, e, f, g):  # frictionscan: ignore[FS103] reason="public API"
    try:
        run()
    except Exception:  # frictionscan: ignore[FS104]
        pass
    x = "# frictionscan: ignore[FS999] inside a string is not a comment"


class Legacy:  # frictionscan: ignore[FS101, FS102] reason=being rewritten until=2026-12-31
    def deep(self):
        pass


def later():  # frictionscan: ignore[FS101]
    return 1
'''


def test_line_and_block_suppressions() -> None:
    found = [finding("FS103", 1), finding("FS104", 4), finding("FS101", 10),
             finding("FS102", 9), finding("FS110", 3)]
    kept, suppressed = suppressions.apply(found, SOURCE, "m.py", NOW)
    assert codes(suppressed) == [("FS103", 1), ("FS104", 4), ("FS101", 10), ("FS102", 9)]
    assert suppressed[0].suppression_reason == "public API"
    assert suppressed[2].suppression_reason == "being rewritten"
    # FS110 is not suppressed; the suppression on `later` matches nothing
    assert codes(kept) == [("FS110", 3), ("FS902", 14)]
    assert "suppression of FS101 matches no finding" in kept[1].message


def test_expired_suppressions_give_the_findings_back() -> None:
    later = datetime(2027, 1, 1, tzinfo=timezone.utc)
    kept, suppressed = suppressions.apply([finding("FS101", 10)], SOURCE, "m.py", later,
                                          active_codes=frozenset({"FS101"}))
    assert suppressed == []
    assert codes(kept) == [("FS901", 9), ("FS101", 10), ("FS902", 14)]
    assert "expired on 2026-12-31" in kept[0].message


def test_unused_suppressions_of_rules_that_did_not_run_are_not_reported() -> None:
    kept, _ = suppressions.apply([], "x = 1  # frictionscan: ignore[FS101]\n", "m.py", NOW,
                                 active_codes=frozenset({"FS102"}))
    assert kept == []


def test_malformed_comments_are_reported() -> None:
    source = ("a = 1  # frictionscan: ignroe[FS101]\n"
              "b = 2  # frictionscan: ignore[]\n"
              "c = 3  # frictionscan: ignore[fs1x1]\n"
              "d = 4  # frictionscan: ignore[FS101] until=someday\n"
              "e = 5  # frictionscan: ignore[FS101] because I said so\n")
    kept, _ = suppressions.apply([], source, "m.py", NOW, active_codes=frozenset())
    assert [(f.code, f.span.start_line) for f in kept] == [("FS903", n) for n in range(1, 6)]
    assert "not a date" in kept[3].message and "unexpected" in kept[4].message


def test_suppressions_end_to_end(tmp_path: Path) -> None:
    from test_cli import run

    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {"app.py": (
        "def f(x=[]):  # frictionscan: ignore[FS105] reason=cache on purpose\n"
        "    return x\n\n\ndef g(y={}):\n    return y\n")})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "-f", "json")
    (hotspot,) = json.loads(out)["hotspots"]
    assert [f["code"] for f in hotspot["findings"]] == ["FS105"]
    assert hotspot["findings"][0]["line"] == 5
    assert hotspot["suppressed_count"] == 1 and "suppressed" not in hotspot
    code, out, err = run("scan", str(repo), "-f", "json", "--show-suppressed")
    (hotspot,) = json.loads(out)["hotspots"]
    assert hotspot["suppressed"][0]["suppression_reason"] == "cache on purpose"
    code, out, err = run("scan", str(repo), "-f", "table")
    assert "1 findings suppressed by comments" in out
    code, out, err = run("scan", str(repo), "-f", "table", "--show-suppressed")
    words = " ".join(out.split())  # off a terminal the table is 100 columns wide
    assert "app.py:1: FS105" in words and "(reason: cache on purpose)" in words
