"""Pull-request reports: the sticky Markdown comment, SARIF 2.1.0, plain text and JSON."""

from __future__ import annotations

from typing import Any, TextIO
from urllib.parse import quote

from frictionscan.api import (
    CiReport,
    Config,
    FileDelta,
    __version__,
    json_text,
    printable,
    terminal_safe,
)
from frictionscan.api import (
    markdown_escape as md,
)
from frictionscan_report.insights_format import co_change_dict, co_change_line, people_text

#: The hidden marker a workflow looks for to update one sticky comment.
MARKER = "<!-- frictionscan -->"
#: GitHub rejects comments over 65,536 characters; stay well below.
COMMENT_LIMIT = 60_000


def verdict(report: CiReport) -> str:
    if report.violations:
        paths = sorted({v.path for v in report.violations})
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        return (f"friction policy failed ({len(report.violations)} "
                f"problem{'s' if len(report.violations) != 1 else ''}) in {shown}")
    if report.quiet and not report.files:
        return "no friction change: no analysed Python file touched"
    if report.quiet:
        return (f"no friction change: the {len(report.files)} Python "
                f"file{'s' if len(report.files) != 1 else ''} touched "
                f"{'are' if len(report.files) != 1 else 'is'} not hotspots")
    worse = [f for f in report.files if f.score_delta > 0.005]
    better = [f for f in report.files if f.score_delta < -0.005]
    return (f"{len(report.files)} Python files touched: {len(worse)} more friction, "
            f"{len(better)} less")


def _rank(f: FileDelta) -> str:
    before = "new" if f.rank_before is None else str(f.rank_before)
    return f"{before} → {f.after.rank}"


def _score(f: FileDelta) -> str:
    before = f.before.score if f.before else 0.0
    sign = "+" if f.score_delta >= 0 else "−"
    return f"{before:.2f} → {f.after.score:.2f} ({sign}{abs(f.score_delta):.2f})"


def _complexity(f: FileDelta) -> str:
    up = sum(d.delta for d in f.functions if d.delta > 0)
    down = -sum(d.delta for d in f.functions if d.delta < 0)
    if not up and not down:
        return "="
    return " ".join(x for x in (f"+{up:g}" if up else "", f"−{down:g}" if down else "") if x)


def _details(f: FileDelta) -> str:
    lines = [f"<details><summary>{md(f.path)}</summary>", ""]
    if f.old_path:
        lines += [f"Renamed from {md(f.old_path)}.", ""]
    if f.functions:
        lines += ["| Function | Complexity |", "|---|---|"]
        for d in f.functions:
            before = "new" if d.before is None else f"{d.before:g}"
            after = "removed" if d.after is None else f"{d.after:g}"
            lines.append(f"| {md(d.name)} | {before} → {after} |")
        lines.append("")
    for title, findings in (("Findings introduced", f.findings_added),
                            ("Findings removed", f.findings_removed)):
        if findings:
            lines.append(f"{title}:")
            lines += [f"- line {x.span.start_line}: **{x.code}** {md(x.message)}"
                      for x in findings]
            lines.append("")
    reasons = "; ".join(w.reason for w in f.after.analysis.weights)
    if reasons:
        lines += [f"Focus: {md(reasons)}", ""]
    lines.append("</details>")
    return "\n".join(lines)


def _mermaid(report: CiReport) -> str:
    points = [f for f in report.files if f.after.score > 0][:20]
    if not points:
        return ""
    max_rev = max(f.after.analysis.history.revisions for f in points) or 1
    max_cc = max(f.after.analysis.value("radon.cc_total") or 0 for f in points) or 1
    lines = ["```mermaid", "quadrantChart", "  title Touched files: churn vs complexity",
             "  x-axis Rarely changed --> Often changed",
             "  y-axis Simple --> Complex", "  quadrant-1 Hotspots", "  quadrant-2 Complex, quiet",
             "  quadrant-3 Calm", "  quadrant-4 Busy, simple"]
    for i, f in enumerate(points, 1):
        x = f.after.analysis.history.revisions / max_rev
        y = (f.after.analysis.value("radon.cc_total") or 0) / max_cc
        lines.append(f"  F{i}: [{min(x, 1):.2f}, {min(y, 1):.2f}]")
    lines.append("```")
    legend = ", ".join(f"F{i} = {md(f.path)}" for i, f in enumerate(points, 1))
    return "\n".join(lines) + "\n\n" + legend


