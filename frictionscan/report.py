"""The formatter type: how a :class:`~frictionscan.model.ScanResult` becomes output.

Plugins offer formatters through ``frictionscan_formatters``; ``--format NAME`` picks one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from frictionscan.config import Config


@dataclass(frozen=True, slots=True, kw_only=True)
class Formatter:
    """An output format."""

    #: The ``--format`` value, e.g. ``"json"``.
    name: str
    #: One line for ``frictionscan scan --help``.
    description: str
    #: Writes ``result`` to ``stream``: a ``ScanResult`` for the ``scan`` view, a
    #: :class:`frictionscan.plan.Plan` for the ``plan`` view.
    write: Callable[[Any, Config, TextIO], None]
    #: Whether this is the default on an interactive terminal (``table``) or elsewhere.
    default_on_terminal: bool = False
    default_elsewhere: bool = False
    #: Which command it serves: ``"scan"`` or ``"plan"``.
    view: str = "scan"
    #: How many of the first-ranked files it shows when ``--top`` is not given (``None``:
    #: all). The files that cannot reach them are not checked for findings
    #: (``frictionscan_prune_checks``), so their ranks are lower bounds.
    shows_top: int | None = None


def printable(text: str) -> str:
    """``text`` safe to print or serialise: paths are decoded with ``surrogateescape``, so
    bytes that are not valid UTF-8 become U+FFFD here instead of raising on output."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


#: Characters that mean something inline in GitHub Markdown (``#``, ``+``, ``-`` and digits
#: only matter at the start of a line, where repository text never goes).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_escape(text: str) -> str:
    """Repository text made inert in Markdown (GitHub flavour): HTML is escaped, Markdown
    punctuation is backslash-escaped, ``@`` cannot mention anyone and line breaks cannot
    break a table."""
    text = printable(text).replace("\r", " ").replace("\n", " ")
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")
