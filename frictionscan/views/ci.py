"""Pull-request mode (``frictionscan ci``): what a change does to the code of the files it
touches, and whether that breaks the team's policy. See docs/ci.md.

"Before" is the merge base of the base and the head: old file versions are read from git
objects (nothing is checked out) and analysed by the same per-file hooks, with the history
as it was at the merge base. "After" is the scan of the checked-out head.

The verdict is about the code the change wrote, not about the churn it causes: every file a
change touches has one more change in its history, so its score rises for being touched. A
file is *worse* when a function that existed got more complex, when the complexity of its
functions grew (new functions), or when the change introduced a finding; it is a *hotspot*
when it is in the top N of the ranking before the change (the base ranking: the touched
files' scores at the merge base among the other files', which the change does not touch)
or after it. The scores and ranks are context; the verdict, the policies and the first line
of every report compare complexity and findings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frictionscan.core.model import (
    AuthorShare,
    ErrorKind,
    FileAnalysis,
    Finding,
    FocusArea,
    FunctionHistory,
    Hotspot,
    RevisionDiff,
    RuleInfo,
    ScanResult,
)
from frictionscan.views.insights import CoChange, missing_co_changes, reviewers

#: Policy checks that ``--fail-on`` accepts.
POLICIES = ("complexity-increase", "new-findings", "enters-top")
DEFAULT_TOP = 10
#: A function is *hot* when it is one of the first few of its file's X-ray (by function
#: score) and changed in the window before the change.
HOT_FUNCTIONS = 3
#: Missing co-changes and people who know the code, per touched file.
FILE_CO_CHANGES = 2
FILE_KNOWERS = 2
#: The verdict names the files when there are at most this many.
NAMED_FILES = 3


def finding_key(f: Finding) -> str:
    """Identity of a finding across versions of a file (lines move, messages do not)."""
    return f"{f.code}|{f.symbol or ''}|{f.message}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionDelta:
    """A function whose cyclomatic complexity the change moved: ``before`` is ``None`` for
    a new function, ``after`` for a removed one."""

    name: str
    before: float | None
    after: float | None
    #: Commits of the window before the change that changed it (the X-ray at the head, the
    #: change's own commits left out); ``None`` without an X-ray.
    changes: int | None = None
    #: One of its file's hot functions (:data:`HOT_FUNCTIONS`).
    hot: bool = False
    #: Its first line now (``None`` for a removed function).
    line: int | None = None

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)

    @property
    def kind(self) -> str:
        """``"new"``, ``"removed"``, ``"more"`` (more complex) or ``"less"``."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "removed"
        return "more" if self.delta > 0 else "less"


