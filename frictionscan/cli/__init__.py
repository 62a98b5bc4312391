"""The ``frictionscan`` command.

Parsing happens in two steps, as in pytest: plugin-selection options (``-p``,
``--no-autoload``, ``--allow-local-plugins``, ``--config``) are read first, the plugins are
loaded, and then the full command line is parsed with the flags those plugins declare.
Every fatal problem is printed as one ``error:`` line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import frictionscan
from frictionscan.cli.output import GuardedStream, discard_stdout, write_failure
from frictionscan.core.atomic import replace_text
from frictionscan.core.config import CORE_KEYS, Option, find_config_file
from frictionscan.core.errors import (
    ConfigError,
    ExitCode,
    FrictionscanError,
    RepositoryError,
    UsageError,
)
from frictionscan.core.formatter import Formatter
from frictionscan.core.model import ErrorKind, ScanResult
from frictionscan.core.run import Run
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import Session, find_root
from frictionscan.engine.suppressions import all_rules
from frictionscan.plugin.manager import PluginSpec, describe_plugins

COMMANDS = ("scan", "plan", "explain", "ci", "baseline", "backtest", "cache", "plugins", "hooks",
            "rules", "fix")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``error: ...``) and exit code 2."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{message} (see frictionscan --help)")


def _plugin_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("plugins")
    g.add_argument("-p", dest="plugins", action="append", default=[], metavar="NAME",
                   help="load plugin module NAME; -p no:NAME blocks plugin NAME (repeatable)")
    g.add_argument("--no-autoload", action="store_true",
                   help="do not load plugins from installed packages' entry points")
    g.add_argument("--allow-local-plugins", action="store_true",
                   help="load modules named by 'plugins' in the repository's configuration "
                        "(off by default: a repository must not make frictionscan run its code)")
    g.add_argument("--config", metavar="FILE",
                   help="configuration file (default: .frictionscan.toml or pyproject.toml)")


def _pre_parser() -> argparse.ArgumentParser:
    p = _Parser(add_help=False)
    _plugin_args(p)
    return p


def _split_command(argv: list[str]) -> tuple[str, list[str]]:
    for i, arg in enumerate(argv):
        if arg in COMMANDS:
            return arg, argv[:i] + argv[i + 1:]
        if not arg.startswith("-") and (i == 0 or argv[i - 1] not in ("-p", "--config")):
            break
    return "scan", argv


def _spec(pre: argparse.Namespace, config_plugins: Sequence[str],
          root: Path | None) -> PluginSpec:
    blocked = tuple(p[3:] for p in pre.plugins if p.startswith("no:"))
    extra = tuple(p for p in pre.plugins if not p.startswith("no:"))
    sys_path: list[str] = []
    if any(not _importable(m) for m in extra):
        sys_path.append(os.getcwd())  # only then: it would shadow what is imported later
    if config_plugins and root is not None:
        sys_path.append(str(root))
    return PluginSpec(blocked=blocked, extra=extra, config_plugins=tuple(config_plugins),
                      autoload=not pre.no_autoload, sys_path=tuple(sys_path))


def _importable(modname: str) -> bool:
    """Whether ``-p`` module ``modname`` is found without the current directory (an installed
    plugin must not put the directory, often the analysed repository, on sys.path)."""
    import importlib.util

    try:
        return importlib.util.find_spec(modname) is not None
    except Exception:  # a parent package failed to import: the import will say so
        return False


def _add_option_flag(group: argparse._ArgumentGroup, opt: Option) -> None:
    dest = "opt:" + opt.key
    assert opt.flag is not None
    help_text = f"{opt.help} [{opt.key}]"
    if opt.type is bool:
        group.add_argument(opt.flag, dest=dest, action=argparse.BooleanOptionalAction,
                           default=None, help=help_text)
    elif opt.type is list:
        group.add_argument(opt.flag, dest=dest, action="append", default=None, help=help_text,
                           metavar=opt.key.rsplit(".", 1)[-1].upper())
    else:
        group.add_argument(opt.flag, dest=dest,
                           type=_finite_float if opt.type is float else opt.type, default=None,
                           choices=opt.choices, help=help_text,
                           metavar=opt.key.rsplit(".", 1)[-1].upper())


def _finite_float(text: str) -> float:
    """A number flag: ``nan`` and ``inf`` are no setting's value (as in the configuration)."""
    import math

    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


