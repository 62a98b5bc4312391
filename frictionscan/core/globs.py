"""Glob patterns over repository-relative POSIX paths, the same on every Python version.

* ``*`` matches within one path segment, ``?`` one character, ``[abc]`` a character class;
* ``**`` matches any number of whole segments (``src/**`` is everything below ``src``,
  ``**/test_*.py`` a test module at any depth);
* a pattern without ``/`` matches the file name at any depth (``*_pb2.py``), as in
  ``.gitignore``;
* a pattern ending in ``/`` matches everything below that directory (``build/``).

Patterns are relative to the repository's root: :func:`check_glob` rejects absolute ones
(``/etc/*``), ones that leave the repository (``../x``) and invalid character classes
(``[z-a]``), so that configuration errors are found before a scan starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


@functools.lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile one pattern into a regular expression over whole paths."""
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = pat[2:]
    if pat.endswith("/"):
        pat += "**"
    if "/" not in pat:
        pat = "**/" + pat
    pat = pat.lstrip("/")
    out: list[str] = []
    i = 0
    n = len(pat)
    while i < n:
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pat[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def check_glob(pattern: str) -> None:
    """Raise ValueError saying why ``pattern`` is not a repository-relative glob."""
    pat = pattern.strip()
    if not pat:
        raise ValueError("an empty pattern matches no file")
    if pat.startswith("/"):
        raise ValueError(f"{pattern!r} is an absolute path; patterns are relative to the "
                         f"repository's root (write {pat.lstrip('/')!r} for that folder "
                         f"at the root)")
    if ".." in pat.split("/"):
        raise ValueError(f"{pattern!r} leaves the repository; patterns are relative to the "
                         f"repository's root")
    try:
        compile_glob(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid glob: {exc.msg}") from None


def match_path(path: str, pattern: str) -> bool:
    """Whether the repository-relative ``path`` matches ``pattern``."""
    return compile_glob(pattern).match(path) is not None


@functools.lru_cache(maxsize=256)
def compile_globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression matching a path that matches any of ``patterns``."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{compile_glob(p).pattern})" for p in patterns))


def match_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` matches at least one of ``patterns``."""
    return compile_globs(tuple(patterns)).match(path) is not None
