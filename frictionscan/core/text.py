"""Repository text made safe for every output: the terminal, Markdown, JSON and CSV.

Paths, names, authors and messages come from the analysed repository and may hold anything:
control characters, Markdown or HTML syntax, formulas. Every formatter passes them through
these helpers (HTML is escaped by jinja2's autoescaping).
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any


def printable(text: str) -> str:
    """``text`` safe to print or serialise: paths are decoded with ``surrogateescape``, so
    bytes that are not valid UTF-8 become U+FFFD here instead of raising on output."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


#: Characters a terminal acts on instead of showing: C0 controls (ESC starts escape sequences,
#: CR and LF move the cursor, BEL rings), DEL, C1 controls (U+009B is a one-character CSI on
#: some terminals), and the Unicode bidirectional controls and line/paragraph separators, which
#: reorder or break what is shown ("Trojan Source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """Repository text made inert on a terminal: every control character is shown as its
    escape (``\\x1b``, ``\\n``, ``\\t``, ``\\u202e``) instead of being acted on, so a file
    or author name cannot colour the output, set the window title, move the cursor or break a
    line. ``multiline`` keeps line feeds (for text that is several lines on purpose). Not
    valid UTF-8 becomes U+FFFD, as with :func:`printable`."""
    text = printable(text)
    if multiline:
        return "\n".join(_CONTROL.sub(_visible, line) for line in text.split("\n"))
    return _CONTROL.sub(_visible, text)


#: Characters that JSON allows raw inside strings but a terminal may act on (C0 controls are
#: always escaped by the json module).
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                               "\u2066-\u2069]")


def _null_for_non_finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _null_for_non_finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_null_for_non_finite(v) for v in value]
    return value


def json_text(doc: Any, *, indent: int | None = 2, ensure_ascii: bool = False,
              sort_keys: bool = False) -> str:
    """``doc`` as strict JSON (RFC 8259): a number that is not finite (a plugin's NaN) becomes
    ``null``, never the bare ``NaN`` or ``Infinity`` that JavaScript's ``JSON.parse`` and
    other strict parsers reject. Characters a terminal would act on are written as ``\\u``
    escapes even where JSON allows them raw."""
    options: dict[str, Any] = {"indent": indent, "ensure_ascii": ensure_ascii,
                               "sort_keys": sort_keys, "allow_nan": False}
    try:
        text = json.dumps(doc, **options)
    except ValueError:  # only then pay for a walk over the document
        text = json.dumps(_null_for_non_finite(doc), **options)
    if not ensure_ascii and _JSON_RAW_CONTROL.search(text):
        text = _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


#: A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV
#: Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula: a text cell
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
    (OWASP's advice), and its control characters are shown as escapes (``\\x1b``,
    ``\\t``), as :func:`terminal_safe` does: a CSV file is read in terminals and editors
    too. Numbers are kept as numbers (a negative score delta stays ``-0.5``)."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(_FORMULA_START):
            value = "'" + value
        return terminal_safe(value)
    return value


#: Characters that mean something inline in GitHub Markdown (``#``, ``+``, ``-`` and digits
#: only matter at the start of a line, where repository text never goes).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_escape(text: str) -> str:
    """Repository text made inert in Markdown (GitHub flavour): HTML is escaped, Markdown
    punctuation is backslash-escaped, ``@`` cannot mention anyone, and control characters
    (line breaks included, which would break a table) are shown as escapes such as ``\\n``."""
    text = terminal_safe(text)
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


#: Control characters as the Unicode "control pictures" (U+2400-U+2421): seen, never acted on.
_PICTURES = {**{chr(c): chr(0x2400 + c) for c in range(0x20)}, "\x7f": "\u2421"}


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    return _PICTURES.get(char) or f"\u27e8U+{ord(char):04X}\u27e9"


def visible(text: str) -> str:
    """Repository text as rendered Markdown or HTML shows it: exactly as it is, but for the
    characters that would act instead of being seen (line breaks, escape sequences,
    bidirectional controls): C0 controls and DEL become their control pictures (a line
    feed is ``\u240a``, a tab ``\u2409``), the others ``\u27e8U+202E\u27e9``. No
    backslash appears that the text did not hold. Not valid UTF-8 becomes U+FFFD."""
    return _CONTROL.sub(_picture, printable(text))


def markdown_code(text: str) -> str:
    """A Markdown code span that shows ``text`` exactly (:func:`visible`): code spans have
    no backslash escapes, no HTML and no mentions, so nothing needs escaping inside; the
    fence is one backtick longer than the longest run of backticks in the text, and a space
    pads a text that starts or ends with a backtick (or with spaces at both ends), which
    the renderer strips again. Not for table cells, where ``|`` ends the cell."""
    text = visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.strip(" ") and (text[:1] == "`" or text[-1:] == "`"
                            or (text[:1] == " " and text[-1:] == " ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def html_text(text: str) -> str:
    """Repository text inside raw HTML (a ``<summary>``), where Markdown is not processed:
    HTML-escaped (quotes too), no backslash escapes, control characters made
    :func:`visible`."""
    return html.escape(visible(text), quote=True)


_TICKS = re.compile("`+")


def code_spans(text: str) -> list[tuple[str, bool]]:
    """``text`` in parts ``(text, is_code)``: its code spans as CommonMark reads them (a run
    of N backticks up to the next run of exactly N; one space stripped from both ends when
    both are spaces), so that a span :func:`markdown_code` made, with a longer fence round a
    name holding backticks, comes back whole; a run without its match is plain text."""
    out: list[tuple[str, bool]] = []
    pos = start = 0
    while (opening := _TICKS.search(text, pos)) is not None:
        n = len(opening.group())
        closing = next((m for m in _TICKS.finditer(text, opening.end())
                        if len(m.group()) == n), None)
        if closing is None:
            pos = opening.end()
            continue
        if opening.start() > start:
            out.append((text[start:opening.start()], False))
        code = text[opening.end():closing.start()]
        if len(code) > 2 and code[0] == code[-1] == " " and code.strip(" "):
            code = code[1:-1]
        out.append((code, True))
        pos = start = closing.end()
    if start < len(text) or not out:
        out.append((text[start:], False))
    return out


def without_code_fences(text: str) -> str:
    """``text`` with its code spans' backticks taken away (CSV, where nothing renders
    them)."""
    return "".join(part for part, _ in code_spans(text))


def markdown_message(text: str) -> str:
    """A message whose ``backticked`` words are code (finding messages name code that way,
    :func:`code_spans`): those become real code spans, the rest is escaped as
    :func:`markdown_escape` does (a backtick without its match too)."""
    return "".join(markdown_code(part) if code else markdown_escape(part)
                   for part, code in code_spans(text) if part or not code)
