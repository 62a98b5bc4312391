"""How worker processes start: never importing from the analysed repository, and never
outliving the scan that started them.

**Import path.** A scan usually runs with the repository as its current directory. Forked
workers inherit the parent's ``sys.path``, which holds no current directory (the console
script's starts with its own directory, and ``python -m frictionscan`` drops the entry ``-m``
adds, see ``frictionscan/__init__.py``). But the ``spawn`` and ``forkserver`` start methods
(the defaults on macOS and, from Python 3.14, on Linux) start a new interpreter with
``python -c``, which puts the current directory first on ``sys.path`` while ``multiprocessing``
imports ``pickle``, ``socket``, ``threading``... before it installs the parent's path. So
those interpreters start with ``PYTHONSAFEPATH=1`` (Python 3.11+), or, on Python 3.10 which has
no such switch, from the standard library's own directory; the worker then puts the
environment and the current directory back as they were (:func:`settle`).

**Life.** A worker killed with its parent (``kill -9``, a CI timeout, the OOM killer) would
otherwise be re-parented and live on, holding its memory. On Linux the kernel sends it
SIGKILL when its parent dies (``PR_SET_PDEATHSIG``); everywhere, a thread waits on
multiprocessing's parent sentinel and ends the process when it closes. (With ``fork``, a
worker started later also holds the sentinels of the earlier ones; it ends too, so they all
do, newest first.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

#: Whether a spawned interpreter can be told not to put its current directory on sys.path.
SAFE_PATH_ENV = sys.version_info >= (3, 11)

#: Linux ``<sys/prctl.h>``.
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class WorkerStart:
    """What a worker does first, decided by the parent when it starts it."""

    #: Change back to this directory (it was started from a trusted one).
    cwd: str | None = None
    #: Remove ``PYTHONSAFEPATH`` from the environment (set only to start this interpreter).
    unset_safe_path: bool = False
    #: Ask the kernel to kill the worker when the thread that started it ends: only when that
    #: thread is the main thread (Linux ties the signal to the thread, not the process).
    pdeathsig: bool = False


@contextlib.contextmanager
def clean_start(start_method: str | None) -> Iterator[WorkerStart]:
    """Start worker processes inside this block (``process.start()``): pass the
    :class:`WorkerStart` it gives to the worker, which calls :func:`settle` first."""
    pdeathsig = threading.current_thread() is threading.main_thread()
    if start_method == "fork":  # the parent's clean sys.path is inherited
        yield WorkerStart(pdeathsig=pdeathsig)
        return
    if SAFE_PATH_ENV:
        before = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield WorkerStart(unset_safe_path=not before, pdeathsig=pdeathsig)
        finally:
            if before is None:
                os.environ.pop("PYTHONSAFEPATH", None)
            else:
                os.environ["PYTHONSAFEPATH"] = before
        return
    try:
        cwd: str | None = os.getcwd()
    except OSError:  # deleted: nothing can be imported from it
        cwd = None
    if cwd is not None:
        os.chdir(os.path.dirname(os.__file__))  # the standard library's directory
    try:
        yield WorkerStart(cwd=cwd, pdeathsig=pdeathsig)
    finally:
        if cwd is not None:
            os.chdir(cwd)


def settle(start: WorkerStart) -> None:
    """In a worker, before anything else: tie it to its parent's life, and undo what
    :func:`clean_start` changed only to start it."""
    if start.pdeathsig and sys.platform.startswith("linux"):
        _kill_with_parent()
    _exit_with_parent()
    if start.unset_safe_path:
        os.environ.pop("PYTHONSAFEPATH", None)
    if start.cwd is not None:
        with contextlib.suppress(OSError):
            os.chdir(start.cwd)


def _kill_with_parent() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _exit_with_parent() -> None:
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel
    threading.Thread(target=_exit_when_closed, args=(sentinel,), daemon=True,
                     name="frictionscan-parent-watch").start()


def _exit_when_closed(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])  # readable only at end of file: the parent is gone
    os._exit(1)