def _people(report: CiReport) -> list[str]:
    """The co-changes the change leaves out and the suggested reviewers, one line each."""
    lines = [f"- :link: {md(co_change_line(c, q=''))}, which this change does not touch"
             for c in report.co_changes]
    if report.reviewers:
        lines.append("- :bust_in_silhouette: Suggested reviewers: "
                     + md(people_text(report.reviewers, " to these files")))
    return lines


def comment(report: CiReport, *, mermaid: bool = False, artifact: str | None = None) -> str:
    """The sticky pull-request comment, always under GitHub's size limit."""
    head = [MARKER, f"**frictionscan:** {md(verdict(report))}"]
    if report.quiet:
        return "\n".join(head + _people(report)) + "\n"
    head.append("")
    for v in report.violations:
        head.append(f"- :x: **{v.policy}** {md(v.path)}: {md(v.message)}")
    if report.violations:
        head.append("")
    people = _people(report)
    if people:
        head += people + [""]
    table = ["| File | Rank | Score | Complexity | Findings | Focus |",
             "|---|---|---|---|---|---|"]
    for f in report.files:
        focus = md(f.area) if f.area else ""
        table.append(f"| {md(f.path)} | {_rank(f)} | {_score(f)} | {_complexity(f)} | "
                     f"+{len(f.findings_added)} / −{len(f.findings_removed)} | {focus} |")
    details = [_details(f) for f in report.files if f.changed]
    tail = []
    if mermaid:
        tail.append(_mermaid(report))
    if report.baseline_used:
        tail.append("<sub>Compared with the committed baseline: only regressions count.</sub>")
    tail.append(f"<sub>Ranks among {len(report.result.hotspots)} files; top "
                f"{report.top} is what the policy watches. frictionscan "
                f"{__version__}.</sub>")
    body = "\n".join(head + table) + "\n\n"
    footer = "\n\n".join(t for t in tail if t) + "\n"
    notice = ("\n_The report is too long for a comment: details were cut. "
              + (f"The full report is in {md(artifact)}._\n" if artifact
                 else "Run `frictionscan ci` locally or keep the report as a CI artifact._\n"))
    kept = []
    size = len(body) + len(footer)
    for d in details:
        if size + len(d) + 2 + len(notice) > COMMENT_LIMIT:
            break
        kept.append(d)
        size += len(d) + 2
    text = body + "\n\n".join(kept) + ("\n" if kept else "")
    if len(kept) < len(details) or len(text) + len(footer) > COMMENT_LIMIT:
        text = text[:COMMENT_LIMIT - len(notice) - len(footer)]
        if not text.endswith("\n"):
            text = text.rsplit("\n", 1)[0] + "\n"
        text += notice
    return text + "\n" + footer


def write_markdown(report: CiReport, config: Config, stream: TextIO) -> None:
    stream.write(comment(report, mermaid=bool(config.getoption("report.mermaid", False)),
                         artifact=config.getoption("report.artifact", None) or None))


def write_text(report: CiReport, config: Config, stream: TextIO) -> None:
    lines = [f"frictionscan: {verdict(report)}"]
    for v in report.violations:
        lines.append(f"  FAIL {v.policy}: {v.path}: {v.message}")
    for f in report.files:
        if not f.changed:
            continue
        lines.append(f"  {f.path}: rank {_rank(f)}, score {_score(f)}, "
                     f"complexity {_complexity(f)}, findings +{len(f.findings_added)} "
                     f"-{len(f.findings_removed)}")
        for x in f.findings_added:
            lines.append(f"    + line {x.span.start_line}: {x.code} {x.message}")
    for c in report.co_changes:
        lines.append(f"  co-change: {co_change_line(c)}, which this change does not touch")
    if report.reviewers:
        lines.append("  suggested reviewers: "
                     + people_text(report.reviewers, " to these files"))
    # for a terminal: control characters in paths and messages are shown, not acted on
    stream.write("\n".join(terminal_safe(line) for line in lines)
                 .replace("→", "->").replace("−", "-") + "\n")