@dataclass(frozen=True, slots=True, kw_only=True)
class FileDelta:
    path: str
    old_path: str | None
    added: bool
    before: Hotspot | None
    after: Hotspot
    #: Where the file stood in the ranking before the change (the base ranking); ``None``
    #: for a file the change adds.
    rank_before: int | None
    functions: tuple[FunctionDelta, ...]
    findings_added: tuple[Finding, ...]
    findings_removed: tuple[Finding, ...]
    #: Findings in both versions whose numbers moved, as (before, after).
    findings_changed: tuple[tuple[Finding, Finding], ...] = ()
    #: The focus area the file is in (the strongest), if any.
    focus: FocusArea | None = None
    #: In the top N of the ranking before the change, and after it.
    in_top_before: bool = False
    in_top_after: bool = False
    #: Files that usually change with this one and that the change does not touch.
    co_changes: tuple[CoChange, ...] = ()
    #: Who knows this file best, among the people still active, never the change's authors.
    knowers: tuple[AuthorShare, ...] = ()
    #: Why its code could not be compared (a version that does not parse, a plugin that
    #: failed on it): then nothing is said about its functions and findings.
    problem: str = ""

    @property
    def score_delta(self) -> float:
        return self.after.score - (self.before.score if self.before else 0.0)

    @property
    def area(self) -> str | None:
        return next((w.area for w in self.after.analysis.weights if w.area), None)

    @property
    def more_complex(self) -> tuple[FunctionDelta, ...]:
        """Functions that existed before and got more complex."""
        return tuple(d for d in self.functions if d.kind == "more")

    @property
    def simpler(self) -> tuple[FunctionDelta, ...]:
        return tuple(d for d in self.functions if d.kind == "less")

    @property
    def new_functions(self) -> tuple[FunctionDelta, ...]:
        return tuple(d for d in self.functions if d.kind == "new")

    @property
    def removed_functions(self) -> tuple[FunctionDelta, ...]:
        return tuple(d for d in self.functions if d.kind == "removed")

    @property
    def complexity_delta(self) -> float:
        """How much the complexity of the file's functions grew (negative: shrank)."""
        return sum(d.delta for d in self.functions)

    @property
    def complexity_increase(self) -> float:
        """What the functions that existed before gained."""
        return sum(d.delta for d in self.more_complex)

    @property
    def changed(self) -> bool:
        """The change moved the file's friction (a function's complexity, a finding)."""
        return bool(self.functions or self.findings_added or self.findings_removed)

    @property
    def compared(self) -> bool:
        return not self.problem

    @property
    def worse(self) -> bool:
        """A function that existed got more complex, the functions' complexity grew, or
        the change introduced a finding."""
        return bool(self.more_complex or self.complexity_delta > 0 or self.findings_added)

    @property
    def better(self) -> bool:
        return bool(self.simpler or self.removed_functions or self.findings_removed)

    @property
    def hotspot(self) -> bool:
        """In the top N before the change or after it."""
        return self.in_top_before or self.in_top_after


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    policy: str
    path: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CiReport:
    diff: RevisionDiff
    result: ScanResult
    files: tuple[FileDelta, ...]
    top: int
    violations: tuple[Violation, ...] = ()
    fail_on: tuple[str, ...] = ()
    baseline_used: bool = False
    skipped: tuple[str, ...] = field(default=())
    #: Every rule, with the plugin offering it (for SARIF rule metadata).
    rules: tuple[tuple[str, RuleInfo], ...] = ()
    #: Files that usually change with a touched file but that the change does not touch.
    co_changes: tuple[CoChange, ...] = ()
    #: Who changed the touched files most in the window (never the change's authors).
    reviewers: tuple[AuthorShare, ...] = ()
    #: How many files the ranking before the change holds.
    ranked_before: int = 0

    @property
    def level(self) -> str:
        """``"fail"`` (a policy failed), ``"warn"`` (a hotspot got worse) or ``"ok"``."""
        if self.violations:
            return "fail"
        return "warn" if self.worse_hotspots else "ok"

    @property
    def worse_hotspots(self) -> tuple[FileDelta, ...]:
        return tuple(f for f in self.files if f.worse and f.hotspot)

    @property
    def worse_elsewhere(self) -> tuple[FileDelta, ...]:
        return tuple(f for f in self.files if f.worse and not f.hotspot)

    @property
    def unchanged(self) -> tuple[FileDelta, ...]:
        """Touched without friction change."""
        return tuple(f for f in self.files if not f.changed and f.compared)

    @property
    def uncompared(self) -> tuple[FileDelta, ...]:
        """Touched, but a version could not be analysed completely."""
        return tuple(f for f in self.files if not f.compared)

    @property
    def quiet(self) -> bool:
        """No policy failed, no touched file's friction moved, every one was compared."""
        return not self.violations and not any(f.changed or f.problem for f in self.files)


def base_from_environment(env: Mapping[str, str]) -> str | None:
    """The base branch a CI system names for a pull/merge request."""
    for var in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
                "BITBUCKET_PR_DESTINATION_BRANCH", "SYSTEM_PULLREQUEST_TARGETBRANCH"):
        value = env.get(var, "").strip()
        if value:
            value = value.removeprefix("refs/heads/")
            return f"origin/{value}"
    return None


def _functions(a: FileAnalysis | None) -> dict[str, float]:
    if a is None:
        return {}
    return {m.symbol.name: m.value for m in a.symbol_values("radon.cc") if m.symbol}


