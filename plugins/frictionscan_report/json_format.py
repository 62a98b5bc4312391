"""``--format json``: the versioned document described in docs/json-format.md."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from frictionscan.api import (
    AnalysisError,
    Config,
    Finding,
    FunctionHistory,
    Hotspot,
    Insights,
    ScanResult,
    __version__,
    json_text,
    printable,
)
from frictionscan_report.insights_format import area_dict, coupling_dict, knowledge_dict

#: How many of a file's functions are listed: the most complex, or with an X-ray the
#: highest function scores.
TOP_FUNCTIONS = 5
#: The minor version of the document (``schema_version`` 1): 1 adds the X-ray (each
#: function's change history and score, ``xray``); 2 coupling and knowledge (``coupling``
#: and ``knowledge`` per hotspot, ``areas``); 3 kinds of files (``kind``, ``scores``,
#: ``kinds``; ``score`` is the order's key) and each finding's ``weight``.
SCHEMA_MINOR = 3


def _time(t: datetime | None) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if t else None


def function_dict(f: FunctionHistory) -> dict[str, Any]:
    """A function with its history (the X-ray); the first keys are those of a function
    without one."""
    return {"name": printable(f.name), "kind": f.kind.value, "line": f.span.start_line,
            "end_line": f.span.end_line, "complexity": f.complexity,
            "score": f.score, "changes": f.changes, "lines_added": f.lines_added,
            "lines_deleted": f.lines_deleted, "authors": [printable(a) for a in f.authors],
            "fixes": f.fixes, "last_change": _time(f.last_change), "findings": f.findings}


def hotspot_dict(h: Hotspot, show_suppressed: bool = False,
                 insights: Insights | None = None) -> dict[str, Any]:
    a = h.analysis
    hist = a.history
    functions = sorted(a.symbol_values("radon.cc"), key=lambda m: (-m.value,
                                                                   m.symbol.span.start_line
                                                                   if m.symbol else 0))
    signals: dict[str, Any] = {m.key: m.value for m in a.measurements if m.symbol is None}
    signals.update({
        "git.first_change": _time(hist.first_change),
        "git.last_change": _time(hist.last_change),
        "git.former_paths": [printable(p) for p in hist.former_paths],
    })
    return {
        "rank": h.rank,
        "path": printable(h.path),
        "kind": h.kind,
        "score": h.score,
        "scores": dict(h.scores),
        "components": {c.name: {"value": c.value, "reason": printable(c.reason)}
                       for c in h.components},
        "signals": dict(sorted(signals.items())),
        "focus": {
            "weight": h.component("focus"),
            "areas": [w.area for w in a.weights if w.area],
            "reasons": [printable(w.reason) for w in a.weights],
        },
        "functions": [function_dict(f) for f in h.functions[:TOP_FUNCTIONS]]
        if h.functions is not None else [
            {"name": printable(m.symbol.name), "kind": m.symbol.kind.value,
             "line": m.symbol.span.start_line, "end_line": m.symbol.span.end_line,
             "complexity": m.value}
            for m in functions[:TOP_FUNCTIONS] if m.symbol is not None
        ],
        "xray": h.functions is not None,
        "findings_checked": a.checked,
        "findings": [finding_dict(f) for f in a.findings],
        "suppressed_count": len(a.suppressed),
        **({"suppressed": [finding_dict(f) for f in a.suppressed]} if show_suppressed else {}),
        "coupling": coupling_dict(insights.coupling_of(h.path)) if insights else None,
        "knowledge": knowledge_dict(insights.knowledge_of(h.path)) if insights else None,
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": f.code, "name": f.name, "line": f.span.start_line, "column": f.span.start_col,
        "message": printable(f.message), "symbol": printable(f.symbol) if f.symbol else None,
        "effort_minutes": f.effort_minutes, "fix_available": f.fix_available,
        "fix_safe": f.fix_safe, "weight": f.weight}
    if f.suppressed:
        out["suppression_reason"] = printable(f.suppression_reason) \
            if f.suppression_reason else None
    return out


def error_dict(e: AnalysisError) -> dict[str, Any]:
    return {"path": printable(e.path) if e.path else None, "kind": e.kind.value,
            "plugin": e.plugin, "hook": e.hook, "message": printable(e.message)}


def _team(result: ScanResult, path: str) -> str | None:
    owned = result.evidence.owner_of(path) if result.evidence is not None else None
    return printable(owned.team) if owned is not None and owned.team else None


def evidence_dict(result: ScanResult) -> dict[str, Any]:
    """What the evidence plugins read and the areas in flight the roadmap made of it."""
    flight = result.focus.in_flight if result.focus is not None else ()
    return {
        "sources": [printable(s) for s in result.evidence.sources] if result.evidence else [],
        "in_flight": [{"name": printable(a.name), "weight": a.weight,
                       "area_weight": a.area_weight, "team": printable(a.team) or None,
                       "touched": [printable(p) for p in a.touched],
                       "work": [{"kind": i.kind, "key": printable(i.key),
                                 "title": printable(i.title), "note": printable(n),
                                 "files": i.files, "lines": i.lines,
                                 "updated": _time(i.updated),
                                 "labels": [printable(x) for x in i.labels],
                                 "milestone": printable(i.milestone) if i.milestone else None,
                                 "source": printable(i.source)}
                                for i, n in zip(a.items, a.notes)]}
                      for a in flight],
    }


def first_of_each_kind(hotspots: Sequence[Hotspot], top: int) -> list[Hotspot]:
    """The first ``top`` files of each kind's ranking (all of them when ``top`` is 0)."""
    if not top:
        return list(hotspots)
    return [h for h in hotspots if (h.rank or 0) <= top]


def result_dict(result: ScanResult, config: Config) -> dict[str, Any]:
    hotspots = first_of_each_kind(result.hotspots, config.top)
    return {
        "schema_version": result.schema_version,
        "schema_minor": SCHEMA_MINOR,
        "tool": {"name": "frictionscan", "version": __version__},
        "repository": {"root": printable(result.root), "head": result.head,
                       "head_time": _time(result.head_time)},
        "window": {"since": _time(result.since), "until": _time(result.head_time),
                   "commits": result.stat("commits_in_window", 0)},
        "order": result.order,
        "kinds": [{"kind": kind, "files": files, "ranked": ranked}
                  for kind, files, ranked in result.kinds],
        "hotspots": [{**hotspot_dict(h, bool(config.getoption("report.show_suppressed", False)),
                                     result.insights),
                      "team": _team(result, h.path)} for h in hotspots],
        "areas": [{"name": printable(a.area) if a.area is not None else None,
                   **(area_dict(a) or {})} for a in result.insights.areas],
        "evidence": evidence_dict(result),
        "errors": [error_dict(e) for e in result.errors],
        "warnings": [printable(w) for w in result.warnings],
        "stats": dict(result.stats),
    }


def write_json(result: ScanResult, config: Config, stream: TextIO) -> None:
    """Indented for a person at a terminal; compact (and several times faster to write,
    with the C encoder) when another program reads it."""
    doc = result_dict(result, config)
    interactive = getattr(stream, "isatty", lambda: False)()
    stream.write(json_text(doc, indent=2 if interactive else None) + "\n")
