"""Poisson regression with a fixed effect per group and cluster-robust intervals, in the
standard library (for benchmarks/rule_backtest.py; tests/test_rule_stats.py).

The model: ``E[y_i] = exp(a_g(i) + x_i . b)``, one intercept ``a_g`` per group (a
repository) and common slopes ``b``. The intercepts are profiled out: for given ``b`` the
maximum-likelihood ``a_g`` is ``log(sum_g y / sum_g exp(x . b))``, so Newton's method runs on
``b`` alone (a handful of columns, however many groups), with step halving. Groups without
events say nothing about ``b`` and are left out.

Intervals are Wald intervals from the sandwich (cluster-robust) covariance, clusters being
files: counts of commits are overdispersed and the functions of one file move together, so
the model-based Poisson variance would be far too narrow. The scores are taken net of the
group intercepts (``x_i`` minus the group's fitted-mean-weighted average of ``x``) and the
sandwich is scaled by ``G / (G - 1)`` for ``G`` clusters.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Fit:
    """Slopes, their robust covariance, and what went into the fit."""

    coef: tuple[float, ...]
    cov: tuple[tuple[float, ...], ...]
    #: Observations and groups that carried information (groups with events).
    n: int
    groups: int
    clusters: int
    iterations: int
    converged: bool
    #: Fitted means of every observation given (0 for those of groups without events).
    mu: tuple[float, ...] = ()

    def se(self, k: int) -> float:
        return math.sqrt(max(self.cov[k][k], 0.0))

    def rate_ratio(self, k: int, per: float = 1.0) -> tuple[float, float, float]:
        """``exp(b_k * per)`` with its 95% interval."""
        b, s = self.coef[k] * per, self.se(k) * abs(per)
        return math.exp(b), math.exp(b - Z95 * s), math.exp(b + Z95 * s)


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """``a x = b`` by Gaussian elimination with partial pivoting (``a`` small, square)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            raise ValueError("singular matrix (a column is constant or collinear)")
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                if f:
                    for c in range(col, n + 1):
                        m[r][c] -= f * m[col][c]
    return [m[i][n] / m[i][i] for i in range(n)]


def inverse(a: list[list[float]]) -> list[list[float]]:
    n = len(a)
    cols = [solve(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def poisson_fe(y: Sequence[float], x: Sequence[Sequence[float]], groups: Sequence[Hashable],
               clusters: Sequence[Hashable] | None = None, *, max_iter: int = 50,
               tol: float = 1e-8, start: Sequence[float] | None = None) -> Fit:
    """Fit ``E[y] = exp(a_group + x . b)``; ``clusters`` default to one per observation."""
    if not (len(y) == len(x) == len(groups)):
        raise ValueError("y, x and groups differ in length")
    if clusters is None:
        clusters = list(range(len(y)))
    p = len(x[0]) if x else 0
    totals: dict[Hashable, float] = {}
    for yi, g in zip(y, groups):
        totals[g] = totals.get(g, 0.0) + yi
    keep = [i for i, g in enumerate(groups) if totals[g] > 0]
    by_group: dict[Hashable, list[int]] = {}
    for i in keep:
        by_group.setdefault(groups[i], []).append(i)
    beta = list(start) if start is not None else [0.0] * p

    def profile(b: list[float]) -> tuple[float, list[float], list[float], list[list[float]]]:
        """log-likelihood (up to a constant), fitted means, gradient, information."""
        ll = 0.0
        mu = [0.0] * len(y)
        grad = [0.0] * p
        info = [[0.0] * p for _ in range(p)]
        for members in by_group.values():
            eta = [sum(x[i][k] * b[k] for k in range(p)) for i in members]
            top = max(eta)
            w = [math.exp(e - top) for e in eta]
            s = sum(w)
            total = sum(y[i] for i in members)
            ll += sum(y[i] * e for i, e in zip(members, eta)) - total * (math.log(s) + top)
            mx = [0.0] * p
            for i, wi in zip(members, w):
                m = total * wi / s
                mu[i] = m
                xi = x[i]
                r = y[i] - m
                for k in range(p):
                    grad[k] += r * xi[k]
                    mx[k] += m * xi[k]
                    row = info[k]
                    mxk = m * xi[k]
                    for j in range(k + 1):
                        row[j] += mxk * xi[j]
            for k in range(p):
                for j in range(k + 1):
                    info[k][j] -= mx[k] * mx[j] / total
        for k in range(p):
            for j in range(k):
                info[j][k] = info[k][j]
        return ll, mu, grad, info

    ll, mu, grad, info = profile(beta)
    converged = False
    iterations = 0
    for _ in range(max_iter):
        iterations += 1
        step = solve(info, grad)
        scale = 1.0
        while True:
            trial = [b + scale * s for b, s in zip(beta, step)]
            t_ll, t_mu, t_grad, t_info = profile(trial)
            if t_ll >= ll - 1e-12 or scale < 1e-6:
                break
            scale /= 2
        change = max((abs(a - b) for a, b in zip(trial, beta)), default=0.0)
        beta, ll, mu, grad, info = trial, t_ll, t_mu, t_grad, t_info
        if change < tol:
            converged = True
            break
    bread = inverse(info)
    # scores net of the group intercepts, summed per cluster
    means: dict[Hashable, list[float]] = {}
    for g, members in by_group.items():
        total = totals[g]
        means[g] = [sum(mu[i] * x[i][k] for i in members) / total for k in range(p)]
    scores: dict[Hashable, list[float]] = {}
    for i in keep:
        r = y[i] - mu[i]
        if r == 0:
            scores.setdefault(clusters[i], [0.0] * p)
            continue
        m = means[groups[i]]
        s = scores.setdefault(clusters[i], [0.0] * p)
        for k in range(p):
            s[k] += (x[i][k] - m[k]) * r
    n_clusters = len(scores)
    meat = [[0.0] * p for _ in range(p)]
    for s in scores.values():
        for k in range(p):
            for j in range(p):
                meat[k][j] += s[k] * s[j]
    factor = n_clusters / (n_clusters - 1) if n_clusters > 1 else 1.0
    half = [[sum(bread[k][m] * meat[m][j] for m in range(p)) for j in range(p)]
            for k in range(p)]
    cov = [[factor * sum(half[k][m] * bread[m][j] for m in range(p)) for j in range(p)]
           for k in range(p)]
    return Fit(coef=tuple(beta), cov=tuple(tuple(r) for r in cov), n=len(keep),
               groups=len(by_group), clusters=n_clusters, iterations=iterations,
               converged=converged, mu=tuple(mu))
