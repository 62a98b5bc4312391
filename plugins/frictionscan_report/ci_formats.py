"""Pull-request reports: the sticky Markdown comment, SARIF 2.1.0, plain text and JSON.

Every report starts with the verdict (``views.ci.verdict_sentence``): what the change did to
the code (functions more complex, new functions, findings), in the hotspots and elsewhere,
and how many files it only touched. Then only what changed, file by file, with what helps a
reviewer: the functions (named, before → after, hot or not), the findings introduced and
fixed, the focus area and its horizon, the files that usually change with it, who knows it.

Escaping in the comment: repository text in Markdown is a real code span (paths, function
names: nothing to escape inside one, no mention, no HTML) or escaped Markdown (messages,
names of people and areas); inside raw HTML (``<summary>``) it is HTML-escaped, since GitHub
does not process Markdown escapes there. Control characters are shown, never acted on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TextIO
from urllib.parse import quote, urljoin

from frictionscan.api import (
    NAMED_FILES,
    CiReport,
    CoChange,
    Config,
    FileDelta,
    FocusArea,
    FunctionDelta,
    RuleInfo,
    ScanResult,
    __version__,
    html_text,
    json_text,
    markdown_code,
    markdown_message,
    printable,
    terminal_safe,
    verdict_sentence,
    visible,
)
from frictionscan.api import (
    markdown_escape as md,
)
from frictionscan_report import DOCS_URL
from frictionscan_report.insights_format import changes, co_change_dict, people_text

#: The hidden marker a workflow looks for to update one sticky comment.
MARKER = "<!-- frictionscan -->"
#: GitHub rejects comments over 65,536 characters; stay well below.
COMMENT_LIMIT = 60_000
#: The mark of each verdict level in the comment, and its word in plain text.
MARKS = {"ok": "✅", "warn": "⚠️", "fail": "❌"}
WORDS = {"ok": "ok", "warn": "warning"}
#: Files named on the "touched without friction change" line; the rest are counted.
UNCHANGED_NAMED = 20


def verdict(report: CiReport) -> str:
    """The verdict as plain text (paths as they are)."""
    return verdict_sentence(report)


def window_phrase(result: ScanResult) -> str:
    """``in the last 12 months`` (the scan's window), or ``in all of history``."""
    if result.since is None:
        return "in all of history"
    days = max(0, (result.head_time - result.since).days)
    months = round(days / 30.44)
    return f"in the last {months} months" if months >= 2 else f"in the last {days} days"


def horizon_phrase(area: FocusArea) -> str:
    """``next 3 months`` for a duration, ``by 2027-03-31`` for a date."""
    if not area.horizon:
        return ""
    return f"by {area.horizon}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", area.horizon) \
        else f"next {area.horizon}"


def standing(f: FileDelta, report: CiReport) -> str:
    """``rank 3 of 37 (was 5)``: where the file stands after the change and stood before
    it (the base ranking)."""
    if f.after.score > 0:
        kind = f.after.kind
        among = sum(1 for h in report.result.hotspots if h.kind == kind)
        now = f"rank {f.after.rank} of {among}" + (
            "" if kind == "product" else f" {kind} file{'' if among == 1 else 's'}")
    else:
        now = "not ranked (no change in the window)"
    if f.added:
        return f"{now} (new file)"
    if f.before is None or f.before.score <= 0 or f.rank_before is None:
        return f"{now} (not ranked before)"
    return f"{now} (was {f.rank_before})"


def status(f: FileDelta) -> str:
    if f.problem:
        return "not compared"
    if f.worse:
        return "more friction" if f.hotspot else "more complex, not a hotspot"
    return "less friction" if f.better else "no friction change"


