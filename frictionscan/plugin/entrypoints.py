"""The ``frictionscan`` entry points of the installed distributions, remembered between runs.

Importing :mod:`importlib.metadata` and reading every distribution's metadata costs about
30 ms per run, a tenth of a warm scan. The answer only changes when something is installed
or removed, and every install or uninstall adds or deletes a ``*.dist-info`` directory, which
changes the modification time of the directory on ``sys.path`` that holds it. So the entry
points found are stored in the user's cache directory under a key made of the interpreter,
``sys.path`` and the modification time of each of its entries (and of each plugin's
``entry_points.txt``); any change there reads :mod:`importlib.metadata` again.

Set ``FRICTIONSCAN_NO_ENTRY_POINT_CACHE=1`` to always read it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_KEEP = 16


@dataclass(frozen=True, slots=True)
class Distribution:
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """What :class:`importlib.metadata.EntryPoint` gives the manager: a name, the
    distribution that declares it and a way to load it."""

    name: str
    value: str
    dist: Distribution | None = None

    def load(self) -> Any:
        """Import the module of ``module:attr.attr`` and look the attributes up."""
        module, _, attrs = self.value.partition(":")
        obj: Any = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            obj = getattr(obj, attr)
        return obj


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "frictionscan" / "entry-points.json"


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _key(group: str) -> str:
    state = [sys.executable, sys.version, group]
    state += [f"{entry}\0{_mtime(entry or '.')}" for entry in sys.path]
    return hashlib.sha1("\n".join(state).encode("utf-8", "surrogateescape")).hexdigest()


def _read_metadata(group: str) -> list[dict[str, Any]]:
    from importlib import metadata

    found = []
    for ep in metadata.entry_points(group=group):
        dist = getattr(ep, "dist", None)
        files = []
        if dist is not None:
            located = getattr(dist, "_path", None)  # the *.dist-info directory, when on disk
            if located is not None:
                files.append(str(Path(str(located)) / "entry_points.txt"))
        found.append({"name": ep.name, "value": ep.value,
                      "dist": [dist.name, dist.version] if dist is not None else None,
                      "files": [[f, _mtime(f)] for f in files]})
    return found


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group``, sorted by name."""
    use_cache = not os.environ.get("FRICTIONSCAN_NO_ENTRY_POINT_CACHE")
    key = _key(group) if use_cache else ""
    found: list[dict[str, Any]] | None = None
    stored: dict[str, Any] = {}
    if use_cache:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            stored = dict(json.loads(_cache_file().read_text(encoding="utf-8")))
            entry = stored.get(key)
            if entry is not None and all(_mtime(f) == m for e in entry for f, m in e["files"]):
                found = entry
    if found is None:
        found = _read_metadata(group)
        if use_cache:
            # one entry per interpreter and sys.path (python -m from several directories,
            # the console script, several virtual environments), the newest few kept
            keep = {k: v for k, v in list(stored.items())[-(_KEEP - 1):]
                    if k != key and isinstance(v, list)}
            with contextlib.suppress(OSError):
                path = _cache_file()
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps({**keep, key: found}), encoding="utf-8")
                os.replace(tmp, path)
    return sorted((EntryPoint(name=e["name"], value=e["value"],
                              dist=Distribution(*e["dist"]) if e["dist"] else None)
                   for e in found), key=lambda ep: ep.name)
