"""Built-in plugin *ruff*: findings from the linter the team already runs (docs/ruff.md).

Off unless ``ruff.enabled`` is set (``--ruff``, or ``enabled = true`` under
``[tool.frictionscan.ruff]``), so that a ranking never depends on whether ruff happens to be
installed on one machine. On, it runs ``ruff check --isolated --output-format json`` on the
text of each file that is checked for findings (standard input; one process per file, in the
worker that checks it, and cached with the file's other results), reports ruff's diagnostics
of the codes in :mod:`frictionscan_ruff.codes` as findings with effort minutes (ruff's fixes
say whether they are safe: safe ones are quick wins, and ``frictionscan fix`` applies them
through ruff), and drops a frictionscan finding that one of those diagnostics already
reports (the same rule, inside its lines): each problem is reported once, under ruff's code.

ruff reads the file's text and never imports or runs it; ``--isolated`` means it reads no
configuration from the repository either (the selection is frictionscan's; the file's noqa
comments still apply).
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterable
from typing import Any

from frictionscan.api import (
    AnalysisError,
    AppliedFix,
    Config,
    ConfigError,
    ErrorKind,
    Finding,
    FixResult,
    OptionParser,
    RuleInfo,
    SourceFile,
    hookimpl,
)
from frictionscan_ruff.codes import BY_CODE, CODES

VERSION = "0.1.0"

#: The ruff executable found when a run was configured with the plugin on (its version is
#: part of :data:`__version__`, and so of every file's cache key).
_configured: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    """``__version__``: the plugin's, and ruff's when the plugin is on (another ruff may
    find other things: the cached results must not be reused)."""
    if name == "__version__":
        from frictionscan_ruff.runner import ruff_version

        executable = _configured.get("executable")
        return f"{VERSION}+ruff.{ruff_version(executable)}" if executable else VERSION
    raise AttributeError(name)


def _enabled(config: Config | None) -> bool:
    return bool(config is not None and config.getoption("ruff.enabled", False))


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("ruff.enabled", type=bool, default=False, flag="--ruff",
                     help="also report ruff's findings (ruff must be installed), each "
                          "problem once (docs/ruff.md)")
    parser.addoption("ruff.command", type=str, default="ruff",
                     help="the ruff executable: a name looked up on PATH and beside this "
                          "Python, or a path")


@hookimpl
def frictionscan_configure(config: Config) -> None:
    """With the plugin on, ruff must be there: one line saying so, not a ranking without
    it."""
    from frictionscan_ruff.runner import find_ruff

    _configured.clear()
    if not _enabled(config):
        return
    command = str(config.getoption("ruff.command", "ruff"))
    executable = find_ruff(command)
    if executable is None:
        raise ConfigError(f"ruff.enabled is set, but ruff ({command!r}) is not installed: "
                          f"pip install ruff, set ruff.command, or turn the plugin off")
    _configured["executable"] = executable


#: Where ruff documents each rule, by name (SARIF's ``helpUri``).
RUFF_RULES_URL = "https://docs.astral.sh/ruff/rules/"


@hookimpl
def frictionscan_rules(config: Config | None) -> list[RuleInfo]:
    return [RuleInfo(code=c.code, name=c.name,
                     summary=f"ruff's {c.code} ({c.name})"
                             + (f"; reported instead of {c.overlaps}" if c.overlaps else ""),
                     rationale=f"ruff's rule {c.name}, read from `ruff check`"
                               + (f" and reported instead of frictionscan's {c.overlaps}, "
                                  f"which flags the same" if c.overlaps else "")
                               + "; ruff's documentation says why it matters and how to fix "
                                 "it.",
                     help_uri=f"{RUFF_RULES_URL}{c.name}/",
                     effort_minutes=c.effort_minutes, fix=c.fix,
                     enabled=config is None or _enabled(config))
            for c in CODES]


@hookimpl
def frictionscan_check_file(file: SourceFile, source: str,
                            config: Config) -> list[Finding | AnalysisError] | None:
    if not _enabled(config):
        return None
    from frictionscan_ruff.runner import RuffError, check, find_ruff, finding

    executable = find_ruff(str(config.getoption("ruff.command", "ruff")))
    if executable is None:
        return [AnalysisError(kind=ErrorKind.PLUGIN, path=file.path, plugin="ruff",
                              message="ruff is not installed")]
    try:
        return [finding(d) for d in check(executable, file.path, source)]
    except RuffError as exc:
        return [AnalysisError(kind=ErrorKind.PLUGIN, path=file.path, plugin="ruff",
                              message=str(exc))]


def _flatten(answers: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for answer in answers:
        if answer is None:
            continue
        out.extend(answer if isinstance(answer, (list, tuple)) else [answer])
    return out


def reported_once(items: list[Any]) -> list[Any]:
    """``items`` without the frictionscan findings that a ruff finding of an overlapping
    code reports already: one whose line lies within the frictionscan finding's lines."""
    lines: dict[str, set[int]] = {}
    for item in items:
        if isinstance(item, Finding) and item.code in BY_CODE:
            overlapped = BY_CODE[item.code].overlaps
            if overlapped:
                lines.setdefault(overlapped, set()).add(item.span.start_line)
    if not lines:
        return items

    def covered(f: Finding) -> bool:
        end = f.span.end_line or f.span.start_line
        return any(f.span.start_line <= line <= end for line in lines.get(f.code, ()))

    return [i for i in items if not (isinstance(i, Finding) and i.code not in BY_CODE
                                     and covered(i))]


@hookimpl(wrapper=True, specname="frictionscan_check_file")
def frictionscan_check_file_once(file: SourceFile, source: str,
                                 config: Config) -> Generator[None, Any, Any]:
    """Each problem once: see :func:`reported_once`."""
    answers = yield
    if not _enabled(config):
        return answers
    return [reported_once(_flatten(answers))]


@hookimpl
def frictionscan_fix_file(file: SourceFile, source: str, config: Config,
                          codes: Collection[str], unsafe: bool) -> FixResult | None:
    """ruff's fixes of the findings it reports (``codes``: only those), through
    ``ruff check --fix``; unsafe ones only with ``unsafe``."""
    if not _enabled(config):
        return None
    from frictionscan_ruff.runner import RuffError, applicability, check, find_ruff, fixed

    executable = find_ruff(str(config.getoption("ruff.command", "ruff")))
    if executable is None:
        return None
    try:
        found = [d for d in check(executable, file.path, source)
                 if applicability(d) and (not codes or d["code"] in codes)]
    except RuffError as exc:
        return FixResult(source=source, error=str(exc))

    def applied(d: dict[str, Any]) -> AppliedFix:
        return AppliedFix(code=d["code"], line=int((d.get("location") or {}).get("row") or 1),
                          message=str((d.get("fix") or {}).get("message") or d["message"]))

    doing = [d for d in found if unsafe or applicability(d) == "safe"]
    left = tuple(applied(d) for d in found if d not in doing)
    if not doing:
        return FixResult(source=source, skipped_unsafe=left)
    try:
        text = fixed(executable, file.path, source, {d["code"] for d in doing}, unsafe)
    except RuffError as exc:
        return FixResult(source=source, error=str(exc))
    return FixResult(source=text, applied=tuple(applied(d) for d in doing) if text != source
                     else (), skipped_unsafe=left)
