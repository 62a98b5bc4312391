"""The ``explain`` view's formats: ``text`` for a terminal and ``json``
(``frictionscan explain FILE``)."""

from __future__ import annotations

from typing import Any, TextIO

from frictionscan.api import Config, Explanation, json_text, printable, terminal_safe
from frictionscan_report.insights_format import (
    BOUNDARIES,
    coupling_dict,
    knowledge_dict,
    knowledge_line,
    people_text,
)
from frictionscan_report.json_format import function_dict

#: Rows of the X-ray table on a terminal (the rest are counted).
XRAY_ROWS = 15
#: People listed as knowing the file best.
KNOWS_BEST = 5


def explanation_dict(e: Explanation) -> dict[str, Any]:
    """The JSON document (repository text made printable)."""
    h = e.hotspot
    a = h.analysis
    hist = a.history
    return {
        "path": printable(h.path), "kind": h.kind, "rank": h.rank, "of": e.files,
        "score": h.score,
        "components": [{"name": c.name, "value": c.value, "reason": printable(c.reason)}
                       for c in h.components],
        "effort": {"band": e.band, "hours": e.hours},
        "history": {"revisions": hist.revisions, "authors": [printable(x) for x in hist.authors],
                    "fixes": hist.fixes, "lines_added": hist.added,
                    "lines_deleted": hist.deleted,
                    "first_change": hist.first_change.isoformat()
                    if hist.first_change else None,
                    "last_change": hist.last_change.isoformat() if hist.last_change else None,
                    "former_paths": [printable(p) for p in hist.former_paths],
                    "commits_per_month": dict(e.commits_per_month)},
        "functions": [{"name": printable(m.symbol.name), "line": m.symbol.span.start_line,
                       "complexity": m.value}
                      for m in e.functions if m.symbol],
        "xray": [function_dict(f) for f in e.xray],
        "concentration": {"functions": e.concentration.functions, "of": e.concentration.of,
                          "share": e.concentration.share} if e.concentration else None,
        "findings": [{"line": f.span.start_line, "code": f.code, "message": printable(f.message),
                      "effort_minutes": f.effort_minutes, "fix_available": f.fix_available,
                      "fix_safe": f.fix_safe} for f in a.findings],
        "suppressed": len(a.suppressed),
        "focus": [{"factor": w.factor, "area": w.area, "reason": printable(w.reason)}
                  for w in a.weights],
        "errors": [printable(err.describe()) for err in a.errors],
        "coupling": coupling_dict(e.insights.coupling_of(h.path)),
        "knowledge": knowledge_dict(e.insights.knowledge_of(h.path), top=KNOWS_BEST),
    }


def write_json(e: Explanation, config: Config, stream: TextIO) -> None:
    stream.write(json_text(explanation_dict(e)) + "\n")


def hanging(console: Any, text: Any, indent: int = 4, style: str = "") -> None:
    """``text`` (a string or a rich ``Text``) wrapped at spaces to the console's width, its
    later lines ``indent`` cells in; a word longer than its line (a path, a name) runs past
    the width rather than being cut."""
    from rich.text import Text

    from frictionscan_report.shorten import word_breaks

    if isinstance(text, str):
        text = Text(text, style=style)
    room = max(console.width - indent, 20)
    plain = text.plain
    breaks = word_breaks(plain, console.width)[:1]
    if breaks:  # the first line as wide as the console, the others indented
        breaks += [breaks[0] + n for n in word_breaks(plain[breaks[0]:], room)]
    for n, line in enumerate(text.divide(breaks)):
        line.rstrip()
        console.print(Text(" " * indent if n else "").append_text(line), soft_wrap=True)


