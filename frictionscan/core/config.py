"""Configuration: ``[tool.frictionscan]`` in ``pyproject.toml`` or a ``.frictionscan.toml``.

Where it is looked for, in the analysed repository's root:

1. ``--config FILE`` if given;
2. ``.frictionscan.toml`` (keys at top level);
3. ``pyproject.toml``, table ``[tool.frictionscan]``.

Core keys are declared here; plugins declare theirs through ``frictionscan_addoption`` with
an :class:`OptionParser`, under a table named after the plugin (``[tool.frictionscan.radon]``).
Unknown keys and values of the wrong type are errors that name the key and the file. Command-line
options override the file.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from frictionscan.core.durations import check_point, parse_duration
from frictionscan.core.errors import ConfigError
from frictionscan.core.globs import check_glob
from frictionscan.core.model import FocusArea

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

#: Types an option may have; ``list`` means a list of strings.
OPTION_TYPES = (bool, int, float, str, list)

#: Excluded unless ``default_excludes = false``: virtualenvs, vendored code, build output and
#: generated code. Documented in docs/configuration.md.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".venv/**", "venv/**", "**/.venv/**", "**/site-packages/**", ".tox/**", ".nox/**",
    "**/node_modules/**", "vendor/**", "**/vendor/**", "**/_vendor/**", "vendored/**",
    "**/vendored/**", "third_party/**", "**/third_party/**", "build/**", "dist/**",
    "**/*.egg-info/**", "**/__pycache__/**", ".frictionscan/**",
    "*_pb2.py", "*_pb2_grpc.py", "**/migrations/0*.py",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """An option declared by the core or by a plugin."""

    #: ``"<section>.<name>"``, e.g. ``"radon.maintainability"``.
    key: str
    type: type
    default: Any
    help: str
    #: Command-line flag (``"--maintainability"``), or ``None`` for file-only options.
    flag: str | None = None
    #: Allowed values, or ``None`` for any value of ``type``.
    choices: tuple[Any, ...] | None = None
    #: Name of the plugin that declared it (``None`` for core options).
    plugin: str | None = None
    #: Checks a value of the right type; raises :class:`ValueError` saying what is wrong
    #: (see :class:`Between`, :func:`regular_expression`, :func:`duration`).
    validate: Callable[[Any], None] | None = None


#: Validators for :meth:`OptionParser.addoption`'s ``validate``: each raises ValueError with
#: a reason that the core prints after the file and key (or the command-line flag).


@dataclass(frozen=True, slots=True)
class Between:
    """A number from ``low`` to ``high`` (both included; ``None``: no bound)."""

    low: float | None = None
    high: float | None = None

    def __call__(self, value: Any) -> None:
        if self.low is not None and self.high is not None:
            wanted = f"between {self.low:g} and {self.high:g}"
        elif self.low is not None:
            wanted = f"at least {self.low:g}"
        elif self.high is not None:
            wanted = f"at most {self.high:g}"
        else:
            return
        below = self.low is not None and not value >= self.low  # NaN is neither
        above = self.high is not None and not value <= self.high
        if below or above:
            raise ValueError(f"must be {wanted}, got {value!r}")


def regular_expression(value: Any) -> None:
    """A Python regular expression (``re`` syntax)."""
    try:
        re.compile(value)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise ValueError(f"{value!r} is not a valid regular expression: {exc.msg}{where}") \
            from None


def duration(value: Any) -> None:
    """A duration such as ``"90 days"`` or ``"12 months"``."""
    parse_duration(value)


def date_or_duration(value: Any) -> None:
    """A duration, or an ISO date such as ``"2025-01-31"``."""
    check_point(value)


def globs(value: Any) -> None:
    """A list of repository-relative glob patterns."""
    for pattern in value:
        check_glob(pattern)


class OptionParser:
    """Collects the options plugins declare in ``frictionscan_addoption``.

    Each option records the plugin that declared it: the one ``declarer()`` names when it is
    declared (the plugin manager knows which plugin's ``frictionscan_addoption`` is running;
    see :meth:`attribute_to`).
    """

    def __init__(self) -> None:
        self._options: dict[str, Option] = {}
        self._declarer: Callable[[], str | None] = _nobody

    def attribute_to(self, declarer: Callable[[], str | None]) -> None:
        """Attribute options declared from now on to the plugin ``declarer()`` names then."""
        self._declarer = declarer

    def addoption(
        self,
        key: str,
        *,
        type: type,
        default: Any,
        help: str,
        flag: str | None = None,
        choices: Iterable[Any] | None = None,
        validate: Callable[[Any], None] | None = None,
    ) -> None:
        """Declare option ``key`` (``"<section>.<name>"``, e.g. ``"radon.maintainability"``).

        The key is read from ``[tool.frictionscan.<section>]`` as ``<name>``; a key with more
        parts, such as ``"libcst.FS101.limit"``, from a nested table
        (``[tool.frictionscan.libcst.FS101]``, key ``limit``). ``flag`` (if any)
        adds a command-line option that overrides the file. ``type`` is one of ``bool``,
        ``int``, ``float``, ``str`` or ``list`` (a list of strings). ``validate`` (if any)
        checks a value of that type, from the file or the command line, and raises
        :class:`ValueError` with the reason when it is not valid: ``Between(0, 1)``,
        ``regular_expression``, ``duration``, ``date_or_duration``, ``globs`` or a function
        of your own. The run then stops with exit code 2 and
        ``<file>: tool.frictionscan.<key>: <reason>`` (or ``<flag>: <reason>``).
        """
        if "." not in key:
            raise ConfigError(f"option {key!r} must be namespaced as '<section>.<name>'")
        if type not in OPTION_TYPES:
            raise ConfigError(f"option {key!r} has unsupported type {type!r}")
        if key in self._options:
            raise ConfigError(f"option {key!r} is declared twice")
        self._options[key] = Option(
            key=key, type=type, default=default, help=help, flag=flag,
            choices=tuple(choices) if choices is not None else None,
            plugin=self._declarer(), validate=validate,
        )

    @property
    def options(self) -> tuple[Option, ...]:
        return tuple(self._options.values())


def _nobody() -> str | None:
    return None


#: Core keys of ``[tool.frictionscan]``: name -> (type, default, help).
CORE_KEYS: dict[str, tuple[type, Any, str]] = {
    "since": (str, "12 months", "history window, counted back from HEAD's commit time"),
    "include": (list, ["**/*.py"], "glob patterns of files to analyse"),
    "exclude": (list, [], "glob patterns of files to leave out (added to the defaults)"),
    "default_excludes": (bool, True, "leave out virtualenvs, vendored, build and generated code"),
    "focus": (list, [], "focus areas of the roadmap (array of tables)"),
    "plugins": (list, [], "local plugin modules to load (needs --allow-local-plugins)"),
    "jobs": (int, 0, "worker processes for per-file analysis (0 = one per CPU)"),
    "max_file_size": (int, 1_000_000, "files larger than this many bytes are not parsed"),
    "file_timeout": (int, 60, "seconds one file may take before its worker is stopped"),
    "cache": (bool, True, "keep per-file results and history between runs"),
    "order": (str, "hotspot", "ranking order: hotspot (default) or effort"),
    "cache_dir": (str, "", "where the cache lives: .frictionscan/cache (default), 'xdg', or a "
                           "path"),
    "top": (int, 0, "show only the N highest-ranked files (0 = formatter's default)"),
    "all_findings": (bool, False, "check every file for findings, also those where they are "
                                  "not counted (unchanged in the window)"),
    "all_functions": (bool, False, "give every file the history of its functions (the "
                                   "X-ray), not only the files that reach the report"),
    "kinds": (list, ["product"], "which kinds of files to rank and show, each ranked on its "
                                 "own: product, test, docs, tooling, generated, vendored, or "
                                 "all"),
}

#: The kinds of files frictionscan tells apart (``frictionscan_file_kind``), in the order
#: reports show their rankings; plugins may name others, shown after these.
KINDS = ("product", "test", "docs", "tooling", "generated", "vendored")

FOCUS_KEYS = {"name": str, "paths": list, "weight": float, "horizon": str, "owner": str,
              "goal": str, "labels": list}
GOALS = ("refactor", "supervise", "leave", "retire")
#: The largest focus weight: far above any horizon's (3), far below where scores overflow.
MAX_FOCUS_WEIGHT = 1000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The validated options of a run: the configuration file and the command line,
    nothing else (what one scan is of, its revision and "now", is the run context,
    :class:`~frictionscan.core.run.Run`). Picklable; passed to every hook."""

    root: str
    config_file: str | None = None
    since: str = "12 months"
    include: tuple[str, ...] = ("**/*.py",)
    exclude: tuple[str, ...] = ()
    default_excludes: bool = True
    focus: tuple[FocusArea, ...] = ()
    plugins: tuple[str, ...] = ()
    jobs: int = 0
    max_file_size: int = 1_000_000
    file_timeout: int = 60
    cache: bool = True
    cache_dir: str = ""
    #: ``hotspot`` (score) or ``effort`` (score per source line).
    order: str = "hotspot"
    top: int = 0
    #: Run the ``check_file`` hooks on every file (``--all-findings``).
    all_findings: bool = False
    #: X-ray every file, not only those that reach the report (``--all-functions``).
    all_functions: bool = False
    #: The kinds of files ranked and shown (``--kinds``); ``("all",)`` for every kind.
    kinds: tuple[str, ...] = ("product",)
    #: Plugin options, ``(key, value)`` pairs; read them with :meth:`getoption`.
    options: tuple[tuple[str, Any], ...] = ()

    def getoption(self, key: str, default: Any = None) -> Any:
        """The value of plugin option ``key`` (``"radon.maintainability"``)."""
        return _option_map(self.options).get(key, default)

    @property
    def effective_jobs(self) -> int:
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)


