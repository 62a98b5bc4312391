"""What a whole-run hook may keep between runs: a key-value store in frictionscan's cache.

The engine opens the cache, hands the hook a :class:`Store` for the duration of the call, and
closes it; the plugin never locates, opens or shares the cache itself, and nothing it keeps
can outlive ``cache clear`` or escape ``--no-cache`` (the hook then gets ``None``). Values are
text (a plugin's own JSON, say), never pickles: a cache inside a repository could be
committed by anyone, and reading it must not be a way to run code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Protocol

from frictionscan.core.model import Focus, History, SourceFile


class Store(Protocol):
    """A key-value store for one hook's implementations (keys are the plugin's to choose:
    put the plugin's name, version and every input that shapes the value in them)."""

    def get(self, key: str) -> str | None:
        """The text stored under ``key``, or ``None`` (never stored, or unreadable)."""

    def put(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key`` (silently not kept when the cache cannot be
        written: the engine reports that once)."""


def history_key(name: str, version: str, history: History, files: Sequence[SourceFile],
                focus: Focus, options: Sequence[Any]) -> str:
    """A :class:`Store` key for what a whole-run hook derives from the window's history: the
    plugin's ``name`` and ``version``, the history read (its head, "now", window and file
    set), the focus areas and the plugin's ``options``."""
    parts = [version, history.head, history.head_time.isoformat(),
             history.since.isoformat() if history.since else None, history.commits_in_window,
             [f.path for f in files], [(a.name, a.paths) for a in focus.areas], *options]
    return f"{name}:" + hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()
