"""docs/rules.md, generated from the rule classes: ``python -m frictionscan_libcst.catalogue``.

A test fails when docs/rules.md differs from what this module writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from frictionscan_libcst.rule import Rule
from frictionscan_libcst.rules import BUILTIN_RULES

HEADER = """# Friction rules

Generated from the rule classes in `plugins/frictionscan_libcst/rules/` by
`python -m frictionscan_libcst.catalogue`; do not edit by hand. Switch a rule off with
`ignore = ["FS102"]` under `[tool.frictionscan.libcst]`.

| code | name | effort | what it flags |
|---|---|---|---|
"""


def _example(source: str) -> str:
    return "```python\n" + source.rstrip("\n") + "\n```\n"


def rules_markdown(rules: Sequence[type[Rule]] = BUILTIN_RULES) -> str:
    out = [HEADER]
    for r in rules:
        summary = r.MESSAGE.format(**{k: "…" for k in _fields(r.MESSAGE)})
        out.append(f"| [{r.CODE}](#{r.CODE.lower()}-{r.NAME}) | `{r.NAME}` | "
                   f"{r.EFFORT_MINUTES} min | {summary} |\n")
    for r in rules:
        out.append(f"\n## {r.CODE} {r.NAME}\n\n{r.RATIONALE}\n\n")
        out.append(f"Effort: {r.EFFORT_MINUTES} minutes per occurrence. "
                   f"Automatic fix: {'yes' if r.FIXABLE else 'not yet'}.\n")
        limit = getattr(r, "LIMIT", None)
        if limit is not None:
            out.append(f"Threshold: {limit}.\n")
        out.append("\nFlagged:\n\n" + "\n".join(_example(s) for s in r.INVALID))
        out.append("\nNot flagged:\n\n" + "\n".join(_example(s) for s in r.VALID))
    return "".join(out)


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


if __name__ == "__main__":
    print(rules_markdown(), end="")