def _n(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _context(d: FunctionDelta, window: str) -> str:
    if not d.changes:
        return ""
    hot = "hot, " if d.hot else ""
    return f" ({hot}changed in {d.changes} commit{'s' if d.changes != 1 else ''} {window})"


def file_items(f: FileDelta, report: CiReport, code: Callable[[str], str],
               text: Callable[[str], str], message: Callable[[str], str],
               bold: Callable[[str], str]) -> list[str]:
    """What changed in one file and what helps to review it, one item each, formatted with
    ``code`` (names), ``text`` (people, areas), ``message`` (finding messages)."""
    window = window_phrase(report.result)
    items = [f"Not compared: {message(f.problem)}"] if f.problem else []
    for d in f.more_complex:
        items.append(f"More complex: {code(d.name)} {_n(d.before)} → {_n(d.after)}"
                     + _context(d, window))
    if f.new_functions:
        items.append("New: " + ", ".join(f"{code(d.name)} (complexity {_n(d.after)})"
                                         for d in f.new_functions))
    for d in f.simpler:
        items.append(f"Simpler: {code(d.name)} {_n(d.before)} → {_n(d.after)}"
                     + _context(d, window))
    if f.removed_functions:
        items.append("Removed: " + ", ".join(f"{code(d.name)} (complexity {_n(d.before)})"
                                             for d in f.removed_functions))
    for x in f.findings_added:
        items.append(f"New finding, line {x.span.start_line}: {bold(x.code)} "
                     f"{message(x.message)}")
    for x in f.findings_removed:
        items.append(f"Fixed: {bold(x.code)} {message(x.message)}")
    if f.focus is not None:
        when = horizon_phrase(f.focus)
        items.append(f"Focus: in {text(repr_area(f.focus.name))}"
                     + (f", {text(when)}" if when else ""))
    for c in f.co_changes:
        phrase = co_change_text(c, code)
        items.append(f"{phrase[:1].upper()}{phrase[1:]}, not touched here")
    if f.knowers:
        items.append("Knows this code: " + ", ".join(
            f"{text(k.name)} ({changes(k.changes)})" for k in f.knowers))
    return items


def co_change_text(c: CoChange, code: Callable[[str], str], subject: bool = False) -> str:
    """``usually changes with `b.py` (12 of its last 15 commits)``: "usually" when they
    changed together in half of the file's commits or more, else "often"."""
    how = "usually" if c.share >= 0.5 else "often"
    who = f"{code(c.path)} " if subject else ""
    return (f"{who}{how} changes with {code(c.partner)} ({c.shared} of its last "
            f"{c.revisions} commits)")


def repr_area(name: str) -> str:
    return f"'{name}'"


# -- Markdown: the sticky comment ------------------------------------------------------

def _summary(f: FileDelta, report: CiReport) -> str:
    """The ``<summary>`` line: raw HTML, so HTML-escaped (GitHub does not process Markdown
    escapes inside HTML)."""
    return (f"<code>{html_text(f.path)}</code> · {standing(f, report)} · {status(f)}"
            + (f" · renamed from <code>{html_text(f.old_path)}</code>" if f.old_path else ""))


def _section(f: FileDelta, report: CiReport) -> str:
    items = file_items(f, report, markdown_code, md, markdown_message, lambda c: f"**{c}**")
    return "\n".join([f"<details open><summary>{_summary(f, report)}</summary>", ""]
                     + [f"- {item}" for item in items] + ["", "</details>"])


def _names(paths: Sequence[str], code: Callable[[str], str]) -> str:
    shown = ", ".join(code(p) for p in paths[:UNCHANGED_NAMED])
    more = len(paths) - UNCHANGED_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _quiet_lines(report: CiReport) -> list[str]:
    """The files only touched (one line), the co-changes they leave out (the changed files
    name theirs in their sections), the suggested reviewers."""
    lines = []
    unchanged = report.unchanged
    if len(unchanged) > NAMED_FILES:  # else the verdict names them
        lines.append("Touched without friction change: "
                     + _names([f.path for f in unchanged], markdown_code) + ".")
    links = [c for f in unchanged for c in f.co_changes][:5]
    if lines and (links or report.reviewers):
        lines.append("")  # the list apart from the paragraph
    for c in links:
        lines.append(f"- :link: {co_change_text(c, markdown_code, True)}, not touched here")
    if report.reviewers:
        lines.append("- :bust_in_silhouette: Suggested reviewers: "
                     + md(people_text(report.reviewers, " to these files")))
    return lines


def _coordinate(value: float) -> str:
    """A quadrant chart coordinate as Mermaid reads it: ``1``, or ``0`` to ``0.99``."""
    value = round(min(max(value, 0.0), 1.0), 2)
    return "1" if value >= 1 else f"{value:.2f}"


def mermaid_label(path: str) -> str:
    """A file name as a quoted Mermaid label: quotes, markup and entity characters become
    ``_``, control characters are shown."""
    return re.sub(r"[\"<>&#;`\\]", "_", visible(path))


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
    for f in points:
        x = f.after.analysis.history.revisions / max_rev
        y = (f.after.analysis.value("radon.cc_total") or 0) / max_cc
        lines.append(f'  "{mermaid_label(f.path)}": [{_coordinate(x)}, {_coordinate(y)}]')
    lines.append("```")
    return "\n".join(lines)


def first_line(report: CiReport) -> str:
    return (f"{MARKS[report.level]} **frictionscan:** "
            f"{verdict_sentence(report, markdown_code)}")


def comment(report: CiReport, *, mermaid: bool = False, artifact: str | None = None) -> str:
    """The sticky pull-request comment, always under GitHub's size limit."""
    head = [MARKER, first_line(report)]
    if report.quiet:
        quiet = _quiet_lines(report)
        return "\n".join(head + ([""] + quiet if quiet else [])) + "\n"
    head.append("")
    for v in report.violations:
        head.append(f"- :x: **{v.policy}** in {markdown_code(v.path)}: "
                    f"{markdown_message(v.message)}")
    if report.violations:
        head.append("")
    details = [_section(f, report) for f in report.files if f.changed or f.problem]
    tail = ["\n".join(_quiet_lines(report))]
    if mermaid:
        tail.append(_mermaid(report))
    if report.baseline_used:
        tail.append("<sub>Compared with the committed baseline: only regressions count.</sub>")
    kinds = Counter(h.kind for h in report.result.hotspots)
    product = kinds.pop("product", 0)
    def files(n: int, kind: str = "") -> str:
        return f"{n} {kind + ' ' if kind else ''}file{'' if n == 1 else 's'}"

    apart = "".join(f", {files(n, kind)}" for kind, n in sorted(kinds.items()))
    among = f"{files(product, 'product')}{apart} ranked apart" if apart else files(product)
    tail.append(f"<sub>Complexity of functions and findings before and after the change; "
                f"ranks among {among}, the top {report.top}{' of each' if apart else ''} are "
                f"the hotspots. "
                f"frictionscan {__version__}.</sub>")
    body = "\n".join(head) + "\n"
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


# -- plain text: terminals and pre-commit ----------------------------------------------

def write_text(report: CiReport, config: Config, stream: TextIO) -> None:
    word = f"{WORDS[report.level]}: " if report.level in WORDS else ""  # "Fails ..." says it
    said = verdict(report)
    if word:  # "ok: no analysed ..." (the sentence goes on after the colon)
        said = said[:1].lower() + said[1:]
    lines = [f"frictionscan: {word}{said}"]
    for v in report.violations:
        lines.append(f"  FAIL {v.policy}: {v.path}: {v.message}")
    for f in report.files:
        if not f.changed and not f.problem:
            continue
        lines.append(f"  {f.path}: {standing(f, report)}, {status(f)}")
        lines += [f"    {item}" for item in file_items(
            f, report, lambda s: s, lambda s: s, lambda s: s, lambda s: s)]
    unchanged = [f.path for f in report.unchanged]
    if len(unchanged) > NAMED_FILES:  # else the verdict names them
        lines.append("  touched without friction change: " + _names(unchanged, str))
    for c in [c for f in report.unchanged for c in f.co_changes][:5]:
        lines.append(f"  co-change: {co_change_text(c, str, True)}, not touched here")
    if report.reviewers:
        lines.append("  suggested reviewers: "
                     + people_text(report.reviewers, " to these files"))
    # for a terminal: control characters in paths and messages are shown, not acted on
    stream.write("\n".join(terminal_safe(line) for line in lines)
                 .replace("→", "->").replace("−", "-") + "\n")


# -- JSON --------------------------------------------------------------------------------

def report_dict(report: CiReport) -> dict[str, Any]:
    def finding(x: Any) -> dict[str, Any]:
        return {"code": x.code, "line": x.span.start_line, "message": printable(x.message)}

    def function(d: FunctionDelta) -> dict[str, Any]:
        return {"name": printable(d.name), "before": d.before, "after": d.after,
                "kind": d.kind, "line": d.line, "changes": d.changes, "hot": d.hot}

    return {
        "schema_version": 1, "schema_minor": 1,
        "base": report.diff.base, "head": report.diff.head,
        "merge_base": report.diff.merge_base, "level": report.level,
        "verdict": verdict(report),
        "violations": [{"policy": v.policy, "path": printable(v.path),
                        "message": printable(v.message)} for v in report.violations],
        "files": [{"path": printable(f.path),
                   "old_path": printable(f.old_path) if f.old_path else None,
                   "rank_before": f.rank_before, "rank_after": f.after.rank,
                   "score_before": f.before.score if f.before else None,
                   "score_after": f.after.score, "area": f.area,
                   "horizon": f.focus.horizon if f.focus else None,
                   "hotspot_before": f.in_top_before, "hotspot_after": f.in_top_after,
                   "worse": f.worse, "better": f.better, "problem": f.problem or None,
                   "complexity_delta": f.complexity_delta,
                   "functions": [function(d) for d in f.functions],
                   "findings_added": [finding(x) for x in f.findings_added],
                   "findings_removed": [finding(x) for x in f.findings_removed],
                   "findings_changed": [{"code": a.code, "line": a.span.start_line,
                                         "before": printable(b.message),
                                         "after": printable(a.message)}
                                        for b, a in f.findings_changed],
                   "co_changes": [co_change_dict(c) for c in f.co_changes],
                   "knowers": [{"name": printable(k.name), "changes": k.changes,
                                "lines_added": k.added} for k in f.knowers]}
                  for f in report.files],
        "co_changes": [co_change_dict(c) for c in report.co_changes],
        "reviewers": [{"name": printable(r.name), "changes": r.changes,
                       "lines_added": r.added} for r in report.reviewers],
    }


def write_json(report: CiReport, config: Config, stream: TextIO) -> None:
    stream.write(json_text(report_dict(report)) + "\n")


# -- SARIF -------------------------------------------------------------------------------

HOTSPOT_RULE = RuleInfo(
    code="FS000", name="friction-hotspot", summary="friction hotspot: rank … of …",
    effort_minutes=0,
    description="A file where frequent change meets complexity",
    rationale="The file ranks among the repository's friction hotspots: it changes often "
              "and is complex, so every change to it costs more and goes wrong more often. "
              "A change that makes such a file more complex, or adds findings to it, adds "
              "to the friction where it hurts most.",
    help_uri="scoring.md")
CO_CHANGE_RULE = RuleInfo(
    code="FS001", name="missing-co-change", summary="… usually changes with …",
    effort_minutes=0,
    description="A file that usually changes with this one is not part of the change",
    rationale="The two files changed together in most of this file's recent commits: a "
              "change to one that leaves the other alone may be incomplete.",
    help_uri="coupling-and-knowledge.md")


def help_uri(info: RuleInfo, docs_url: str) -> str | None:
    """The rule's documentation as an absolute URL: its own, or a page of frictionscan's
    documentation resolved against ``docs_url`` (none when that is empty)."""
    uri = info.help_uri
    if not uri:
        return None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
        return uri
    return urljoin(docs_url, uri) if docs_url else None


def rule_descriptor(info: RuleInfo, plugin: str, docs_url: str,
                    level: str = "warning") -> dict[str, Any]:
    short = info.description or info.summary
    full = info.rationale or short
    fix = {"safe": "`frictionscan fix` fixes it without changing behaviour.",
           "unsafe": "`frictionscan fix --unsafe` fixes it (may change behaviour)."}.get(
               info.fix or "", "")
    effort = f"Effort: about {info.effort_minutes} minutes per occurrence. " \
        if info.effort_minutes else ""
    uri = help_uri(info, docs_url)
    help_text = f"{full}\n\n{effort}{fix}".rstrip()
    return {
        "id": info.code, "name": info.name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text + (f"\n\n{uri}" if uri else ""),
                 "markdown": help_text + (f"\n\n[Documentation]({uri})" if uri else "")},
        **({"helpUri": uri} if uri else {}),
        "properties": {"effort_minutes": info.effort_minutes, "plugin": plugin,
                       "fix": info.fix or "none"},
        "defaultConfiguration": {"level": level}}


