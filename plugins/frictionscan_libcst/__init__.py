"""Built-in plugin *libcst*: friction rules over libcst's concrete syntax tree.

Each file is parsed once; all enabled rules share one batched traversal (as in Fixit), and
positions are computed only for reported nodes (see :mod:`frictionscan.api.cst` for why both
are custom).
Other plugins add rules through the ``frictionscan_libcst_rules`` hook this plugin defines.
Rules can be switched off with ``ignore = ["FS102"]`` under ``[tool.frictionscan.libcst]``.

libcst itself is imported only where files are analysed (``engine.py``): the options and
descriptions of the built-in rules come from ``rules_index.json``, generated from the rule
classes (a test keeps it current), so a warm scan that finds every result in the cache does
not pay 0.2 s to import libcst.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pluggy

from frictionscan.api import (
    Config,
    ConfigError,
    Finding,
    FixResult,
    OptionParser,
    RuleInfo,
    SourceFile,
    hookimpl,
)
from frictionscan_libcst import hookspecs
from frictionscan_libcst.state import current


def _version() -> str:
    """The plugin's version with a digest of the built-in rules' weights: the per-file cache
    keys findings by it, and a finding carries its rule's weight."""
    import hashlib

    index = (Path(__file__).parent / "rules_index.json").read_bytes()
    weights = [(r["code"], r.get("weight", 1.0)) for r in json.loads(index)]
    return "0.2.0+w" + hashlib.sha1(repr(weights).encode()).hexdigest()[:8]


__version__ = _version()

_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list}


@lru_cache(maxsize=1)
def builtin_index() -> list[dict[str, Any]]:
    """The built-in rules' metadata, without importing libcst."""
    return list(json.loads((Path(__file__).parent / "rules_index.json").read_text()))


@hookimpl
def frictionscan_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    if not hasattr(pluginmanager.hook, "frictionscan_libcst_rules"):
        pluginmanager.add_hookspecs(hookspecs)
    if current.get("pm") is not pluginmanager:
        current.clear()
        current["pm"] = pluginmanager
    current.pop("rules", None)  # a plugin registered later may offer more rules


@hookimpl
def frictionscan_libcst_rules() -> Sequence[type]:
    from frictionscan_libcst.rules import BUILTIN_RULES

    return BUILTIN_RULES


def _other_rules() -> list[type]:
    """Rule classes offered by other plugins (they import libcst themselves), through
    pluggy (so wrappers and tracing see the call), without this plugin's own answer: the
    built-in rules are described by the index, without importing libcst."""
    pm = current.get("pm")
    if not isinstance(pm, pluggy.PluginManager):
        return []
    others = pm.subset_hook_caller("frictionscan_libcst_rules",
                                   remove_plugins=[sys.modules[__name__]])
    return [rule for answer in others() for rule in (answer or ())]


def _described() -> list[dict[str, Any]]:
    """Metadata of every rule: the index for built-ins, the classes for the others."""
    entries = list(builtin_index())
    for rule in _other_rules():
        entries.append({"code": rule.CODE, "name": rule.NAME, "message": rule.MESSAGE,
                        "description": getattr(rule, "DESCRIPTION", ""),
                        "rationale": getattr(rule, "RATIONALE", ""),
                        "help": getattr(rule, "HELP_URI", None),
                        "effort": rule.EFFORT_MINUTES, "fix": rule.FIX,
                        "weight": rule.FRICTION_WEIGHT,
                        "options": {n: [t.__name__, d, h] for n, (t, d, h) in
                                    rule.OPTIONS.items()}})
    return entries


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("libcst.ignore", type=list, default=[],
                     help="rule codes not to run, e.g. [\"FS102\"]")
    for rule in _described():
        for name, (kind, default, text) in rule["options"].items():
            parser.addoption(f"libcst.{rule['code']}.{name}", type=_TYPES[kind],
                             default=default, help=f"{rule['code']} {rule['name']}: {text}")


@hookimpl
def frictionscan_configure(config: Config) -> None:
    """``libcst.ignore`` may name only rules that exist (a typo would silently run the rule)."""
    known = {r["code"] for r in _described()}
    unknown = [code for code in config.getoption("libcst.ignore", []) if code not in known]
    if unknown:
        where = f"{config.config_file}: " if config.config_file else ""
        raise ConfigError(f"{where}libcst.ignore: unknown rule code {unknown[0]!r} (see "
                          f"`frictionscan rules`)")


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "…"


@hookimpl
def frictionscan_rules(config: Config | None) -> list[RuleInfo]:
    ignored = set(config.getoption("libcst.ignore", []) if config else [])
    return [RuleInfo(code=r["code"], name=r["name"], summary=r["message"].format_map(_Blank()),
                     effort_minutes=r["effort"], fix=r["fix"], enabled=r["code"] not in ignored,
                     weight=float(r.get("weight", 1.0)),
                     description=r.get("description") or "", rationale=r.get("rationale") or "",
                     help_uri=r.get("help"))
            for r in _described()]


@hookimpl
def frictionscan_check_file(file: SourceFile, source: str, config: Config) -> list[Any]:
    from frictionscan_libcst.engine import check_file

    return check_file(file, source, config)


@hookimpl
def frictionscan_fix_file(file: SourceFile, source: str, config: Config,
                          codes: Collection[str], unsafe: bool) -> FixResult | None:
    from frictionscan_libcst.engine import fix_file

    return fix_file(file, source, config, codes, unsafe)


def __getattr__(name: str) -> Any:
    """``check_source``, ``check_module`` and friends live in ``engine`` (lazy import)."""
    if name in ("check_source", "check_module", "_run_rules", "all_rules", "enabled_rules",
                "rule_info"):
        from frictionscan_libcst import engine

        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["Finding", "builtin_index"]
