"""``frictionscan ci``: the engine scans the head and the touched files at the merge base;
:func:`frictionscan.views.ci.build_report` compares them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionscan.core.config import Config
from frictionscan.core.errors import UsageError
from frictionscan.core.model import Hotspot, RevisionDiff, ScanResult
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.engine.suppressions import all_rules
from frictionscan.views.ci import CiReport, build_report, load_baseline


def analyse_before(session: Session, config: Config, diff: RevisionDiff,
                   paths: Mapping[str, str], now: datetime) -> dict[str, Hotspot]:
    """The touched files as they were at the merge base (``paths``: new -> old), scanned by
    the same engine as the head: their old versions from git objects (the cache knows every
    blob it saw before), the history at the merge base, the head's "now" (the comparison
    shows the change, not the passing time), and each weighed by where the file lives now
    (a moved file takes its new area). Keyed by the file's path now."""
    new_for_old = {old: new for new, old in paths.items()}
    old_paths = tuple(sorted(new_for_old))
    run = Run(revision=diff.merge_base, now=now, paths=old_paths, check_paths=old_paths,
              weigh_as=tuple((old, new) for old, new in new_for_old.items() if old != new))
    base = session.scan(config, run)
    return {new_for_old.get(h.path, h.path): h for h in base.hotspots}


def run_ci(session: Session, root: Path, config: Config, *, base: str, head: str,
           deepen: bool, top: int, fail_on: Sequence[str],
           use_baseline: bool = True, result: ScanResult | None = None,
           progress: Any = None) -> CiReport:
    diff = session.hooks.compare_revisions(root, base, head, deepen, config)
    if result is None:
        # the touched files are checked for findings whatever their score (a change to a
        # file untouched in the window, in the working tree, still shows its findings)
        result = session.scan(config, Run(check_paths=tuple(c.path for c in diff.changes)),
                              progress=progress)
    if not diff.worktree and diff.head_sha != result.head:
        raise UsageError(f"--head {head} is not the checked-out commit "
                         f"({result.head[:10]}): check it out first")
    scanned = {h.path for h in result.hotspots}
    touched = {c.path: (c.old_path or c.path) for c in diff.changes if c.path in scanned}
    before = analyse_before(session, config, diff, touched, result.head_time) \
        if touched else {}
    return build_report(diff, result, before, top=top, fail_on=fail_on,
                        baseline=load_baseline(root) if use_baseline else None,
                        rules=all_rules(session.hooks, config))
