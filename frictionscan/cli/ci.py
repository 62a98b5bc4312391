"""``frictionscan ci``: run the engine on the head and on the merge base, and build the
report (:mod:`frictionscan.views.ci`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionscan.core.config import Config
from frictionscan.core.errors import UsageError
from frictionscan.core.model import Hotspot, RevisionDiff, ScanResult, SourceFile
from frictionscan.engine.pool import WorkerPool
from frictionscan.engine.session import Session
from frictionscan.engine.suppressions import all_rules
from frictionscan.views.ci import (
    CiReport,
    FileDelta,
    _finding_deltas,
    _function_deltas,
    _rank_among,
    evaluate,
    load_baseline,
)


def analyse_before(session: Session, root: Path, config: Config, diff: RevisionDiff,
                   paths: Mapping[str, str], now: datetime) -> dict[str, Hotspot]:
    """Scores of the touched files as they were at the merge base (``paths``: new -> old)."""
    old_paths = sorted(set(paths.values()))
    contents = session.hooks.read_versions(root, diff.merge_base, old_paths, config)
    files = [SourceFile(path=p, size=len(contents[p])) for p in old_paths if p in contents]
    if not files:
        return {}
    # the same "now" as the head's scan: the comparison shows the change, not the passing time
    base_config = replace(config, revision=diff.merge_base, now=now)
    history = session.hooks.collect_history(root, files, base_config)
    items = [(f, history.for_file(f.path), contents[f.path]) for f in files]
    pool = WorkerPool(session.spec, base_config, jobs=min(config.effective_jobs, len(items)),
                      file_timeout=config.file_timeout)
    try:
        analyses = pool.run(items)
    finally:
        pool.close()
    focus = session.hooks.load_focus(root, config, history)
    new_for_old = {old: new for new, old in paths.items()}
    weighted = []
    for a in analyses:
        # weigh the old version by where the file lives now (a moved file takes its area)
        current = replace(a.file, path=new_for_old.get(a.file.path, a.file.path))
        weighted.append(replace(a, weights=session.hooks.focus_weight(current, a.history,
                                                                      focus, base_config)))
    hotspots = session.hooks.score(weighted, base_config)
    return {new_for_old.get(h.path, h.path): h for h in hotspots}


def run_ci(session: Session, root: Path, config: Config, *, base: str, head: str,
           deepen: bool, top: int, fail_on: Sequence[str],
           use_baseline: bool = True, result: ScanResult | None = None,
           progress: Any = None) -> CiReport:
    diff = session.hooks.compare_revisions(root, base, head, deepen, config)
    # the touched files are checked for findings whatever their score (a change to a file
    # untouched in the window, in the working tree, still shows its findings)
    config = replace(config, check_paths=(*config.check_paths,
                                          *(c.path for c in diff.changes)))
    if result is None:
        result = session.scan(config, progress=progress)
    if not diff.worktree and diff.head_sha != result.head:
        raise UsageError(f"--head {head} is not the checked-out commit "
                         f"({result.head[:10]}): check it out first")
    by_path = {h.path: h for h in result.hotspots}
    touched = {c.path: (c.old_path or c.path) for c in diff.changes if c.path in by_path}
    skipped = tuple(sorted(c.path for c in diff.changes if c.path not in by_path))
    before = analyse_before(session, root, config, diff, touched, result.head_time) \
        if touched else {}
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
    baseline = load_baseline(root) if use_baseline else None
    violations = evaluate(files, fail_on, top, baseline)
    files.sort(key=lambda f: (f.after.rank or 10**9, f.path))
    return CiReport(diff=diff, result=result, files=tuple(files), top=top,
                    violations=tuple(violations), fail_on=tuple(fail_on),
                    baseline_used=baseline is not None, skipped=skipped,
                    rules=tuple(all_rules(session.hooks, config)))