def report_dict(report: CiReport) -> dict[str, Any]:
    def finding(x: Any) -> dict[str, Any]:
        return {"code": x.code, "line": x.span.start_line, "message": printable(x.message)}

    return {
        "schema_version": 1,
        "base": report.diff.base, "head": report.diff.head,
        "merge_base": report.diff.merge_base, "verdict": verdict(report),
        "violations": [{"policy": v.policy, "path": printable(v.path),
                        "message": printable(v.message)} for v in report.violations],
        "files": [{"path": printable(f.path),
                   "old_path": printable(f.old_path) if f.old_path else None,
                   "rank_before": f.rank_before, "rank_after": f.after.rank,
                   "score_before": f.before.score if f.before else None,
                   "score_after": f.after.score, "area": f.area,
                   "functions": [{"name": printable(d.name), "before": d.before,
                                  "after": d.after} for d in f.functions],
                   "findings_added": [finding(x) for x in f.findings_added],
                   "findings_removed": [finding(x) for x in f.findings_removed]}
                  for f in report.files],
        "co_changes": [co_change_dict(c) for c in report.co_changes],
        "reviewers": [{"name": printable(r.name), "changes": r.changes,
                       "lines_added": r.added} for r in report.reviewers],
    }


def write_json(report: CiReport, config: Config, stream: TextIO) -> None:
    stream.write(json_text(report_dict(report)) + "\n")


HOTSPOT_RULE = {"id": "FS000", "name": "friction-hotspot",
                "shortDescription": {"text": "A file where frequent change meets complexity"},
                "fullDescription": {"text": "The file ranks among the repository's friction "
                                            "hotspots (docs/scoring.md)."},
                "defaultConfiguration": {"level": "note"}}
CO_CHANGE_RULE = {"id": "FS001", "name": "missing-co-change",
                  "shortDescription": {"text": "A file that usually changes with this one "
                                               "is not part of the change"},
                  "fullDescription": {"text": "The two files changed together in most of "
                                              "this file's recent commits (docs/ci.md)."},
                  "defaultConfiguration": {"level": "note"}}


def write_sarif(report: CiReport, config: Config, stream: TextIO) -> None:
    stream.write(json_text(sarif_dict(report)) + "\n")


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference (RFC 3986), as SARIF's
    ``artifactLocation.uri`` must be: every byte but unreserved characters and ``/`` is
    percent-encoded (``x#y.py`` -> ``x%23y.py``, ``a b.py`` -> ``a%20b.py``, ``a:b.py`` ->
    ``a%3Ab.py``, which would otherwise read as a scheme), the UTF-8 bytes of the name
    included, so ``urllib.parse.unquote_to_bytes`` gives back the file's exact name."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def sarif_dict(report: CiReport) -> dict[str, Any]:
    rules = report.rules
    descriptors = [HOTSPOT_RULE, CO_CHANGE_RULE] + [{
        "id": info.code, "name": info.name,
        "shortDescription": {"text": info.summary},
        "properties": {"effort_minutes": info.effort_minutes, "plugin": plugin,
                       "fix": info.fix or "none"},
        "defaultConfiguration": {"level": "warning"}} for plugin, info in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []

    def location(path: str, line: int, column: int = 0) -> dict[str, Any]:
        return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path),
                                                          "uriBaseId": "SRCROOT"},
                                     "region": {"startLine": max(1, line),
                                                "startColumn": column + 1}}}

    for f in report.files:
        added = {id(x) for x in f.findings_added}
        for x in f.after.analysis.findings:
            results.append({
                "ruleId": x.code, **({"ruleIndex": index[x.code]} if x.code in index else {}),
                "level": "warning", "message": {"text": printable(x.message)},
                "locations": [location(f.path, x.span.start_line, x.span.start_col)],
                "baselineState": "new" if id(x) in added else "unchanged",
            })
        if f.after.score > 0:
            in_top = f.after.rank is not None and f.after.rank <= report.top
            results.append({
                "ruleId": "FS000", "ruleIndex": 0, "level": "warning" if in_top else "note",
                "message": {"text": f"friction hotspot: rank {f.after.rank} of "
                                    f"{len(report.result.hotspots)}, score "
                                    f"{f.after.score:.2f} (was "
                                    f"{f.before.score if f.before else 0:.2f})"},
                "locations": [location(f.path, 1)],
                "properties": {"rank": f.after.rank, "score": f.after.score},
            })
    for c in report.co_changes:
        results.append({
            "ruleId": "FS001", "ruleIndex": 1, "level": "note",
            "message": {"text": printable(f"{co_change_line(c)}, which this change does not "
                                          f"touch")},
            "locations": [location(c.path, 1)],
            "properties": {"partner": printable(c.partner), "shared": c.shared,
                           "revisions": c.revisions, "degree": c.degree},
        })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "frictionscan", "version": __version__,
                                "informationUri": "https://pypi.org/project/frictionscan/",
                                "rules": descriptors}},
            "originalUriBaseIds": {"SRCROOT": {
                "uri": "file://" + artifact_uri(report.result.root.rstrip("/")) + "/"}},
            "results": results,
        }],
    }
