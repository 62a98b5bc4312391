"""The formatter type: how a :class:`~frictionscan.model.ScanResult` becomes output.

Plugins offer formatters through ``frictionscan_formatters``; ``--format NAME`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from frictionscan.config import Config
    from frictionscan.model import ScanResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Formatter:
    """An output format."""

    #: The ``--format`` value, e.g. ``"json"``.
    name: str
    #: One line for ``frictionscan scan --help``.
    description: str
    #: Writes ``result`` to ``stream``.
    write: Callable[[ScanResult, Config, TextIO], None]
    #: Whether this is the default on an interactive terminal (``table``) or elsewhere.
    default_on_terminal: bool = False
    default_elsewhere: bool = False


def printable(text: str) -> str:
    """``text`` safe to print or serialise: paths are decoded with ``surrogateescape``, so
    bytes that are not valid UTF-8 become U+FFFD here instead of raising on output."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
