"""The command line's parser type and the flag groups commands share.

* :class:`Parser`: argparse whose usage errors are one line naming the command's help, and
  whose ``--help`` and ``--version`` go to the command's standard output (:class:`ShowText`)
  instead of ``sys.stdout``, so that a full or closed output is reported like any other;
* the plugin-selection flags (``-p``, ``--no-autoload``, ``--allow-local-plugins``,
  ``--config``), read first by :func:`read_selection` (before the plugins are loaded, in any
  place on the command line) and turned into a :class:`PluginSpec` by :func:`plugin_spec`;
* the output, selection and plugin-declared flags of the scanning commands, and the
  configuration overrides they make (:func:`overrides`).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import frictionscan
from frictionscan.cli.duration_words import join_words, mark
from frictionscan.core.config import CORE_KEYS, Option
from frictionscan.core.errors import UsageError
from frictionscan.core.formatter import Formatter
from frictionscan.plugin.manager import PluginSpec


class ShowText(Exception):  # noqa: N818 (not an error: the way out of argparse for --help)
    """``--help`` or ``--version`` was given: print ``text`` on standard output and exit 0,
    running nothing."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _Help(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        raise ShowText(parser.format_help())


class _Version(_Help):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        raise ShowText(f"frictionscan {frictionscan.__version__}\n")


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``error: ... (see frictionscan COMMAND
    --help)``, exit code 2) and ``--help`` is :class:`ShowText`."""

    def __init__(self, *args: Any, help_flag: bool = True, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if help_flag:
            self.add_argument("-h", "--help", action=_Help,
                              help="show this help and exit, running nothing")

    def add_version(self) -> None:
        self.add_argument("--version", action=_Version,
                          help="print frictionscan's version and exit")

    def error(self, message: str) -> Any:
        raise UsageError(f"{message} (see {self.prog} --help)")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse, with a duration flag's value written as two words joined first
        (``--every 2 weeks``: :mod:`frictionscan.cli.duration_words`)."""
        argv = sys.argv[1:] if args is None else args
        return super().parse_known_args(join_words(argv, self._actions), namespace)


# -- plugin selection: read before the plugins are loaded --------------------------------

#: The plugin-selection flags that take a value (skipped when looking for the command name).
SELECTION_VALUES = ("-p", "--config")


def add_plugin_selection(parser: argparse.ArgumentParser, *, repository: bool = True) -> None:
    """``-p`` and ``--no-autoload``; with ``repository``, also ``--allow-local-plugins`` and
    ``--config`` (the repository's configuration, which may name local plugins)."""
    g = parser.add_argument_group("plugins")
    g.add_argument("-p", dest="plugins", action="append", default=[], metavar="NAME",
                   help="load plugin module NAME; -p no:NAME blocks plugin NAME (repeatable)")
    g.add_argument("--no-autoload", action="store_true",
                   help="do not load plugins from installed packages' entry points")
    if repository:
        g.add_argument("--allow-local-plugins", action="store_true",
                       help="load modules named by 'plugins' in the repository's "
                            "configuration (off by default: a repository must not make "
                            "frictionscan run its code)")
        g.add_argument("--config", metavar="FILE",
                       help="configuration file (default: .frictionscan.toml or "
                            "pyproject.toml)")


def read_selection(argv: Sequence[str], prog: str) -> argparse.Namespace:
    """The plugin-selection flags, wherever they are on the command line (the rest is left
    for the command's parser, ``prog``)."""
    pre = Parser(prog=prog, help_flag=False)
    add_plugin_selection(pre)
    selection, _ = pre.parse_known_args(list(argv))
    return selection


def plugin_spec(selection: argparse.Namespace, config_plugins: Sequence[str] = (),
                root: Path | None = None) -> PluginSpec:
    """What to load: the built-ins and installed plugins, ``-p`` modules, and the modules the
    configuration names (``config_plugins``, imported from ``root``)."""
    blocked = tuple(p[3:] for p in selection.plugins if p.startswith("no:"))
    extra = tuple(p for p in selection.plugins if not p.startswith("no:"))
    sys_path: list[str] = []
    if any(not _importable(m) for m in extra):
        sys_path.append(os.getcwd())  # only then: it would shadow what is imported later
    if config_plugins and root is not None:
        sys_path.append(str(root))
    return PluginSpec(blocked=blocked, extra=extra, config_plugins=tuple(config_plugins),
                      autoload=not selection.no_autoload, sys_path=tuple(sys_path))


def _importable(modname: str) -> bool:
    """Whether ``-p`` module ``modname`` is found without the current directory (an installed
    plugin must not put the directory, often the analysed repository, on sys.path)."""
    try:
        return importlib.util.find_spec(modname) is not None
    except Exception:  # a parent package failed to import: the import will say so
        return False


# -- the scanning commands' flags ------------------------------------------------------------


def add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".",
                        help="a path inside the git repository (default: .)")


