"""Where a report goes, and what to say when it cannot get there.

:func:`emit` writes a report to standard output or to ``-o FILE`` (checked before a long scan
by :func:`check_output`); :func:`choose_formatter` picks the ``--format`` or the default for
where the report goes.

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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from frictionscan.core.atomic import replace_text
from frictionscan.core.errors import FrictionscanError, OutputError, UsageError
from frictionscan.core.formatter import Formatter

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


def choose_formatter(formats: Mapping[str, Formatter], name: str | None, output: str | None,
                     stdout: TextIO) -> Formatter:
    """The ``--format`` chosen, or the default for where the report goes (a terminal, or a
    pipe or file)."""
    if name is not None:
        return formats[name]
    interactive = output is None and stdout.isatty()
    wanted = [f for f in formats.values()
              if (f.default_on_terminal if interactive else f.default_elsewhere)]
    if not wanted:
        raise UsageError("no default output format; choose one with --format")
    return wanted[0]


def write_report(report: Any, formats: Mapping[str, Formatter], config: Any,
                 name: str | None, output: str | None, stdout: TextIO) -> None:
    """Render ``report`` with the chosen formatter, to standard output or ``output``."""
    fmt = choose_formatter(formats, name, output, stdout)
    emit(output, stdout, lambda fh: fmt.write(report, config, fh))


def check_output(output: str) -> Path:
    """The ``-o`` target, or a usage error saying why it cannot be written (checked before a
    long scan as well as after it)."""
    target = Path(output)
    if target.parent and not target.parent.exists():
        raise UsageError(f"cannot write {output}: directory {target.parent} does not exist")
    if target.is_dir():
        raise UsageError(f"cannot write {output}: it is a directory")
    if not target.exists() or target.is_file():
        # the report replaces the file through a temporary file beside it: make sure one can
        # be created there (a read-only or virtual file system, no permission) before the scan
        import tempfile

        directory = target.resolve().parent
        try:
            fd, probe = tempfile.mkstemp(dir=directory, prefix=".frictionscan-",
                                         suffix=".tmp")
        except OSError as exc:
            raise write_failure(output, exc, directory) from None
        os.close(fd)
        os.unlink(probe)
    return target


def emit(output: str | None, stdout: TextIO, write: Callable[[TextIO], None]) -> None:
    """Run ``write`` on standard output, or on ``-o FILE``: a regular file is replaced
    atomically (a temporary file renamed into place, through a symbolic link to where it
    points); a device or named pipe is written into."""
    if output is None:
        write(stdout)
        return
    target = check_output(output)
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a named pipe: write into it (replacing it with a file, as
        # below, would destroy a device node when run as root)
        try:
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                write(fh)
        except OSError as exc:
            raise write_failure(output, exc) from None
        return
    target = target.resolve()  # a symbolic link: replace what it points to, not the link
    try:
        replace_text(target, write)
    except OSError as exc:
        raise write_failure(output, exc, target.parent) from None
