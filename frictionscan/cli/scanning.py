"""The steps the scanning commands (scan, plan, explain, ci, baseline, backtest) share:
the configuration from the files and the command line, the scan with its progress display,
the timings of ``-v``, and the exit code of a ranking."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any, TextIO

from frictionscan.cli.context import Context
from frictionscan.cli.options import overrides
from frictionscan.cli.progress import ProgressDisplay
from frictionscan.core.config import Config
from frictionscan.core.errors import ExitCode
from frictionscan.core.model import ErrorKind, ScanResult
from frictionscan.core.run import Run


def configure(context: Context, args: argparse.Namespace, *,
              extra: Mapping[str, Any] | None = None,
              defaults: Mapping[str, Any] | None = None) -> Config:
    """The run's configuration: the files', overridden by the command line's flags and by
    ``extra`` (what the command itself needs); ``defaults`` apply where no flag was given."""
    session, root = context.scanning
    settings = overrides(args, session.options)
    settings.update(extra or {})
    for key, value in (defaults or {}).items():
        settings.setdefault(key, value)
    return session.configure(root, config_file=args.config, overrides=settings)


def progress(context: Context, args: argparse.Namespace) -> ProgressDisplay:
    """Progress bars on a terminal, unless ``-q``."""
    return ProgressDisplay(not args.quiet and context.stderr.isatty())


def scan(context: Context, args: argparse.Namespace, config: Config,
         run: Run | None = None) -> ScanResult:
    """Run the scan of ``run`` (the working tree by default) with a progress display."""
    session, _ = context.scanning
    with progress(context, args) as shown:
        result = session.scan(config, run, progress=shown)
    if args.verbose:
        write_timings(result, context.stderr)
    return result


def write_timings(result: ScanResult, stderr: TextIO) -> None:
    """``-v``: the time each step of this scan took, and what the cache gave."""
    steps = {k.removeprefix("seconds_"): v for k, v in result.stats if k.startswith("seconds_")}
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in steps.items())
    stderr.write(f"timings: {timings}; total {sum(steps.values()):.2f}s; "
                 f"{result.stat('cached_files', 0)} files from the cache\n")


#: Per-file errors that are frictionscan's or a plugin's failure, not a fact about the file.
FAILURES = (ErrorKind.PLUGIN, ErrorKind.CRASH, ErrorKind.TIMEOUT)


def exit_code(result: ScanResult, strict: bool = False) -> int:
    """0 for a complete ranking: files a plugin failed on are listed and ranked on their
    history. 1 with ``--strict`` when there are such files, or when no file was analysed
    without a problem and some failed (the ranking is then history alone)."""
    if not any(e.kind in FAILURES for e in result.errors):
        return int(ExitCode.OK)
    if strict:
        return int(ExitCode.INCOMPLETE)
    analysed = any(all(e.kind is ErrorKind.NOTE for e in h.analysis.errors)
                   for h in result.hotspots)
    return int(ExitCode.OK if analysed else ExitCode.INCOMPLETE)
