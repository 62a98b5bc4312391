"""The rule backtest's statistics (benchmarks/rule_stats.py) on data where the answer is known."""

from __future__ import annotations

import importlib.util
import math
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("rule_stats", ROOT / "benchmarks" / "rule_stats.py")
assert _spec and _spec.loader
rule_stats = importlib.util.module_from_spec(_spec)
sys.modules["rule_stats"] = rule_stats
_spec.loader.exec_module(rule_stats)


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's sampler (small means)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def test_one_indicator_in_one_group_gives_the_ratio_of_means() -> None:
    # exposed: 6 events over 3 units (2 each); unexposed: 3 over 3 (1 each) -> ratio 2
    y = [3, 1, 2, 1, 1, 1]
    x = [[1.0], [1.0], [1.0], [0.0], [0.0], [0.0]]
    fit = rule_stats.poisson_fe(y, x, ["g"] * 6)
    assert fit.converged
    assert fit.rate_ratio(0)[0] == pytest.approx(2.0, rel=1e-9)
    assert sum(fit.mu) == pytest.approx(sum(y))


def test_the_group_effect_removes_confounding_by_project() -> None:
    """Exposure is common in the busy project only; within each project it changes
    nothing. The crude ratio is far above 1, the model's is 1."""
    y, x, groups = [], [], []
    for group, base, share in (("busy", 4.0, 0.8), ("quiet", 0.5, 0.1)):
        for i in range(100):
            exposed = i < share * 100
            y.append(base)  # the expected count itself: the fit must find exactly 1
            x.append([1.0 if exposed else 0.0])
            groups.append(group)
    crude = (sum(v for v, r in zip(y, x) if r[0]) / sum(1 for r in x if r[0])) / \
        (sum(v for v, r in zip(y, x) if not r[0]) / sum(1 for r in x if not r[0]))
    assert crude > 2
    fit = rule_stats.poisson_fe(y, x, groups)
    assert fit.rate_ratio(0)[0] == pytest.approx(1.0, abs=1e-6)


def test_a_known_rate_ratio_is_recovered_with_a_covariate_and_clusters() -> None:
    rng = random.Random(18)
    y, x, groups, clusters = [], [], [], []
    for g, alpha in (("a", -1.0), ("b", 0.0), ("c", 0.7)):
        for f in range(150):  # files
            for _ in range(8):  # functions of a file
                size = rng.uniform(0.0, 3.0)
                flagged = 1.0 if rng.random() < 0.2 + 0.15 * size else 0.0
                mean = math.exp(alpha + 0.6 * size + math.log(1.8) * flagged - 1.0)
                y.append(poisson(rng, mean))
                x.append([size, flagged])
                groups.append(g)
                clusters.append(f"{g}/{f}")
    fit = rule_stats.poisson_fe(y, x, groups, clusters)
    ratio, low, high = fit.rate_ratio(1)
    assert low < 1.8 < high
    assert ratio == pytest.approx(1.8, rel=0.15)
    assert fit.rate_ratio(0)[0] == pytest.approx(math.exp(0.6), rel=0.1)
    assert fit.clusters == 450 and fit.groups == 3
    # a predictor with no effect: its interval holds 1
    noise = [[*row, 1.0 if rng.random() < 0.5 else 0.0] for row in x]
    _, low, high = rule_stats.poisson_fe(y, noise, groups, clusters).rate_ratio(2)
    assert low < 1.0 < high


def test_clustered_outcomes_widen_the_interval() -> None:
    """Functions of one file share their fate: the robust interval is wider than the one
    that takes each function for independent."""
    rng = random.Random(7)
    y, x, groups, clusters = [], [], [], []
    for f in range(120):
        flagged = 1.0 if f % 2 else 0.0
        shared = rng.choice((0.2, 3.0))  # the file's own luck
        for _ in range(10):
            y.append(poisson(rng, shared))
            x.append([flagged])
            groups.append("g")
            clusters.append(f)
    by_file = rule_stats.poisson_fe(y, x, groups, clusters)
    by_function = rule_stats.poisson_fe(y, x, groups)
    assert by_file.coef == pytest.approx(by_function.coef)
    assert by_file.se(0) > 1.5 * by_function.se(0)


def test_groups_without_events_are_left_out() -> None:
    y = [0, 0, 2, 1, 1, 0]
    x = [[1.0], [0.0], [1.0], [1.0], [0.0], [0.0]]
    fit = rule_stats.poisson_fe(y, x, ["empty", "empty", "g", "g", "g", "g"])
    assert fit.groups == 1 and fit.n == 4
    assert fit.rate_ratio(0)[0] == pytest.approx((3 / 2) / (1 / 2))


def test_solve_rejects_a_singular_system() -> None:
    with pytest.raises(ValueError, match="singular"):
        rule_stats.solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0])
