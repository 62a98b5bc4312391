"""Plugin loading (built-ins, entry points, -p, blocking) and the worker pool's isolation."""

from __future__ import annotations

import os
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

import frictionscan
from frictionscan.core.errors import PluginError
from frictionscan.core.model import ErrorKind
from frictionscan.plugin import manager
from frictionscan.plugin.manager import (
    BUILTIN_PLUGINS,
    PluginSpec,
    build_plugin_manager,
    describe_plugins,
)
from frictionscan.testing import run_scan


class FakeDist:
    name = "frictionscan-demo"
    version = "1.2.3"


class FakeEntryPoint:
    def __init__(self, name: str, obj: object) -> None:
        self.name, self.obj, self.group, self.dist = name, obj, "frictionscan", FakeDist()

    def load(self) -> object:
        if isinstance(self.obj, Exception):
            raise self.obj
        return self.obj


class DemoPlugin:
    @frictionscan.hookimpl
    def frictionscan_measure_file(self, file):  # type: ignore[no-untyped-def]
        from frictionscan.core.model import Measurement

        return Measurement(key="demo.one", value=1)


def test_builtins_register_in_order_through_one_path() -> None:
    pm = build_plugin_manager(PluginSpec(autoload=False))
    infos = describe_plugins(pm)
    assert [i.name for i in infos] == list(BUILTIN_PLUGINS)
    assert all(i.origin == "builtin" for i in infos)
    pm2 = build_plugin_manager(PluginSpec(autoload=False))
    assert pm2 is not pm  # a fresh manager each time


def test_entry_point_plugins_are_loaded_and_blockable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(manager, "_entry_points", lambda: [FakeEntryPoint("demo", DemoPlugin())])
    pm = build_plugin_manager(PluginSpec())
    info = {i.name: i for i in describe_plugins(pm)}["demo"]
    assert info.origin == "entry point: frictionscan-demo 1.2.3"
    assert info.hooks == ("frictionscan_measure_file",)
    pm = build_plugin_manager(PluginSpec(blocked=("demo",)))
    assert "demo" not in {i.name for i in describe_plugins(pm)}
    pm = build_plugin_manager(PluginSpec(autoload=False))
    assert "demo" not in {i.name for i in describe_plugins(pm)}


