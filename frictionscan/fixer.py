"""``frictionscan fix``: apply the plugins' quick fixes, as a diff or in place.

* Without ``--apply`` nothing is written: the changes are printed as a unified diff.
* With ``--apply`` each changed file is written atomically (a temporary file in the same
  directory, renamed over the original, permissions kept), in its original encoding and
  line endings.
* Files with uncommitted changes are skipped unless ``--force``, so a fix never mixes with
  work in progress and ``git diff`` shows exactly what the fix did.
* Unsafe fixes (which may change behaviour) are only applied with ``--unsafe``.
"""

from __future__ import annotations

import difflib
import io
import os
import stat
import tempfile
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from frictionscan.config import Config
from frictionscan.errors import UsageError
from frictionscan.hooks import HookCalls
from frictionscan.model import FixResult, SourceFile
from frictionscan.report import printable, terminal_safe


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
    files = [f for f in hooks.collect_files(root, config) if not hooks.ignore_file(f, config)]
    return [f for f in files
            if any(p == "" or f.path == p or f.path.startswith(p + "/") for p in prefixes)]


def _decode(data: bytes) -> tuple[str, str]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


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


def run_fix(hooks: HookCalls, root: Path, config: Config, targets: Sequence[Path], *,
            codes: frozenset[str], apply: bool, unsafe: bool, force: bool,
            stdout: TextIO, stderr: TextIO) -> FixSummary:
    summary = FixSummary()
    files = select_files(hooks, root, config, targets)
    changed = frozenset() if force else hooks.changed_files(root, config)
    for file in files:
        if file.path in changed:
            summary.skipped.append(f"{file.path}: uncommitted changes (commit or stash them, "
                                   f"or use --force)")
            continue
        path = root / file.path
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
        if apply:
            try:
                _write_atomically(path, result.source.encode(encoding))
            except OSError as exc:
                raise UsageError(f"cannot write {file.path}: {exc.strerror or exc}") from None
        else:
            stdout.writelines(printable(line) for line in difflib.unified_diff(
                text.splitlines(keepends=True), result.source.splitlines(keepends=True),
                fromfile=f"a/{file.path}", tofile=f"b/{file.path}"))
    return summary
