"""The roadmap plugin, configuration handling and glob/duration helpers."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from frictionscan_roadmap import area_weight, frictionscan_focus_weight, horizon_weight

from frictionscan.core.config import Config, OptionParser, RawConfig, build_config
from frictionscan.core.durations import resolve_point
from frictionscan.core.errors import ConfigError
from frictionscan.core.globs import match_path
from frictionscan.core.model import FileHistory, Focus, FocusArea, SourceFile

NOW = datetime(2026, 3, 31, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("horizon,weight", [
    ("2 weeks", 3.0), ("3 months", 3.0), ("6 months", 2.0), ("12 months", 1.5),
    ("2 years", 1.2), (None, 2.0),
])
def test_horizon_weights(horizon: str | None, weight: float) -> None:
    assert horizon_weight(horizon) == weight


def test_explicit_weight_wins_and_date_horizons_count_from_head() -> None:
    assert area_weight(FocusArea(name="a", paths=("x",), weight=0.2, horizon="1 month"),
                       NOW) == 0.2
    assert area_weight(FocusArea(name="a", paths=("x",), horizon="2026-05-31"), NOW) == 3.0
    assert area_weight(FocusArea(name="a", paths=("x",), horizon="2027-01-31"), NOW) == 1.5


def weigh(path: str, focus: Focus, idle: float | None = 10.0, **options: object):  # type: ignore[no-untyped-def]
    config = Config(root=".", options=tuple(options.items()))
    return frictionscan_focus_weight(SourceFile(path=path),
                                     FileHistory(path=path, idle_days=idle), focus, config)


FOCUS = Focus(areas=(FocusArea(name="Payments", paths=("src/payments/**",), horizon="3 months"),
                     FocusArea(name="Billing", paths=("src/payments/billing/**",),
                               weight=5.0)),
              weights=(3.0, 5.0))


def test_overlapping_areas_take_the_strongest_and_name_all() -> None:
    w = weigh("src/payments/billing/invoice.py", FOCUS)
    assert w.factor == 5.0 and w.area == "Billing"
    assert w.reason == "focus area 'Billing': x5 (also in Payments)"
    w = weigh("src/payments/api.py", FOCUS)
    assert (w.factor, w.area) == (3.0, "Payments")
    assert w.reason == "focus area 'Payments' (3 months): x3"


def test_dormancy_discount_only_outside_focus() -> None:
    assert weigh("src/other.py", FOCUS, idle=10) is None
    w = weigh("src/other.py", FOCUS, idle=800)
    assert w.factor == 0.5 and w.reason.startswith("dormant: unchanged for 2.2 years")
    assert weigh("src/payments/api.py", FOCUS, idle=800).factor == 3.0
    assert weigh("src/other.py", FOCUS, idle=800, **{"roadmap.dormant_factor": 1.0}) is None
    assert weigh("src/other.py", FOCUS, idle=100,
                 **{"roadmap.dormant_after": "3 months"}).factor == 0.5


def test_unmatched_focus_paths_are_reported(planted_copy: Path) -> None:
    from frictionscan.testing import run_scan

    (planted_copy / ".frictionscan.toml").write_text(
        '[[focus]]\nname = "Ghost"\npaths = ["src/ghost/**"]\nweight = 2.0\n')
    result = run_scan(planted_copy)
    assert any("focus area 'Ghost'" in w and "match no analysed file" in w
               for w in result.warnings)


@pytest.mark.parametrize("path,pattern,matches", [
    ("src/a/b.py", "src/**", True), ("src/a/b.py", "src/*.py", False),
    ("src/b.py", "src/*.py", True), ("x/y/m_pb2.py", "*_pb2.py", True),
    ("a/build/x.py", "build/", False), ("build/x.py", "build/", True),
    ("a/tests/test_x.py", "**/test_*.py", True), ("test_x.py", "**/test_*.py", True),
    ("src/a.py", "src/[ab].py", True), ("src/c.py", "src/[!ab].py", True),
    ("src/a.py", "./src/a.py", True),
])
def test_globs(path: str, pattern: str, matches: bool) -> None:
    assert match_path(path, pattern) is matches


def test_calendar_durations() -> None:
    assert resolve_point("12 months", NOW) == datetime(2025, 3, 31, 12, tzinfo=timezone.utc)
    assert resolve_point("1 month", NOW) == datetime(2026, 2, 28, 12, tzinfo=timezone.utc)
    assert resolve_point("90 days", NOW).date().isoformat() == "2025-12-31"
    assert resolve_point("2025-01-01", NOW).isoformat() == "2025-01-01T00:00:00+00:00"
    with pytest.raises(ValueError, match="not a duration"):
        resolve_point("fortnight", NOW)


def test_plugin_options_are_validated_and_overridden() -> None:
    parser = OptionParser()
    parser.addoption("demo.level", type=int, default=1, help="h", choices=(1, 2, 3))
    raw = RawConfig("/r/.frictionscan.toml", {"demo": {"level": 2}}, "")
    config = build_config(Path("/r"), raw, parser.options)
    assert config.getoption("demo.level") == 2
    config = build_config(Path("/r"), raw, parser.options, {"demo.level": 3})
    assert config.getoption("demo.level") == 3
    bad = RawConfig("/r/.frictionscan.toml", {"demo": {"level": 7}}, "")
    with pytest.raises(ConfigError, match=r"/r/.frictionscan.toml: demo.level must be one of"):
        build_config(Path("/r"), bad, parser.options)
    with pytest.raises(ConfigError, match="declared twice"):
        parser.addoption("demo.level", type=int, default=1, help="h")
    with pytest.raises(ConfigError, match="namespaced"):
        parser.addoption("level", type=int, default=1, help="h")
