"""frictionscan: where your Python code hurts, and what to fix first.

The public API for plugin authors:

* :data:`hookimpl` to mark hook implementations (see :mod:`frictionscan.hookspecs`);
* the data types in :mod:`frictionscan.model`;
* :class:`frictionscan.config.Config` (passed to every hook) and
  :class:`frictionscan.report.Formatter`;
* helpers in :mod:`frictionscan.globs`, :mod:`frictionscan.durations` and
  :mod:`frictionscan.errors`;
* test helpers in :mod:`frictionscan.testing`.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Marker for hook implementations: ``@frictionscan.hookimpl``.
hookimpl = pluggy.HookimplMarker("frictionscan")

__all__ = ["__version__", "hookimpl"]