def test_entry_point_that_fails_to_load_names_its_distribution(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setattr(manager, "_entry_points",
                        lambda: [FakeEntryPoint("demo", ImportError("no module named x"))])
    with pytest.raises(PluginError, match=r"cannot load plugin 'demo' \(entry point: "
                                          r"frictionscan-demo 1.2.3\): ImportError"):
        build_plugin_manager(PluginSpec())


def test_real_entry_point_group_is_queried() -> None:
    # the group exists as far as importlib.metadata is concerned (possibly empty)
    assert isinstance(list(metadata.entry_points(group=manager.ENTRY_POINT_GROUP)), list)


def _dist(site: Path, name: str, value: str) -> Path:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[frictionscan-test]\n{name} = {value}\n")
    return info


def test_entry_points_are_remembered_until_something_is_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from frictionscan.plugin import entrypoints

    site = tmp_path / "site"
    site.mkdir()
    (site / "epdemo.py").write_text("class Plugin:\n    answer = 42\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _dist(site, "epdemo", "epdemo:Plugin")
    first = entrypoints.entry_points("frictionscan-test")
    assert [(e.name, e.dist) for e in first] == [("epdemo", entrypoints.Distribution("epdemo",
                                                                                     "1.0"))]
    assert first[0].load().answer == 42
    assert (tmp_path / "cache/frictionscan/entry-points.json").is_file()
    # served from the cache: importlib.metadata is not asked
    monkeypatch.setattr(entrypoints, "_read_metadata", lambda group: 1 / 0)
    assert entrypoints.entry_points("frictionscan-test") == first
    monkeypatch.undo()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # an install adds a *.dist-info directory: the site directory changes, the cache misses
    _dist(site, "another", "epdemo:Plugin.answer")
    os.utime(site, ns=(1, 1))  # whatever the clock's resolution
    again = entrypoints.entry_points("frictionscan-test")
    assert [e.name for e in again] == ["another", "epdemo"]
    assert again[0].load() == 42
    # a corrupt cache file is read again from the metadata
    (tmp_path / "cache/frictionscan/entry-points.json").write_text("{not json")
    assert [e.name for e in entrypoints.entry_points("frictionscan-test")] == \
        ["another", "epdemo"]


def test_every_builtin_can_be_blocked() -> None:
    for name in BUILTIN_PLUGINS:
        pm = build_plugin_manager(PluginSpec(blocked=(name,), autoload=False))
        assert name not in {i.name for i in describe_plugins(pm)}


def test_a_plugin_can_replace_a_builtin_default(planted_repo: Path) -> None:
    class Alphabetical:
        @frictionscan.hookimpl
        def frictionscan_rank(self, hotspots):  # type: ignore[no-untyped-def]
            from dataclasses import replace

            ordered = sorted(hotspots, key=lambda h: h.path)
            return [replace(h, rank=i) for i, h in enumerate(ordered, 1)]

    result = run_scan(planted_repo, plugins=[Alphabetical()])
    paths = [h.path for h in result.hotspots]
    assert paths == sorted(paths)


CRASHER = '''
import os

import frictionscan


@frictionscan.hookimpl
def frictionscan_check_file(file):
    if file.path == "src/app/util.py":
        os._exit(70)  # what a native parser crash looks like from outside
'''


def test_a_worker_that_dies_costs_only_its_file(planted_repo: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "crasher_plugin.py").write_text(textwrap.dedent(CRASHER))
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run_scan(planted_repo, modules=["crasher_plugin"], in_process=False,
                      overrides={"jobs": 2})
    crashes = [e for e in result.errors if e.kind is ErrorKind.CRASH]
    assert [e.path for e in crashes] == ["src/app/util.py"]
    assert len(result.hotspots) == 11
    engine = next(h for h in result.hotspots if h.path == "src/app/engine.py")
    assert engine.analysis.findings and engine.rank == 1
    util = next(h for h in result.hotspots if h.path == "src/app/util.py")
    assert util.analysis.history.revisions == 8  # still ranked on its history


def test_pool_and_in_process_give_the_same_result(planted_repo: Path) -> None:
    a = run_scan(planted_repo, in_process=True)
    b = run_scan(planted_repo, in_process=False, overrides={"jobs": 2})
    assert [(h.path, h.score) for h in a.hotspots] == [(h.path, h.score) for h in b.hotspots]


DEAD_ON_ARRIVAL = '''
import multiprocessing
import os

import frictionscan


@frictionscan.hookimpl
def frictionscan_addhooks(pluginmanager):
    if multiprocessing.current_process().name != "MainProcess":
        os._exit(70)  # a worker that cannot even set up its plugins
'''


def test_workers_that_cannot_work_at_all_end_the_run(planted_repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from frictionscan.core.errors import FrictionscanError

    (tmp_path / "doa_plugin.py").write_text(textwrap.dedent(DEAD_ON_ARRIVAL))
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(FrictionscanError, match="die as soon as they start"):
        run_scan(planted_repo, modules=["doa_plugin"], in_process=False, overrides={"jobs": 2})


SLOW = '''
import time

import frictionscan


@frictionscan.hookimpl
def frictionscan_check_file(file):
    if file.path == "src/app/util.py":
        time.sleep(60)  # what libcst on a 100,000-term expression looks like from outside
'''


def test_a_file_that_takes_too_long_is_stopped(planted_repo: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    (tmp_path / "slow_plugin.py").write_text(textwrap.dedent(SLOW))
    monkeypatch.syspath_prepend(str(tmp_path))
    t0 = time.monotonic()
    result = run_scan(planted_repo, modules=["slow_plugin"], in_process=False,
                      overrides={"jobs": 2, "file_timeout": 1})
    assert time.monotonic() - t0 < 20
    timeouts = [e for e in result.errors if e.kind is ErrorKind.TIMEOUT]
    assert [e.path for e in timeouts] == ["src/app/util.py"]
    assert "longer than 1 s" in timeouts[0].message
    assert len(result.hotspots) == 11 and result.hotspots[0].path == "src/app/engine.py"
