"""``frictionscan ci``: the engine scans the head and the touched files at the merge base;
:func:`frictionscan.views.ci.build_report` compares them. The command's flags and output."""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Mapping, Sequence
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
from frictionscan.core.model import Hotspot, RevisionDiff, ScanResult
from frictionscan.core.run import Run
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import Session
from frictionscan.engine.suppressions import all_rules
from frictionscan.views.ci import (
    DEFAULT_TOP,
    POLICIES,
    CiReport,
    base_from_environment,
    build_report,
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
    with scanning.progress(context, args) as progress, session.sharing():
        report = run_ci(session, root, config, base=base, head=args.head, deepen=args.deepen,
                        top=config.top or DEFAULT_TOP, fail_on=policies,
                        use_baseline=not args.no_baseline, progress=progress)
    if args.verbose:  # the head's scan
        scanning.write_timings(report.result, stderr)
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


def analyse_before(session: Session, config: Config, diff: RevisionDiff,
                   paths: Mapping[str, str], now: datetime) -> dict[str, Hotspot]:
    """The touched files as they were at the merge base (``paths``: new -> old), and the
    files the change deletes, scanned by the same engine as the head: their old versions
    from git objects (the cache knows every blob it saw before), the history at the merge
    base, the head's "now" (the comparison shows the change, not the passing time), and
    each weighed by where the file lives now (a moved file takes its new area). Keyed by
    the file's path now (a deleted file by its old path)."""
    new_for_old = {old: new for new, old in paths.items()}
    old_paths = tuple(sorted(set(new_for_old) | set(diff.deleted)))
    run = Run(revision=diff.merge_base, now=now, paths=old_paths, check_paths=old_paths,
              weigh_as=tuple((old, new) for old, new in new_for_old.items() if old != new))
    base = session.scan(config, run)
    return {new_for_old.get(h.path, h.path): h for h in base.hotspots}


def run_ci(session: Session, root: Path, config: Config, *, base: str, head: str,
           deepen: bool, top: int, fail_on: Sequence[str],
           use_baseline: bool = True, result: ScanResult | None = None,
           progress: Any = None) -> CiReport:
    diff = session.hooks.compare_revisions(root, base, head, deepen, config)
    changed = tuple(c.path for c in diff.changes)
    if result is None:
        # The touched files are checked for findings whatever their score (a change to a
        # file untouched in the window, in the working tree, still shows its findings);
        # the others only where findings could bring them into the first top + touched
        # places, which is all the verdict needs of either ranking: the top N after the
        # change, and before it (the touched files' old scores among the others' scores)
        # exactly. A warm run analyses the touched files and takes the rest from the cache.
        result = session.scan(config, Run(check_paths=changed, reach=top + len(changed)),
                              progress=progress)
    if not diff.worktree and diff.head_sha != result.head:
        raise UsageError(f"--head {head} is not the checked-out commit "
                         f"({result.head[:10]}): check it out first")
    scanned = {h.path for h in result.hotspots}
    touched = {c.path: (c.old_path or c.path) for c in diff.changes if c.path in scanned}
    if touched:  # the X-ray of the touched files only: their functions' history
        result = session.xray(config, result, sorted(touched))
    before = analyse_before(session, config, diff, touched, result.head_time) \
        if touched else {}
    return build_report(diff, result, before, top=top, fail_on=fail_on,
                        baseline=load_baseline(root) if use_baseline else None,
                        rules=all_rules(session.hooks, config))
