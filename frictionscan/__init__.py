"""frictionscan: where your Python code hurts, and what to fix first.

The public API for plugin authors:

* :data:`hookimpl` to mark hook implementations (see :mod:`frictionscan.plugin.hookspecs`);
* the data types in :mod:`frictionscan.core.model`;
* :class:`frictionscan.core.config.Config` (passed to every hook) and
  :class:`frictionscan.core.text.Formatter`;
* helpers in :mod:`frictionscan.core.globs`, :mod:`frictionscan.core.durations` and
  :mod:`frictionscan.core.errors`;
* test helpers in :mod:`frictionscan.testing`.
"""

# No ``from __future__ import annotations`` here: it is an import too, and must not happen
# before the line below (``python -m frictionscan`` in a repository holding ``__future__.py``).
import sys

# ``python -m frictionscan``: sys.argv[0] is "-m" while this package is imported to find
# ``__main__``, and Python has put the current directory first on sys.path (unless -P, -I or
# PYTHONSAFEPATH). Run inside a repository, its ``pluggy.py``, ``radon.py`` or ``json.py``
# would replace the real module: the analysed code must never run, so the entry goes before
# anything else is imported (docs/cli.md#safety).
if getattr(sys, "argv", [])[:1] == ["-m"] and sys.path and not (
        sys.flags.isolated or getattr(sys.flags, "safe_path", False)):
    del sys.path[0]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``frictionscan.hookimpl``: an alias of :data:`frictionscan.api.hookimpl` kept for
    plugins written against 0.1."""
    if name == "hookimpl":
        from frictionscan.plugin.markers import hookimpl

        return hookimpl
    raise AttributeError(f"module 'frictionscan' has no attribute {name!r}")


__all__ = ["__version__"]