def write_sarif(report: CiReport, config: Config, stream: TextIO) -> None:
    docs = config.getoption("report.docs_url", DOCS_URL)
    stream.write(json_text(sarif_dict(report, DOCS_URL if docs is None else docs)) + "\n")


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference (RFC 3986), as SARIF's
    ``artifactLocation.uri`` must be: every byte but unreserved characters and ``/`` is
    percent-encoded (``x#y.py`` -> ``x%23y.py``, ``a b.py`` -> ``a%20b.py``, ``a:b.py`` ->
    ``a%3Ab.py``, which would otherwise read as a scheme), the UTF-8 bytes of the name
    included, so ``urllib.parse.unquote_to_bytes`` gives back the file's exact name."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _hotspot_state(f: FileDelta) -> tuple[str, str]:
    """(level, baselineState) of a touched hotspot's ``FS000`` result: a warning only when
    the change made it worse; ``new`` when it was not a hotspot before the change."""
    level = "warning" if f.worse else "note"
    if not f.in_top_before:
        return level, "new"
    return level, "updated" if f.worse else "unchanged"


def sarif_dict(report: CiReport, docs_url: str = DOCS_URL) -> dict[str, Any]:
    """Only what the change introduced is a warning (``baselineState`` ``new``); the other
    findings of the touched files are notes (``unchanged``)."""
    descriptors = [rule_descriptor(HOTSPOT_RULE, "core", docs_url, "note"),
                   rule_descriptor(CO_CHANGE_RULE, "coupling", docs_url, "note")]
    descriptors += [rule_descriptor(info, plugin, docs_url) for plugin, info in report.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []

    def location(path: str, line: int, column: int = 0) -> dict[str, Any]:
        return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path),
                                                          "uriBaseId": "SRCROOT"},
                                     "region": {"startLine": max(1, line),
                                                "startColumn": column + 1}}}

    for f in report.files:
        added = {id(x) for x in f.findings_added}
        moved = {id(after) for _, after in f.findings_changed}
        for x in f.after.analysis.findings:
            new = id(x) in added
            results.append({
                "ruleId": x.code, **({"ruleIndex": index[x.code]} if x.code in index else {}),
                "level": "warning" if new else "note",
                "message": {"text": printable(x.message)},
                "locations": [location(f.path, x.span.start_line, x.span.start_col)],
                "baselineState": "new" if new else "updated" if id(x) in moved
                else "unchanged",
            })
        if f.hotspot:
            level, state = _hotspot_state(f)
            results.append({
                "ruleId": "FS000", "ruleIndex": 0, "level": level,
                "message": {"text": printable(
                    f"friction hotspot: {standing(f, report)}, {status(f)}"
                    + (f": complexity of its functions {f.complexity_delta:+g}"
                       if f.complexity_delta else "")
                    + (f", {len(f.findings_added)} new finding"
                       f"{'s' if len(f.findings_added) != 1 else ''}"
                       if f.findings_added else ""))},
                "locations": [location(f.path, 1)],
                "baselineState": state,
                "properties": {"rank": f.after.rank, "rank_before": f.rank_before,
                               "score": f.after.score},
            })
    for c in report.co_changes:
        results.append({
            "ruleId": "FS001", "ruleIndex": 1, "level": "note",
            "message": {"text": printable(f"{co_change_text(c, str, True)}, not touched "
                                          f"here")},
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
