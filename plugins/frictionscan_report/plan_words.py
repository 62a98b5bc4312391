"""A file's details on the HTML plan, in words: why it ranks where it does, said as
sentences ("changed in 14 commits over 12 months, 3 of them fixes; last changed 175 days
ago") rather than the score's raw components.

Each sentence is a tuple of parts ``(text, is_code)``: the template shows code parts as
``<code>`` and escapes every part. Texts that name code between backticks (finding
messages, work in flight) are split the same way (:func:`backticked`).
"""

from __future__ import annotations

import re
from collections import Counter

from frictionscan.api import Hotspot, ScanResult, code_spans, printable

Parts = tuple[tuple[str, bool], ...]

#: The score's factors, in the order the details list them.
FACTORS = ("size", "change", "fixes", "complexity", "findings", "focus")


def count(n: int | float, word: str, plural: str | None = None) -> str:
    return f"{n:g} {word}" if n == 1 else f"{n:g} {plural or word + 's'}"


def backticked(text: str) -> Parts:
    """``text`` in parts: its ``backticked`` words as code (:func:`~frictionscan.api.code_spans`:
    a longer fence round a name with backticks; a backtick without its match is text)."""
    return tuple((p, code) for p, code in code_spans(printable(text)) if p)


def _window(result: ScanResult) -> str:
    if result.since is None:
        return "in all of its history"
    days = (result.head_time - result.since).days
    months = round(days / 30.44)
    return f"over {count(months, 'month')}" if months >= 2 else f"over {count(days, 'day')}"


def change_sentence(h: Hotspot, result: ScanResult) -> Parts:
    hist = h.analysis.history
    if not hist.revisions:
        text = f"Not changed {_window(result)}"
    else:
        text = (f"Changed in {count(hist.revisions, 'commit')} {_window(result)} by "
                f"{count(len(hist.authors), 'author')}")
        if hist.fixes:
            text += f", {hist.fixes} of them {'a fix' if hist.fixes == 1 else 'fixes'}"
    if hist.idle_days is not None:
        days = int(hist.idle_days)
        text += "; last changed " + ("today" if days == 0 else f"{count(days, 'day')} ago")
    return ((text + ".", False),)


def size_sentence(h: Hotspot) -> Parts:
    a = h.analysis
    sloc, total = a.value("radon.sloc"), a.value("radon.cc_total")
    functions = sorted((m for m in a.symbol_values("radon.cc") if m.symbol),
                       key=lambda m: -m.value)
    lines = count(sloc, "line") if sloc is not None else "size not measured"
    if total is None:
        return ((f"{lines.capitalize()}; complexity not measured.", False),)
    text = f"{lines.capitalize()}, complexity {total:g}"
    if not functions:
        return ((text + ".", False),)
    worst = functions[0]
    assert worst.symbol is not None
    return ((f"{text} in {count(len(functions), 'function')}; the most complex is ", False),
            (printable(worst.symbol.name), True), (f" ({worst.value:g}).", False))


def findings_sentence(h: Hotspot) -> Parts:
    a = h.analysis
    if not a.checked:
        return (("Findings not checked in this scan.", False),)
    if not a.findings:
        return (("No findings.", False),)
    minutes = sum(f.effort_minutes for f in a.findings)
    codes = Counter(f.code for f in a.findings)
    fixable = sum(f.fix_available for f in a.findings)
    text = (f"{count(len(a.findings), 'finding')}, about {count(minutes, 'minute')} of work "
            f"({', '.join(f'{n} × {c}' for c, n in sorted(codes.items()))})"
            + (f"; {fixable} with an automatic fix" if fixable else "") + ".")
    return ((text, False),)


def roadmap_sentences(h: Hotspot) -> tuple[Parts, ...]:
    weights = h.analysis.weights
    if not weights:
        return ((("No roadmap weight.", False),),)
    return tuple(backticked(w.reason[:1].upper() + w.reason[1:] + ".") for w in weights)


def score_sentence(h: Hotspot) -> Parts:
    # the findings component counts as (1 + findings) in the product
    factors = {c.name: c.value + (c.name == "findings") for c in h.components}
    named = [f"{name} ×{factors[name]:.3g}" for name in FACTORS if name in factors]
    named += [f"{name} ×{value:.3g}" for name, value in factors.items()
              if name not in FACTORS]
    return ((f"Score {h.score:.2f}, the product of its factors: {', '.join(named)}.", False),)


def details(h: Hotspot, result: ScanResult) -> tuple[Parts, ...]:
    """The sentences of a file's details, in order."""
    return (change_sentence(h, result), size_sentence(h), findings_sentence(h),
            *roadmap_sentences(h), score_sentence(h))


_SEPARATOR = re.compile(r"(?<=[/.])")


def path_pieces(path: str) -> tuple[str, ...]:
    """A path cut after each ``/`` and ``.``: the only places a line may break in it."""
    return tuple(p for p in _SEPARATOR.split(printable(path)) if p)
