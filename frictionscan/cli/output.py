"""Where a report goes, and what to say when it cannot get there.

A report that cannot be written is the environment's problem, not a bug: a full disk or an
I/O error while writing is :class:`~frictionscan.core.errors.OutputError` (exit code 6); an ``-o``
target that cannot be written at all (no permission, a read-only or virtual file system) is a
usage error (exit code 2). Both are one line that says why.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from frictionscan.core.errors import FrictionscanError, OutputError, UsageError

#: Failures while writing: the target was fine, the writing was not.
WRITE_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF")
    if hasattr(errno, name))


def _mount_point(path: Path) -> tuple[str, str] | None:
    """``(mount point, file system type)`` of ``path`` from ``/proc/self/mounts`` (Linux), or
    ``None`` where that is unknown."""
    try:
        lines = Path("/proc/self/mounts").read_text(encoding="utf-8",
                                                     errors="replace").splitlines()
    except OSError:
        return None
    best: tuple[str, str] | None = None
    target = str(path)
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, fields[2])
    return best


#: File systems whose directories hold no regular files a report could go to.
VIRTUAL_FILE_SYSTEMS = frozenset({"proc", "sysfs", "cgroup", "cgroup2", "debugfs", "tracefs",
                                  "securityfs", "configfs", "pstore", "bpf", "efivarfs",
                                  "devpts", "mqueue", "hugetlbfs", "fusectl", "binfmt_misc"})


def reason(exc: OSError, directory: Path | None = None) -> str:
    """Why writing failed, in words that are true for the target (``No such file or
    directory`` from ``/proc`` means that the file system makes no new files there)."""
    code = exc.errno
    if directory is not None and code in (errno.ENOENT, errno.EACCES, errno.EPERM,
                                          errno.EINVAL):
        mount = _mount_point(directory.resolve())
        if mount and mount[1] in VIRTUAL_FILE_SYSTEMS:
            return (f"{mount[0]} is a virtual file system ({mount[1]}), where no report can "
                    f"be written")
        if code == errno.ENOENT and directory.is_dir():
            return f"no new file can be created in {directory}"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EROFS:
        return "read-only file system"
    return exc.strerror or str(exc)


def write_failure(output: str, exc: OSError, directory: Path | None = None
                  ) -> FrictionscanError:
    """The one-line error for ``-o output`` failing with ``exc``."""
    message = f"cannot write {output}: {reason(exc, directory)}"
    if exc.errno in WRITE_ERRNOS:
        return OutputError(message)
    return UsageError(message)


class GuardedStream:
    """A text stream whose failures are one-line errors, not tracebacks: writing to standard
    output that is full (``> /dev/full``), broken (an I/O error) or closed (``>&-``) raises
    :class:`OutputError`; a reader that went away (``| head``) stays ``BrokenPipeError``.
    With ``quiet``, failures are ignored instead (standard error: nowhere left to say
    anything)."""

    def __init__(self, stream: TextIO | None, name: str, *, quiet: bool = False) -> None:
        self._stream = stream
        self._name = name
        self._quiet = quiet
        #: A write or flush failed: what is still buffered can never be written.
        self.failed = False

    def _fail(self, exc: OSError | None) -> None:
        self.failed = True
        if self._quiet:
            return
        if isinstance(exc, BrokenPipeError):
            raise exc
        why = "it is closed" if exc is None else (exc.strerror or str(exc))
        raise OutputError(f"cannot write to {self._name}: {why}") from None

    def write(self, text: str) -> int:
        if self._stream is None:
            self._fail(None)
            return 0
        try:
            return self._stream.write(text)
        except OSError as exc:
            self._fail(exc)
            return 0

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            self._fail(exc)
        except ValueError:  # flush of a closed file
            self._fail(None)

    def isatty(self) -> bool:
        try:
            return self._stream is not None and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def discard_stdout() -> None:
    """Point the process's standard output at ``/dev/null``, so that what is still buffered
    in ``sys.stdout`` after a failed write does not fail again (with a traceback and exit code
    120) when the interpreter flushes it at exit. Recommended by the Python documentation
    for ``SIGPIPE``."""
    try:
        if sys.stdout is None:
            return
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)
