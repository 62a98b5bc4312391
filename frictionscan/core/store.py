"""What a whole-run hook may keep between runs: a key-value store in frictionscan's cache.

The engine opens the cache, hands the hook a :class:`Store` for the duration of the call, and
closes it; the plugin never locates, opens or shares the cache itself, and nothing it keeps
can outlive ``cache clear`` or escape ``--no-cache`` (the hook then gets ``None``). Values are
text (a plugin's own JSON, say), never pickles: a cache inside a repository could be
committed by anyone, and reading it must not be a way to run code.
"""

from __future__ import annotations

from typing import Protocol


class Store(Protocol):
    """A key-value store for one hook's implementations (keys are the plugin's to choose:
    put the plugin's name, version and every input that shapes the value in them)."""

    def get(self, key: str) -> str | None:
        """The text stored under ``key``, or ``None`` (never stored, or unreadable)."""

    def put(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key`` (silently not kept when the cache cannot be
        written: the engine reports that once)."""
