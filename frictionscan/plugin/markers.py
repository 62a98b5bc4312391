"""The pluggy markers of the ``frictionscan`` project name.

``hookimpl`` marks a plugin's hook implementations (``@hookimpl``, ``@hookimpl(trylast=True)``,
``@hookimpl(wrapper=True)``); ``hookspec`` marks specifications, the core's in
:mod:`frictionscan.plugin.hookspecs` and a plugin's own (for hooks that plugin's plugins
implement, added in ``frictionscan_addhooks``). Plugins import both from
:mod:`frictionscan.api`.
"""

from __future__ import annotations

import pluggy

#: The project name every marker, specification and plugin manager shares.
PROJECT = "frictionscan"

#: Marker for hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Marker for hook specifications.
hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]
