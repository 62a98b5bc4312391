"""``frictionscan explain FILE``: why one file ranks where it does."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from frictionscan.core.errors import UsageError
from frictionscan.core.model import Hotspot, ScanResult
from frictionscan.core.text import json_text, printable, terminal_safe
from frictionscan.views.plan import effort_band, refactor_hours


def find_hotspot(result: ScanResult, root: Path, target: Path) -> Hotspot:
    """The hotspot of ``target`` (an absolute path inside ``root``)."""
    try:
        rel = target.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{target} is not inside the repository at {root}") from None
    for h in result.hotspots:
        if h.path == rel:
            return h
    raise UsageError(f"{rel} was not analysed: it is not tracked by git, not matched by "
                     f"include, or excluded (see docs/configuration.md)")


def months(h: Hotspot) -> list[tuple[str, int]]:
    """Commits per calendar month over the window, oldest first (months without commits
    included)."""
    counts = Counter(datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m")
                     for t in h.analysis.history.change_times)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    out = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def explanation(result: ScanResult, h: Hotspot) -> dict[str, Any]:
    a = h.analysis
    hist = a.history
    hours = refactor_hours(h)
    return {
        "path": printable(h.path), "rank": h.rank, "of": len(result.hotspots),
        "score": h.score,
        "components": [{"name": c.name, "value": c.value, "reason": printable(c.reason)}
                       for c in h.components],
        "effort": {"band": effort_band(hours), "hours": hours},
        "history": {"revisions": hist.revisions, "authors": [printable(x) for x in hist.authors],
                    "fixes": hist.fixes, "lines_added": hist.added,
                    "lines_deleted": hist.deleted,
                    "first_change": hist.first_change.isoformat()
                    if hist.first_change else None,
                    "last_change": hist.last_change.isoformat() if hist.last_change else None,
                    "former_paths": [printable(p) for p in hist.former_paths],
                    "commits_per_month": dict(months(h))},
        "functions": [{"name": printable(m.symbol.name), "line": m.symbol.span.start_line,
                       "complexity": m.value}
                      for m in sorted(a.symbol_values("radon.cc"), key=lambda m: -m.value)[:10]
                      if m.symbol],
        "findings": [{"line": f.span.start_line, "code": f.code, "message": printable(f.message),
                      "effort_minutes": f.effort_minutes, "fix_available": f.fix_available,
                      "fix_safe": f.fix_safe} for f in a.findings],
        "suppressed": len(a.suppressed),
        "focus": [{"factor": w.factor, "area": w.area, "reason": printable(w.reason)}
                  for w in a.weights],
        "errors": [printable(e.describe()) for e in a.errors],
    }


def explain(result: ScanResult, h: Hotspot, fmt: str, stream: TextIO) -> None:
    data = explanation(result, h)
    if fmt == "json":
        stream.write(json_text(data) + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False)
    safe = terminal_safe  # repository text: control characters shown, never acted on
    console.print(Text.assemble((safe(data["path"]), "bold"),
                                f"  rank {data['rank']} of {data['of']}, score "
                                f"{data['score']:.2f}, refactor effort "
                                f"{data['effort']['band']} ({data['effort']['hours']} h)"))
    console.print(Text("\nWhy it ranks here (score = change x complexity x (1 + findings) "
                       "x focus):", style="bold"))
    for c in data["components"]:
        console.print(Text(safe(f"  {c['name']:<11} {c['value']:>8g}  {c['reason']}")))
    history = data["history"]
    console.print(Text("\nChange history", style="bold"))
    console.print(Text(safe(f"  {history['revisions']} commits in the window by "
                            f"{len(history['authors'])} authors "
                            f"({', '.join(history['authors'])}); "
                            f"{history['fixes']} look like bug fixes; "
                            f"+{history['lines_added']} -{history['lines_deleted']} lines")))
    if history["first_change"]:
        console.print(Text(f"  first change {history['first_change'][:10]}, last "
                           f"{history['last_change'][:10]}"))
    if history["former_paths"]:
        console.print(Text(safe(f"  formerly: {', '.join(history['former_paths'])}")))
    timeline = history["commits_per_month"]
    if timeline:
        peak = max(timeline.values()) or 1
        for month, count in timeline.items():
            bar = "#" * max(0, round(count / peak * 30))
            console.print(Text(f"  {month} {count:>3} {bar}"))
    if data["functions"]:
        console.print(Text("\nMost complex functions", style="bold"))
        table = Table(show_header=True, box=None, padding=(0, 2))
        for column in ("complexity", "line", "function"):
            table.add_column(column, justify="right" if column != "function" else "left")
        for f in data["functions"]:
            table.add_row(f"{f['complexity']:g}", str(f["line"]), Text(safe(f["name"])))
        console.print(table)
    console.print(Text(f"\nFindings ({len(data['findings'])}, {data['suppressed']} suppressed)",
                       style="bold"))
    for f in data["findings"]:
        fix = (" [fix: safe]" if f["fix_safe"] else " [fix: unsafe]") \
            if f["fix_available"] else ""
        console.print(Text(safe(f"  line {f['line']}: {f['code']} {f['message']} "
                                f"({f['effort_minutes']} min){fix}")))
    console.print(Text("\nFocus", style="bold"))
    if data["focus"]:
        for w in data["focus"]:
            console.print(Text(safe(f"  x{w['factor']:g}  {w['reason']}")))
    else:
        console.print(Text("  no roadmap weight (outside every focus area, not dormant)"))
    for e in data["errors"]:
        console.print(Text(safe(f"  note: {e}"), style="yellow"))