def _lines(a: FileAnalysis) -> dict[str, int]:
    return {m.symbol.name: m.symbol.span.start_line for m in a.symbol_values("radon.cc")
            if m.symbol}


def problem(before: FileAnalysis | None, after: FileAnalysis) -> str:
    """Why the two versions cannot be compared: the first error (other than a note) of
    either, which would otherwise read as functions removed and findings fixed."""
    for label, a in (("now", after), ("before the change", before)):
        for e in a.errors if a is not None else ():
            if e.kind is not ErrorKind.NOTE:
                return f"{label}: {e.message}"
    return ""


def _function_deltas(before: FileAnalysis | None, after: Hotspot,
                     change: Collection[str] = ()) -> list[FunctionDelta]:
    """The functions whose complexity moved, with what the X-ray knows of them: how often
    they changed in the window before the change (its ``change`` commits left out) and
    whether they are hot."""
    old, new = _functions(before), _functions(after.analysis)
    lines = _lines(after.analysis)
    xray: dict[str, FunctionHistory] = {}
    hot: set[str] = set()
    if after.functions is not None:
        xray = {f.name: f for f in reversed(after.functions)}
        hot = {f.name for f in after.functions[:HOT_FUNCTIONS] if f.score > 0}
    own = {sha[:12] for sha in change}
    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        changes: int | None = None
        if after.functions is not None:
            history = xray.get(name)
            changes = sum(1 for c in history.commits if c[:12] not in own) if history else 0
        out.append(FunctionDelta(name=name, before=old.get(name), after=new.get(name),
                                 changes=changes, hot=name in hot and bool(changes),
                                 line=lines.get(name)))
    return out


def _pair_key(f: Finding) -> str:
    """What stays of a finding whose numbers move (``dispatch has 16 return statements`` ->
    ``17``): its rule and function, or its rule and message without the numbers."""
    return f"{f.code}|{f.symbol}" if f.symbol else f"{f.code}||{re.sub(r'[0-9]+', '#', f.message)}"


def _finding_deltas(before: FileAnalysis | None, after: FileAnalysis
                    ) -> tuple[list[Finding], list[Finding], list[tuple[Finding, Finding]]]:
    """(introduced, fixed, changed): a finding is the same in both versions when its rule,
    function and message are; one whose numbers moved (a function with one more return
    statement) is *changed*, neither introduced nor fixed."""
    old = Counter(finding_key(f) for f in (before.findings if before else ()))
    new = Counter(finding_key(f) for f in after.findings)
    added, removed = [], []
    seen: Counter[str] = Counter()
    for f in after.findings:
        key = finding_key(f)
        seen[key] += 1
        if seen[key] > old[key]:
            added.append(f)
    seen.clear()
    for f in before.findings if before else ():
        key = finding_key(f)
        seen[key] += 1
        if seen[key] > new[key]:
            removed.append(f)
    changed = []
    for f in list(added):
        match = next((r for r in removed if _pair_key(r) == _pair_key(f)), None)
        if match is not None:
            added.remove(f)
            removed.remove(match)
            changed.append((match, f))
    return added, removed, changed


def base_ranking(result: ScanResult, before: Mapping[str, Hotspot],
                 touched: Iterable[str]) -> dict[str, int]:
    """Each file's rank before the change: the files the change does not touch keep their
    scores (nothing about them changed), the touched and deleted ones have their scores
    at the merge base (``before``: by the path the file has now, a deleted file by its
    old path), the files the change adds are not there. Ordered by score, then path."""
    touched = set(touched)
    scores = {h.path: h.score for h in result.hotspots if h.path not in touched}
    scores.update((path, h.score) for path, h in before.items())
    order = sorted(scores, key=lambda p: (-scores[p], p))
    return {path: i for i, path in enumerate(order, 1)}


