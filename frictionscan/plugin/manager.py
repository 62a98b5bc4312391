"""The plugin manager: which plugins are loaded, from where, in which order.

Every plugin reaches the manager through :func:`import_plugin` and ``pm.register``:

1. the built-ins, from the explicit list :data:`BUILTIN_PLUGINS` (as pytest does);
2. third-party plugins, from the ``frictionscan`` entry-point group (skipped with
   ``--no-autoload`` or ``FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD=1``);
3. local plugins: ``-p module`` on the command line, and ``plugins = [...]`` in the
   configuration (only with ``--allow-local-plugins``: CI runs on untrusted pull requests).

``-p no:NAME`` blocks a plugin by name, built-in or not. Pluggy calls the most recently
registered implementation first, so third-party and local plugins run before the built-ins.
A fresh manager is made for every scan (and in every worker process) from a picklable
:class:`PluginSpec`.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pluggy

from frictionscan.core.errors import FrictionscanError, PluginError
from frictionscan.plugin import guards, hookspecs
from frictionscan.plugin.entrypoints import EntryPoint, entry_points

#: Short name -> module of every built-in plugin, in registration order.
BUILTIN_PLUGINS: dict[str, str] = {
    "git": "frictionscan_git",
    "radon": "frictionscan_radon",
    "libcst": "frictionscan_libcst",
    "roadmap": "frictionscan_roadmap",
    "evidence": "frictionscan_evidence",
    "kinds": "frictionscan_kinds",
    "scoring": "frictionscan_scoring",
    "coupling": "frictionscan_coupling",
    "people": "frictionscan_people",
    "report": "frictionscan_report",
    "functions": "frictionscan_functions",
    "ruff": "frictionscan_ruff",
}

ENTRY_POINT_GROUP = "frictionscan"
HOOK_PREFIX = "frictionscan_"
#: Hooks replayed to every plugin as it registers.
HISTORIC_HOOKS = ("frictionscan_addhooks", "frictionscan_addoption")


@dataclass(frozen=True, slots=True, kw_only=True)
class PluginSpec:
    """What to load into a plugin manager; picklable, so workers load the same plugins."""

    #: Names given to ``-p no:NAME``.
    blocked: tuple[str, ...] = ()
    #: Modules given to ``-p MODULE``.
    extra: tuple[str, ...] = ()
    #: Modules named by ``plugins = [...]`` in the configuration (already allowed).
    config_plugins: tuple[str, ...] = ()
    #: Load the ``frictionscan`` entry-point group.
    autoload: bool = True
    #: Plugin objects registered in-process (tests, embedding), as ``(name, object)``.
    objects: tuple[tuple[str, Any], ...] = field(default=())
    #: Directories put at the end of ``sys.path`` before local plugins are imported (at the
    #: end: a repository's ``rich.py`` beside a local plugin must not replace the library).
    sys_path: tuple[str, ...] = ()


class FrictionscanPluginManager(pluggy.PluginManager):
    """A pluggy manager that only treats ``frictionscan_*`` attributes as hooks, remembers
    where each plugin came from, and guards implementations as they register (see
    :mod:`frictionscan.plugin.guards`).

    ``frictionscan_addhooks`` is called (historic) as the manager is made, before any plugin
    registers: each plugin's implementation runs once, as that plugin registers.
    """

    def __init__(self) -> None:
        super().__init__("frictionscan")
        self.add_hookspecs(hookspecs)
        #: plugin name -> origin ("builtin", "entry point: dist 1.0", "-p", "config", "object")
        self.origins: dict[str, str] = {}
        self._behalf: list[str] = []
        self.hook.frictionscan_addhooks.call_historic(kwargs={"pluginmanager": self})

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        if not name.startswith(HOOK_PREFIX):
            return None
        return super().parse_hookimpl_opts(plugin, name)

    @property
    def declaring_plugin(self) -> str | None:
        """The plugin on whose behalf a hook runs now: the one being registered (historic
        hooks are replayed to it) or the one whose ``frictionscan_addoption`` runs."""
        return self._behalf[-1] if self._behalf else None

    @contextmanager
    def on_behalf_of(self, name: str) -> Iterator[None]:
        self._behalf.append(name)
        try:
            yield
        finally:
            self._behalf.pop()

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """pluggy's ``register``, which replays historic hooks to ``plugin`` on its behalf
        (an exception raised there names the plugin and the hook) and then guards its
        implementations."""
        plugin_name = name or self.get_canonical_name(plugin)
        try:
            hash(plugin)  # pluggy's subset_hook_caller keeps plugins in sets
        except TypeError:
            raise ValueError(f"{type(plugin).__name__} objects are not hashable (a dataclass? "
                             f"give it eq=False)") from None
        with self.on_behalf_of(plugin_name):
            try:
                registered = super().register(plugin, name)
            except Exception as exc:
                replayed = _historic_hook_raising(exc, plugin)
                if self.get_plugin(plugin_name) is plugin:  # half registered: undo
                    self.unregister(plugin, plugin_name)
                if replayed is None or isinstance(exc, FrictionscanError):
                    raise
                raise PluginError(f"plugin {plugin_name!r} raised in {replayed}: "
                                  f"{type(exc).__name__}: {exc}", plugin=plugin_name,
                                  hook=replayed) from exc
        if registered is not None:
            guards.guard_plugin(self, plugin, self.on_behalf_of)
        return registered

    def register_plugin(self, plugin: object, name: str, origin: str) -> None:
        """Register ``plugin`` under ``name`` unless blocked; errors name the plugin."""
        if self.is_blocked(name) or self.get_plugin(name) is not None:
            return
        try:
            self.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} ({origin}) is invalid: {exc}",
                              plugin=name) from None
        except ValueError as exc:
            raise PluginError(f"plugin {name!r} ({origin}) cannot be registered: {exc}",
                              plugin=name) from None
        self.origins[name] = origin


def _historic_hook_raising(exc: BaseException, plugin: object) -> str | None:
    """The historic hook of ``plugin`` whose replay raised ``exc`` while it registered."""
    codes = {}
    for hook in HISTORIC_HOOKS:
        function = getattr(plugin, hook, None)
        if callable(function) and (code := guards.code_of(function)) is not None:
            codes[code] = hook
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code in codes:
            return codes[frame.f_code]
    return None


def import_plugin(pm: FrictionscanPluginManager, modname: str, *, name: str | None = None,
                  origin: str) -> None:
    """Import ``modname`` and register it (the one path every plugin module goes through)."""
    name = name or modname
    if pm.is_blocked(name) or pm.is_blocked(modname) or pm.get_plugin(name) is not None:
        return
    try:
        module = importlib.import_module(modname)
    except (Exception, SystemExit) as exc:  # any import-time failure is the plugin's
        raise PluginError(f"cannot load plugin {name!r} ({origin}): "
                          f"{type(exc).__name__}: {exc}", plugin=name) from None
    pm.register_plugin(module, name, origin)


def _entry_points() -> Iterable[EntryPoint]:
    return entry_points(ENTRY_POINT_GROUP)


def build_plugin_manager(spec: PluginSpec) -> FrictionscanPluginManager:
    """A fresh manager with every plugin ``spec`` asks for, checked for unknown hooks."""
    pm = FrictionscanPluginManager()
    if os.environ.get("FRICTIONSCAN_DEBUG"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    for name in spec.blocked:
        pm.set_blocked(name)
        if name in BUILTIN_PLUGINS:
            pm.set_blocked(BUILTIN_PLUGINS[name])
    for name, modname in BUILTIN_PLUGINS.items():
        import_plugin(pm, modname, name=name, origin="builtin")
    autoload = spec.autoload and not os.environ.get("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD")
    if autoload:
        for ep in _entry_points():
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            dist = getattr(ep, "dist", None)
            origin = (f"entry point: {dist.name} {dist.version}" if dist is not None
                      else "entry point")
            try:
                plugin = ep.load()
            except (Exception, SystemExit) as exc:
                raise PluginError(f"cannot load plugin {ep.name!r} ({origin}): "
                                  f"{type(exc).__name__}: {exc}", plugin=ep.name) from None
            pm.register_plugin(plugin, ep.name, origin)
    for entry in spec.sys_path:  # last: the directory's other modules never shadow a library
        if entry not in sys.path:
            sys.path.append(entry)
    for modname in spec.extra:
        if modname in BUILTIN_PLUGINS:
            continue  # "-p git" asks for something already loaded
        import_plugin(pm, modname, origin="-p")
    for modname in spec.config_plugins:
        import_plugin(pm, modname, origin="config")
    for name, obj in spec.objects:
        pm.register_plugin(obj, name, "object")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {pm.get_name(exc.plugin)!r} implements an unknown hook: "
                          f"{exc}", plugin=pm.get_name(exc.plugin)) from None
    return pm


@dataclass(frozen=True, slots=True, kw_only=True)
class PluginInfo:
    """One line of ``frictionscan plugins``."""

    name: str
    module: str
    origin: str
    hooks: tuple[str, ...]


def describe_plugins(pm: FrictionscanPluginManager) -> tuple[PluginInfo, ...]:
    """Every registered plugin with the hooks it implements, in registration order."""
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        module = plugin.__name__ if isinstance(plugin, types.ModuleType) else \
            type(plugin).__module__ + "." + type(plugin).__qualname__
        hooks = tuple(sorted(h.name for h in (pm.get_hookcallers(plugin) or ())))
        infos.append(PluginInfo(name=name, module=module,
                                origin=pm.origins.get(name, "?"), hooks=hooks))
    return tuple(infos)
