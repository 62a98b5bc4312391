"""Generated from the rule classes: docs/rules.md (``python -m frictionscan_libcst.catalogue``)
and the plugin's ``rules_index.json`` (``python -m frictionscan_libcst.catalogue --index``).

Tests fail when either differs from what this module writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from frictionscan_libcst.evidence import evidence_markdown, load_evidence
from frictionscan_libcst.rule import Rule
from frictionscan_libcst.rules import BUILTIN_RULES

HEADER = """# Friction rules

Generated from the rule classes in `plugins/frictionscan_libcst/rules/` by
`python -m frictionscan_libcst.catalogue`; do not edit by hand. Switch a rule off with
`ignore = ["FS102"]` under `[tool.frictionscan.libcst]`, change a threshold under
`[tool.frictionscan.libcst.<CODE>]` (for example `[tool.frictionscan.libcst.FS101]` with
`limit = 5`), or suppress one finding with a `# frictionscan: ignore[<CODE>]` comment
([suppressions.md](suppressions.md)). `frictionscan rules` prints this table; rules with a
fix can be applied with `frictionscan fix` ([fixes.md](fixes.md)). The weight says how much a
rule's findings predicted next year's bug fixes in a backtest on real projects, beyond size,
complexity and churn ([below](#which-findings-are-friction)): the score and the quick-win
order weigh each finding by it. Teams that run ruff can have most of these reported once,
under ruff's codes, by the *ruff* plugin: its table of codes, effort minutes and the rule
each replaces is in [ruff.md](ruff.md).

| code | name | effort | weight | fix | what it flags |
|---|---|---|---|---|---|
"""


def _example(source: str) -> str:
    return "```python\n" + source.rstrip("\n") + "\n```\n"


def rules_markdown(rules: Sequence[type[Rule]] = BUILTIN_RULES,
                   evidence: Mapping[str, Any] | None = None) -> str:
    """docs/rules.md; ``evidence`` defaults to ``rule_evidence.json`` (the backtest)."""
    if evidence is None:
        evidence = load_evidence()
    out = [HEADER]
    for r in rules:
        summary = r.MESSAGE.format(**{k: "…" for k in _fields(r.MESSAGE)})
        out.append(f"| [{r.CODE}](#{anchor(r)}) | `{r.NAME}` | "
                   f"{r.EFFORT_MINUTES} min | {r.FRICTION_WEIGHT:g} | {r.FIX or '-'} | "
                   f"{summary} |\n")
    for r in rules:
        out.append(f"\n## {r.CODE} {r.NAME}\n\n{_sentence(r.DESCRIPTION)}{r.RATIONALE}\n\n")
        fix = {"safe": "safe (never changes behaviour)",
               "unsafe": "unsafe (may change behaviour; needs `--unsafe`)"}.get(r.FIX or "",
                                                                              "none")
        out.append(f"Effort: {r.EFFORT_MINUTES} minutes per occurrence. Fix: {fix}.\n")
        out.append(f"\nWeight: {r.FRICTION_WEIGHT:g} ({r.FRICTION_EVIDENCE or 'not backtested'}"
                   f"; [evidence](#which-findings-are-friction)).\n")
        if r.OPTIONS:
            out.append(f"\nOptions (`[tool.frictionscan.libcst.{r.CODE}]`):\n\n")
            for name, (kind, default, text) in r.OPTIONS.items():
                out.append(f"- `{name}` ({kind.__name__}, default `{default!r}`): {text}\n")
        out.append("\nFlagged:\n\n" + "\n".join(_example(s) for s in r.INVALID))
        out.append("\nNot flagged:\n\n" + "\n".join(_example(s) for s in r.VALID))
        for before, after in r.FIXED:
            out.append("\nFixed:\n\n" + _example(before) + "\nbecomes\n\n" + _example(after))
    out.append(evidence_markdown(evidence, {r.CODE: r.NAME for r in rules},
                                 {r.CODE: r.FRICTION_WEIGHT for r in rules}))
    return "".join(out)


def _sentence(text: str) -> str:
    return f"{text}. " if text else ""


def anchor(rule: type[Rule]) -> str:
    """The rule's section of docs/rules.md, as GitHub names its heading."""
    return f"{rule.CODE.lower()}-{rule.NAME}"


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def rules_index(rules: Sequence[type[Rule]] = BUILTIN_RULES) -> str:
    """``rules_index.json``: what the plugin needs about the built-in rules without
    importing libcst (options for the configuration, descriptions for ``rules``)."""
    import json

    return json.dumps([{"code": r.CODE, "name": r.NAME, "message": r.MESSAGE,
                        "description": r.DESCRIPTION, "rationale": r.RATIONALE,
                        "help": f"rules.md#{anchor(r)}",
                        "effort": r.EFFORT_MINUTES, "fix": r.FIX, "weight": r.FRICTION_WEIGHT,
                        "options": {n: [t.__name__, d, h] for n, (t, d, h) in r.OPTIONS.items()}}
                       for r in rules], indent=1) + "\n"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if sys.argv[1:] == ["--index"]:
        (Path(__file__).parent / "rules_index.json").write_text(rules_index())
    else:
        print(rules_markdown(), end="")
