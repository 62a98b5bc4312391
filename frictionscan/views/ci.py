"""Pull-request mode (``frictionscan ci``): what a change does to the friction of the files it
touches, and whether that breaks the team's policy. See docs/ci.md.

"Before" is the merge base of the base and the head: old file versions are read from git
objects (nothing is checked out) and analysed by the same per-file hooks, with the history
as it was at the merge base. "After" is the scan of the checked-out head. A file's rank
before is where its old score would sit among the other files' scores now; the other files
are, by definition, not changed by the pull request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frictionscan.core.model import (
    AuthorShare,
    FileAnalysis,
    Finding,
    Hotspot,
    RevisionDiff,
    RuleInfo,
    ScanResult,
)
from frictionscan.views.insights import CoChange, missing_co_changes, reviewers

#: Policy checks that ``--fail-on`` accepts.
POLICIES = ("complexity-increase", "new-findings", "enters-top")
DEFAULT_TOP = 10


def finding_key(f: Finding) -> str:
    """Identity of a finding across versions of a file (lines move, messages do not)."""
    return f"{f.code}|{f.symbol or ''}|{f.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionDelta:
    name: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileDelta:
    path: str
    old_path: str | None
    added: bool
    before: Hotspot | None
    after: Hotspot
    rank_before: int | None
    functions: tuple[FunctionDelta, ...]
    findings_added: tuple[Finding, ...]
    findings_removed: tuple[Finding, ...]

    @property
    def score_delta(self) -> float:
        return self.after.score - (self.before.score if self.before else 0.0)

    @property
    def area(self) -> str | None:
        return next((w.area for w in self.after.analysis.weights if w.area), None)

    @property
    def complexity_increase(self) -> float:
        return sum(d.delta for d in self.functions if d.before is not None and d.delta > 0)

    @property
    def changed(self) -> bool:
        return bool(self.functions or self.findings_added or self.findings_removed)


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

    @property
    def quiet(self) -> bool:
        """Only cold files touched (no score, or outside the top N), no new findings and no
        function got more complex: nothing worth a table."""
        return not self.violations and all(
            (f.after.score <= 0 or (f.after.rank or 0) > self.top)
            and not f.findings_added and not f.complexity_increase for f in self.files)


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


def _function_deltas(before: FileAnalysis | None, after: FileAnalysis) -> list[FunctionDelta]:
    old, new = _functions(before), _functions(after)
    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            out.append(FunctionDelta(name=name, before=old.get(name), after=new.get(name)))
    return out


def _finding_deltas(before: FileAnalysis | None,
                    after: FileAnalysis) -> tuple[list[Finding], list[Finding]]:
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
    return added, removed


def _rank_among(score: float, path: str, others: Iterable[Hotspot]) -> int:
    """Where a file with ``score`` sits among ``others`` (ordered by score, then path)."""
    return 1 + sum(1 for h in others if h.path != path
                   and (h.score > score or (h.score == score and h.path < path)))


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


def evaluate(files: Sequence[FileDelta], fail_on: Sequence[str], top: int,
             baseline: Mapping[str, Any] | None) -> list[Violation]:
    """The policy violations among ``files``; with a baseline only regressions against it
    count, never debt that was already recorded."""
    recorded = (baseline or {}).get("files", {})
    out = []
    for f in files:
        known = recorded.get(f.path) or recorded.get(f.old_path or "") or {}
        in_top = f.after.rank is not None and f.after.rank <= top and f.after.score > 0
        if "complexity-increase" in fail_on and in_top:
            worse = []
            for d in f.functions:
                if d.before is None or d.delta <= 0:
                    continue
                allowed = known.get("functions", {}).get(d.name)
                if allowed is not None and (d.after or 0) <= allowed:
                    continue
                worse.append(f"{d.name} {d.before:g} → {d.after:g}")
            if worse:
                out.append(Violation(policy="complexity-increase", path=f.path,
                                     message=f"rank {f.after.rank} hotspot got more complex: "
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
                                     message=f"{len(new)} new findings in focus area "
                                             f"'{f.area}': {listed}"))
        if "enters-top" in fail_on and in_top and (f.rank_before is None
                                                   or f.rank_before > top):
            was = (known.get("rank") or 10**9) <= top if known else False
            if not was:
                before = f"rank {f.rank_before}" if f.rank_before else "new file"
                out.append(Violation(policy="enters-top", path=f.path,
                                     message=f"enters the top {top}: {before} → rank "
                                             f"{f.after.rank}"))
    return out


def build_report(diff: RevisionDiff, result: ScanResult, before: Mapping[str, Hotspot], *,
                 top: int, fail_on: Sequence[str], baseline: Mapping[str, Any] | None,
                 rules: Sequence[tuple[str, RuleInfo]]) -> CiReport:
    """What the change does to each touched file: ``result`` is the scan of the head,
    ``before`` the touched files' hotspots at the merge base (by their path now)."""
    by_path = {h.path: h for h in result.hotspots}
    touched = {c.path: (c.old_path or c.path) for c in diff.changes if c.path in by_path}
    skipped = tuple(sorted(c.path for c in diff.changes if c.path not in by_path))
    files = []
    for path, old_path in sorted(touched.items()):
        after = by_path[path]
        old = before.get(path)
        functions = _function_deltas(old.analysis if old else None, after.analysis)
        added, removed = _finding_deltas(old.analysis if old else None, after.analysis)
        rank_before = _rank_among(old.score, path, result.hotspots) if old else None
        files.append(FileDelta(path=path, old_path=old_path if old_path != path else None,
                               added=old is None, before=old, after=after,
                               rank_before=rank_before, functions=tuple(functions),
                               findings_added=tuple(added), findings_removed=tuple(removed)))
    violations = evaluate(files, fail_on, top, baseline)
    files.sort(key=lambda f: (f.after.rank or 10**9, f.path))
    return CiReport(diff=diff, result=result, files=tuple(files), top=top,
                    violations=tuple(violations), fail_on=tuple(fail_on),
                    baseline_used=baseline is not None, skipped=skipped, rules=tuple(rules),
                    co_changes=missing_co_changes(diff, sorted(touched), result.insights),
                    reviewers=reviewers(sorted(touched), result.insights, diff.authors))
