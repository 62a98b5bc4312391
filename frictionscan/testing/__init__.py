"""Test helpers for frictionscan and its plugins.

* :class:`StreamBuilder` writes a ``git fast-import`` stream with fixed authors and dates, so
  the repository (and every SHA in it) is the same on every machine;
* :func:`build_repo` turns a stream into a repository with a checked-out work tree, with
  git's global and system configuration isolated;
* :func:`run_scan` runs the whole pipeline in-process and returns the
  :class:`~frictionscan.core.model.ScanResult`, with extra plugin objects registered the same way
  as any other plugin.

Example (see docs/writing-plugins.md)::

    from frictionscan.testing import StreamBuilder, build_repo, run_scan

    def test_my_plugin(tmp_path):
        s = StreamBuilder()
        s.commit("2025-01-01", "add app", {"app.py": "def f():\\n    return 1\\n"})
        repo = build_repo(s.text(), tmp_path / "repo")
        result = run_scan(repo, plugins=[MyPlugin()])
        assert result.hotspots[0].path == "app.py"
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from frictionscan.core.model import ScanResult
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec

__all__ = ["StreamBuilder", "build_repo", "git_env", "run_scan"]

DEFAULT_AUTHOR = ("Ada Lovelace", "ada@example.com")


def git_env(home: Path | None = None) -> dict[str, str]:
    """An environment for ``git`` that ignores the user's and the system's configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": DEFAULT_AUTHOR[0], "GIT_AUTHOR_EMAIL": DEFAULT_AUTHOR[1],
        "GIT_COMMITTER_NAME": DEFAULT_AUTHOR[0], "GIT_COMMITTER_EMAIL": DEFAULT_AUTHOR[1],
        "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
    })
    if home is not None:
        env["HOME"] = str(home)
    return env


def _timestamp(when: str | datetime) -> int:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp())


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


@dataclass
class StreamBuilder:
    """Builds a ``git fast-import`` stream commit by commit.

    ``files`` maps a path to its new content (``str`` or ``bytes``) or to ``None`` to delete
    it; ``renames`` maps old paths to new ones (applied before ``files``).
    """

    branch: str = "main"
    _parts: list[bytes] = field(default_factory=list)
    _mark: int = 0
    _heads: dict[str, int] = field(default_factory=dict)

    def commit(self, when: str | datetime, message: str,
               files: Mapping[str, str | bytes | None] | None = None, *,
               author: tuple[str, str] = DEFAULT_AUTHOR,
               renames: Mapping[str, str] | None = None, branch: str | None = None,
               merge: str | None = None, modes: Mapping[str, str] | None = None) -> int:
        """Add a commit; returns its mark. ``merge`` names a branch to merge in; ``modes``
        gives a path a file mode other than ``100644``: ``100755`` (executable), ``120000``
        (a symbolic link; the content is its target) or ``160000`` (a submodule; the content
        is the commit SHA)."""
        branch = branch or self.branch
        self._mark += 1
        ts = _timestamp(when)
        ident = f"{author[0]} <{author[1]}> {ts} +0000".encode()
        out = [b"commit refs/heads/" + branch.encode() + b"\n",
               b"mark :%d\n" % self._mark,
               b"author " + ident + b"\n", b"committer " + ident + b"\n",
               _data(message.encode())]
        if branch not in self._heads and self._heads:
            base = self._heads.get(self.branch)
            if base is not None:
                out.append(b"from :%d\n" % base)
        if merge is not None:
            out.append(b"merge :%d\n" % self._heads[merge])
        for old, new in (renames or {}).items():
            out.append(b'R "' + _quote(old) + b'" "' + _quote(new) + b'"\n')
        for path, content in (files or {}).items():
            if content is None:
                out.append(b'D "' + _quote(path) + b'"\n')
            else:
                payload = content.encode() if isinstance(content, str) else content
                mode = (modes or {}).get(path, "100644").encode()
                if mode == b"160000":
                    out.append(b"M 160000 " + payload + b' "' + _quote(path) + b'"\n')
                else:
                    out.append(b"M " + mode + b' inline "' + _quote(path) + b'"\n'
                               + _data(payload))
        self._parts.append(b"".join(out) + b"\n")
        self._heads[branch] = self._mark
        return self._mark

    def bytes(self) -> bytes:
        return b"".join(self._parts) + b"done\n"

    def text(self) -> str:
        return self.bytes().decode("utf-8", "surrogateescape")


def _quote(path: str) -> bytes:
    raw = path.encode("utf-8", "surrogateescape")
    return raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")


def build_repo(stream: str | bytes | Path, dest: Path, *, branch: str = "main",
               env: Mapping[str, str] | None = None) -> Path:
    """Create a repository at ``dest`` from a fast-import stream (text, bytes or a .fi file)
    and check out ``branch``. Returns ``dest``."""
    if isinstance(stream, Path):
        data = stream.read_bytes()
    elif isinstance(stream, str):
        data = stream.encode("utf-8", "surrogateescape")
    else:
        data = stream
    dest.mkdir(parents=True, exist_ok=True)
    genv = dict(env) if env is not None else git_env(dest.parent)

    def git(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run(["git", *args], cwd=dest, env=genv, input=stdin, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    git("init", "-q", "-b", branch)
    git("fast-import", "--quiet", "--done", stdin=data)
    git("checkout", "-q", "-f", branch)
    return dest


def run_scan(path: Path | str, *, plugins: Sequence[Any] = (), blocked: Iterable[str] = (),
             modules: Iterable[str] = (), overrides: Mapping[str, Any] | None = None,
             config_file: str | None = None, in_process: bool = True,
             autoload: bool = False, cache: bool = False, reach: int = 0,
             xray: bool = False) -> ScanResult:
    """Run a scan of the repository containing ``path`` and return the result.

    :param plugins: plugin objects (modules or instances) registered after the built-ins.
    :param blocked: plugin names to block, as ``-p no:NAME``.
    :param modules: plugin modules to import, as ``-p MODULE``.
    :param overrides: configuration values, as given on the command line.
    :param in_process: analyse files in this process (fast, no crash isolation); ``False``
        uses the worker pool exactly like the command line (plugin objects must pickle).
    :param autoload: also load installed plugins from entry points.
    :param cache: use the result cache (off by default, so tests see fresh results).
    :param reach: the report shows the first ``reach`` files only (as the terminal table
        does): the others are checked for findings only if these could bring them there.
    :param xray: give the files that reach the report their functions' history
        (``Hotspot.functions``; the first ``reach`` files, or 25, or all with
        ``overrides={"all_functions": True}``).
    """
    from frictionscan.engine.session import find_root

    root = find_root(Path(path))
    objects = tuple((getattr(p, "__name__", None) or type(p).__name__, p) for p in plugins)
    spec = PluginSpec(blocked=tuple(blocked), extra=tuple(modules), objects=objects,
                      autoload=autoload)
    session = Session.start(spec)
    config = session.configure(root, config_file=config_file,
                               overrides={"cache": cache, **(overrides or {})})
    return session.scan(config, Run(reach=reach, xray=xray), in_process=in_process)
