"""The per-file result cache and the history cache (SQLite, JSON values).

* Per-file results are keyed by the file's content (its git blob SHA, computed for files with
  uncommitted changes), the loaded plugins and their versions, and the options that can
  change a result. A hit skips reading, parsing and checking the file.
* The history of the scanned files is stored for the HEAD it was read at; a re-run at the same
  HEAD with the same options skips ``git log`` entirely.

Values are JSON, never pickle: a cache inside a repository could be committed by anyone, and
loading it must not be a way to run code. The database runs in WAL mode; every write is one
transaction. A cache never stops a scan: one that is corrupt or of another version or
layout is deleted and rebuilt with one warning; a read-only one is read (if it can be) and
never written, with one warning; one that cannot be used at all (locked, its directory
impossible to create) is skipped with one warning and left as it is.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from frictionscan.core.errors import UsageError
from frictionscan.core.model import (
    AnalysisError,
    ErrorKind,
    FileAnalysis,
    FileHistory,
    Finding,
    Measurement,
    SourceFile,
    Span,
    Symbol,
    SymbolKind,
)

#: Bumped when the stored format changes; an older cache is rebuilt.
CACHE_VERSION = 5
CACHE_FILE = "frictionscan.sqlite3"


def default_dir(root: Path, setting: str | None) -> Path:
    """``.frictionscan/cache`` in the repository, ``"xdg"`` for the user's cache directory
    (``$XDG_CACHE_HOME/frictionscan/<repository>``), or a path (relative to the root)."""
    if not setting:
        return root / ".frictionscan" / "cache"
    if setting == "xdg":
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        digest = hashlib.sha1(str(root).encode()).hexdigest()[:12]
        return base / "frictionscan" / f"{root.name}-{digest}"
    path = Path(setting).expanduser()
    return path if path.is_absolute() else root / path


def digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def digest_strings(*parts: str) -> str:
    """:func:`digest` for parts that are strings without NUL (one per file per scan)."""
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def blob_sha(data: bytes) -> str:
    """The git blob SHA of ``data`` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# -- JSON round trips of the data model ----------------------------------------------


def _span(d: Mapping[str, Any]) -> Span:
    return Span(**d)


def _measurement(row: Sequence[Any]) -> Measurement:
    """From ``[key, value]`` or ``[key, value, name, kind, line, col, end_line, end_col]``
    (flat rows decode several times faster than nested objects: 21,000 on a warm scan of a
    700-file project)."""
    if len(row) == 2:
        return Measurement(key=row[0], value=row[1])
    return Measurement(key=row[0], value=row[1], symbol=Symbol(
        name=row[2], kind=_KINDS[row[3]],
        span=Span(start_line=row[4], start_col=row[5], end_line=row[6], end_col=row[7])))


def _measurement_row(m: Measurement) -> list[Any]:
    if m.symbol is None:
        return [m.key, m.value]
    sp = m.symbol.span
    return [m.key, m.value, m.symbol.name, m.symbol.kind.value, sp.start_line, sp.start_col,
            sp.end_line, sp.end_col]


_KINDS = {k.value: k for k in SymbolKind}


def _finding(d: Mapping[str, Any]) -> Finding:
    return Finding(**{**d, "span": _span(d["span"])})


def _error(d: Mapping[str, Any]) -> AnalysisError:
    return AnalysisError(**{**d, "kind": ErrorKind(d["kind"])})


