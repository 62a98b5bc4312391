"""Caches that fight back: the right version with another layout, a read-only cache, and
warnings that every opening of the cache repeats (each must reach the report once)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git
from test_cli import run

from frictionscan.engine.cache import CACHE_FILE, CACHE_VERSION

TOP = ("--top", "3")  # a top-N report checks in rounds: the cache is opened once per round


def cache_db(repo: Path) -> Path:
    return repo / ".frictionscan" / "cache" / CACHE_FILE


def scan_json(repo: Path, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run("scan", str(repo), "-f", "json", *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def without_stats(doc: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in doc.items() if k != "stats"}


def reshape(db: Path, table: str, create: str) -> None:
    """Give ``table`` another layout, keeping the version number."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(f"DROP TABLE {table}")
        conn.execute(create)
    conn.close()


# -- 12: the right version with the wrong schema ---------------------------------------------


@pytest.mark.parametrize("table, create", [
    ("files", "CREATE TABLE files (k TEXT, v TEXT)"),
    ("plugin_data", "CREATE TABLE plugin_data (name TEXT PRIMARY KEY, data BLOB)"),
], ids=["files", "plugin_data"])
def test_a_cache_of_this_version_with_another_layout_is_rebuilt_once(
        planted_copy: Path, table: str, create: str) -> None:
    cold = scan_json(planted_copy, *TOP)
    reshape(cache_db(planted_copy), table, create)
    doc = scan_json(planted_copy, *TOP)
    assert doc["warnings"] == [
        f"cache at {cache_db(planted_copy)} was corrupt or from another version (version "
        f"{CACHE_VERSION} "
        f"with a {table} table of another shape); rebuilt"]
    again = scan_json(planted_copy, *TOP)  # the rebuilt cache serves the next run, silently
    assert again["warnings"] == []
    assert again["stats"]["cached_files"] == 11
    assert without_stats(again) == without_stats(cold)
    code, out, _ = run("cache", "info", str(planted_copy))
    # the history, its commits and fold state, the X-ray of the top 3 files, the coupling
    # and the knowledge
    assert code == 0 and "8 entries kept by plugins" in out and "warning" not in out


def test_a_cache_without_a_version_is_rebuilt(planted_copy: Path) -> None:
    """Tables but no version row: a cache never finished, or not one of ours."""
    scan_json(planted_copy)
    conn = sqlite3.connect(cache_db(planted_copy))
    with conn:
        conn.execute("DELETE FROM meta")
        conn.execute("DROP TABLE files")
        conn.execute("CREATE TABLE files (key TEXT PRIMARY KEY, value BLOB, extra INT)")
    conn.close()
    doc = scan_json(planted_copy, *TOP)
    assert len(doc["warnings"]) == 1 and "(no version); rebuilt" in doc["warnings"][0]
    assert scan_json(planted_copy, *TOP)["stats"]["cached_files"] == 11


# -- 13: a read-only cache -------------------------------------------------------------------

