"""``frictionscan ci``: run the engine on the head and on the merge base, and build the
report (:mod:`frictionscan.views.ci`); the command's flags and output."""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionscan.cli import scanning
from frictionscan.cli.context import Context
from frictionscan.cli.options import (
    add_output,
    add_path,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.cli.output import write_report
from frictionscan.cli.records import load_baseline
from frictionscan.core.config import Config
from frictionscan.core.errors import ExitCode, UsageError
from frictionscan.core.model import Hotspot, RevisionDiff, ScanResult, SourceFile
from frictionscan.core.text import terminal_safe
from frictionscan.engine.pool import WorkerPool
from frictionscan.engine.session import Session
from frictionscan.engine.suppressions import all_rules
from frictionscan.views.ci import (
    DEFAULT_TOP,
    POLICIES,
    CiReport,
    FileDelta,
    _finding_deltas,
    _function_deltas,
    _rank_among,
    base_from_environment,
    evaluate,
)

NAME = "ci"
SUMMARY = "pull-request mode: friction delta, comment, SARIF, policy"
DESCRIPTION = ("Pull-request mode: what the change does to the friction of the files it "
               "touches, as a sticky comment, SARIF or text, with a policy exit code "
               "(docs/ci.md).")
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    add_output(parser, formats=session.hooks.formatters("ci"),
               default="markdown in CI, text on a terminal")
    ci = parser.add_argument_group("pull request")
    ci.add_argument("--base", metavar="REF",
                    help="the branch the change goes into (default: from the CI "
                         "environment, e.g. GITHUB_BASE_REF, or the upstream branch)")
    ci.add_argument("--head", metavar="REF", default="HEAD",
                    help="the change's commit (default: HEAD; WORKTREE for uncommitted "
                         "changes)")
    ci.add_argument("--fail-on", action="append", default=[], metavar="POLICY",
                    help="complexity-increase, new-findings, enters-top (repeatable or "
                         "comma-separated)")
    ci.add_argument("--deepen", action="store_true",
                    help="fetch more history when a shallow clone lacks the merge base")
    ci.add_argument("--no-baseline", action="store_true",
                    help="ignore .frictionscan/baseline.json")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def run(args: argparse.Namespace, context: Context) -> int:
    session, root = context.scanning
    stdout, stderr = context.stdout, context.stderr
    config = scanning.configure(context, args)
    policies = [p.strip() for value in args.fail_on for p in value.split(",") if p.strip()]
    for policy in policies:
        if policy not in POLICIES:
            raise UsageError(f"unknown --fail-on policy {policy!r} (choose from "
                             f"{', '.join(POLICIES)})")
    base = args.base or base_from_environment(os.environ) or _upstream(root)
    with scanning.progress(context, args) as progress:
        report = run_ci(session, root, config, base=base, head=args.head, deepen=args.deepen,
                        top=config.top or DEFAULT_TOP, fail_on=policies,
                        use_baseline=not args.no_baseline, progress=progress)
    in_ci = bool(os.environ.get("CI"))
    formats = session.hooks.formatters("ci")
    fmt = args.format or ("markdown" if in_ci or not stdout.isatty() else "text")
    write_report(report, formats, config, fmt, args.output, stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                formats["markdown"].write(report, config, fh)
        except OSError as exc:
            stderr.write(terminal_safe(f"warning: cannot append to GITHUB_STEP_SUMMARY: "
                                       f"{exc}") + "\n")
    for warning in report.result.warnings:
        stderr.write(terminal_safe(f"warning: {warning}") + "\n")
    if report.violations:
        return int(ExitCode.POLICY_FAILED)
    return scanning.exit_code(report.result, args.strict)


def _upstream(root: Path) -> str:
    """The branch HEAD tracks, as the base outside CI."""
    proc = subprocess.run(["git", "rev-parse", "--abbrev-ref", "--symbolic-full-name",
                           "@{upstream}"], cwd=root, capture_output=True, text=True)
    if proc.returncode == 0 and proc.stdout.strip():
        return proc.stdout.strip()
    head = subprocess.run(["git", "symbolic-ref", "--quiet", "HEAD"], cwd=root,
                          capture_output=True, text=True)
    if head.returncode != 0:
        raise UsageError("HEAD is detached and no base was given: pass --base REF (the branch "
                         "the change goes into)")
    raise UsageError("no base to compare with: pass --base REF (the branch the change goes "
                     "into), or set an upstream branch")


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