def write_text(e: Explanation, config: Config, stream: TextIO) -> None:
    from rich.text import Text

    from frictionscan_report import shorten
    from frictionscan_report.table import table_console

    data = explanation_dict(e)
    # plain off a terminal, as wide as $COLUMNS (else 100); names shortened in the middle
    # to the width, never broken across lines
    console = table_console(stream)
    safe = terminal_safe  # repository text: control characters shown, never acted on
    hanging(console, Text.assemble((safe(data["path"]), "bold"),
                                   f"  rank {data['rank']} of {data['of']}"
                                   f"{'' if data['kind'] == 'product' else ' ' + data['kind']} "
                                   f"files, score "
                                   f"{data['score']:.2f}, refactor effort "
                                   f"{data['effort']['band']} ({data['effort']['hours']} h)"))
    formula = " x ".join(f"(1 + {c['name']})" if c["name"] == "findings" else c["name"]
                         for c in data["components"])
    console.print()
    hanging(console, safe(f"Why it ranks here (hotspot score = {formula}):"), style="bold")
    for c in data["components"]:
        hanging(console, safe(f"  {c['name']:<11} {c['value']:>8g}  {c['reason']}"), 24)
    history = data["history"]
    console.print(Text("\nChange history", style="bold"))
    hanging(console, safe(f"  {history['revisions']} commits in the window by "
                          f"{len(history['authors'])} "
                          f"author{'' if len(history['authors']) == 1 else 's'} "
                          f"({', '.join(history['authors'])}); "
                          f"{history['fixes']} look like bug fixes; "
                          f"+{history['lines_added']} -{history['lines_deleted']} lines"))
    if history["first_change"]:
        console.print(Text(f"  first change {history['first_change'][:10]}, last "
                           f"{history['last_change'][:10]}"))
    if history["former_paths"]:
        hanging(console, safe(f"  formerly: {', '.join(history['former_paths'])}"))
    timeline = history["commits_per_month"]
    if timeline:
        peak = max(timeline.values()) or 1
        for month, count in timeline.items():
            bar = "#" * max(0, round(count / peak * 30))
            console.print(Text(f"  {month} {count:>3} {bar}"))
    if data["functions"]:
        console.print(Text("\nMost complex functions", style="bold"))
        digits = max(4, *(len(str(f["line"])) for f in data["functions"]))
        console.print(Text(f"  complexity    {'line':>{digits}}    function"), soft_wrap=True)
        room = console.width - 2 - 10 - 4 - digits - 4
        for f in data["functions"]:
            name = safe(f["name"])
            name = shorten.qualified(name, max(room, shorten.qualified_minimum(name)))
            console.print(Text(f"  {f['complexity']:>10g}    {f['line']:>{digits}}    {name}"),
                          soft_wrap=True)
    if data["xray"]:
        _write_xray(console, data)
    console.print(Text(f"\nFindings ({len(data['findings'])}, {data['suppressed']} suppressed)",
                       style="bold"))
    for f in data["findings"]:
        fix = (" [fix: safe]" if f["fix_safe"] else " [fix: unsafe]") \
            if f["fix_available"] else ""
        hanging(console, safe(f"  line {f['line']}: {f['code']} {f['message']} "
                              f"({f['effort_minutes']} min){fix}"))
    _insights(e, console)
    console.print(Text("\nFocus", style="bold"))
    if data["focus"]:
        for w in data["focus"]:
            hanging(console, safe(f"  x{w['factor']:g}  {w['reason']}"))
    else:
        console.print(Text("  no roadmap weight (outside every focus area, not dormant)"))
    for err in data["errors"]:
        hanging(console, safe(f"  note: {err}"), style="yellow")


def _write_xray(console: Any, data: dict[str, Any]) -> None:
    """The X-ray: the file's functions by function score, with their change history, a
    line each (the name shortened in the middle to the width)."""
    from rich.text import Text

    from frictionscan_report import shorten

    functions = data["xray"]
    console.print(Text("\nX-ray: functions by function score (change x complexity)",
                       style="bold"))
    c = data["concentration"]
    if c:
        console.print(Text(f"  {c['functions']} of {c['of']} functions take "
                           f"{c['share'] * 100:.0f}% of its changes"))
    console.print(Text(f"  {'score':>7} {'chg':>4} {'churn':>11} {'cc':>4} {'find':>4} "
                       f"{'auth':>4}  {'last':<10}  function (line)", style="dim"),
                  soft_wrap=True)
    for f in functions[:XRAY_ROWS]:
        cc = "-" if f["complexity"] is None else f"{f['complexity']:g}"
        churn = f"+{f['lines_added']} -{f['lines_deleted']}"
        line = (f"  {f['score']:>7g} {f['changes']:>4} {churn:>11} {cc:>4} "
                f"{f['findings'] or '':>4} {len(f['authors']):>4}  "
                f"{(f['last_change'] or '-')[:10]:<10}  ")
        where = f" ({f['line']})"
        name = terminal_safe(f["name"])  # its last part whole, even past the width
        name = shorten.qualified(name, max(console.width - len(line) - len(where),
                                           shorten.qualified_minimum(name)))
        console.print(Text(line + name + where), soft_wrap=True)
    rest = functions[XRAY_ROWS:]
    if rest:
        changed = sum(1 for f in rest if f["changes"])
        console.print(Text(f"  ... {len(rest)} more functions ({changed} changed in the "
                           f"window); --format json lists all", style="dim"))


def _insights(e: Explanation, console: Any) -> None:
    """The files it changes with, and who knows it."""
    from rich.text import Text

    safe = terminal_safe
    path = e.hotspot.path
    coupling = e.insights.coupling_of(path)
    if coupling is not None:
        console.print(Text("\nChanges together with", style="bold"))
        if not coupling.coupled:
            console.print(Text(f"  no file often enough ({coupling.revisions} commits counted, "
                               f"mass edits left out)"))
        for x in coupling.coupled:
            where = f"  [hidden: {BOUNDARIES.get(x.boundary, x.boundary)}]" if x.hidden \
                else ""
            hanging(console, safe(f"  {x.path}: {x.shared} of its {coupling.revisions} "
                                  f"commits, degree {x.degree:.0%}{where}"))
    knowledge = e.insights.knowledge_of(path)
    if knowledge is not None:
        console.print(Text("\nWho knows it", style="bold"))
        hanging(console, safe(f"  {knowledge_line(knowledge)}"))
        hanging(console, safe(f"  knows it best: "
                              f"{people_text(knowledge.authors[:KNOWS_BEST])}"))
