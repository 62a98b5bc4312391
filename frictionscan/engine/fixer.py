"""``frictionscan fix``: apply the plugins' quick fixes, as a diff or in place.

* Without ``--apply`` nothing is written: the changes are printed as a unified diff. Into
  a file or a pipe it is written as bytes, exactly what ``--apply`` would change (the file's
  encoding, byte order mark and line endings kept, lines split at ``\n`` only), so that
  ``git apply`` takes it; on a terminal it is shown as text.
* With ``--apply`` each changed file is written atomically (a temporary file in the same
  directory, renamed over the original, permissions kept), in its original encoding and
  line endings.
* Files with uncommitted changes are skipped unless ``--force``, so a fix never mixes with
  work in progress and ``git diff`` shows exactly what the fix did.
* Unsafe fixes (which may change behaviour) are only applied with ``--unsafe``.
* A symbolic link is not followed: it is listed as skipped.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import stat
import tempfile
import tokenize
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from frictionscan.core.config import Config
from frictionscan.core.errors import UsageError
from frictionscan.core.model import (
    AnalysisError,
    ErrorKind,
    FixResult,
    ScanResult,
    SourceFile,
)
from frictionscan.core.run import Run
from frictionscan.core.text import printable, terminal_safe
from frictionscan.plugin.hooks import HookCalls


@dataclass
class FixSummary:
    files_changed: int = 0
    fixes: int = 0
    unsafe_skipped: int = 0
    skipped: list[str] = field(default_factory=list)


def select_files(hooks: HookCalls, root: Path, config: Config,
                 targets: Sequence[Path]) -> list[SourceFile]:
    """The analysable files of the repository at or below ``targets``."""
    prefixes = []
    for target in targets:
        if not target.exists():
            raise UsageError(f"path {target} does not exist")
        try:
            rel = target.resolve().relative_to(root)
        except ValueError:
            raise UsageError(f"{target} is not inside the repository at {root}") from None
        prefixes.append("" if str(rel) == "." else rel.as_posix())
    files = [f for f in hooks.collect_files(root, config, Run())
             if not hooks.ignore_file(f, config)]
    return [f for f in files
            if any(p == "" or f.path == p or f.path.startswith(p + "/") for p in prefixes)]


def _decode(data: bytes) -> tuple[str, str]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def _lines(data: bytes) -> list[bytes]:
    """``data`` split after each ``\n`` (git's lines: a lone ``\r`` or a form feed is part
    of a line); the last line may lack its ``\n``."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


#: Bytes git writes quoted in a path (C-style, the whole name in double quotes).
_NEEDS_QUOTES = re.compile(rb'[\x00-\x1f"\\\x7f]')
_C_ESCAPES = {ord("\a"): b"\\a", ord("\b"): b"\\b", ord("\t"): b"\\t", ord("\n"): b"\\n",
              ord("\v"): b"\\v", ord("\f"): b"\\f", ord("\r"): b"\\r", ord('"'): b'\\"',
              ord("\\"): b"\\\\"}


def _patch_name(prefix: str, path: str) -> bytes:
    """``a/path`` as git writes it in a patch header: quoted when it holds control
    characters, a double quote or a backslash."""
    name = (prefix + path).encode("utf-8", "surrogateescape")
    if not _NEEDS_QUOTES.search(name):
        return name
    out = b"".join(_C_ESCAPES.get(c) or (b"\\%03o" % c if c < 0x20 or c == 0x7F
                                           else bytes((c,))) for c in name)
    return b'"' + out + b'"'


