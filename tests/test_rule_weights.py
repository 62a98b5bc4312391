"""Which findings are friction (#18): rule weights from the backtest, carried on every finding
through workers and the cache, shown by ``rules``, ordering the quick wins, in docs/rules.md."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from frictionscan_libcst.catalogue import rules_markdown
from frictionscan_libcst.evidence import (
    evidence_line,
    evidence_markdown,
    load_evidence,
    weight_for,
)
from frictionscan_libcst.rules import BUILTIN_RULES
from test_cli import run

from frictionscan.api import Finding, Span
from frictionscan.engine.cache import decode_parts, encode_parts
from frictionscan.testing import StreamBuilder, build_repo, run_scan
from frictionscan.views.plan import quick_wins

WEIGHTS = {r.CODE: r.FRICTION_WEIGHT for r in BUILTIN_RULES}


def test_each_rule_carries_the_weight_its_evidence_gives() -> None:
    predictors = load_evidence()["predictors"]
    for rule in BUILTIN_RULES:
        entry = predictors.get(rule.CODE)
        assert weight_for(entry) == rule.FRICTION_WEIGHT, rule.CODE
        assert evidence_line(entry) == rule.FRICTION_EVIDENCE, rule.CODE
    assert len(set(WEIGHTS.values())) > 1  # the backtest told the rules apart


@pytest.mark.parametrize("entry,weight", [
    ({"fixes": [1.4, 1.1, 1.8], "changes": [1.0, 0.8, 1.2]}, 1.0),
    ({"fixes": [1.2, 0.9, 1.6], "changes": [1.0, 0.8, 1.2]}, 0.5),
    ({"fixes": [0.95, 0.8, 1.1], "changes": [1.3, 1.1, 1.5]}, 0.5),
    ({"fixes": [1.05, 0.9, 1.2], "changes": [1.1, 0.95, 1.3]}, 0.0),
    ({"fixes": [0.7, 0.5, 0.9], "changes": [0.8, 0.7, 0.95]}, 0.0),
    ({"fixes": [1.5, 1.1, 2.0], "fixes_loo": [1.0, 1.7, "x"], "changes": None}, 0.5),
    ({"fixes": [1.3, 0.9, 2.0], "fixes_loo": [0.6, 1.7, "x"], "changes": None}, 0.0),
    ({"fixes": [1.3, 0.9, 2.0], "fixes_loo": [0.6, 1.7, "x"], "changes": [1.3, 1.1, 1.5]},
     0.5),
    ({"fixes": [1.5, 1.1, 2.0], "fixes_loo": [1.2, 1.7, "x"], "changes": None}, 1.0),
    ({"fixes": None, "changes": None}, 0.25),
    (None, 0.25),
])
def test_weight_for(entry: dict | None, weight: float) -> None:  # type: ignore[type-arg]
    assert weight_for(entry) == weight


def _finding(code: str, weight: float) -> Finding:
    return Finding(code=code, name="x", message="m", span=Span(start_line=3, start_col=0),
                   weight=weight)


def test_the_cache_keeps_a_findings_weight() -> None:
    text = encode_parts([], [_finding("FS104", 0.25)], [_finding("FS116", 0.0)], [], None)
    entry = decode_parts(text)
    assert [f.weight for f in entry["findings"]] == [0.25]
    assert [f.weight for f in entry["suppressed"]] == [0.0]
    # the default is 1.0 (a third-party rule that says nothing)
    assert Finding(code="X1", name="x", message="m", span=Span(start_line=1)).weight == 1.0


def _findings(result) -> list[Finding]:  # type: ignore[no-untyped-def]
    return [f for h in result.hotspots for f in h.analysis.findings]


def test_findings_carry_their_rules_weight_from_workers_and_the_cache(
        planted_copy: Path) -> None:
    options = {"all_findings": True}
    fresh = run_scan(planted_copy, in_process=False, cache=True, overrides=options)
    cached = run_scan(planted_copy, in_process=False, cache=True, overrides=options)
    assert cached.stat("cached_files") == cached.stat("files") > 0
    for result in (fresh, cached):
        found = _findings(result)
        assert found
        assert all(f.weight == WEIGHTS[f.code] for f in found), \
            {(f.code, f.weight) for f in found}
        assert {f.weight for f in found} != {1.0}  # not only the default


def test_rules_lists_the_weight() -> None:
    code, out, err = run("rules")
    assert code == 0, err
    header = next(line for line in out.splitlines() if "code" in line and "name" in line)
    assert "weight" in header
    for rule in BUILTIN_RULES:
        line = next(ln for ln in out.splitlines() if ln.startswith(f"{rule.CODE} "))
        assert f" {rule.FRICTION_WEIGHT:g} " in line, line


def test_the_rule_info_has_the_weight_without_importing_libcst() -> None:
    from frictionscan_libcst import frictionscan_rules

    infos = {i.code: i.weight for i in frictionscan_rules(None)}
    assert infos == WEIGHTS


def _reweigh(result, weights: dict[str, float]):  # type: ignore[no-untyped-def]
    hotspots = []
    for h in result.hotspots:
        findings = tuple(dataclasses.replace(f, weight=weights.get(f.code, 1.0))
                         for f in h.analysis.findings)
        hotspots.append(dataclasses.replace(
            h, analysis=dataclasses.replace(h.analysis, findings=findings)))
    return hotspots


SAMPLE = """\
import json


def load(path, strict=False):
    assert path, "a path is needed"
    # TODO: cache the parsed files
    try:
        data = json.loads(open(path).read())
    except Exception:
        pass
    print("loaded", path)
    if path and strict or data and not strict or path is None and strict:
        return data
    else:
        return None


