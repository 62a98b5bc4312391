"""Hooks the *libcst* plugin defines for its own plugins."""

from __future__ import annotations

from collections.abc import Iterable

from frictionscan.api import hookspec


@hookspec
def frictionscan_libcst_rules() -> Iterable[type] | None:
    """Return rule classes (subclasses of :class:`frictionscan_libcst.rule.Rule`) to run.

    Every rule runs in the same single traversal of each file. Codes must be unique: a code
    offered twice is an error naming both rules. See docs/writing-rules.md.

    .. versionadded:: 0.1
    """
