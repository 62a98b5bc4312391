"""Per-process state of the libcst plugin (the manager in use and its rules)."""

from __future__ import annotations

#: The manager this process runs under, and the rules it offers (collected on first use).
#: Per-file hooks do not receive the manager, and every process (the main one for
#: in-process scans, each worker otherwise) builds a fresh one per scan, so the most
#: recently built manager is the one in use.
current: dict[str, object] = {}
