"""``frictionscan backtest --calibrate``: fit the score's options to the repository's history.

The backtest ranks the files at each cut once. Calibration then scores those same files
again for every combination of the values the scoring plugins offer
(``frictionscan_calibration_options``) and judges both orders each combination gives, by
their main metrics: the hotspot order's share of fix touches in its top 20% of files and the
effort order's share in its top 20% of lines, each order by the key the scoring plugin
gives it. The combination kept is the one with the largest sum of the two, Popt breaking
ties; it must beat the current options' sum by :data:`MIN_GAIN` to replace them: less is
noise. The built-in score's effort order has fixed exponents (the options weigh the hotspot
order only), so with it the sum moves with the hotspot order's figure alone; a scoring
plugin whose options move both orders is judged on both. The result is written into the
configuration file with tomlkit, which keeps the file's comments and layout
(:func:`options_written`; the command line reads and writes the file).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from frictionscan.core.config import Config
from frictionscan.core.errors import ConfigError, UsageError
from frictionscan.core.model import Hotspot, ScanResult
from frictionscan.plugin.hooks import HookCalls
from frictionscan.views import backtest as bt

#: Fix-touch share (the two orders' main metrics added) a combination must gain over the
#: current options to replace them.
MIN_GAIN = 0.005
#: Fix commits, over all cuts, below which the fitted options may only describe noise.
SMALL_HISTORY = 60
#: Candidates listed in the report, best first (the current options are always listed).
SHOWN = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One combination of option values and the backtest figures of its rankings."""

    #: ``(option key, value)`` pairs, in the order of the grid.
    values: tuple[tuple[str, float], ...]
    #: Mean over the cuts: the hotspot order's share of fix touches in its top 20% of files.
    top20_files: float
    #: Mean over the cuts: the effort order's share of fix touches in the top 20% of lines,
    #: and its Popt.
    top20_loc: float
    popt: float

    def as_dict(self) -> dict[str, Any]:
        return {"options": dict(self.values), "top20_files": self.top20_files,
                "top20_loc": self.top20_loc, "popt": self.popt}

    @property
    def merit(self) -> float:
        """What calibration maximises: both orders' main metrics."""
        return self.top20_files + self.top20_loc


HOTSPOT_ORDER = "frictionscan (hotspot order)"


def effort_key(hotspot: Hotspot, lines: float) -> float:
    """The effort order's key, as the scan would order by it: the scoring plugin's own
    ``effort`` key when it offers one (the built-in does), else score per line."""
    key = hotspot.key("effort")
    return key if key is not None else hotspot.score / max(lines, 10.0)


def with_options(config: Config, values: Mapping[str, float]) -> Config:
    """``config`` with these plugin option values."""
    options = dict(config.options)
    options.update(values)
    return replace(config, options=tuple(options.items()))


def combinations(grid: Mapping[str, Sequence[float]]) -> list[dict[str, float]]:
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def evaluate(hooks: HookCalls, config: Config, cuts: Sequence[tuple[ScanResult, bt.Labels]],
             values: Mapping[str, float]) -> Candidate:
    """Score every cut's files with ``values`` and judge both orders."""
    scored = with_options(config, values)
    files, lines, popts = [], [], []
    for result, labels in cuts:
        hotspots = hooks.score([h.analysis for h in result.hotspots], scored)
        loc = {h.path: bt.loc_of(h) for h in hotspots}
        hot = bt.evaluate({h.path: bt.RANKINGS[HOTSPOT_ORDER](h) for h in hotspots},
                          labels.touches, loc)
        effort = bt.evaluate({h.path: effort_key(h, loc[h.path]) for h in hotspots},
                             labels.touches, loc)
        files.append(hot["top20_files"])
        lines.append(effort["top20_loc"])
        popts.append(effort["popt"])
    return Candidate(values=tuple(values.items()), top20_files=bt.mean(files),
                     top20_loc=bt.mean(lines), popt=bt.mean(popts))


def calibrate(hooks: HookCalls, config: Config,
              cuts: Sequence[tuple[ScanResult, bt.Labels]]) -> dict[str, Any]:
    """Every combination judged; the one to keep; warnings about what the fit rests on."""
    grid = hooks.calibration_options(config)
    if not grid:
        raise UsageError("--calibrate: no loaded plugin offers options to calibrate "
                         "(was the scoring plugin blocked?)")
    current = {key: float(config.getoption(key)) for key in grid}
    for key, value in current.items():  # a value set by hand is tried too
        if value not in grid[key]:
            grid[key] = sorted([*grid[key], value])

    def distance(c: Candidate) -> float:  # ties go to the smaller change
        return sum(abs(v - current[k]) for k, v in c.values)

    candidates = [evaluate(hooks, config, cuts, values) for values in combinations(grid)]
    candidates.sort(key=lambda c: (-c.merit, -c.popt, distance(c)))
    now = next(c for c in candidates if dict(c.values) == current)
    best = candidates[0]
    chosen = best if best.merit >= now.merit + MIN_GAIN else now
    fix_commits = sum(labels.fix_commits for _, labels in cuts)
    warnings = []
    if fix_commits < SMALL_HISTORY:
        warnings.append(f"the fit rests on {fix_commits} fix commits over {len(cuts)} "
                        f"cut{'s' if len(cuts) != 1 else ''}: options fitted to so few may "
                        f"describe this history's accidents rather than its code "
                        f"(overfitting); prefer more --cuts or a longer --horizon, and "
                        f"check them with the next backtest")
    if len(cuts) == 1:
        warnings.append("one cut: the options are fitted to a single year; --cuts 3 or more "
                        "is safer")
    shown = candidates[:SHOWN] + ([now] if now not in candidates[:SHOWN] else [])
    return {"options": {k: list(v) for k, v in grid.items()},
            "combinations": len(candidates), "fix_commits": fix_commits,
            "current": now.as_dict(), "chosen": chosen.as_dict(),
            "changed": chosen is not now,
            "candidates": [c.as_dict() for c in shown], "warnings": warnings}


def options_written(text: str, prefix: str, values: Mapping[str, float],
                    path: Path) -> str:
    """The configuration file's ``text`` with ``values`` (plugin option keys) written into
    it, under the table ``prefix`` names; comments and layout are kept. ``path`` names the
    file in errors. (Reading and writing the file is the command line's job.)"""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: cannot update it: {exc}") from None
    for key, value in values.items():
        *tables, name = [*(prefix.split(".") if prefix else []), *key.split(".")]
        table: Any = doc
        for part in tables:
            if part not in table:
                table[part] = tomlkit.table()
            table = table[part]
            if not isinstance(table, Mapping):
                raise ConfigError(f"{path}: cannot write {key}: {part} is not a table")
        table[name] = float(value)
    return tomlkit.dumps(doc)