def baseline_dict(result: ScanResult) -> dict[str, Any]:
    """What ``frictionscan baseline`` records: each file's rank, score, function complexities
    and findings (:func:`evaluate` lets only regressions against it count)."""
    return {
        "schema_version": 1,
        "head": result.head,
        "files": {h.path: {"rank": h.rank, "score": h.score,
                           "functions": _functions(h.analysis),
                           "findings": sorted(finding_key(f) for f in h.analysis.findings)}
                  for h in result.hotspots},
    }


def _where(f: FileDelta) -> str:
    if f.in_top_after:
        return f"rank {f.after.rank} hotspot"
    return f"hotspot (rank {f.rank_before} before the change)"


def evaluate(files: Sequence[FileDelta], fail_on: Sequence[str], top: int,
             baseline: Mapping[str, Any] | None) -> list[Violation]:
    """The policy violations among ``files``; with a baseline only regressions against it
    count, never debt that was already recorded. Being touched is never a violation: every
    policy asks what the change did to the code."""
    recorded = (baseline or {}).get("files", {})
    out = []
    for f in files:
        known = recorded.get(f.path) or recorded.get(f.old_path or "") or {}
        if "complexity-increase" in fail_on and f.hotspot:
            worse = []
            for d in f.more_complex:
                allowed = known.get("functions", {}).get(d.name)
                if allowed is not None and (d.after or 0) <= allowed:
                    continue
                worse.append(f"`{d.name}` {d.before:g} → {d.after:g}")
            if worse:
                out.append(Violation(policy="complexity-increase", path=f.path,
                                     message=f"{_where(f)} got more complex: "
                                             f"{', '.join(worse)}"))
        if "new-findings" in fail_on and f.area is not None:
            old_keys = Counter(known.get("findings", []))
            new = []
            for finding in f.findings_added:
                key = finding_key(finding)
                if old_keys[key] > 0:
                    old_keys[key] -= 1
                    continue
                new.append(finding)
            if new:
                listed = ", ".join(f"{x.code} line {x.span.start_line}" for x in new[:5])
                out.append(Violation(policy="new-findings", path=f.path,
                                     message=f"{plural(len(new), 'new finding')} in focus "
                                             f"area '{f.area}': {listed}"))
        if "enters-top" in fail_on and f.worse and f.in_top_after and not f.in_top_before:
            was = (known.get("rank") or 10**9) <= top if known else False
            if not was:
                before = f"rank {f.rank_before}" if f.rank_before else "new file"
                out.append(Violation(policy="enters-top", path=f.path,
                                     message=f"got worse and enters the top {top}: {before} "
                                             f"→ rank {f.after.rank}"))
    return out


def _focus_area(h: Hotspot, result: ScanResult) -> FocusArea | None:
    name = next((w.area for w in h.analysis.weights if w.area), None)
    areas = result.focus.areas if result.focus is not None else ()
    return next((a for a in areas if a.name == name), None) if name else None