DESCRIPTIONS = {
    "scan": "Rank the friction hotspots of a git repository: where change meets complexity, "
            "weighted by your roadmap.",
    "plan": "The sprint-planning report: refactor targets per focus area with effort, quick "
            "wins, and what is left alone (docs/planning.md).",
    "explain": "Everything about one file: rank, score components, change timeline, complex "
               "functions, findings, focus areas.",
    "ci": "Pull-request mode: what the change does to the friction of the files it touches, "
          "as a sticky comment, SARIF or text, with a policy exit code (docs/ci.md).",
    "baseline": "Record today's friction in .frictionscan/baseline.json, so that `ci` fails "
                "only on regressions, never on existing debt.",
    "backtest": "Rank the code as it stood at a past commit and check where the following "
                "months' bug fixes landed, against simple baselines (docs/backtest.md).",
}


def build_parser(options: Sequence[Option], formats: Sequence[str],
                 command: str = "scan") -> argparse.ArgumentParser:
    p = _Parser(
        prog="frictionscan" if command == "scan" else f"frictionscan {command}",
        description=DESCRIPTIONS[command],
        epilog="commands: scan (default), plan, explain, ci, baseline, fix, rules, plugins, "
               "hooks. "
               "See docs/cli.md.")
    p.add_argument("--version", action="version",
                   version=f"frictionscan {frictionscan.__version__}")
    if command == "explain":
        p.add_argument("path", metavar="FILE",
                       help="the file to explain, relative to the current directory")
    else:
        p.add_argument("path", nargs="?", default=".",
                       help="a path inside the git repository (default: .)")
    out = p.add_argument_group("output")
    default = {"scan": "table on a terminal, json otherwise", "plan": "markdown",
               "explain": "text", "ci": "markdown in CI, text on a terminal",
               "baseline": "-", "backtest": "table"}[command]
    out.add_argument("-f", "--format", choices=sorted(formats),
                     help=f"output format (default: {default})")
    if command == "ci":
        ci = p.add_argument_group("pull request")
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
    if command == "backtest":
        bt = p.add_argument_group("backtest")
        cut = bt.add_mutually_exclusive_group()
        cut.add_argument("--at", metavar="REV", help="the cut commit")
        cut.add_argument("--months-ago", type=int, default=12, metavar="N",
                         help="cut at the last commit N months before HEAD (default 12)")
        bt.add_argument("--horizon", default="12 months",
                        help="how long after the cut to look for bug fixes (default 12 months)")
        bt.add_argument("--cuts", type=int, default=None, metavar="K",
                        help="repeat at K cut points, 3 months apart, and report the mean "
                             "(default 1; 3 with --calibrate)")
        bt.add_argument("--calibrate", action="store_true",
                        help="fit the score's options to this history and write them into "
                             "the configuration file (docs/backtest.md)")
    if command == "plan":
        out.add_argument("--save", action="store_true",
                         help="save this plan as the snapshot the next plan compares with "
                              "(.frictionscan/snapshots/)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    if command != "backtest":
        out.add_argument("--strict", action="store_true",
                         help="exit 1 when a plugin raised, or a worker died or timed out, on "
                              "some file (default: such files are listed, ranked on their "
                              "history, and the exit code is 0)")
    out.add_argument("--top", type=int, help=CORE_KEYS["top"][2])
    out.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    out.add_argument("-v", "--verbose", action="store_true",
                     help="print the time each phase took on stderr")
    sel = p.add_argument_group("selection")
    sel.add_argument("--since", help=f"{CORE_KEYS['since'][2]} (e.g. '6 months', "
                                     f"'2025-01-01'; default 12 months)")
    sel.add_argument("--include", action="append", metavar="GLOB", help=CORE_KEYS["include"][2])
    sel.add_argument("--exclude", action="append", metavar="GLOB", help=CORE_KEYS["exclude"][2])
    sel.add_argument("-j", "--jobs", type=int, help=CORE_KEYS["jobs"][2])
    sel.add_argument("--order", choices=["hotspot", "effort"],
                     help="hotspot: big, busy files first (refactor targets; default); effort: "
                          "friction per line first (where an hour removes most)")
    sel.add_argument("--no-cache", action="store_true",
                     help="neither read nor write the result cache (docs/performance.md)")
    sel.add_argument("--all-findings", action="store_true",
                     help="check every file for findings, also files whose score is zero "
                          "whatever their findings (unchanged in the window)")
    _plugin_args(p)
    flagged = [o for o in options if o.flag]
    if flagged:
        g = p.add_argument_group("plugin options")
        for opt in flagged:
            _add_option_flag(g, opt)
    return p


def _overrides(args: argparse.Namespace, options: Sequence[Option]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "since": args.since, "top": args.top, "jobs": args.jobs,
        "cache": False if args.no_cache else None,
        "all_findings": True if args.all_findings else None,
        "order": getattr(args, "order", None),
        "include": tuple(args.include) if args.include else None,
    }
    if args.exclude:
        out["exclude_extra"] = tuple(args.exclude)
    for opt in options:
        value = getattr(args, "opt:" + opt.key, None)
        if value is not None:
            out[opt.key] = value
    return out


class _Progress:
    """rich progress bars on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), console=Console(stderr=True),
                                     transient=True)

    def __enter__(self) -> _Progress:
        if self.progress:
            self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.__exit__(*exc)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.progress:
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(f"{phase} files", total=total or None)
        self.progress.update(self.tasks[phase], completed=done, total=total or None)


def _formatter(formats: dict[str, Formatter], fmt_name: str | None, output: str | None,
               stdout: TextIO) -> Formatter:
    """The ``--format`` chosen, or the default for where the report goes."""
    if fmt_name is not None:
        return formats[fmt_name]
    interactive = output is None and stdout.isatty()
    wanted = [f for f in formats.values()
              if (f.default_on_terminal if interactive else f.default_elsewhere)]
    if not wanted:
        raise UsageError("no default output format; choose one with --format")
    return wanted[0]


def _write(result: Any, formats: dict[str, Formatter], config: Any, fmt_name: str | None,
           output: str | None, stdout: TextIO) -> None:
    fmt = _formatter(formats, fmt_name, output, stdout)
    _emit(output, stdout, lambda fh: fmt.write(result, config, fh))


def _check_output(output: str) -> Path:
    """The ``-o`` target, or a usage error saying why it cannot be written (checked before a
    long scan as well as after it)."""
    target = Path(output)
    if target.parent and not target.parent.exists():
        raise UsageError(f"cannot write {output}: directory {target.parent} does not exist")
    if target.is_dir():
        raise UsageError(f"cannot write {output}: it is a directory")
    if not target.exists() or target.is_file():
        # the report replaces the file through a temporary file beside it: make sure one can
        # be created there (a read-only or virtual file system, no permission) before the scan
        import tempfile

        directory = target.resolve().parent
        try:
            fd, probe = tempfile.mkstemp(dir=directory, prefix=".frictionscan-",
                                         suffix=".tmp")
        except OSError as exc:
            raise write_failure(output, exc, directory) from None
        os.close(fd)
        os.unlink(probe)
    return target


def _emit(output: str | None, stdout: TextIO, write: Callable[[TextIO], None]) -> None:
    """Run ``write`` on standard output, or on ``-o FILE``: a regular file is replaced
    atomically (a temporary file renamed into place, through a symbolic link to where it
    points); a device or named pipe is written into."""
    if output is None:
        write(stdout)
        return
    target = _check_output(output)
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a named pipe: write into it (replacing it with a file, as
        # below, would destroy a device node when run as root)
        try:
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                write(fh)
        except OSError as exc:
            raise write_failure(output, exc) from None
        return
    target = target.resolve()  # a symbolic link: replace what it points to, not the link
    try:
        replace_text(target, write)
    except OSError as exc:
        raise write_failure(output, exc, target.parent) from None


def _run(argv: list[str], stderr: TextIO, command: str, view: str, scan: bool = True
         ) -> tuple[Session, Any, Any, argparse.Namespace, Path]:
    """Parse the command line of a scanning command and run the scan (unless ``scan`` is
    false: then the progress display is returned in place of the result)."""
    pre, _ = _pre_parser().parse_known_args(argv)
    # the repository's own plugin list is only known once the path is: parse leniently with
    # the plugins loaded so far, find the repository, then parse strictly with all of them
    session = Session.start(_spec(pre, [], None))

    def formats() -> list[str]:
        if command == "explain":
            return ["json", "text"]
        if command == "backtest":
            return ["json", "markdown", "table"]
        return [] if command == "baseline" else sorted(session.hooks.formatters(view))

    first, unknown = build_parser(session.options, formats(), command).parse_known_args(argv)
    # an unknown flag's value ("--team-level 7") may have been taken for the path
    candidates = [first.path, *(a for a in unknown if not a.startswith("-"))]
    path = next((c for c in candidates if Path(c).exists()), first.path)
    root = find_root(Path(path))
    raw = find_config_file(root, pre.config)
    config_plugins = raw.table.get("plugins", []) or []
    if config_plugins and not pre.allow_local_plugins:
        stderr.write(terminal_safe(f"warning: {raw.path} names local plugins "
                                   f"({', '.join(map(str, config_plugins))}); not loaded "
                                   f"without --allow-local-plugins") + "\n")
    elif config_plugins:
        if not isinstance(config_plugins, list) or \
                not all(isinstance(p, str) for p in config_plugins):
            raise ConfigError(f"{raw.path}: plugins must be a list of module names")
        session = Session.start(_spec(pre, config_plugins, root))
    args = build_parser(session.options, formats(), command).parse_args(argv)
    if getattr(args, "output", None):
        _check_output(args.output)
    overrides = _overrides(args, session.options)
    run = Run()
    if command == "explain":
        # one file's whole story: its findings, and its first change and former names from
        # all of history
        run = Run(check_paths=(_explain_path(argv, root),))
        if any(o.key == "git.older_history" for o in session.options):
            overrides.setdefault("git.older_history", True)
    if command == "baseline":  # ci compares touched files' findings with it: all of them
        overrides["all_findings"] = True
    config = session.configure(root, config_file=args.config, overrides=overrides)
    show_progress = not args.quiet and stderr.isatty()
    if not scan:
        return session, config, _Progress(show_progress), args, root
    with _Progress(show_progress) as progress:
        result = session.scan(config, run, progress=progress)
    if args.verbose:
        _write_timings(result, stderr)
    return session, config, result, args, root


def _write_timings(result: ScanResult, stderr: TextIO) -> None:
    """``-v``: the time each step of this scan took, and what the cache gave."""
    steps = {k.removeprefix("seconds_"): v for k, v in result.stats if k.startswith("seconds_")}
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in steps.items())
    stderr.write(f"timings: {timings}; total {sum(steps.values()):.2f}s; "
                 f"{result.stat('cached_files', 0)} files from the cache\n")


#: Per-file errors that are frictionscan's or a plugin's failure, not a fact about the file.
FAILURES = (ErrorKind.PLUGIN, ErrorKind.CRASH, ErrorKind.TIMEOUT)


def _exit_code(result: ScanResult, strict: bool = False) -> int:
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


def _cmd_scan(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    session, config, progress, args, _ = _run(argv, stderr, "scan", "scan", scan=False)
    formats = session.hooks.formatters("scan")
    # a report of the first N files needs findings only where they could reach it
    reach = config.top or _formatter(formats, args.format, args.output, stdout).shows_top or 0
    with progress:
        result = session.scan(config, Run(reach=reach), progress=progress)
    if args.verbose:
        _write_timings(result, stderr)
    _write(result, formats, config, args.format, args.output, stdout)
    return _exit_code(result, args.strict)


def _cmd_plan(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from frictionscan.views.plan import (
        SNAPSHOT_DIR,
        SNAPSHOT_FILE,
        build_plan,
        load_snapshot,
        save_snapshot,
    )

    session, config, result, args, root = _run(argv, stderr, "plan", "plan")
    snapshot = load_snapshot(root)
    if snapshot is None and (root / SNAPSHOT_DIR / SNAPSHOT_FILE).exists():
        stderr.write("warning: the saved snapshot is unreadable; planning without "
                     "comparison (--save writes a new one)\n")
    plan = build_plan(result, snapshot)
    _write(plan, session.hooks.formatters("plan"), config, args.format, args.output, stdout)
    if args.save:
        where = save_snapshot(root, result)
        stderr.write(terminal_safe(f"snapshot saved to {where.relative_to(root)}") + "\n")
    return _exit_code(result, args.strict)


def _cmd_explain(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from frictionscan.views.explain import explain, find_hotspot

    target = Path(_explain_target(argv))
    if not target.is_file():
        raise UsageError(f"{target} is not a file")
    session, config, result, args, root = _run(argv, stderr, "explain", "scan")
    hotspot = find_hotspot(result, root, target.resolve())
    explain(result, hotspot, args.format or "text", stdout)
    return _exit_code(result, args.strict)


def _cmd_ci(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from frictionscan.cli.ci import run_ci
    from frictionscan.views.ci import DEFAULT_TOP, POLICIES, base_from_environment

    session, config, progress, args, root = _run(argv, stderr, "ci", "ci", scan=False)
    policies = [p.strip() for value in args.fail_on for p in value.split(",") if p.strip()]
    for policy in policies:
        if policy not in POLICIES:
            raise UsageError(f"unknown --fail-on policy {policy!r} (choose from "
                             f"{', '.join(POLICIES)})")
    base = args.base or base_from_environment(os.environ) or _upstream(root)
    with progress:
        report = run_ci(session, root, config, base=base, head=args.head, deepen=args.deepen,
                        top=config.top or DEFAULT_TOP, fail_on=policies,
                        use_baseline=not args.no_baseline, progress=progress)
    in_ci = bool(os.environ.get("CI"))
    formats = session.hooks.formatters("ci")
    fmt = args.format or ("markdown" if in_ci or not stdout.isatty() else "text")
    _write(report, formats, config, fmt, args.output, stdout)
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
    return _exit_code(report.result, args.strict)


def _upstream(root: Path) -> str:
    """The branch HEAD tracks, as the base outside CI."""
    import subprocess

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


def _cmd_baseline(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from frictionscan.views.ci import write_baseline

    session, config, result, args, root = _run(argv, stderr, "baseline", "scan")
    where = write_baseline(root, result)
    stderr.write(f"baseline written to {terminal_safe(str(where.relative_to(root)))} "
                 f"({len(result.hotspots)} files); commit it so that `frictionscan ci` fails "
                 f"only on regressions\n")
    return _exit_code(result, args.strict)


def _git_out(root: Path, *args: str) -> str:
    import subprocess

    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _cmd_backtest(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from datetime import datetime, timezone

    from frictionscan.core.durations import parse_duration, subtract
    from frictionscan.views import backtest as bt

    session, config, progress, args, root = _run(argv, stderr, "backtest", "scan", scan=False)
    try:
        amount, unit = parse_duration(args.horizon)
    except ValueError as exc:
        raise UsageError(f"--horizon: {exc}") from None
    if args.cuts is None:
        args.cuts = 1 if args.at or not args.calibrate else 3
    if args.at and args.cuts > 1:
        raise UsageError("--cuts needs --months-ago, not --at")
    if args.cuts < 1:
        raise UsageError("--cuts must be at least 1")
    head_ts = _git_out(root, "log", "-1", "--format=%ct", "HEAD")
    if not head_ts:
        raise RepositoryError(f"{root}: the repository has no commits yet; commit something "
                              f"first")
    head_time = datetime.fromtimestamp(int(head_ts), tz=timezone.utc)
    head_sha = _git_out(root, "rev-parse", "HEAD")
    cuts = []
    ranked = []  # (result, labels) per cut, for --calibrate
    for i in range(args.cuts):
        if args.at:
            sha = _git_out(root, "rev-parse", "--verify", "--quiet", f"{args.at}^{{commit}}")
            if not sha:
                raise UsageError(f"--at {args.at!r} is not a commit in this repository")
        else:
            before = subtract(head_time, args.months_ago + 3 * i, "months")
            sha = _git_out(root, "rev-list", "-1", f"--before={before.isoformat()}", "HEAD")
            if not sha:
                raise UsageError(f"no commit {args.months_ago + 3 * i} months before HEAD: "
                                 f"the history is too short (try --months-ago smaller)")
        if sha == head_sha:
            raise UsageError("the cut is HEAD itself: no later commits to check the ranking "
                             "against (cut at an earlier commit with --at or --months-ago)")
        cut_time = datetime.fromtimestamp(int(_git_out(root, "log", "-1", "--format=%ct", sha)),
                                          tz=timezone.utc)
        until = subtract(cut_time, -amount, unit)
        with progress:
            result = session.scan(config, Run(revision=sha), progress=progress)
        commits = session.hooks.commits_after(root, sha, until, config)
        labels = bt.label(commits, {h.path for h in result.hotspots},
                          str(config.getoption("git.fix_pattern", "")) or r"\bfix")
        ranked.append((result, labels))
        notes = bt.warnings_for(labels, result)
        if until > head_time:
            notes.append(f"the horizon ends after HEAD ({until.date()}): fixes are counted "
                         f"only up to {head_time.date()}")
        cuts.append({"revision": sha, "time": cut_time.isoformat(),
                     "until": min(until, head_time).isoformat(),
                     "summary": bt.summary(labels, result),
                     "metrics": bt.backtest(result, labels), "warnings": notes})
    report = {"schema_version": 1, "horizon": args.horizon, "cuts": cuts,
              "mean": bt.average([c["metrics"] for c in cuts])}  # type: ignore[misc]
    if args.calibrate:
        from frictionscan.views.calibrate import calibrate, write_options

        fit = calibrate(session.hooks, config, ranked)
        fit["written_to"] = None
        if fit["changed"]:
            written = write_options(find_config_file(root, args.config), root,
                                    fit["chosen"]["options"])
            fit["written_to"] = str(written.relative_to(root)) \
                if written.is_relative_to(root) else str(written)
        report["calibration"] = fit
    from frictionscan.views.backtest_report import WRITERS

    _emit(args.output, stdout, lambda fh: WRITERS[args.format or "table"](report, fh))
    return 0


def _explain_path(argv: list[str], root: Path) -> str:
    """The repository-relative path of explain's file ("" when outside the repository)."""
    try:
        return Path(_explain_target(argv)).resolve().relative_to(root).as_posix()
    except ValueError:
        return ""


def _explain_target(argv: list[str]) -> str:
    parsed, _ = build_parser([], ["json", "text"], "explain").parse_known_args(argv)
    return str(parsed.path)


def _cmd_fix(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    from frictionscan.engine.fixer import run_fix

    pre, _ = _pre_parser().parse_known_args(argv)
    p = _Parser(prog="frictionscan fix",
                description="Apply the quick fixes of fixable rules (docs/fixes.md). Without "
                            "--apply, print them as a unified diff.")
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                   help="files or directories to fix (default: the current directory)")
    p.add_argument("--rule", action="append", default=[], metavar="CODE",
                   help="only fix findings of this rule (repeatable)")
    p.add_argument("--apply", action="store_true", help="write the fixes to the files")
    p.add_argument("--unsafe", action="store_true",
                   help="also apply fixes that may change behaviour")
    p.add_argument("--force", action="store_true",
                   help="also fix files with uncommitted changes")
    _plugin_args(p)
    args = p.parse_args(argv)
    targets = [Path(t) for t in args.paths]
    root = find_root(targets[0])
    for target in targets[1:]:
        if find_root(target) != root:
            raise UsageError("all paths must be in the same repository")
    session = Session.start(_spec(pre, [], None))
    known = {info.code: info for _, info in all_rules(session.hooks)}
    for code in args.rule:
        if code not in known:
            raise UsageError(f"unknown rule {code!r} (see frictionscan rules)")
        if known[code].fix is None:
            raise UsageError(f"rule {code} ({known[code].name}) has no automatic fix")
    config = session.configure(root, config_file=args.config)
    summary = run_fix(session.hooks, root, config, targets, codes=frozenset(args.rule),
                      apply=args.apply, unsafe=args.unsafe, force=args.force,
                      stdout=stdout, stderr=stderr)
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


def _cmd_rules(argv: list[str], stdout: TextIO) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    pre, _ = _pre_parser().parse_known_args(argv)
    session = Session.start(_spec(pre, [], None))
    table = Table(title="Friction rules (docs/rules.md)", title_justify="left")
    for column in ("code", "name", "effort", "fix", "plugin", "what it flags"):
        table.add_column(column, overflow="fold", justify="right" if column == "effort"
                         else "left")
    for plugin, info in all_rules(session.hooks):
        table.add_row(*(Text(terminal_safe(cell)) for cell in (
            info.code, info.name, f"{info.effort_minutes} min", info.fix or "-", plugin,
            info.summary)))
    Console(file=stdout, highlight=False).print(table)
    return 0


def _cmd_cache(argv: list[str], stdout: TextIO) -> int:
    from frictionscan.engine.cache import Cache, default_dir

    p = _Parser(prog="frictionscan cache", description="Inspect or clear the result cache.")
    p.add_argument("action", choices=["info", "clear"])
    p.add_argument("path", nargs="?", default=".")
    p.add_argument("--config", metavar="FILE")
    args = p.parse_args(argv)
    root = find_root(Path(args.path))
    raw = find_config_file(root, args.config)
    setting = raw.table.get("cache_dir") if isinstance(raw.table.get("cache_dir"), str) else ""
    cache = Cache(default_dir(root, setting))
    if args.action == "clear":
        cache.clear()
        stdout.write(terminal_safe(f"cleared {cache.path}") + "\n")
        return 0
    info = cache.info()
    stdout.write(terminal_safe(f"cache: {info['path']}") + f"\n  {info['files']} file results, "
                 f"{info['plugin_data']} entries kept by plugins (histories), "
                 f"{info['bytes'] / 1e6:.1f} MB\n")
    for warning in cache.warnings:
        stdout.write(terminal_safe(f"warning: {warning}") + "\n")
    cache.close()
    return 0


def _cmd_plugins(argv: list[str], stdout: TextIO) -> int:
    pre, rest = _pre_parser().parse_known_args(argv)
    session = Session.start(_spec(pre, [], None))
    for info in describe_plugins(session.pm):
        stdout.write(terminal_safe(f"{info.name}  ({info.module}, {info.origin})") + "\n")
        stdout.write(terminal_safe(f"    hooks: {', '.join(info.hooks) or '-'}") + "\n")
    return 0


def _cmd_hooks(argv: list[str], stdout: TextIO) -> int:
    from frictionscan.plugin.hookdoc import hooks_markdown

    pre, rest = _pre_parser().parse_known_args(argv)
    session = Session.start(_spec(pre, [], None))
    stdout.write(terminal_safe(hooks_markdown(session.pm), multiline=True))
    return 0


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    # a report that cannot be written (a full disk, a closed output) is one line and exit
    # code 6; a diagnostic that cannot be written is lost, with nowhere left to say so
    guarded = GuardedStream(stdout if stdout is not None else sys.stdout, "standard output")
    out = cast(TextIO, guarded)
    err = cast(TextIO, GuardedStream(stderr if stderr is not None else sys.stderr,
                                     "standard error", quiet=True))
    code = _main(argv, out, err)
    if guarded.failed and stdout is None:
        discard_stdout()  # what is still buffered must not fail again at exit
    return code


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    command, rest = _split_command(list(sys.argv[1:] if argv is None else argv))
    try:
        if command in ("plugins", "hooks", "rules", "cache"):
            simple = {"plugins": _cmd_plugins, "hooks": _cmd_hooks, "rules": _cmd_rules,
                      "cache": _cmd_cache}
            code = simple[command](rest, out)
        else:
            scanning = {"plan": _cmd_plan, "explain": _cmd_explain, "ci": _cmd_ci,
                        "baseline": _cmd_baseline, "backtest": _cmd_backtest, "fix": _cmd_fix}
            code = scanning.get(command, _cmd_scan)(rest, out, err)
        out.flush()  # a full disk shows here, while it can still be reported
        return code
    except FrictionscanError as exc:
        err.write(terminal_safe(f"error: {exc}") + "\n")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except SystemExit as exc:  # --help, --version
        try:
            out.flush()
        except FrictionscanError as flush_exc:
            err.write(terminal_safe(f"error: {flush_exc}") + "\n")
            return int(flush_exc.exit_code)
        except BrokenPipeError:
            return 0
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:  # a bug in frictionscan: one line, the traceback on request
        if os.environ.get("FRICTIONSCAN_DEBUG"):
            traceback.print_exc(file=err)
        err.write(terminal_safe(f"internal error: {type(exc).__name__}: {exc} (set "
                                f"FRICTIONSCAN_DEBUG=1 for a traceback, and please report "
                                f"it)") + "\n")
        return int(ExitCode.INTERNAL_ERROR)