_OPTION_MAPS: dict[int, tuple[tuple[tuple[str, Any], ...], dict[str, Any]]] = {}


def _option_map(options: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """``options`` as a dict, made once per options tuple (rules read their options for
    every file; a frozen, picklable Config keeps the tuple)."""
    found = _OPTION_MAPS.get(id(options))
    if found is not None and found[0] is options:
        return found[1]
    if len(_OPTION_MAPS) > 16:
        _OPTION_MAPS.clear()
    mapping = dict(options)
    _OPTION_MAPS[id(options)] = (options, mapping)
    return mapping


@dataclass(frozen=True, slots=True)
class RawConfig:
    """The ``[tool.frictionscan]`` table as read, before validation."""

    path: str | None
    table: Mapping[str, Any]
    #: How to name the table in messages (``[tool.frictionscan]`` or the file's top level).
    prefix: str


def find_config_file(root: Path, explicit: str | None = None) -> RawConfig:
    """Read the configuration table for the repository at ``root``."""
    if explicit:
        path = Path(explicit)
        if path.is_dir():
            raise ConfigError(f"config file {explicit} is a directory, not a file")
        if not path.exists():
            raise ConfigError(f"config file {explicit} does not exist")
        if not path.is_file():
            raise ConfigError(f"config file {explicit} is not a regular file")
        data = _read_toml(path)
        tool = data.get("tool")
        if path.name == "pyproject.toml" or (isinstance(tool, dict) and "frictionscan" in tool):
            return _read_pyproject(path)  # a [tool.frictionscan] table, whatever the name
        return RawConfig(str(path), data, "")
    dot = root / ".frictionscan.toml"
    if dot.is_file():
        return RawConfig(str(dot), _read_toml(dot), "")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return _read_pyproject(pyproject)
    return RawConfig(None, {}, "")


def _read_pyproject(path: Path) -> RawConfig:
    data = _read_toml(path)
    tool = data.get("tool", {})
    table = tool.get("frictionscan", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.frictionscan] must be a table")
    return RawConfig(str(path), table, "tool.frictionscan")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _type_name(t: type) -> str:
    return {list: "a list of strings", bool: "true or false", int: "an integer",
            float: "a number", str: "a string"}[t]


def _check_type(value: Any, t: type, where: str) -> Any:
    ok: bool
    if t is bool:
        ok = isinstance(value, bool)
    elif t is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif t is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
        if ok and not math.isfinite(value):  # TOML has nan and inf: no setting means them
            raise ConfigError(f"{where} must be a finite number, got {value!r}")
    elif t is str:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok:
        raise ConfigError(f"{where} must be {_type_name(t)}, got {value!r}")
    return value


#: Command-line flags of the core keys, to name a bad value given on the command line
#: (``exclude_extra``: ``--exclude`` globs, added to the file's ``exclude``).
CORE_FLAGS = {"since": "--since", "include": "--include", "exclude_extra": "--exclude",
              "jobs": "--jobs", "top": "--top", "order": "--order", "kinds": "--kinds"}


def build_config(
    root: Path,
    raw: RawConfig,
    declared: Iterable[Option],
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Validate ``raw`` against the core keys and the ``declared`` plugin options, then apply
    command-line ``overrides`` (keys as in :class:`Config` or plugin option keys;
    ``exclude_extra`` adds globs to ``exclude``). A bad value is named where it came from:
    the file and key, or the command-line flag."""
    src = raw.path or "<defaults>"

    def where(key: str) -> str:
        full = f"{raw.prefix}.{key}" if raw.prefix else key
        return f"{src}: {full}"

    plugin_opts = {o.key: o for o in declared}
    sections = {k.split(".", 1)[0] for k in plugin_opts}
    values: dict[str, Any] = {}
    options: dict[str, Any] = {o.key: o.default for o in plugin_opts.values()}
    #: how to name each value given, in messages: the file and key, or the flag
    origin: dict[str, str] = {}

    for key, value in raw.table.items():
        if key in CORE_KEYS:
            if key == "focus":
                values["focus"] = _parse_focus(value, where("focus"))
                continue
            values[key] = _check_type(value, CORE_KEYS[key][0], where(key))
            origin[key] = where(key)
        elif key in sections and isinstance(value, dict):
            for full, subval in _flatten(key, value):
                opt = plugin_opts.get(full)
                if opt is None:
                    known = ", ".join(sorted(k.split(".", 1)[1] for k in plugin_opts
                                             if k.startswith(key + ".")))
                    raise ConfigError(f"{where(full)}: unknown key (known: {known})")
                options[full] = _check_choice(_check_type(subval, opt.type, where(full)),
                                              opt, where(full))
                origin[full] = where(full)
        elif isinstance(value, dict):
            raise ConfigError(f"{where(key)}: no loaded plugin declares options in this table "
                              f"(is the plugin installed, or blocked with -p no:?)")
        else:
            known = ", ".join(sorted([*CORE_KEYS, *sections]))
            raise ConfigError(f"{where(key)}: unknown key (known: {known})")

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key in plugin_opts:
            options[key] = value
            origin[key] = plugin_opts[key].flag or key
        elif key == "exclude_extra":
            _validate(globs, value, CORE_FLAGS[key])
            values["exclude"] = (*values.get("exclude", ()), *value)
            origin.setdefault("exclude", CORE_FLAGS[key])
        else:
            values[key] = value
            origin[key] = CORE_FLAGS.get(key, key)

    if values.get("cache_dir") and raw.path and origin["cache_dir"] == where("cache_dir"):
        # from the file itself (a caller's own override may put the cache anywhere)
        check_cache_dir(root, Path(raw.path), values["cache_dir"], origin["cache_dir"])
    for key, opt in plugin_opts.items():
        if opt.validate is not None and key in origin:
            _validate(opt.validate, options[key], origin[key])
    if "since" in values:
        _validate(date_or_duration, values["since"], origin["since"])
    for key in ("include", "exclude"):
        if key in values:
            _validate(globs, values[key], origin[key])
    for key in ("include", "exclude", "plugins"):
        if key in values:
            values[key] = tuple(values[key])
    if "kinds" in values:
        kinds = tuple(dict.fromkeys(k.strip() for value in values["kinds"]
                                    for k in value.split(",") if k.strip()))
        bad = [k for k in kinds if not k.replace("-", "").replace("_", "").isalnum()]
        if not kinds or bad:
            raise ConfigError(f"{origin['kinds']} must name kinds of files (product, test, "
                              f"docs, tooling, generated, vendored, or all), got "
                              f"{', '.join(values['kinds']) or 'nothing'}")
        values["kinds"] = kinds
    if values.get("order", "hotspot") not in ("hotspot", "effort"):
        raise ConfigError(f"{origin['order']} must be 'hotspot' or 'effort', got "
                          f"{values['order']!r}")
    if values.get("file_timeout", 1) <= 0:
        raise ConfigError(f"{origin['file_timeout']} must be positive, got "
                          f"{values['file_timeout']}")
    for key in ("jobs", "max_file_size", "top"):
        if key in values and values[key] < 0:
            raise ConfigError(f"{origin[key]} must not be negative, got {values[key]}")
    return replace(
        Config(root=str(root), config_file=raw.path),
        **values,
        options=tuple(sorted(options.items())),
    )


def check_cache_dir(root: Path, config_file: Path, setting: str, where: str) -> None:
    """A configuration file inside the repository (anyone who can open a pull request can
    write one) may not put the cache outside it: ``"xdg"`` or a path within the repository.
    A file outside the repository (``--config``) may put it anywhere."""
    if setting == "xdg":
        return
    top = root.resolve()
    if not config_file.resolve().is_relative_to(top):
        return
    target = Path(setting).expanduser()
    if not (target if target.is_absolute() else top / target).resolve().is_relative_to(top):
        raise ConfigError(f"{where}: a configuration file inside the repository may not put "
                          f"the cache outside it (got {setting!r}); use \"xdg\" for your "
                          f"cache directory, or --config with a file outside the repository")


def _validate(check: Callable[[Any], None], value: Any, where: str) -> None:
    """Run one validator; its ValueError becomes a ConfigError naming ``where``."""
    try:
        check(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _flatten(prefix: str, table: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``{"FS101": {"limit": 5}}`` under ``libcst`` -> ``[("libcst.FS101.limit", 5)]``."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, dict):
            out.extend(_flatten(f"{prefix}.{key}", value))
        else:
            out.append((f"{prefix}.{key}", value))
    return out


def _check_choice(value: Any, opt: Option, where: str) -> Any:
    if opt.choices is not None and value not in opt.choices:
        allowed = ", ".join(repr(c) for c in opt.choices)
        raise ConfigError(f"{where} must be one of {allowed}, got {value!r}")
    return value


def _parse_focus(value: Any, where: str) -> tuple[FocusArea, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where} must be an array of tables ([[...focus]])")
    areas = []
    for i, table in enumerate(value):
        here = f"{where}[{i}]"
        for key in table:
            if key not in FOCUS_KEYS:
                raise ConfigError(f"{here}.{key}: unknown key (known: "
                                  f"{', '.join(sorted(FOCUS_KEYS))})")
        for key in ("name", "paths"):
            if key not in table:
                raise ConfigError(f"{here}: missing required key '{key}'")
        fields = {k: _check_type(v, FOCUS_KEYS[k], f"{here}.{k}") for k, v in table.items()}
        if not fields["paths"]:
            raise ConfigError(f"{here}.paths must name at least one glob")
        _validate(globs, fields["paths"], f"{here}.paths")
        if "weight" in fields and fields["weight"] < 0:
            raise ConfigError(f"{here}.weight must not be negative, got {fields['weight']}")
        if "weight" in fields and fields["weight"] > MAX_FOCUS_WEIGHT:
            raise ConfigError(f"{here}.weight must be at most {MAX_FOCUS_WEIGHT:g}, got "
                              f"{fields['weight']:g}")
        if "horizon" in fields:
            _validate(date_or_duration, fields["horizon"], f"{here}.horizon")
        if "goal" in fields and fields["goal"] not in GOALS:
            raise ConfigError(f"{here}.goal must be one of {', '.join(GOALS)}, "
                              f"got {fields['goal']!r}")
        fields["paths"] = tuple(fields["paths"])
        if "labels" in fields:
            fields["labels"] = tuple(fields["labels"])
        areas.append(FocusArea(**fields))
    return tuple(areas)
