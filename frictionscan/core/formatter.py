"""The formatter type: how a view's result becomes output.

Plugins offer formatters through ``frictionscan_formatters``; ``--format NAME`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from frictionscan.core.config import Config


@dataclass(frozen=True, slots=True, kw_only=True)
class Formatter:
    """An output format."""

    #: The ``--format`` value, e.g. ``"json"``.
    name: str
    #: One line for the command's ``--help`` (``frictionscan scan --help``).
    description: str
    #: Writes ``result`` to ``stream``: a ``ScanResult`` for the ``scan`` view, a
    #: :class:`~frictionscan.views.plan.Plan` for ``plan``, a
    #: :class:`~frictionscan.views.ci.CiReport` for ``ci``, an
    #: :class:`~frictionscan.views.explain.Explanation` for ``explain``, and the report
    #: dict of docs/backtest.md for ``backtest``.
    write: Callable[[Any, Config, TextIO], None]
    #: Whether this is the default on an interactive terminal (``table``) or elsewhere.
    default_on_terminal: bool = False
    default_elsewhere: bool = False
    #: Which command it serves: ``"scan"``, ``"plan"``, ``"ci"``, ``"explain"`` or
    #: ``"backtest"``; ``--format`` offers only the command's own.
    view: str = "scan"
    #: How many of the first-ranked files it shows when ``--top`` is not given (``None``:
    #: all). The files that cannot reach them are not checked for findings
    #: (``frictionscan_prune_checks``), so their ranks are lower bounds.
    shows_top: int | None = None
