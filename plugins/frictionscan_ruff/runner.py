"""Running ruff on one file's text (standard input: ruff never reads the working tree, so a
past revision is checked as it was) and reading its JSON diagnostics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from frictionscan.api import Finding, Span
from frictionscan_ruff.codes import BY_CODE, CODES

#: Seconds one ruff run may take (the worker's own per-file timeout still applies).
TIMEOUT = 60


class RuffError(Exception):
    """ruff could not check the file (one line saying why)."""


@lru_cache(maxsize=8)
def find_ruff(command: str) -> str | None:
    """The ruff executable: ``command`` on ``PATH``, else beside this Python (ruff installed
    with pip into the same virtualenv); ``None`` when there is none."""
    if not command:
        return None
    found = shutil.which(command)
    if found:
        return found
    beside = Path(sys.executable).parent / command
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return None


@lru_cache(maxsize=8)
def ruff_version(executable: str) -> str:
    """``0.17.6`` from ``ruff --version`` (part of the cache key: another ruff may find
    other things)."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True,
                             timeout=TIMEOUT, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.strip().rpartition(" ")[2] or "unknown"


def _command(executable: str, path: str, select: Sequence[str]) -> list[str]:
    # --isolated: the repository's ruff configuration is not read (the selection and
    # thresholds are frictionscan's, so that results depend only on the file and the cache
    # key holds); the file's own noqa comments still apply
    return [executable, "check", "--isolated", "--no-cache", "--select", ",".join(select),
            "--stdin-filename", path]


def _run(args: list[str], source: str, what: str) -> subprocess.CompletedProcess[bytes]:
    """ruff run on ``source`` (given on its standard input); :class:`RuffError` when it
    cannot run, takes too long or fails."""
    try:
        proc = subprocess.run(args, input=source.encode("utf-8", "surrogateescape"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RuffError(f"ruff took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise RuffError(f"cannot run ruff: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuffError(f"{what} failed (exit code {proc.returncode}): "
                        f"{lines[-1] if lines else 'no message'}")
    return proc


def check(executable: str, path: str, source: str) -> list[dict[str, Any]]:
    """ruff's diagnostics for ``source`` (the text of ``path``), of the codes in
    :data:`~frictionscan_ruff.codes.CODES`."""
    args = [*_command(executable, path, [c.code for c in CODES]), "--output-format", "json",
            "--exit-zero", "-"]
    proc = _run(args, source, "ruff")
    try:
        diagnostics = json.loads(proc.stdout or b"[]")
    except ValueError:
        raise RuffError("ruff's output is not JSON") from None
    return [d for d in diagnostics if isinstance(d, dict) and d.get("code") in BY_CODE]


def applicability(diagnostic: dict[str, Any]) -> str | None:
    """``"safe"``, ``"unsafe"`` or ``None`` (no fix, or one ruff only displays)."""
    fix = diagnostic.get("fix") or {}
    value = fix.get("applicability")
    return value if value in ("safe", "unsafe") else None


def finding(diagnostic: dict[str, Any]) -> Finding:
    """The diagnostic as a frictionscan finding (columns from 1-based to 0-based)."""
    info = BY_CODE[diagnostic["code"]]
    start = diagnostic.get("location") or {}
    end = diagnostic.get("end_location") or {}
    fix = applicability(diagnostic)
    return Finding(code=info.code, name=info.name,
                   message=str(diagnostic.get("message") or info.name).splitlines()[0],
                   span=Span(start_line=int(start.get("row") or 1),
                             start_col=max(int(start.get("column") or 1) - 1, 0),
                             end_line=int(end["row"]) if end.get("row") else None,
                             end_col=max(int(end["column"]) - 1, 0) if end.get("column")
                             else None),
                   effort_minutes=info.effort_minutes, fix_available=fix is not None,
                   fix_safe=fix == "safe")


def fixed(executable: str, path: str, source: str, select: Collection[str],
          unsafe: bool) -> str:
    """``source`` with ruff's fixes of the codes in ``select`` applied (unsafe ones too
    when ``unsafe``)."""
    args = [*_command(executable, path, sorted(select)), "--fix", "--exit-zero",
            *(["--unsafe-fixes"] if unsafe else []), "-"]
    return _run(args, source, "ruff --fix").stdout.decode("utf-8", "surrogateescape")
