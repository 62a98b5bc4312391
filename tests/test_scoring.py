"""The default score and ranking, on synthetic analyses."""

from __future__ import annotations

from frictionscan_scoring import frictionscan_rank, frictionscan_score, score_file

from frictionscan.core.config import Config
from frictionscan.core.model import (
    FileAnalysis,
    FileHistory,
    Finding,
    Measurement,
    SourceFile,
    Span,
    Symbol,
    SymbolKind,
    Weight,
)


def analysis(path: str, *, revisions: int = 0, fixes: int = 0, cc: float | None = None,
             loc: float | None = 100, findings: int = 0, size: int = 0,
             weights: tuple[Weight, ...] = ()) -> FileAnalysis:
    m = [Measurement(key="radon.loc", value=loc)] if loc is not None else []
    if cc is not None:
        m += [Measurement(key="radon.cc_total", value=cc),
              Measurement(key="radon.cc", value=cc, symbol=Symbol(
                  name="Parser.parse", kind=SymbolKind.METHOD, span=Span(start_line=3)))]
    return FileAnalysis(
        file=SourceFile(path=path, size=size),
        history=FileHistory(path=path, revisions=revisions, fixes=fixes,
                            authors=("a", "b")[:min(2, revisions)], idle_days=3.0),
        measurements=tuple(m),
        findings=tuple(Finding(code="FS101", name="deep-nesting", message="m",
                               span=Span(start_line=1), effort_minutes=30)
                       for _ in range(findings)),
        weights=weights)


def test_the_hotspot_score_is_the_product_of_its_components() -> None:
    h = score_file(analysis("a.py", revisions=3, fixes=1, cc=31, loc=256, findings=2,
                            weights=(Weight(factor=2.0, reason="focus"),)))
    parts = {c.name: c.value for c in h.components}
    assert parts["size"] == round(256 ** 0.75, 4) == 64.0
    assert parts["change"] == round(4 ** 0.25, 4)
    assert parts["fixes"] == round(2 ** 0.5, 4)
    assert parts["complexity"] == 1.0  # not weighed by default
    assert parts["findings"] == 0.25  # 60 minutes / 240
    assert parts["focus"] == 2.0
    expected = 64.0 * round(4 ** 0.25, 4) * round(2 ** 0.5, 4) * 1.25 * 2.0
    assert h.score == round(expected, 3) == h.key("hotspot")
    reasons = {c.name: c.reason for c in h.components}
    assert reasons["size"] == "256 lines, complexity 31 in 1 function (max 31 in Parser.parse)"
    assert reasons["change"] == "changed 3 times by 2 authors, last 3 days ago"
    assert reasons["fixes"] == "1 bug-fix commit in the window"
    assert reasons["findings"] == "2 findings (60 min): 2x FS101"


def test_no_file_scores_zero_unless_it_is_empty() -> None:
    """Untouched or without complexity, a file is discounted (by the roadmap), never
    erased; only an empty file scores 0."""
    untouched = score_file(analysis("big.py", cc=900, loc=4000))
    assert untouched.score == round(4000 ** 0.75, 3) > 0
    table = score_file(analysis("words.py", cc=0, loc=548))
    assert table.score > 0
    assert score_file(analysis("empty.py", loc=0)).score == 0


def test_findings_count_where_the_file_changed_and_are_capped() -> None:
    capped = score_file(analysis("a.py", revisions=1, cc=1, findings=50))
    assert capped.component("findings") == 0.25
    dormant = score_file(analysis("b.py", revisions=0, cc=1, findings=5))
    assert dormant.component("findings") == 0.0
    assert "not counted: no change in the window" in next(
        c.reason for c in dormant.components if c.name == "findings")


def test_unparsed_files_are_sized_from_their_bytes() -> None:
    unparsed = score_file(analysis("b.py", revisions=1, loc=None, size=4000))
    assert unparsed.component("size") == round(100 ** 0.75, 4)
    assert "100 lines (estimated from its size)" in next(
        c.reason for c in unparsed.components if c.name == "size")


def test_complexity_can_be_weighed() -> None:
    config = Config(root=".", options=(("scoring.complexity_weight", 0.5),))
    h = score_file(analysis("a.py", revisions=1, cc=99), config)
    assert h.component("complexity") == 10.0
    assert "raised to the power 0.5 (scoring.complexity_weight)" in next(
        c.reason for c in h.components if c.name == "complexity")


def test_the_effort_key_does_not_reward_tininess() -> None:
    """A 3-line file changed once does not beat a 300-line file changed ten times."""
    tiny = score_file(analysis("tiny.py", revisions=1, loc=3))
    busy = score_file(analysis("busy.py", revisions=10, fixes=3, loc=300))
    assert busy.key("effort") > tiny.key("effort")
    effort = Config(root=".", order="effort")
    assert score_file(analysis("busy.py", revisions=10, fixes=3, loc=300),
                      effort).score == busy.key("effort")


def test_rank_orders_by_score_then_the_other_key_then_path() -> None:
    config = Config(root=".")
    hotspots = frictionscan_score([analysis("b.py", revisions=1, cc=3),
                                   analysis("a.py", revisions=1, cc=3),
                                   analysis("c.py", revisions=9, cc=3)], config)
    ranked = frictionscan_rank(hotspots, config)
    assert [(h.rank, h.path) for h in ranked] == [(1, "c.py"), (2, "a.py"), (3, "b.py")]
