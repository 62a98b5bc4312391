"""The ``frictionscan`` command: the parser tree, dispatch to the commands, and the one-line
handling of every error with its exit code (docs/cli.md#exit-codes).

Every command is a module of this package with ``NAME``, ``SUMMARY`` (its line in
``frictionscan --help``), ``DESCRIPTION``, ``PLUGIN_OPTIONS``, ``add_arguments(parser,
context)`` and ``run(args, context) -> int``. They are argparse subparsers of ``frictionscan``;
without a command name, ``scan`` runs (``frictionscan .`` is ``frictionscan scan .``).

Parsing happens in two steps, as in pytest: the plugin-selection options (``-p``,
``--no-autoload``, ``--allow-local-plugins``, ``--config``) are read first, wherever they are
on the command line (before the command name too); the plugins are loaded; then the command's
line is parsed with the flags those plugins declare. For the scanning commands, the
repository's configuration may name local plugins: the command line is parsed leniently with
the plugins loaded so far to find the repository, its plugins are loaded (with
``--allow-local-plugins``), and the line is parsed again, strictly.

``--help`` and ``--version`` print on standard output and run nothing; a usage error is one
line, ``error: ... (see frictionscan COMMAND --help)``, and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TextIO, cast

from frictionscan.cli import (
    backtest,
    baseline,
    cache,
    ci,
    explain,
    fix,
    hooks,
    plan,
    plugins,
    rules,
    scan,
    trend,
)
from frictionscan.cli.context import Context, local_plugins
from frictionscan.cli.options import (
    SELECTION_VALUES,
    Parser,
    ShowText,
    plugin_spec,
    read_selection,
)
from frictionscan.cli.output import GuardedStream, check_output, discard_stdout
from frictionscan.core.errors import ExitCode, FrictionscanError
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import Session, find_root


class Command(Protocol):
    """What a command module holds."""

    NAME: str
    #: One line for ``frictionscan --help``.
    SUMMARY: str
    #: The first paragraph of ``frictionscan NAME --help``.
    DESCRIPTION: str
    #: Whether the command's flags include those plugins declare (the plugins are then
    #: loaded before parsing, the repository's local ones too).
    PLUGIN_OPTIONS: bool

    def add_arguments(self, parser: argparse.ArgumentParser, context: Context) -> None: ...

    def run(self, args: argparse.Namespace, context: Context) -> int: ...


#: Every command, in the order of ``frictionscan --help``.
COMMANDS: tuple[Command, ...] = (scan, plan, explain, ci, baseline, backtest, trend, fix,
                                 cache, plugins, hooks, rules)
BY_NAME = {c.NAME: c for c in COMMANDS}
DEFAULT = "scan"
#: The flags of ``frictionscan`` itself (without a command).
OWN_FLAGS = ("-h", "--help", "--version")


def build_parser(context: Context | None, command: str | None = None
                 ) -> tuple[Parser, Parser | None]:
    """``frictionscan`` with a subparser per command, and the subparser of ``command`` with
    its arguments (only that one is filled in: the others need not load anything)."""
    top = Parser(prog="frictionscan",
                 description="Find where your Python code hurts and what to fix first: "
                             "churn x complexity x roadmap.",
                 epilog=f"Without a COMMAND, frictionscan runs {DEFAULT}: `frictionscan "
                        f"[PATH] [options]` is `frictionscan {DEFAULT} [PATH] [options]`. "
                        f"`frictionscan COMMAND --help` shows a command's options; "
                        f"docs/cli.md documents them all.")
    top.add_version()
    subparsers = top.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    chosen = None
    for module in COMMANDS:
        parser = subparsers.add_parser(module.NAME, help=module.SUMMARY,
                                       description=module.DESCRIPTION,
                                       epilog="See docs/cli.md.")
        if command == module.NAME:
            assert context is not None
            module.add_arguments(parser, context)
            chosen = parser
    return top, chosen


def split_command(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The command named on the command line (``None``: none) and the rest of it. The name
    is the first argument that is not an option, or the value of a plugin-selection option
    (``frictionscan -p myplugin plan``)."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if i > 0 and args[i - 1] in SELECTION_VALUES:
            continue
        if arg in BY_NAME:
            return arg, args[:i] + args[i + 1:]
        if not arg.startswith("-"):
            break
    return None, args


def _options(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    return args[:args.index("--")] if "--" in args else args


def dispatch(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Parse the command line and run the command; returns its exit code."""
    name, rest = split_command(argv)
    if name is None:
        own = [a for a in _options(rest) if a in OWN_FLAGS]
        if own:  # `frictionscan --help`, `frictionscan --version`
            build_parser(None)[0].parse_args(own[:1])
        name = DEFAULT
    command = BY_NAME[name]
    context = Context(stdout=stdout, stderr=stderr,
                      selection=read_selection(rest, f"frictionscan {name}"))
    if command.PLUGIN_OPTIONS:
        context.session = Session.start(plugin_spec(context.selection))
        _find_repository(command, context, rest)
    parser = build_parser(context, name)[1]
    assert parser is not None
    args = parser.parse_args(rest)
    if getattr(args, "output", None):
        check_output(args.output)  # before a long scan, not after it
    return command.run(args, context)


def _find_repository(command: Command, context: Context, argv: list[str]) -> None:
    """The repository (``context.root``) and its own plugins: those are only known once the
    path is, so the command line is parsed leniently with the plugins loaded so far."""
    parser = build_parser(context, command.NAME)[1]
    assert parser is not None
    try:
        first, unknown = parser.parse_known_args(argv)
    except ShowText:
        return  # --help: shown by the strict parse, running nothing
    # an unknown flag's value ("--team-level 7") may have been taken for the path
    candidates = [first.path, *(a for a in unknown if not a.startswith("-"))]
    path = Path(next((c for c in candidates if Path(c).exists()), first.path))
    check = getattr(command, "check_path", None)
    if check is not None:
        check(path)
    context.root = find_root(path)
    local = local_plugins(context.selection, context.root, context.stderr)
    if local:
        context.session = Session.start(plugin_spec(context.selection, local, context.root))


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    # a report that cannot be written (a full disk, a closed output) is one line and exit
    # code 6; a diagnostic that cannot be written is lost, with nowhere left to say so
    guarded = GuardedStream(stdout if stdout is not None else sys.stdout, "standard output")
    out = cast(TextIO, guarded)
    err = cast(TextIO, GuardedStream(stderr if stderr is not None else sys.stderr,
                                     "standard error", quiet=True))
    code = _main(sys.argv[1:] if argv is None else argv, out, err)
    if guarded.failed and stdout is None:
        discard_stdout()  # what is still buffered must not fail again at exit
    return code


def _main(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    try:
        try:
            code = dispatch(argv, out, err)
        except ShowText as shown:  # --help, --version
            out.write(shown.text)
            code = int(ExitCode.OK)
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
    except SystemExit as exc:  # argparse's own exit, should one remain
        if isinstance(exc.__context__, BrokenPipeError):
            return 0  # rich's console met a reader that went away (``| head``)
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
