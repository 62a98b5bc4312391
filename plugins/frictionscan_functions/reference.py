"""The brute-force reference the X-ray is checked against (tests/test_xray.py,
benchmarks/bench_xray.py): parse every version of a file, diff each function's text.

Independent of the hunk walk: it reads no diff. The commits that touched the file are
listed with ``git rev-list --topo-order --parents`` (git's simplified history, renames
followed by content); every version is read from git objects and parsed with :mod:`ast`
(cached by blob); a function is followed from a version to its parent by its qualified
name, else (renamed) by the most similar unmatched function of the parent (difflib ratio
of the bodies at least :data:`SIMILAR`). A commit that is not a merge changed a function
when the function's text (``def`` line to last line) differs from its parent's, or the
function is new. Slow by design: for checks, not for scans.
"""

from __future__ import annotations

import ast
import difflib
import subprocess
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

#: How alike two bodies must be for a function of another name to be the same one renamed.
SIMILAR = 0.5


@dataclass
class ReferenceHistory:
    """One current function as the reference sees it."""

    commits: set[str] = field(default_factory=set)
    added: int = 0
    deleted: int = 0
    authors: set[str] = field(default_factory=set)


#: qualified name -> (first line, last line, text)
Functions = dict[str, tuple[int, int, str]]


def _defs(body: list[ast.stmt], prefix: str, in_function: bool
          ) -> Iterator[tuple[str, ast.AST]]:
    """Functions with radon's qualified names: ``Class.method``, ``outer.inner``."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            yield name, node
            yield from _defs(_statements(node.body), name + ".", True)
        elif isinstance(node, ast.ClassDef):
            if not in_function:
                yield from _defs(node.body, prefix + node.name + ".", False)
        else:
            yield from _defs(_statements([node], nested_only=True), prefix, in_function)


def _statements(body: list[ast.stmt], nested_only: bool = False) -> list[ast.stmt]:
    """``body``, or (``nested_only``) the statements inside a compound statement."""
    if not nested_only:
        return body
    out: list[ast.stmt] = []
    for node in body:
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                out += inner
        for handler in getattr(node, "handlers", ()):
            out += handler.body
        for case in getattr(node, "cases", ()):
            out += case.body
    return out


def functions_of(source: str) -> Functions:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    lines = source.splitlines()
    out: Functions = {}
    for name, node in _defs(tree.body, "", False):
        start, end = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        out[unique(name, out)] = (start, end, "\n".join(lines[start - 1:end]))
    return out


def unique(name: str, taken: Collection[str]) -> str:
    """``name``, or ``name#2``, ``name#3``... for the second and later definitions of the
    same name (``@overload`` stubs, a property's getter and setter), in order of lines."""
    if name not in taken:
        return name
    n = 2
    while f"{name}#{n}" in taken:
        n += 1
    return f"{name}#{n}"


def by_name(functions: Iterable[Any]) -> dict[str, Any]:
    """Records with a ``name`` and a ``span`` (:class:`FunctionHistory`), keyed as
    :func:`functions_of` keys functions."""
    out: dict[str, Any] = {}
    for f in sorted(functions, key=lambda f: f.span.start_line):
        out[unique(f.name, out)] = f
    return out


class _Objects:
    """One ``git cat-file --batch`` for every read."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.parsed: dict[str, Functions] = {}

    def read(self, spec: str) -> tuple[str, bytes] | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            if len(header) >= 3:
                self.proc.stdout.read(int(header[2]) + 1)
            return None
        data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
        return header[0].decode(), data

    def functions(self, commit: str, path: str) -> Functions | None:
        found = self.read(f"{commit}:{path}")
        if found is None:
            return None
        sha, data = found
        if sha not in self.parsed:
            self.parsed[sha] = functions_of(data.decode("utf-8", "replace"))
        return self.parsed[sha]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True,
                          text=True).stdout


def _renamed_from(root: Path, parent: str, commit: str, path: str) -> str | None:
    out = _git(root, "diff", "-M", "--name-status", "-z", parent, commit)
    parts = out.split("\0")
    i = 0
    while i < len(parts) - 1:
        status = parts[i]
        if status.startswith(("R", "C")):
            if parts[i + 2] == path and status.startswith("R"):
                return parts[i + 1]
            i += 3
        else:
            i += 2
    return None


def _match(child: Functions, parent: Functions) -> dict[str, str]:
    """child name -> parent name: the same name, else the most similar body."""
    pairs = {n: n for n in child if n in parent}
    left = [n for n in child if n not in pairs]
    free = [n for n in parent if n not in child]
    scored = []
    for c in left:
        body_c = child[c][2].splitlines()[1:]
        for p in free:
            ratio = difflib.SequenceMatcher(None, body_c, parent[p][2].splitlines()[1:],
                                            autojunk=False).ratio()
            if ratio >= SIMILAR:
                scored.append((-ratio, c, p))
    taken: set[str] = set()
    for _, c, p in sorted(scored):
        if c not in pairs and p not in taken:
            pairs[c] = p
            taken.add(p)
    return pairs


def _line_changes(old: str, new: str) -> tuple[int, int]:
    added = deleted = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old.splitlines(),
                                                      new.splitlines(),
                                                      autojunk=False).get_opcodes():
        if op != "equal":
            deleted += i2 - i1
            added += j2 - j1
    return added, deleted


def reference_history(root: Path, path: str, *, head: str = "HEAD",
                      since: datetime | None = None,
                      former_paths: tuple[str, ...] = ()) -> dict[str, ReferenceHistory]:
    """Per function of ``path`` at ``head``, the commits (full ids) that changed it."""
    bound = [f"--since={since.isoformat()}"] if since is not None else []
    listing = _git(root, "rev-list", "--topo-order", "--parents", *bound, head, "--",
                   path, *former_paths).split("\n")
    authors = dict(line.split("\0", 1) for line in _git(
        root, "log", "--format=%H%x00%aN", *bound, head, "--", path,
        *former_paths).splitlines() if "\0" in line)
    objects = _Objects(root)
    try:
        head_sha = _git(root, "rev-parse", f"{head}^{{commit}}").strip()
        now = objects.functions(head_sha, path) or {}
        out = {name: ReferenceHistory() for name in now}
        # per commit: (path there, its function names -> current names)
        names: dict[str, tuple[str, dict[str, str]]] = {}
        first = True
        for line in listing:
            ids = line.split()
            if not ids:
                continue
            commit, parents = ids[0], ids[1:]
            held = names.pop(commit, None)
            if held is None and first:
                held = (path, {n: n for n in now})
            first = False
            if held is None:
                continue
            where, mine = held
            funcs = objects.functions(commit, where)
            if funcs is None:
                continue
            for parent in parents:
                there = where
                before = objects.functions(parent, where)
                if before is None:
                    there = _renamed_from(root, parent, commit, where) or ""
                    before = objects.functions(parent, there) if there else None
                pairs = _match(funcs, before) if before is not None else {}
                if before is not None:
                    kept = names.setdefault(parent, (there, {}))
                    if kept[0] == there:
                        for c, p in pairs.items():
                            if c in mine:
                                kept[1].setdefault(p, mine[c])
                if len(parents) > 1:
                    continue
                for c, current in mine.items():
                    if c not in funcs:
                        continue
                    old = before[pairs[c]][2] if before is not None and c in pairs else ""
                    if old != funcs[c][2]:
                        h = out[current]
                        h.commits.add(commit)
                        a, d = _line_changes(old, funcs[c][2])
                        h.added += a
                        h.deleted += d
                        h.authors.add(authors.get(commit, ""))
            if not parents:  # a root commit: everything in it is new
                for c, current in mine.items():
                    if c in funcs:
                        h = out[current]
                        h.commits.add(commit)
                        h.added += funcs[c][2].count("\n") + 1
                        h.authors.add(authors.get(commit, ""))
    finally:
        objects.close()
    return out


def agreement(mine: dict[str, set[str]], reference: dict[str, ReferenceHistory]
              ) -> dict[str, float]:
    """How far two answers agree: ``mine`` maps each function to the commits (ids or
    their 12-character prefixes) it says changed it. Pairs (function, commit): precision
    and recall of ``mine`` against the reference; functions whose commits agree exactly."""
    ours = {(f, c[:12]) for f, cs in mine.items() for c in cs}
    theirs = {(f, c[:12]) for f, h in reference.items() for c in h.commits}
    both = len(ours & theirs)
    same = sum(1 for f, h in reference.items()
               if {c[:12] for c in h.commits} == {c[:12] for c in mine.get(f, set())})
    return {"pairs": len(theirs), "found": len(ours),
            "precision": both / len(ours) if ours else 1.0,
            "recall": both / len(theirs) if theirs else 1.0,
            "functions": len(reference), "functions_exact": same}
