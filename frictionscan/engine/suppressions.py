"""Suppression comments: ``# frictionscan: ignore[FS101] reason="..." until=2027-06-30``.

* On a line, the comment suppresses findings of the listed codes that start on that line.
* On a ``def`` or ``class`` line, it suppresses them in the whole block (the lines below
  that are indented deeper, as Python reads them).
* ``reason=`` (quoted, or plain words up to ``until=``) records why; ``until=YYYY-MM-DD``
  makes it expire: from that day on (by HEAD's commit date, never the wall clock) the
  findings are back and the comment itself is reported.

Suppressions are handled by the core for every plugin's findings. Problems with the comments
themselves are findings of their own, so they are seen and counted like any other:
``FS901`` expired, ``FS902`` unused (nothing to suppress any more), ``FS903`` malformed.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from frictionscan.core.config import Config
from frictionscan.core.model import Finding, RuleInfo, Span
from frictionscan.plugin.hooks import HookCalls

_MARKER = re.compile(r"#\s*frictionscan\s*:", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*frictionscan\s*:\s*ignore\[(?P<codes>[^\]]*)\](?P<rest>.*)$",
                     re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{1,5}\d{1,4}$")
_REASON = re.compile(r"""reason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<plain>.*?))"""
                     r"""\s*(?=until\s*=|$)""")
_UNTIL = re.compile(r"until\s*=\s*(?P<date>\S+)")
_BLOCK = re.compile(r"^\s*(async\s+)?(def|class)\b")

_HELP = "suppressions.md#what-is-reported-about-suppressions"
EXPIRED = RuleInfo(code="FS901", name="expired-suppression",
                   summary="suppression of … expired on …; the findings are back",
                   effort_minutes=5,
                   description="A suppression comment whose until= date has passed",
                   rationale="A suppression with a date was meant to be temporary: once the "
                             "date has passed, the findings it silenced count again. Fix them, "
                             "or move the date with a reason.",
                   help_uri=_HELP)
UNUSED = RuleInfo(code="FS902", name="unused-suppression",
                  summary="suppression of … matches no finding; remove it", effort_minutes=2,
                  description="A suppression comment that silences nothing",
                  rationale="The problem it silenced was fixed, or the code is wrong: left in "
                            "place, it would silence the next real finding on these lines.",
                  help_uri=_HELP)
MALFORMED = RuleInfo(code="FS903", name="malformed-suppression",
                     summary="malformed suppression comment: …", effort_minutes=2,
                     description="A frictionscan comment that does not follow the syntax",
                     rationale="A suppression that cannot be read silences nothing, although "
                               "the reader believes it does.",
                     help_uri=_HELP)
RULES = (EXPIRED, UNUSED, MALFORMED)


@dataclass
class Suppression:
    line: int
    column: int
    codes: tuple[str, ...]
    reason: str | None
    until: date | None
    #: Last line covered (the end of the block for a def/class line).
    end_line: int
    used: set[str] = field(default_factory=set)


def _comments(source: str) -> Iterable[tuple[int, int, str]]:
    """(line, column, text) of every comment that mentions frictionscan."""
    if "frictionscan" not in source.lower():
        return []
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and _MARKER.match(tok.string):
                found.append((tok.start[0], tok.start[1], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        found = []  # newer syntax or broken file: read comments line by line instead
        for number, line in enumerate(source.splitlines(), start=1):
            match = _MARKER.search(line)
            if match:
                found.append((number, match.start(), line[match.start():]))
    return found


def _block_end(lines: Sequence[str], start: int) -> int:
    """Last line (1-based) of the block opened on line ``start``."""
    indent = len(lines[start - 1]) - len(lines[start - 1].lstrip())
    end = start
    for number in range(start + 1, len(lines) + 1):
        text = lines[number - 1]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(text) - len(text.lstrip()) <= indent:
            break
        end = number
    return end


def parse(source: str, path: str) -> tuple[list[Suppression], list[Finding]]:
    """The suppressions in ``source`` and findings for malformed ones."""
    lines = source.splitlines()
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    for line, column, text in _comments(source):
        def malformed(why: str, line: int = line, column: int = column) -> None:
            problems.append(Finding(code=MALFORMED.code, name=MALFORMED.name,
                                    message=f"malformed suppression comment: {why}",
                                    span=Span(start_line=line, start_col=column),
                                    effort_minutes=MALFORMED.effort_minutes))

        match = _IGNORE.match(text)
        if not match:
            malformed("expected `# frictionscan: ignore[CODE, ...]`")
            continue
        codes = tuple(c.strip().upper() for c in match.group("codes").split(",") if c.strip())
        bad = [c for c in codes if not _CODE.match(c)]
        if not codes or bad:
            malformed(f"{', '.join(bad) or 'no code'} is not a rule code like FS101")
            continue
        rest = match.group("rest").strip()
        reason = until = None
        reason_match = _REASON.search(rest)
        if reason_match:
            reason = (reason_match.group("dq") or reason_match.group("sq")
                      or reason_match.group("plain") or "").strip() or None
            rest = (rest[:reason_match.start()] + rest[reason_match.end():]).strip()
        until_match = _UNTIL.search(rest)
        if until_match:
            try:
                until = date.fromisoformat(until_match.group("date"))
            except ValueError:
                malformed(f"until={until_match.group('date')} is not a date like 2027-06-30")
                continue
            rest = (rest[:until_match.start()] + rest[until_match.end():]).strip()
        if rest:
            malformed(f"unexpected {rest!r} (only reason=... and until=YYYY-MM-DD)")
            continue
        code_part = lines[line - 1][:column] if line <= len(lines) else ""
        end = _block_end(lines, line) if _BLOCK.match(code_part) else line
        suppressions.append(Suppression(line=line, column=column, codes=codes, reason=reason,
                                        until=until, end_line=end))
    return suppressions, problems


def apply(findings: Sequence[Finding], source: str, path: str, now: datetime | None,
          active_codes: frozenset[str] | None = None
          ) -> tuple[list[Finding], list[Finding]]:
    """Split ``findings`` into (kept, suppressed); kept includes findings about the
    suppression comments themselves. ``active_codes`` are the codes whose rules ran (an
    unused suppression of a rule that did not run is not reported)."""
    suppressions, kept = parse(source, path)
    if not suppressions:
        return [*findings, *kept], []
    today = now.date() if now else None
    suppressed: list[Finding] = []
    for finding in findings:
        line = finding.span.start_line
        match = next((s for s in suppressions
                      if s.line <= line <= s.end_line and finding.code in s.codes), None)
        if match is None:
            kept.append(finding)
            continue
        match.used.add(finding.code)
        if match.until is not None and today is not None and today >= match.until:
            kept.append(finding)
        else:
            suppressed.append(replace(finding, suppressed=True,
                                      suppression_reason=match.reason))
    for s in suppressions:
        where = Span(start_line=s.line, start_col=s.column)
        codes = ", ".join(s.codes)
        if s.until is not None and today is not None and today >= s.until:
            kept.append(Finding(code=EXPIRED.code, name=EXPIRED.name, span=where,
                                message=f"suppression of {codes} expired on {s.until}; "
                                        f"the findings are back",
                                effort_minutes=EXPIRED.effort_minutes))
            continue
        unused = [c for c in s.codes if c not in s.used
                  and (active_codes is None or c in active_codes)]
        if unused:
            kept.append(Finding(code=UNUSED.code, name=UNUSED.name, span=where,
                                message=f"suppression of {', '.join(unused)} matches no "
                                        f"finding; remove it",
                                effort_minutes=UNUSED.effort_minutes))
    kept.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.code))
    return kept, suppressed


def all_rules(hooks: HookCalls, config: Config | None = None) -> list[tuple[str, RuleInfo]]:
    """Every rule, with the plugin that offers it (``core`` for the suppression problems),
    by code."""
    return sorted([("core", r) for r in RULES] + hooks.rules(config), key=lambda t: t[1].code)


_ACTIVE: list[tuple[Config, frozenset[str]]] = []


def active_codes(hooks: HookCalls, config: Config) -> frozenset[str]:
    """Codes of the rules that run with ``config`` (computed once per configuration and
    process: the worker asks for every file)."""
    if _ACTIVE and _ACTIVE[0][0] is config:
        return _ACTIVE[0][1]
    codes = frozenset(info.code for _, info in all_rules(hooks, config) if info.enabled)
    _ACTIVE[:] = [(config, codes)]
    return codes