def save(path, data):
    assert data, "no data"
    x = eval(data)  # type: ignore
    # FIXME: atomic writes
    print(x)
    return x
"""


@pytest.fixture(scope="module")
def quick_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    """Two library files full of quick-win findings of rules of every weight, changed often."""
    s = StreamBuilder()
    for k in range(6):
        s.commit(f"2025-0{k + 1}-10T10:00:00", f"work {k}",
                 {"lib/a.py": SAMPLE + f"# rev {k}\n",
                  "lib/b.py": SAMPLE.replace("load", "read") + f"# rev {k}\n" * (k + 1)})
    return build_repo(s.text(), tmp_path_factory.mktemp("quick") / "repo")


def test_quick_wins_are_ordered_by_weighted_return(quick_repo: Path) -> None:
    result = run_scan(quick_repo)
    found = {f.code for f in _findings(result)}
    assert {"FS108", "FS116", "FS115", "FS104", "FS114", "FS117"} <= found
    wins = quick_wins(result.hotspots, limit=1000)
    # the rules that predict (weight > 0) first, then the others, each by return
    weights = [w.finding.weight for w in wins]
    assert weights == sorted(weights, key=lambda w: w <= 0)
    assert WEIGHTS["FS116"] > 0 and WEIGHTS["FS115"] == 0  # the backtest's verdict
    assert wins[0].finding.code in {c for c, w in WEIGHTS.items() if w > 0}
    assert {w.finding.code for w in wins} == found  # weight 0 is listed, last

    plain = quick_wins(_reweigh(result, {}), limit=1000)
    assert [w.value for w in plain] == sorted((w.value for w in plain), reverse=True)
    # the best rule predicts nothing: its findings go last, still listed, best first
    top = plain[0].finding.code
    demoted = quick_wins(_reweigh(result, {top: 0.0}), limit=1000)
    assert len(demoted) == len(plain)
    tail = [w for w in demoted if w.finding.code == top]
    assert demoted[-len(tail):] == tail and all(w.value == 0 for w in tail)
    assert [(w.path, w.finding.span) for w in tail] == \
        [(w.path, w.finding.span) for w in plain if w.finding.code == top]
    # a weight scales the value
    half = {c: 0.5 for c in found if c != top}
    weighed = quick_wins(_reweigh(result, half), limit=1000)
    plain_value = {(w.path, w.finding.span.start_line, w.finding.code): w.value for w in plain}
    for w in weighed:
        expected = plain_value[(w.path, w.finding.span.start_line, w.finding.code)]
        factor = 1.0 if w.finding.code == top else 0.5
        assert w.value == pytest.approx(expected * factor, abs=1e-4)
    assert [w.value for w in weighed] == sorted((w.value for w in weighed), reverse=True)


EVIDENCE = {
    "projects": [{"repo": "acme+widgets", "cut": "0123456789abcdef", "cut_time": 1700000000,
                  "end_time": 1731536000, "files": 12, "functions": 340, "commits": 90,
                  "fix_commits": 31, "mass_edits": 1, "findings_outside": 4,
                  "fixes_landed": 77, "changes_landed": 260}],
    "covariates": {"fixes": {"log lines": [1.5, 1.3, 1.7]},
                   "changes": {"log lines": [1.6, 1.4, 1.8]}},
    "events": {"fixes": 77, "changes": 260},
    "predictors": {
        "FS104": {"label": "FS104 swallowed-exception", "functions": 41, "findings": 44,
                  "repositories": 1, "fixes": [1.37, 1.08, 1.74], "changes": [1.1, 0.9, 1.3],
                  "fixes_loo": [1.2, 1.5, "acme+widgets"],
                  "fixes_observed": 19, "fixes_expected": 13.9, "changes_observed": 50,
                  "changes_expected": 45.5,
                  "repos": {"acme+widgets": {"functions": 41, "findings": 44, "fixes": 19,
                                             "expected_fixes": 13.9, "changes": 50,
                                             "expected_changes": 45.5}}},
        "any": {"label": "any finding", "functions": 120, "findings": 300,
                "repositories": 1, "fixes": [0.91, 0.8, 1.02], "changes": None,
                "fixes_observed": 30, "fixes_expected": 33.0, "changes_observed": 100,
                "changes_expected": 101.0, "repos": {}},
    },
}


def test_the_catalogue_renders_the_evidence() -> None:
    text = evidence_markdown(EVIDENCE, {"FS104": "swallowed-exception"}, {"FS104": 1.0})
    assert "## Which findings are friction" in text
    assert "| acme+widgets | 0123456789 (2023-11-14) | 12 | 340 | 90 | 31 | 77 | 260 | 4 |" \
        in text
    assert ("| FS104 `swallowed-exception` | 1 | 41 | 44 | 1 | 1.37 [1.08-1.74] | "
            "1.20-1.50 (lowest without acme+widgets) | 19 / 13.9 | 1.10 [0.90-1.30] |") in text
    assert "| any finding |  | 120 | 300 | 1 | 0.91 [0.80-1.02] |  | 30 / 33.0 | n/a |" in text
    assert "| FS104 | 41: 19/13.9 |" in text
    whole = rules_markdown(evidence=EVIDENCE)
    assert whole.endswith(evidence_markdown(EVIDENCE, {r.CODE: r.NAME for r in BUILTIN_RULES},
                                            WEIGHTS))
    assert "| FS104 `swallowed-exception` | 0 | 41 |" in whole  # the rule class's weight
    swallowed = next(r for r in BUILTIN_RULES if r.CODE == "FS104")
    assert f"Weight: {swallowed.FRICTION_WEIGHT:g} (" in whole
    # the real document is generated from the real evidence
    assert json.loads(json.dumps(load_evidence()))["projects"]
