"""The ruff codes the *ruff* plugin selects, what each costs to fix, and the frictionscan
rule it overlaps (reported once: see docs/ruff.md). ``python -m frictionscan_ruff.codes``
prints the table of docs/ruff.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuffCode:
    """One ruff rule as frictionscan reports it."""

    #: ruff's code (``B006``), the finding's code.
    code: str
    #: ruff's rule name (``mutable-argument-default``), the finding's name.
    name: str
    #: Minutes to fix one occurrence (the overlapped rule's, where there is one).
    effort_minutes: int
    #: The frictionscan rule that flags the same thing, or ``None``.
    overlaps: str | None
    #: Whether ruff has a fix for it: ``"safe"``, ``"unsafe"`` or ``None`` (as ruff's own
    #: rule documentation says; each finding carries ruff's own applicability).
    fix: str | None = None


#: Every code the plugin selects, in the order of docs/ruff.md.
CODES: tuple[RuffCode, ...] = (
    RuffCode("PLR0915", "too-many-statements", 60, "FS102"),
    RuffCode("PLR0913", "too-many-arguments", 30, "FS103"),
    RuffCode("S110", "try-except-pass", 10, "FS104"),
    RuffCode("B006", "mutable-argument-default", 5, "FS105", "unsafe"),
    RuffCode("FBT002", "boolean-default-value-positional-argument", 30, "FS106"),
    RuffCode("PLW0603", "global-statement", 30, "FS112"),
    RuffCode("F403", "undefined-local-with-import-star", 15, "FS113"),
    RuffCode("T201", "print", 5, "FS114", "unsafe"),
    RuffCode("FIX001", "line-contains-fixme", 15, "FS116"),
    RuffCode("FIX002", "line-contains-todo", 15, "FS116"),
    RuffCode("FIX003", "line-contains-xxx", 15, "FS116"),
    RuffCode("FIX004", "line-contains-hack", 15, "FS116"),
    RuffCode("PGH004", "blanket-noqa", 5, "FS117"),
    RuffCode("ERA001", "commented-out-code", 5, "FS118"),
    RuffCode("PLR0911", "too-many-return-statements", 20, "FS119"),
    RuffCode("E711", "none-comparison", 2, "FS120", "unsafe"),
    RuffCode("RET505", "superfluous-else-return", 2, "FS121", "safe"),
    RuffCode("RET506", "superfluous-else-raise", 2, "FS121", "safe"),
    RuffCode("RET507", "superfluous-else-continue", 2, "FS121", "safe"),
    RuffCode("RET508", "superfluous-else-break", 2, "FS121", "safe"),
    RuffCode("E722", "bare-except", 2, "FS122"),
    # what no frictionscan rule flags
    RuffCode("PLR0912", "too-many-branches", 20, None),
    RuffCode("F401", "unused-import", 2, None, "safe"),
    RuffCode("F841", "unused-variable", 2, None, "unsafe"),
    RuffCode("SIM102", "collapsible-if", 5, None, "unsafe"),
)

BY_CODE: dict[str, RuffCode] = {c.code: c for c in CODES}


def table() -> str:
    """The Markdown table of docs/ruff.md."""
    rows = ["| ruff code | ruff rule | effort | ruff's fix | reported instead of |",
            "|---|---|---|---|---|"]
    for c in CODES:
        rows.append(f"| `{c.code}` | `{c.name}` | {c.effort_minutes} min | {c.fix or '-'} | "
                    f"{c.overlaps or '-'} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(table(), end="")