def build_report(diff: RevisionDiff, result: ScanResult, before: Mapping[str, Hotspot], *,
                 top: int, fail_on: Sequence[str], baseline: Mapping[str, Any] | None,
                 rules: Sequence[tuple[str, RuleInfo]]) -> CiReport:
    """What the change does to each touched file: ``result`` is the scan of the head,
    ``before`` the touched files' hotspots at the merge base (by their path now), and those
    of the files the change deletes (by their old path)."""
    by_path = {h.path: h for h in result.hotspots}
    touched = {c.path: (c.old_path or c.path) for c in diff.changes if c.path in by_path}
    skipped = tuple(sorted(c.path for c in diff.changes if c.path not in by_path))
    ranks = base_ranking(result, {p: h for p, h in before.items()
                                  if p in touched or p in diff.deleted}, touched)
    changed = sorted(touched)
    files = []
    for path, old_path in sorted(touched.items()):
        after = by_path[path]
        old = before.get(path)
        why = problem(old.analysis if old else None, after.analysis)
        functions = [] if why else _function_deltas(old.analysis if old else None, after,
                                                    diff.commits)
        added, removed, moved = ([], [], []) if why else _finding_deltas(
            old.analysis if old else None, after.analysis)
        rank_before = ranks.get(path) if old else None
        files.append(FileDelta(
            path=path, old_path=old_path if old_path != path else None, added=old is None,
            before=old, after=after, rank_before=rank_before, functions=tuple(functions),
            findings_added=tuple(added), findings_removed=tuple(removed),
            findings_changed=tuple(moved), focus=_focus_area(after, result),
            in_top_before=old is not None and old.score > 0 and (rank_before or top + 1) <= top,
            in_top_after=after.score > 0 and (after.rank or top + 1) <= top,
            co_changes=missing_co_changes(diff, [path], result.insights, FILE_CO_CHANGES),
            knowers=reviewers([path], result.insights, diff.authors, FILE_KNOWERS),
            problem=why))
    violations = evaluate(files, fail_on, top, baseline)
    # what got worse first (hotspots before other files), then what got better, then the
    # rest; by rank within each
    files.sort(key=lambda f: (not (f.worse and f.hotspot), not f.worse, not f.changed,
                              f.after.rank or 10**9, f.path))
    return CiReport(diff=diff, result=result, files=tuple(files), top=top,
                    violations=tuple(violations), fail_on=tuple(fail_on),
                    baseline_used=baseline is not None, skipped=skipped, rules=tuple(rules),
                    co_changes=missing_co_changes(diff, changed, result.insights),
                    reviewers=reviewers(changed, result.insights, diff.authors),
                    ranked_before=len(ranks))


# -- the verdict in one sentence, for every format ---------------------------------------

def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _worse(files: Sequence[FileDelta], where: str, wheres: str,
           code: Callable[[str], str]) -> str:
    more = sum(len(f.more_complex) for f in files)
    new = sum(len(f.new_functions) for f in files)
    found = sum(len(f.findings_added) for f in files)
    bits = [b for b in (more and plural(more, "function") + " more complex",
                        new and plural(new, "new function"),
                        found and plural(found, "new finding")) if b]
    if not bits:  # the functions' complexity grew otherwise (cannot happen without these)
        bits = ["more complex code"]
    names = f" ({', '.join(code(f.path) for f in files)})" if len(files) <= NAMED_FILES else ""
    return f"{_and(bits)} in {plural(len(files), where, wheres)}{names}"


def verdict_sentence(report: CiReport, code: Callable[[str], str] = str) -> str:
    """The verdict in one sentence (without the level's mark): what got worse in the
    hotspots and elsewhere, what got better, and how many files were only touched;
    ``code`` formats a path for the output (a code span in Markdown)."""
    parts = []
    if report.worse_hotspots:
        parts.append(_worse(report.worse_hotspots, "hotspot", "hotspots", code))
    if report.worse_elsewhere:
        parts.append(_worse(report.worse_elsewhere, "file outside the hotspots",
                            "files outside the hotspots", code))
    simpler = sum(len(f.simpler) + len(f.removed_functions) for f in report.files)
    fixed = sum(len(f.findings_removed) for f in report.files)
    better = [b for b in (simpler and plural(simpler, "function") + " simpler or removed",
                          fixed and plural(fixed, "finding") + " fixed") if b]
    if better:
        parts.append(_and(better))
    uncompared = report.uncompared
    if uncompared:
        names = f" ({', '.join(code(f.path) for f in uncompared)})" \
            if len(uncompared) <= NAMED_FILES else ""
        parts.append(f"{plural(len(uncompared), 'file')} could not be compared{names}")
    unchanged = report.unchanged
    if unchanged:
        names = f" ({', '.join(code(f.path) for f in unchanged)})" \
            if len(unchanged) <= NAMED_FILES else ""
        parts.append(f"{plural(len(unchanged), 'file')} touched without friction change"
                     f"{names}")
    if not report.files:
        parts.append("no analysed Python file touched")
    sentence = "; ".join(parts)
    if report.violations:
        failed = sorted({v.policy for v in report.violations}, key=POLICIES.index)
        sentence = f"fails {', '.join(failed)}: {sentence}"
    return sentence[:1].upper() + sentence[1:]