#: Runs frictionscan commands (argv lists, JSON in argv[2]) in a process without any
#: capabilities: root's too are gone, so file permissions bind it as they bind anyone
#: (chmod alone does not stop root). Prints [code, stdout, stderr] per command as JSON.
#: With argv[3] "lying-access", ``os.access`` says everything is writable (as it can on
#: network file systems): then SQLite's own refusal to write must be understood.
UNPRIVILEGED = r"""
import ctypes, io, json, os, sys

class Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

class Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]

libc = ctypes.CDLL(None, use_errno=True)
with open("/proc/sys/kernel/cap_last_cap") as fh:
    last = int(fh.read())
for cap in range(last + 1):
    libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: programs run later get none either
if libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()) != 0:  # version 3
    sys.exit("capset: " + os.strerror(ctypes.get_errno()))
probe, commands = sys.argv[1], json.loads(sys.argv[2])
if sys.argv[3] == "lying-access":
    os.access = lambda *args, **kwargs: True
try:
    open(os.path.join(probe, "probe"), "w").close()
    sys.exit("STILL-WRITABLE")
except PermissionError:
    pass
from frictionscan.cli import main
results = []
for argv in commands:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def run_unprivileged(read_only_dir: Path, *commands: list[str],
                     access: str = "access") -> list[tuple[int, str, str]]:
    """Run ``commands`` in a process for which ``read_only_dir`` (mode 0555) really is
    read-only, root or not."""
    if not Path("/proc/sys/kernel/cap_last_cap").exists():
        pytest.skip("needs Linux capabilities to take root's privileges away")
    proc = subprocess.run([sys.executable, "-c", UNPRIVILEGED, str(read_only_dir),
                           json.dumps(list(commands)), access], capture_output=True, text=True,
                          timeout=300)
    if "STILL-WRITABLE" in proc.stderr:
        pytest.skip("this system lets the process write a directory of mode 0555")
    assert proc.returncode == 0, proc.stderr
    return [tuple(r) for r in json.loads(proc.stdout)]  # type: ignore[misc]


def snapshot(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("access", ["access", "lying-access"])
def test_a_read_only_cache_is_read_and_never_written(planted_copy: Path, access: str) -> None:
    cold = scan_json(planted_copy, *TOP)
    db = cache_db(planted_copy)
    before = snapshot(db.parent)
    assert not Path(f"{db}-wal").exists()  # closed cleanly: SQLite must create -shm to read
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        (code, out, err), (tcode, table, terr), (icode, info, _), (ccode, _, cerr) = \
            run_unprivileged(db.parent,
                             ["scan", str(planted_copy), "-f", "json", *TOP],
                             ["scan", str(planted_copy), "-f", "table", *TOP],
                             ["cache", "info", str(planted_copy)],
                             ["cache", "clear", str(planted_copy)], access=access)
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)
    warning = f"cache at {db} is read-only; scanning without writing to it"
    assert code == 0, err
    doc = json.loads(out)
    assert doc["warnings"] == [warning]
    assert doc["stats"]["cached_files"] == 11  # read all the same
    assert without_stats(doc) == {**without_stats(cold), "warnings": [warning]}
    assert tcode == 0, terr
    assert table.count("read-only;") == 1 and "corrupt" not in table and "rebuilt" not in table
    assert icode == 0 and "8 entries kept by plugins" in info and info.count("read-only;") == 1
    # cannot delete it: one line, no traceback, and the cache is still there
    assert ccode == 2 and cerr == f"error: cannot clear the cache at {db}: Permission denied\n"
    assert snapshot(db.parent) == before  # nothing written, no -wal or -shm left behind


def test_a_cache_that_cannot_be_created_is_skipped_with_one_warning(planted_copy: Path) -> None:
    home = planted_copy / ".frictionscan"  # where the cache directory would go
    home.mkdir()
    home.chmod(0o555)
    try:
        ((code, out, err),) = run_unprivileged(
            home, ["scan", str(planted_copy), "-f", "json", *TOP])
    finally:
        home.chmod(0o755)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["warnings"] == [
        f"cache at {cache_db(planted_copy)} is read-only; scanning without writing to it"]
    assert doc["stats"]["cached_files"] == 0 and doc["hotspots"]
    assert list(home.iterdir()) == []


# -- 14: each warning once per run ------------------------------------------------------------


def test_a_warning_repeated_by_every_phase_is_reported_once(planted_copy: Path) -> None:
    (planted_copy / ".frictionscan").write_text("a file where the cache directory would be\n")
    warning = (f"cache at {cache_db(planted_copy)} is unusable ([Errno 20] Not a directory: "
               f"'{cache_db(planted_copy).parent}'); scanning without it")
    doc = scan_json(planted_copy, *TOP)  # prestart, history, every round of checks
    assert doc["warnings"] == [warning]
    assert scan_json(planted_copy)["warnings"] == [warning]  # a report of every file
    code, out, err = run("scan", str(planted_copy), "-f", "table", *TOP)
    assert code == 0, err
    assert out.count("is unusable") == 1
    git(planted_copy, "checkout", "-q", "-b", "topic")
    code, out, err = run("ci", str(planted_copy), "--base", "main", "--format", "markdown")
    assert code == 0, err
    assert err.count("is unusable") == 1 and "is unusable" not in out


def test_a_cache_corrupt_past_what_opening_it_reads_is_rebuilt_once(planted_copy: Path) -> None:
    cold = scan_json(planted_copy, *TOP)
    db = cache_db(planted_copy)
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='files'").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    assert not Path(f"{db}-wal").exists()  # everything is in the database file
    with open(db, "r+b") as fh:  # the files table's first page, the schema intact
        fh.seek((root - 1) * size)
        fh.write(b"\x0d" * size)
    doc = scan_json(planted_copy, *TOP)
    assert doc["warnings"] == [f"cache at {db} was corrupt or from another version (database "
                               f"disk image is malformed); rebuilt"]
    again = scan_json(planted_copy, *TOP)
    assert again["warnings"] == [] and again["stats"]["cached_files"] == 11
    assert without_stats(again) == without_stats(cold)
