"""Which findings are friction: the backtest's per-rule evidence and the weights it gives.

``rule_evidence.json`` (next to this module) is written by ``benchmarks/rule_backtest.py
--evidence``: per rule, the rate ratio of next year's fix commits and changes for the
functions with the rule's findings against comparable functions without (same size,
complexity and prior changes, same project). :func:`weight_for` turns a rule's entry into its
weight; the rule classes carry that weight as ``FRICTION_WEIGHT`` (a test keeps both in
step) and :func:`evidence_markdown` renders the section of docs/rules.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

EVIDENCE_FILE = Path(__file__).parent / "rule_evidence.json"

#: A rule whose findings predict fixes with confidence: the lower end of the interval above
#: 1, and the rate ratio above 1 whichever single project is left out.
FULL = 1.0
#: Weak but positive evidence: fixes rate ratio at least :data:`WEAK_RATIO` without
#: confidence, and not below 1 without any one project; or more changes with confidence.
MIDDLE = 0.5
#: Too rare to test (fewer functions with findings than the backtest needs): no evidence
#: either way, after the rules with positive evidence, before those that predict nothing.
UNTESTED = 0.25
#: Predicts nothing (or fewer fixes).
NONE = 0.0
WEAK_RATIO = 1.1

RATIO = list[float]  # [rate ratio, 95% low, 95% high]


def load_evidence(path: Path = EVIDENCE_FILE) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def weight_for(entry: Mapping[str, Any] | None) -> float:
    """The weight a rule's evidence gives (docs/rules.md#which-findings-are-friction)."""
    fixes = entry.get("fixes") if entry else None
    if not entry or not fixes:
        return UNTESTED
    ratio, low, _ = fixes
    loo = entry.get("fixes_loo")
    if low > 1.0 and (not loo or loo[0] > 1.0):
        return FULL
    changes = entry.get("changes")
    if ratio >= WEAK_RATIO and (not loo or loo[0] >= 1.0) or (changes and changes[1] > 1.0):
        return MIDDLE
    return NONE


def _ratio(r: Sequence[float] | None) -> str:
    return f"{r[0]:.2f} [{r[1]:.2f}-{r[2]:.2f}]" if r else "n/a"


def evidence_line(entry: Mapping[str, Any] | None) -> str:
    """One line for the rule class's ``FRICTION_EVIDENCE``."""
    if not entry:
        return "not backtested"
    if not entry.get("fixes"):
        return (f"too few functions with findings to test: {entry['functions']} in "
                f"{entry['repositories']} projects")
    return (f"next-year fixes x{_ratio(entry.get('fixes'))}, changes "
            f"x{_ratio(entry.get('changes'))} in {entry['functions']} functions of "
            f"{entry['repositories']} projects")


def evidence_document(table: Mapping[str, Any]) -> str:
    """``rule_evidence.json`` from the backtest's table."""
    keep = ("label", "functions", "findings", "repositories", "fixes", "fixes_loo", "changes",
            "fixes_observed", "fixes_expected", "changes_observed", "changes_expected", "repos")
    doc = {"projects": table["projects"],
           "covariates": {k: v["covariates"] for k, v in table["outcomes"].items()},
           "events": {k: v["events"] for k, v in table["outcomes"].items()},
           "predictors": {code: {k: entry[k] for k in keep if k in entry}
                          for code, entry in table["predictors"].items()}}
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