def add_output(parser: argparse.ArgumentParser, *,
               formats: Mapping[str, Formatter] | None = None, default: str = "",
               output: bool = True, strict: bool = True,
               top: bool = True) -> argparse._ArgumentGroup:
    """The output group: ``-f`` (only when the command has ``formats``; its choices are
    theirs), ``-o`` (with ``output``), ``--strict`` (with ``strict``), ``--top`` (with
    ``top``), ``-q``, ``-v``. Returned, for the command's own output flags."""
    out = parser.add_argument_group("output")
    if formats is not None:
        listed = "; ".join(f"{name}: {formats[name].description}" for name in sorted(formats))
        out.add_argument("-f", "--format", choices=sorted(formats),
                         help=_escape(f"output format (default: {default})"
                                      + (f". {listed}" if listed else "")))
    if output:
        out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    if strict:
        out.add_argument("--strict", action="store_true",
                         help="exit 1 when a plugin raised, or a worker died or timed out, on "
                              "some file (default: such files are listed, ranked on their "
                              "history, and the exit code is 0)")
    if top:
        out.add_argument("--top", type=int, help=CORE_KEYS["top"][2])
    out.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    out.add_argument("-v", "--verbose", action="store_true",
                     help="print the time each phase took on stderr")
    return out


def add_selection(parser: argparse.ArgumentParser) -> None:
    """Which files, over which window, and how they are analysed."""
    sel = parser.add_argument_group("selection")
    mark(sel.add_argument("--since", help=f"{CORE_KEYS['since'][2]} (e.g. '6 months', "
                                          f"'2025-01-01'; default 12 months)"))
    sel.add_argument("--include", action="append", metavar="GLOB",
                     help=CORE_KEYS["include"][2])
    sel.add_argument("--exclude", action="append", metavar="GLOB",
                     help=CORE_KEYS["exclude"][2])
    sel.add_argument("-j", "--jobs", type=int, help=CORE_KEYS["jobs"][2])
    sel.add_argument("--order", choices=["hotspot", "effort"],
                     help="hotspot: big, busy files first (refactor targets; default); effort: "
                          "friction per line first (where an hour removes most)")
    sel.add_argument("--no-cache", action="store_true",
                     help="neither read nor write the result cache (docs/performance.md)")
    sel.add_argument("--all-findings", action="store_true",
                     help="check every file for findings, also files where they are not "
                          "counted (unchanged in the window)")
    sel.add_argument("--kinds", action="append", metavar="KIND[,KIND]",
                     help="which kinds of files to rank and show, each ranked on its own: "
                          "product (default), test, docs, tooling, generated, vendored, or "
                          "all (docs/cli.md#kinds-of-files)")
    sel.add_argument("--all-functions", action="store_true",
                     help="give every file the history of its functions (the X-ray), not "
                          "only the files that reach the report")


def add_plugin_options(parser: argparse.ArgumentParser, options: Sequence[Option]) -> None:
    """The flags the loaded plugins declare (``frictionscan_addoption`` with ``flag=``)."""
    flagged = [o for o in options if o.flag]
    if not flagged:
        return
    group = parser.add_argument_group("plugin options")
    for opt in flagged:
        dest = "opt:" + opt.key
        assert opt.flag is not None
        help_text = _escape(f"{opt.help} [{opt.key}]")
        if opt.type is bool:
            group.add_argument(opt.flag, dest=dest, action=argparse.BooleanOptionalAction,
                               default=None, help=help_text)
        elif opt.type is list:
            group.add_argument(opt.flag, dest=dest, action="append", default=None,
                               help=help_text, metavar=opt.key.rsplit(".", 1)[-1].upper())
        else:
            group.add_argument(opt.flag, dest=dest,
                               type=finite_float if opt.type is float else opt.type,
                               default=None, choices=opt.choices, help=help_text,
                               metavar=opt.key.rsplit(".", 1)[-1].upper())


def _escape(text: str) -> str:
    """Help text as argparse wants it (``%`` starts a format)."""
    return text.replace("%", "%%")


def finite_float(text: str) -> float:
    """A number flag: ``nan`` and ``inf`` are no setting's value (as in the configuration)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def overrides(args: argparse.Namespace, options: Sequence[Option]) -> dict[str, Any]:
    """The configuration keys the command line sets (``None``: not set, the file decides)."""
    out: dict[str, Any] = {
        "since": args.since, "top": getattr(args, "top", None), "jobs": args.jobs,
        "cache": False if args.no_cache else None,
        "all_findings": True if args.all_findings else None,
        "all_functions": True if getattr(args, "all_functions", False) else None,
        "order": getattr(args, "order", None),
        "include": tuple(args.include) if args.include else None,
        "kinds": tuple(args.kinds) if getattr(args, "kinds", None) else None,
    }
    if args.exclude:
        out["exclude_extra"] = tuple(args.exclude)
    for opt in options:
        value = getattr(args, "opt:" + opt.key, None)
        if value is not None:
            out[opt.key] = value
    return out
