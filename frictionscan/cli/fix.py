"""``frictionscan fix``: apply the quick fixes of fixable rules, as a diff or in place
(docs/fixes.md; the work is :mod:`frictionscan.engine.fixer`'s)."""

from __future__ import annotations

import argparse
from pathlib import Path

from frictionscan.cli.context import Context
from frictionscan.cli.options import add_plugin_selection
from frictionscan.core.errors import UsageError
from frictionscan.core.run import Run
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import find_root

NAME = "fix"
SUMMARY = "apply the quick fixes of fixable rules, as a diff or in place"
DESCRIPTION = ("Apply the quick fixes of fixable rules (docs/fixes.md). Without --apply, "
               "print them as a unified diff (--diff says so explicitly) and write nothing.")
PLUGIN_OPTIONS = False


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories to fix (default: the current directory)")
    parser.add_argument("--rule", action="append", default=[], metavar="CODE",
                        help="only fix findings of this rule (repeatable)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--diff", action="store_true",
                     help="print the fixes as a unified diff and write nothing (the default)")
    how.add_argument("--apply", action="store_true", help="write the fixes to the files")
    parser.add_argument("--unsafe", action="store_true",
                        help="also apply fixes that may change behaviour")
    parser.add_argument("--force", action="store_true",
                        help="also fix files with uncommitted changes")
    add_plugin_selection(parser)


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.engine.fixer import plan_fixes, run_fix, select_files
    from frictionscan.engine.suppressions import all_rules

    stderr = context.stderr
    targets = [Path(t) for t in args.paths]
    root = find_root(targets[0])
    for target in targets[1:]:
        if find_root(target) != root:
            raise UsageError("all paths must be in the same repository")
    session = context.start_session(root)
    known = {info.code: info for _, info in all_rules(session.hooks)}
    for code in args.rule:
        if code not in known:
            raise UsageError(f"unknown rule {code!r} (see frictionscan rules)")
        if known[code].fix is None:
            raise UsageError(f"rule {code} ({known[code].name}) has no automatic fix")
    config = session.configure(root, config_file=args.config)
    files = select_files(session.hooks, root, config, targets)
    # which files have something to fix: a scan of them, checked, through the cache and the
    # workers (after a scan, nothing is parsed but the files with a fix)
    paths = tuple(f.path for f in files)
    result = session.scan(config, Run(paths=paths, check_paths=paths))
    changed = frozenset() if args.force else session.hooks.changed_files(root, config)
    plan = plan_fixes(result, frozenset(args.rule), args.unsafe, changed)
    summary = run_fix(session.hooks, root, config, targets, codes=frozenset(args.rule),
                      apply=args.apply, unsafe=args.unsafe, force=args.force,
                      stdout=context.stdout, stderr=stderr, files=files, only=plan.read)
    summary.unsafe_skipped += plan.unsafe_elsewhere
    for note in summary.skipped:
        stderr.write(terminal_safe(f"skipped {note}") + "\n")
    done = "fixed" if args.apply else "would fix"
    line = (f"{done} {summary.fixes} finding{'s' if summary.fixes != 1 else ''} in "
            f"{summary.files_changed} file{'s' if summary.files_changed != 1 else ''}")
    if summary.unsafe_skipped:
        line += f"; {summary.unsafe_skipped} unsafe fixes left out (--unsafe applies them)"
    if summary.fixes and not args.apply:
        line += "; --apply writes them"
    stderr.write(line + "\n")
    return 0