def unified_diff(path: str, old: bytes, new: bytes) -> bytes:
    """A unified diff from ``old`` to ``new`` (the bytes of the file at ``path``) that
    ``git apply`` and ``patch -p1`` take: bytes as they are, and ``\\ No newline at end of
    file`` after a last line without one."""
    out = []
    for line in difflib.diff_bytes(difflib.unified_diff, _lines(old), _lines(new),
                                   fromfile=_patch_name("a/", path),
                                   tofile=_patch_name("b/", path)):
        out.append(line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n")
    return b"".join(out)


def _write_diff(stdout: TextIO, path: str, old: bytes, new: bytes, old_text: str,
                new_text: str) -> None:
    """The diff as bytes into a file or a pipe (for ``git apply``), as text on a terminal
    or into a text-only stream."""
    buffer: Any = getattr(stdout, "buffer", None)
    if buffer is not None and not stdout.isatty():
        stdout.flush()
        buffer.write(unified_diff(path, old, new))
        buffer.flush()
        return
    stdout.writelines(printable(line) for line in difflib.unified_diff(
        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}"))


def _write_atomically(path: Path, data: bytes) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".frictionscan-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class FixPlan:
    """Which files ``fix`` reads, from a scan of them (checked for findings)."""

    #: The files that may change: a finding with a fix that applies (safe ones; unsafe ones
    #: too with ``--unsafe``), or an error to report (a file that does not parse is listed
    #: as skipped, as before), or no checked result.
    read: frozenset[str]
    #: Unsafe fixes left out in the files not read (the fixer counts those of the others).
    unsafe_elsewhere: int


def _unknown(error: AnalysisError) -> bool:
    """Whether ``error`` leaves the file's fixes unknown, or is one ``fix`` reports (the
    file does not parse, cannot be read): then the file is read. Not for a skipped file
    (binary, generated: ``fix`` leaves generated code alone, as the scan does), a note, or a
    plugin that raised while measuring (the checks ran)."""
    if error.kind is ErrorKind.PLUGIN:
        return error.hook != "frictionscan_measure_file"
    return error.kind not in (ErrorKind.SKIPPED, ErrorKind.NOTE)


def plan_fixes(result: ScanResult, codes: frozenset[str], unsafe: bool,
               skipped: Collection[str] = ()) -> FixPlan:
    """The :class:`FixPlan` for ``result`` (``skipped``: files left alone whatever they
    hold, such as those with uncommitted changes). Suppressed findings count: the fixes
    apply to them too."""
    read, left = set(), 0
    for h in result.hotspots:
        a = h.analysis
        if h.path in skipped:
            continue
        fixes = [f for f in (*a.findings, *a.suppressed)
                 if f.fix_available and (not codes or f.code in codes)]
        if (not a.checked or any(_unknown(e) for e in a.errors)
                or any(unsafe or f.fix_safe for f in fixes)):
            read.add(h.path)
        else:
            left += len(fixes)
    return FixPlan(read=frozenset(read), unsafe_elsewhere=left)


def run_fix(hooks: HookCalls, root: Path, config: Config, targets: Sequence[Path], *,
            codes: frozenset[str], apply: bool, unsafe: bool, force: bool,
            stdout: TextIO, stderr: TextIO, files: Sequence[SourceFile] | None = None,
            only: Collection[str] | None = None) -> FixSummary:
    """Fix ``files`` (default: those at or below ``targets``); with ``only``, read only the
    files it names (:func:`plan_fixes`: the others have nothing to fix)."""
    summary = FixSummary()
    if files is None:
        files = select_files(hooks, root, config, targets)
    changed = frozenset() if force else hooks.changed_files(root, config)
    for file in files:
        if file.path in changed:
            summary.skipped.append(f"{file.path}: uncommitted changes (commit or stash them, "
                                   f"or use --force)")
            continue
        path = root / file.path
        if path.is_symlink():
            summary.skipped.append(f"{file.path}: symbolic link; not followed")
            continue
        if only is not None and file.path not in only:
            continue
        try:
            data = path.read_bytes()
            text, encoding = _decode(data)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            summary.skipped.append(f"{file.path}: cannot read: {exc}")
            continue
        if b"\0" in data[:8192]:
            continue
        result: FixResult = hooks.fix_file(file, text, config, codes, unsafe)
        summary.unsafe_skipped += len(result.skipped_unsafe)
        if result.error:
            summary.skipped.append(f"{file.path}: {result.error}")
            continue
        if result.source == text:
            continue
        summary.files_changed += 1
        summary.fixes += len(result.applied)
        for fix in result.applied:
            stderr.write(terminal_safe(f"{file.path}:{fix.line}: {fix.code} {fix.message}")
                         + "\n")
        new = result.source.encode(encoding)
        if apply:
            try:
                _write_atomically(path, new)
            except OSError as exc:
                raise UsageError(f"cannot write {file.path}: {exc.strerror or exc}") from None
        else:
            _write_diff(stdout, file.path, data, new, text, result.source)
    return summary
