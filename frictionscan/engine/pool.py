"""Worker processes for the per-file phase, each of which the session can lose and replace.

Parsing libraries are native code: on pathological input they can overflow a stack and kill
the process, or run for minutes (libcst on a 100,000-term expression). So each worker gets
one file at a time over its own pipe, and the parent watches every worker's pipe and process
sentinel:

* a worker that dies takes only its current file with it (a ``crash`` error for that file);
  a replacement is started and the scan goes on;
* a file that takes longer than ``file_timeout`` seconds gets its worker killed and a
  ``timeout`` error; a replacement is started;
* workers that die before analysing anything, several times in a row, end the run with one
  line (they cannot start at all; retrying per file would only repeat that).

Files are handed out largest first, so a big file does not start last and hold up the end.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection, wait
from typing import Any

from frictionscan.core.config import Config
from frictionscan.core.errors import FrictionscanError
from frictionscan.core.model import AnalysisError, ErrorKind, FileAnalysis, FileHistory, SourceFile
from frictionscan.engine.isolation import WorkerStart, clean_start, settle
from frictionscan.plugin.manager import PluginSpec

#: A file, its history, and optionally its content (else it is read from the working tree).
Item = tuple[SourceFile, FileHistory] | tuple[SourceFile, FileHistory, bytes | None]

#: Workers that die while starting up (before loading their plugins), in a row, after which
#: the run stops.
DEAD_ON_ARRIVAL = 3

_READY = "ready"


def _worker_main(conn: Connection, spec: PluginSpec, config: Config,
                 warm_checks: bool = True, start: WorkerStart | None = None) -> None:
    settle(start or WorkerStart())  # first: tied to the parent, the environment restored
    from frictionscan.engine.worker import analyse_file
    from frictionscan.plugin.hooks import HookCalls
    from frictionscan.plugin.manager import build_plugin_manager

    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    hooks = HookCalls(build_plugin_manager(spec))
    # warm up: the first file should not pay for importing the parsers (the friction
    # checks' parser only when the first files are checked: importing libcst costs 0.2 s)
    from frictionscan.core.model import FileHistory as _History
    from frictionscan.core.model import SourceFile as _Source

    warm = _Source(path="__frictionscan_warm_up__.py")
    with contextlib.suppress(Exception):
        hooks.measure_file(warm, "pass\n", _History.empty(warm.path), config)
        if warm_checks:
            hooks.check_file(warm, "pass\n", config)
    conn.send(_READY)
    now: datetime | None = None
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, file, history, data, check, settings = task
        if settings is not None:  # sent with a worker's first task and when they change
            config, now = settings
        try:
            result: FileAnalysis = analyse_file(hooks, config, file, history, data, check, now)
        except Exception as exc:  # a bug outside any plugin: keep the worker alive
            result = failed(file, history, ErrorKind.PLUGIN,
                            f"per-file analysis failed: {type(exc).__name__}: {exc}")
        try:
            payload = _encode(result)
        except Exception as exc:  # e.g. a plugin returned a value that is not a number
            payload = _encode(failed(file, history, ErrorKind.PLUGIN,
                                     f"result cannot be sent back: {type(exc).__name__}: "
                                     f"{exc}"))
        conn.send((index, payload))


def _encode(result: FileAnalysis) -> str:
    """A result as the cache's JSON: several times faster to read back in the parent than
    unpickling frozen dataclasses (which the parent does for every file of a cold scan,
    competing with the workers for the cores)."""
    from frictionscan.engine.cache import encode_parts

    return encode_parts(result.measurements, result.findings, result.suppressed,
                        result.errors, "dated" if result.dated else None, result.checked)


def _decode(file: SourceFile, history: FileHistory, payload: str) -> FileAnalysis:
    from frictionscan.engine.cache import analysis_from_parts, decode_parts

    return analysis_from_parts(file, history, decode_parts(payload))


def failed(file: SourceFile, history: FileHistory, kind: ErrorKind,
           message: str) -> FileAnalysis:
    """The analysis of a file that could not be analysed: ranked on its history alone."""
    return FileAnalysis(file=file, history=history,
                        errors=(AnalysisError(kind=kind, path=file.path, message=message),))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    index: int | None = None
    started: float = 0.0
    ready: bool = False
    #: The configuration and "now" this worker has (sent again only when they change).
    settings: Any = None


class WorkerPool:
    """``jobs`` worker processes analysing files one at a time; :meth:`run` may be called
    again (workers are started as needed), :meth:`close` stops them."""

    def __init__(self, spec: PluginSpec, config: Config, jobs: int,
                 file_timeout: float, warm_checks: bool = True) -> None:
        self.spec = spec
        self.warm_checks = warm_checks
        self.config = config
        #: What each worker must have before its next file: the options and the scan's now.
        self.settings: tuple[Config, datetime | None] = (config, None)
        self.jobs = jobs
        self.file_timeout = file_timeout
        self.ctx = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        self.dead_on_arrival = 0

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        # nothing imported from the current directory; the worker dies with this process
        with clean_start(self.ctx.get_start_method()) as start:
            process = self.ctx.Process(
                target=_worker_main,
                args=(child, self.spec, self.config, self.warm_checks, start),
                daemon=True, name="frictionscan-worker")
            process.start()
        child.close()
        worker = _Worker(process=process, conn=parent)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        self.workers.remove(worker)
        if worker.ready:
            self.dead_on_arrival = 0
            return
        self.dead_on_arrival += 1
        if self.dead_on_arrival >= DEAD_ON_ARRIVAL:
            raise FrictionscanError(
                "worker processes die as soon as they start; try --jobs 1, and set "
                "FRICTIONSCAN_DEBUG=1 to see why")

    def close(self) -> None:
        for worker in list(self.workers):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in list(self.workers):
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()

    def start(self, count: int) -> None:
        """Start ``count`` workers now (they load their plugins and parsers while the caller
        does something else, such as reading the history)."""
        while len(self.workers) < min(self.jobs, count):
            self._start()

    def run(self, items: Sequence[Item], progress: Callable[[int], None] | None = None,
            config: Config | None = None, now: datetime | None = None,
            unchecked: Collection[str] = frozenset()) -> list[FileAnalysis]:
        """Analyse ``items`` (with ``config`` and the scan's ``now`` if given, e.g. once
        "now" is known; without the ``check_file`` hooks for the paths in ``unchecked``);
        results come back in the order of ``items``."""
        settings = (config or self.settings[0], now if now is not None else self.settings[1])
        if settings != self.settings:
            self.settings = settings
        results: list[FileAnalysis | None] = [None] * len(items)
        queue = sorted(range(len(items)), key=lambda i: items[i][0].size)  # pop() = largest
        finished = 0
        try:
            while queue or any(w.index is not None for w in self.workers):
                while queue and len(self.workers) < min(self.jobs, len(items)):
                    self._start()
                for worker in self.workers:
                    if worker.index is None and queue:
                        index = queue.pop()
                        item = items[index]
                        file, history = item[0], item[1]
                        data = item[2] if len(item) > 2 else None  # type: ignore[misc]
                        try:
                            changed = self.settings if worker.settings is not self.settings \
                                else None
                            worker.conn.send((index, file, history, data,
                                              file.path not in unchecked, changed))
                            worker.settings = self.settings
                        except OSError:  # died between tasks; noticed below
                            queue.append(index)
                            continue
                        worker.index, worker.started = index, time.monotonic()
                finished += self._collect(items, results, queue)
                if progress:
                    progress(finished)
        except BaseException:  # Ctrl-C, a dead pool: stop the workers now
            self.close()
            raise
        return [r for r in results if r is not None]

    def _collect(self, items: Sequence[Item], results: list[FileAnalysis | None],
                 queue: list[int]) -> int:
        """Wait for results, deaths and timeouts; returns how many files finished."""
        busy = [w for w in self.workers if w.index is not None]
        now = time.monotonic()
        timeout = min((w.started + self.file_timeout - now for w in busy), default=1.0)
        ready = wait([w.conn for w in self.workers] + [w.process.sentinel for w in self.workers],
                     timeout=max(0.0, timeout))
        finished = 0
        for worker in list(self.workers):
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    message = None  # died mid-message: handled as a death below
                if message == _READY:
                    worker.ready = True
                    worker.started = time.monotonic()  # the clock runs from here
                elif message is not None:
                    index, payload = message
                    file, history = items[index][:2]
                    try:
                        results[index] = _decode(file, history, payload)
                    except (ValueError, KeyError, TypeError) as exc:
                        results[index] = failed(file, history, ErrorKind.PLUGIN,
                                                f"result cannot be read back: {exc}")
                    worker.index = None
                    finished += 1
            if worker.process.sentinel in ready or not worker.process.is_alive():
                if worker.index is not None and not worker.ready:
                    queue.append(worker.index)  # died starting up: not this file's fault
                elif worker.index is not None:
                    file, history = items[worker.index][:2]
                    results[worker.index] = failed(
                        file, history, ErrorKind.CRASH,
                        "the analysing process died on this file (a parser crash or out of "
                        "memory); ranked on history only")
                    finished += 1
                self._retire(worker, kill=False)
            elif worker.index is not None and worker.ready and \
                    time.monotonic() - worker.started > self.file_timeout:
                file, history = items[worker.index][:2]
                results[worker.index] = failed(
                    file, history, ErrorKind.TIMEOUT,
                    f"analysis took longer than {self.file_timeout:g} s (file_timeout); "
                    f"ranked on history only")
                finished += 1
                worker.index = None
                self._retire(worker, kill=True)
        return finished