METHOD = """
## Which findings are friction

Does a rule's finding mark code that costs the team later, or is it lint? Each rule was
backtested at function level on the histories below with `benchmarks/rule_backtest.py`
(issue #18). For each project, at a cut 12 months before its newest commit (the evaluation
harness's rule: the newest first-parent commit at least 365 days older), every function and
method of the product files (tests, docs, examples, vendored code and tooling left out, as the
harness does) was measured at the cut: its lines, its cyclomatic complexity (radon), its
changes in the 12 months before (the function X-ray's walk over `git log -p -U0`), and its
findings (every rule with default options, run on the cut's version from git objects). Then
every commit of the 12 months after the cut was mapped onto the cut's functions (each hunk
lands in the functions of the parent version whose lines it changes, matched by qualified
name, renames followed): *changes* are the commits that changed the function, *fixes* those
the harness's loose label calls bug fixes (a fix word in the subject or an issue-closing
reference; bots and `feat:`/`docs:`-style subjects never); commits touching more than 20
product files are mass edits and left out.

Per rule, a Poisson regression of each function's next-year count with a fixed effect per
project and the covariates log(lines), log(1 + complexity) and log(1 + prior changes), plus
the rule's indicator (the function has at least one finding of it). The rate ratio says how
many more fixes (changes) a function with the rule's findings receives than a function of
the same size, complexity and history without; 95% intervals are cluster-robust (functions
of one file are not independent). A finding belongs to the innermost function holding its
first line; a finding outside every function but spanning some (god-class) to every function
inside it; module-level findings to none. Rules with fewer than 30 functions with findings
are not tested.

**Weights** (`FRICTION_WEIGHT` of each rule, carried on every finding as `weight`): **1.0**
where the fixes rate ratio is above 1 with confidence (the lower end of its interval above
1) and stays above 1 whichever single project is left out; **0.5** where the evidence is weak
but positive (fixes ratio at least 1.1 without that confidence, and not below 1 without any
one project; or more changes with confidence); **0.25** for rules too rare to test (no
evidence either way); **0** where the rule predicts nothing beyond size, complexity and
churn, or fewer fixes. The quick-win order of `frictionscan plan` multiplies each finding's
return by its weight (weight-0 findings come last,
[planning.md](planning.md#effort-and-return)), and the score reads it.

To measure again (a few minutes per project; the function tables are cached):
`python benchmarks/rule_backtest.py MIRROR... --evidence
plugins/frictionscan_libcst/rule_evidence.json` with the evaluation harness at
`--eval-dir`, then `python -m frictionscan_libcst.catalogue --index` and
`python -m frictionscan_libcst.catalogue > docs/rules.md`; `tests/test_rule_weights.py` names
each rule whose `FRICTION_WEIGHT` and `FRICTION_EVIDENCE` no longer follow from the table.
"""

NOTES = """
What the table says, and what did not work:

- **Findings as such do not predict fixes.** A function with any finding receives no more
  fixes than a function of the same size, complexity and history without one (the "any
  finding" row), and the effort-weighted total of a function's findings predicts slightly
  *fewer* per doubling. Findings sit in long, complex, often-changed functions, which receive
  more fixes anyway: without those covariates nearly every rule would look predictive
  (compare the covariates' own rate ratios above). A score or quick-win list that counts
  findings mostly re-counts size.
- **Only global mutation (FS112) predicts fixes with confidence**, and on few functions
  (44, 8 fixes against 3 expected): its weight is the best-supported and the least precise.
  Too many parameters (FS103), complex conditions (FS108) and TODO markers (FS116) lean
  positive (18-21% more fixes, intervals touching 1, steady when any one project is left
  out); FS103's functions also receive a third more changes, with confidence.
  Repeated magic numbers (FS109) and bare excepts (FS122) lean positive only through
  SQLAlchemy (without it, 0.65 and no fix at all): weight 0.
- **The lint-style rules predict nothing or less**: assert-for-validation (FS115),
  blanket ignores (FS117), else-after-return (FS121), long functions (FS102) and deep nesting
  (FS101) beyond their size and complexity. Methods of god classes (FS111) receive *fewer*
  fixes and changes than methods of the same size elsewhere: big stable classes. The
  swallowed exception (FS104), the one rule the file-level look found predictive (1.29), has
  only 44 functions here and an interval from 0.35 to 2.6: at function level it could not
  be confirmed.
- Rare rules (mutable defaults, long elif chains, commented-out code, `== None`, star
  imports: fewer than 30 functions in twelve projects) are not tested and weigh 0.25. Star
  imports and most module-level findings sit outside every function and cannot be tested at
  this level (their count per project is in the first table).
- Werkzeug (whose mirror ends seven months after its cut) and Tornado had almost no commits
  after their cut (4 and 36): they add functions to the comparison but little evidence. The
  fix label is a keyword label (it calls 199 of SQLAlchemy's 249 commits fixes, most of them
  for an issue-closing reference); a sharper label (changelog entries) would sharpen the fix
  column. The weights are a measurement of twelve
  projects, not a law: rerun `benchmarks/rule_backtest.py` on your own history.
"""