def _plain(obj: Any) -> Any:
    """A frozen dataclass of the model as JSON-ready values: nested dataclasses as objects,
    enums as their values (what :func:`dataclasses.asdict` gives, without its deep copies:
    several times faster for the findings of thousands of files)."""
    if hasattr(obj, "__dataclass_fields__"):
        return {name: _plain(getattr(obj, name)) for name in obj.__dataclass_fields__}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [_plain(v) for v in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def encode_parts(measurements: Iterable[Measurement], findings: Iterable[Finding],
                 suppressed: Iterable[Finding], errors: Iterable[AnalysisError],
                 dated: str | None, checked: bool = True) -> str:
    return json.dumps({"m": [_measurement_row(m) for m in measurements],
                       "f": [_plain(f) for f in findings],
                       "s": [_plain(f) for f in suppressed],
                       "e": [_plain(e) for e in errors], "dated": dated, "c": checked})


def decode_parts(text: str) -> dict[str, Any]:
    d = json.loads(text)
    return {"measurements": tuple(_measurement(m) for m in d["m"]),
            "findings": tuple(_finding(f) for f in d["f"]),
            "suppressed": tuple(_finding(f) for f in d["s"]),
            "errors": tuple(_error(e) for e in d["e"]), "dated": d.get("dated"),
            "checked": d.get("c", True)}


def analysis_from_parts(file: SourceFile, history: FileHistory, entry: Mapping[str, Any],
                        *, without_findings: bool = False) -> FileAnalysis:
    """The analysis of ``file`` from :func:`decode_parts`' result; ``without_findings``
    drops its findings, as an analysis that did not run the checks would have none."""
    if without_findings:
        return FileAnalysis(file=file, history=history, measurements=entry["measurements"],
                            errors=entry["errors"], checked=False)
    return FileAnalysis(file=file, history=history, measurements=entry["measurements"],
                        findings=entry["findings"], suppressed=entry["suppressed"],
                        errors=entry["errors"], dated=entry["dated"] is not None,
                        checked=entry["checked"])


#: The tables of a cache of this version: per column its name, type, NOT NULL and PRIMARY KEY.
_TABLES = {
    "meta": (("key", "TEXT", 0, 1), ("value", "TEXT", 0, 0)),
    "files": (("key", "TEXT", 0, 1), ("value", "TEXT", 1, 0)),
    "plugin_data": (("key", "TEXT", 0, 1), ("value", "TEXT", 1, 0)),
}
_CREATE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plugin_data (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class _Mismatch(sqlite3.DatabaseError):
    """The database is not a cache of this version (another version number or layout)."""


def _is_read_only_error(exc: sqlite3.Error) -> bool:
    """SQLITE_READONLY: the database or its directory cannot be written (Python 3.10 has no
    ``sqlite_errorname``, the message is the same everywhere)."""
    return "readonly" in str(exc)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _mismatch(db: sqlite3.Connection, tables: set[str]) -> str | None:
    """Why the database is not a cache of this version, or ``None`` (a new database without
    tables is one): a version number other than :data:`CACHE_VERSION`, or the right number
    with tables missing or of another shape."""
    if not tables:
        return None
    if "meta" not in tables:
        return "no meta table"
    try:
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
    except sqlite3.OperationalError:
        return "a meta table of another shape"
    if row is None:
        return "no version"
    if row[0] != str(CACHE_VERSION):
        return f"cache version {row[0]}"
    for name, columns in _TABLES.items():
        if name not in tables:
            return f"version {CACHE_VERSION} without a {name} table"
        shape = tuple((c[1], str(c[2]).upper(), c[3], c[5])
                      for c in db.execute(f"PRAGMA table_info({name})"))
        if shape != columns:
            return f"version {CACHE_VERSION} with a {name} table of another shape"
    return None


class Cache:
    """An SQLite cache in ``directory``; every method fails soft (see the module docs).

    A cache that cannot be written (a read-only directory or file system, another user's
    files) is read if it can be, and never written: one warning says so."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / CACHE_FILE
        self.warnings: list[str] = []
        #: Whether the cache turned out to be read-only (it is then never written).
        self.read_only = False
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _open(self) -> sqlite3.Connection | None:
        """The connection, opened on first use (once: a cache that failed stays unused)."""
        if self._opened:
            return self._db
        self._opened, self.read_only = True, False
        try:
            if not self.directory.is_dir():
                self.directory.mkdir(parents=True, exist_ok=True)
            if not self._writable():
                return self._open_read_only()
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by frictionscan\n*\n")
            self._db = self._connect()
        except PermissionError:
            return self._open_read_only()
        except OSError as exc:
            if exc.errno == errno.EROFS:
                return self._open_read_only()
            self._unusable(exc)
        except sqlite3.Error as exc:
            if _is_read_only_error(exc):
                return self._open_read_only()
            self._unusable(exc)
        return self._db

    def _unusable(self, exc: Exception) -> None:
        self._warn(f"cache at {self.path} is unusable ({exc}); scanning without it")
        self._db = None

    def _writable(self) -> bool:
        """Whether the directory, and the database if there is one, can be written."""
        return os.access(self.directory, os.W_OK) and (
            not self.path.exists() or os.access(self.path, os.W_OK))

    def _open_read_only(self) -> sqlite3.Connection | None:
        """The cache opened for reading only (``mode=ro``), with one warning. A database in
        WAL mode needs its ``-shm`` file, which a read-only directory may not let SQLite
        create: without a ``-wal`` file (nothing uncommitted to the database file), it is
        then opened as immutable. A cache that cannot be read is not used."""
        self.read_only = True
        self._db = None
        if self.path.is_file():
            failure = self._connect_read_only()
            if failure is not None:
                self._warn(f"cache at {self.path} is read-only and cannot be read ({failure}); "
                           f"scanning without it")
                return None
        self._warn(f"cache at {self.path} is read-only; scanning without writing to it")
        return self._db

    def _connect_read_only(self) -> sqlite3.Error | None:
        """Set ``_db`` to a read-only connection; or why the cache cannot be read."""
        queries = ["mode=ro"]
        if not Path(str(self.path) + "-wal").exists():
            queries.append("mode=ro&immutable=1")
        failure: sqlite3.Error | None = None
        for query in queries:
            try:
                db = sqlite3.connect(f"{self.path.absolute().as_uri()}?{query}", uri=True,
                                     timeout=10)
            except sqlite3.Error as exc:
                failure = exc
                continue
            try:
                problem = _mismatch(db, _tables(db))
            except sqlite3.Error as exc:
                db.close()
                failure = exc
                continue
            if problem is not None:
                db.close()
                failure = _Mismatch(problem)
                break
            self._db = db
            return None
        return failure

    def _connect(self) -> sqlite3.Connection:
        """Open the database, creating its tables when it is new. A database that is
        corrupt, of another version, or of the right version with another layout is
        removed and created anew, with one warning. Other errors (locked, read-only) are
        raised: they say nothing about the cache's content."""
        for attempt in (1, 2):
            db = sqlite3.connect(self.path, timeout=10)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                tables = _tables(db)
                problem = _mismatch(db, tables)
                if problem is not None:
                    raise _Mismatch(problem)
                if not tables:
                    # every table and the version in one transaction: a cache has all or none
                    db.executescript(f"BEGIN IMMEDIATE; {_CREATE} INSERT OR REPLACE INTO meta "
                                     f"VALUES ('version', '{CACHE_VERSION}'); COMMIT;")
                return db
            except sqlite3.DatabaseError as exc:
                db.close()
                if attempt == 2 or isinstance(exc, sqlite3.OperationalError):
                    raise
                self._remove()  # an error here is not a rebuild: no warning says so
                self._warn(f"cache at {self.path} was corrupt or from another version "
                           f"({exc}); rebuilt")
        raise AssertionError("unreachable")

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        db = self._open()
        if db is None:
            return []
        try:
            return db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            self._failed(exc, f"cache read failed ({exc}); scanning without it")
            return []

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        db = self._open()
        if db is None or self.read_only:
            return
        try:
            with db:
                db.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._failed(exc, f"cache write failed ({exc}); results not kept")

    def _failed(self, exc: sqlite3.Error, warning: str) -> None:
        """After a failed query: a database found corrupt (pages that opening it did not
        read) is removed, and created anew by the next use, with one warning. Other errors
        (busy, locked, full disk) say nothing about its content: ``warning`` is given."""
        if type(exc) is not sqlite3.DatabaseError or self.read_only:
            self._warn(warning)
            return
        self.close()
        try:
            self._remove()
        except OSError as err:
            self._unusable(err)
            self._opened = True  # not opened again
            return
        self._warn(f"cache at {self.path} was corrupt or from another version ({exc}); rebuilt")

    def get_files(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = list(keys)
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self._query(f"SELECT key, value FROM files WHERE key IN "
                               f"({','.join('?' * len(chunk))})", chunk)
            for key, value in rows:
                try:
                    out[key] = decode_parts(value)
                except (ValueError, KeyError, TypeError):
                    continue  # an entry we cannot read is a miss
        return out

    def has_files(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have an entry (without reading them)."""
        keys = list(keys)
        out: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            out.update(row[0] for row in self._query(
                f"SELECT key FROM files WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def put_files(self, items: Mapping[str, str]) -> None:
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?)", items.items())

    def get_data(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM plugin_data WHERE key = ?", (key,))
        return rows[0][0] if rows and isinstance(rows[0][0], str) else None

    def put_data(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO plugin_data VALUES (?, ?)", [(key, value)])

    def store(self, namespace: str) -> CacheStore:
        """The :class:`~frictionscan.core.store.Store` handed to the hook ``namespace``."""
        return CacheStore(self, namespace)

    def info(self) -> dict[str, Any]:
        files = self._query("SELECT COUNT(*) FROM files")
        entries = self._query("SELECT COUNT(*) FROM plugin_data")
        size = sum(Path(str(self.path) + s).stat().st_size for s in ("", "-wal")
                   if Path(str(self.path) + s).exists())
        return {"path": str(self.path), "files": files[0][0] if files else 0,
                "plugin_data": entries[0][0] if entries else 0, "bytes": size}

    def clear(self) -> None:
        """Delete the cache (:class:`UsageError` when it cannot be deleted)."""
        self.close()
        try:
            self._remove()
        except OSError as exc:
            raise UsageError(f"cannot clear the cache at {self.path}: "
                             f"{exc.strerror or exc}") from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._opened = False


class CacheStore:
    """One hook's view of the cache: its keys live apart from every other hook's."""

    def __init__(self, cache: Cache, namespace: str) -> None:
        self._cache = cache
        self._prefix = namespace + ":"

    def get(self, key: str) -> str | None:
        return self._cache.get_data(self._prefix + key)

    def put(self, key: str, value: str) -> None:
        self._cache.put_data(self._prefix + key, value)
