"""The default score and ranking, on synthetic analyses."""

from __future__ import annotations

import math

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


def analysis(path: str, *, revisions: int = 0, recency: float = 0.0, cc: float | None = None,
             sloc: float = 100, findings: int = 0, weights: tuple[Weight, ...] = ()
             ) -> FileAnalysis:
    m = [Measurement(key="radon.sloc", value=sloc)]
    if cc is not None:
        m += [Measurement(key="radon.cc_total", value=cc),
              Measurement(key="radon.cc", value=cc, symbol=Symbol(
                  name="Parser.parse", kind=SymbolKind.METHOD, span=Span(start_line=3)))]
    return FileAnalysis(
        file=SourceFile(path=path),
        history=FileHistory(path=path, revisions=revisions, recency=recency,
                            authors=("a", "b")[:min(2, revisions)], idle_days=3.0),
        measurements=tuple(m),
        findings=tuple(Finding(code="FS101", name="deep-nesting", message="m",
                               span=Span(start_line=1), effort_minutes=30)
                       for _ in range(findings)),
        weights=weights)


def test_the_score_is_the_product_of_its_components() -> None:
    h = score_file(analysis("a.py", revisions=4, recency=3.0, cc=31, findings=2,
                            weights=(Weight(factor=2.0, reason="focus"),)))
    parts = {c.name: c.value for c in h.components}
    assert parts["change"] == round(math.log2(4.0), 4)
    assert parts["complexity"] == round(math.log2(32.0), 4)
    assert parts["findings"] == 0.25
    assert parts["focus"] == 2.0
    assert h.score == round(2.0 * 5.0 * 1.25 * 2.0, 3)
    reasons = {c.name: c.reason for c in h.components}
    assert reasons["change"] == "changed 4 times by 2 authors, last 3 days ago"
    assert reasons["complexity"] == "complexity 31 in 1 function (max 31 in Parser.parse)"
    assert reasons["findings"] == "2 findings (60 min): 2x FS101"


def test_untouched_files_score_zero_however_complex() -> None:
    assert score_file(analysis("big.py", cc=900)).score == 0


def test_findings_are_capped_and_unparsed_files_are_estimated_from_size() -> None:
    capped = score_file(analysis("a.py", revisions=1, recency=1.0, cc=1, findings=50))
    assert capped.component("findings") == 0.5
    unparsed = score_file(analysis("b.py", revisions=1, recency=1.0, sloc=310))
    assert unparsed.component("complexity") == round(math.log2(32.0), 4)
    assert "estimated 31 from size" in next(c.reason for c in unparsed.components
                                             if c.name == "complexity")


def test_rank_orders_by_score_then_path() -> None:
    config = Config(root=".")
    hotspots = frictionscan_score([analysis("b.py", revisions=1, recency=1.0, cc=3),
                                   analysis("a.py", revisions=1, recency=1.0, cc=3),
                                   analysis("c.py", revisions=9, recency=8.0, cc=3)], config)
    ranked = frictionscan_rank(hotspots, config)
    assert [(h.rank, h.path) for h in ranked] == [(1, "c.py"), (2, "a.py"), (3, "b.py")]