def evidence_markdown(evidence: Mapping[str, Any], names: Mapping[str, str],
                      weights: Mapping[str, float]) -> str:
    """The "Which findings are friction" section of docs/rules.md."""
    out = [METHOD]
    out.append("\n### Projects\n\n| project | cut | product files | functions | commits after "
               "| fix commits | fix landings | change landings | findings outside functions "
               "|\n|---|---|---|---|---|---|---|---|---|\n")
    for p in evidence["projects"]:
        day = datetime.fromtimestamp(p["cut_time"], timezone.utc).date().isoformat()
        out.append(f"| {p['repo']} | {p['cut'][:10]} ({day}) | {p['files']} | "
                   f"{p['functions']} | {p['commits']} | {p['fix_commits']} | "
                   f"{p['fixes_landed']} | {p['changes_landed']} | {p['findings_outside']} |\n")
    out.append("\nCommits after: non-merge commits of the 12 months that changed a product "
               "file of the cut (mass edits left out); landings: (commit, function) pairs.\n")
    preds = evidence["predictors"]
    out.append("\n### Per rule\n\n| rule | weight | functions | findings | projects | "
               "fixes: rate ratio [95%] | without one project | observed / expected fixes | "
               "changes: rate ratio [95%] |\n|---|---|---|---|---|---|---|---|---|\n")
    rows = [(f"{code} `{names[code]}`", f"{weights[code]:g}", preds[code])
            for code in sorted(k for k in preds if k in names)]
    rows += [(preds[k]["label"], "", preds[k]) for k in ("any", "minutes") if k in preds]
    for label, weight, e in rows:
        loo = e.get("fixes_loo")
        spread = f"{loo[0]:.2f}-{loo[1]:.2f} (lowest without {loo[2]})" if loo else ""
        out.append(f"| {label} | {weight} | {e['functions']} | {e['findings']} | "
                   f"{e['repositories']} | {_ratio(e.get('fixes'))} | {spread} | "
                   f"{e['fixes_observed']:g} / {e['fixes_expected']:.1f} | "
                   f"{_ratio(e.get('changes'))} |\n")
    out.append("\nWithout one project: the fixes rate ratio fitted again with each project "
               "that has the rule's findings left out in turn, lowest and highest.\n")
    out.append("\nExpected fixes: from the model without the rule (size, complexity, prior "
               "changes, project). For comparison, the covariates' own rate ratios (per unit "
               "of each log), for fixes: ")
    cov = evidence["covariates"]
    out.append(", ".join(f"{k} {_ratio(v)}" for k, v in cov["fixes"].items()))
    out.append("; for changes: ")
    out.append(", ".join(f"{k} {_ratio(v)}" for k, v in cov["changes"].items()) + ".\n")
    repos = [p["repo"] for p in evidence["projects"]]
    out.append("\n### Per project\n\nFunctions with the rule's findings, and their observed / "
               "expected next-year fixes, per project.\n\n| rule | "
               + " | ".join(r.split("+")[-1] for r in repos) + " |\n|---|"
               + "---|" * len(repos) + "\n")
    for code in [*sorted(k for k in preds if k in names), "any"]:
        if code not in preds:
            continue
        e = preds[code]
        cells = []
        for r in repos:
            c = e.get("repos", {}).get(r)
            cells.append(f"{c['functions']}: {c['fixes']:g}/{c['expected_fixes']:.1f}" if c
                         else "-")
        label = code if code in names else e["label"]
        out.append(f"| {label} | " + " | ".join(cells) + " |\n")
    out.append(NOTES)
    return "".join(out)
