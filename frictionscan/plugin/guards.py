"""What the plugin manager puts around some hook implementations as they register.

Every hook is called through pluggy, in one call, so that hook wrappers (``wrapper=True`` and
the old ``hookwrapper=True``), ``FRICTIONSCAN_DEBUG`` tracing and historic replay work for
every hook. Two things pluggy does not do are done here, once per implementation, when its
plugin registers (so nothing is added per call but one function call):

* **Per-file hooks** (:data:`PER_FILE_HOOKS`): one plugin raising on a file must cost only
  that plugin's results for that file, while pluggy stops a call at the first exception.
  Each implementation is *guarded*: it returns its answer as a list of checked values, and
  an exception it raises (or a value of the wrong type) becomes an
  :class:`~frictionscan.core.model.AnalysisError` naming the plugin and the hook. A wrapper
  therefore sees every plugin's answer, failures included as error values.
* **Options** (``frictionscan_addoption``): each implementation declares its options on
  behalf of its plugin, so :class:`~frictionscan.core.config.Option` names the plugin that
  declared it; an exception it raises becomes a
  :class:`~frictionscan.core.errors.PluginError` naming the plugin.

A guard replaces :attr:`pluggy.HookImpl.function` after pluggy has read the
implementation's argument names, and keeps the original as ``__wrapped__`` (so
:func:`inspect.unwrap` finds it). Wrappers are never guarded: they wrap the whole call.
"""

from __future__ import annotations

import functools
import inspect
import traceback
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

import pluggy

from frictionscan.core.errors import FrictionscanError, PluginError
from frictionscan.core.model import AnalysisError, ErrorKind, Finding, Measurement

#: Per-file hooks and the types of the values their implementations may return (besides
#: :class:`~frictionscan.core.model.AnalysisError`).
PER_FILE_HOOKS: dict[str, tuple[type, ...]] = {
    "frictionscan_measure_file": (Measurement,),
    "frictionscan_check_file": (Finding,),
}

OPTION_HOOK = "frictionscan_addoption"

_GUARDED = "__frictionscan_guarded__"


def flatten(value: Any) -> Iterable[Any]:
    """A collector hook's answer as items: ``None`` is none, an iterable its items (not a
    string or a dataclass), anything else itself."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)) or (
        isinstance(value, Iterable) and not isinstance(value, (str, bytes))
        and not hasattr(value, "__dataclass_fields__")
    ):
        return value
    return (value,)


def is_wrapper(impl: pluggy.HookImpl) -> bool:
    """Whether ``impl`` wraps the other implementations (new or old style)."""
    return bool(impl.wrapper or impl.hookwrapper)


def code_of(function: Callable[..., Any]) -> Any:
    """The code object that runs when ``function`` (perhaps guarded or decorated) is called."""
    return getattr(inspect.unwrap(function), "__code__", None)


def blame(exc: BaseException, impls: Iterable[pluggy.HookImpl]) -> str | None:
    """The name of the plugin among ``impls`` whose code raised ``exc`` (the innermost one:
    a wrapper that lets an implementation's exception through is not to blame), or ``None``.
    """
    codes = {code: impl.plugin_name for impl in impls
             if (code := code_of(impl.function)) is not None}
    blamed = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code in codes:
            blamed = codes[frame.f_code]
    return blamed


def _replace_function(impl: pluggy.HookImpl, function: Callable[..., Any]) -> None:
    # HookImpl.function is a plain attribute (``Final`` for type checkers only); pluggy
    # computed ``argnames`` from the original, and calls ``function(*args)`` with them
    object.__setattr__(impl, "function", function)


def guard_per_file(impl: pluggy.HookImpl, hook: str, allowed: tuple[type, ...]) -> None:
    """Make ``impl`` of per-file ``hook`` return a list of checked values and never raise."""
    function = impl.function
    plugin = impl.plugin_name
    expected = " or ".join(t.__name__ for t in allowed)

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> list[Any] | None:
        try:
            out: list[Any] = []
            for item in flatten(function(*args, **kwargs)):
                if isinstance(item, AnalysisError):
                    out.append(item if item.plugin else replace(item, plugin=plugin))
                elif isinstance(item, allowed):
                    out.append(item)
                else:
                    raise TypeError(f"returned {type(item).__name__}, expected {expected}")
        except Exception as exc:
            return [AnalysisError(kind=ErrorKind.PLUGIN, plugin=plugin, hook=hook,
                                  message=f"{type(exc).__name__}: {exc}")]
        return out or None

    setattr(guarded, _GUARDED, True)
    _replace_function(impl, guarded)


def guard_options(impl: pluggy.HookImpl,
                  on_behalf_of: Callable[[str], AbstractContextManager[None]]) -> None:
    """Make ``impl`` of ``frictionscan_addoption`` declare its options on behalf of its
    plugin, and name the plugin when it raises."""
    function = impl.function
    plugin = impl.plugin_name

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        with on_behalf_of(plugin):
            try:
                return function(*args, **kwargs)
            except FrictionscanError:
                raise
            except Exception as exc:
                raise PluginError(f"plugin {plugin!r} raised in {OPTION_HOOK}: "
                                  f"{type(exc).__name__}: {exc}", plugin=plugin,
                                  hook=OPTION_HOOK) from exc

    setattr(guarded, _GUARDED, True)
    _replace_function(impl, guarded)


def guard_plugin(pm: pluggy.PluginManager, plugin: object,
                 on_behalf_of: Callable[[str], AbstractContextManager[None]]) -> None:
    """Guard the implementations ``plugin`` (just registered) has of the guarded hooks."""
    for hook in (*PER_FILE_HOOKS, OPTION_HOOK):
        caller: pluggy.HookCaller | None = getattr(pm.hook, hook, None)
        if caller is None:
            continue
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin or is_wrapper(impl) or \
                    getattr(impl.function, _GUARDED, False):
                continue
            if hook == OPTION_HOOK:
                guard_options(impl, on_behalf_of)
            else:
                guard_per_file(impl, hook, PER_FILE_HOOKS[hook])
