"""Duration flags written as two words: ``--every 2 weeks`` as well as ``--every "2 weeks"``
and ``--every 2weeks`` (docs/cli.md#durations).

A shell splits ``--every 2 weeks`` into three words, and argparse would give the flag ``2``
and take ``weeks`` for the path. Before parsing, :func:`join_words` puts a flag's number
and the word after it back together when the number alone is no value (a bare number is
neither a duration nor a date) and the next word is a word of letters: that word is then
the unit, right or wrong (``--every 2 fortnights`` is reported as the duration
``'2 fortnights'``, not as a path ``fortnights`` that does not exist). Anything after the
unit is parsed as usual, so ``trend --every 2 weeks .`` has the path ``.``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from datetime import date

#: Set on the actions of the flags that take a duration (see :func:`mark`).
MARK = "duration_words"


def mark(action: argparse.Action) -> argparse.Action:
    """Let the flag of ``action`` take its duration as two words."""
    setattr(action, MARK, True)
    return action


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _spaced(value: str, word: str) -> bool:
    """Whether ``value word`` is one duration written as two words."""
    return value.isdigit() and word.isalpha() and not _is_date(value)


def _duration_flag(name: str, actions: Iterable[argparse.Action]) -> bool:
    """Whether ``name`` (a long flag, or an abbreviation of one as argparse accepts it)
    names a duration flag."""
    if not name.startswith("--") or len(name) < 3:
        return False
    flags = {s: a for a in actions for s in a.option_strings}
    if name in flags:
        return bool(getattr(flags[name], MARK, False))
    matches = {a for s, a in flags.items() if s.startswith(name) and s.startswith("--")}
    return len(matches) == 1 and bool(getattr(matches.pop(), MARK, False))


def join_words(argv: Sequence[str], actions: Sequence[argparse.Action]) -> list[str]:
    """``argv`` with each duration flag's number and unit joined into one argument."""
    if not any(getattr(a, MARK, False) for a in actions):
        return list(argv)
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return out + list(argv[i:])
        name, eq, value = arg.partition("=")
        if _duration_flag(name, actions):
            if eq and i + 1 < len(argv) and _spaced(value, argv[i + 1]):
                out.append(f"{arg} {argv[i + 1]}")
                i += 2
                continue
            if not eq and i + 2 < len(argv) and _spaced(argv[i + 1], argv[i + 2]):
                out += [arg, f"{argv[i + 1]} {argv[i + 2]}"]
                i += 3
                continue
        out.append(arg)
        i += 1
    return out
