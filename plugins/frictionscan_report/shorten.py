"""Names cut to a width in terminal cells without splitting them across lines: paths lose
directories in the middle and keep their file name (``plugins/…_git/__init__.py``), qualified
function names lose the middle of their prefix and keep their last part
(``RequestEnc…_encode_files``)."""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

#: What stands for the characters left out.
ELLIPSIS = "…"


def _head(text: str, cells: int) -> str:
    """The longest start of ``text`` that takes at most ``cells`` cells."""
    used, end = 0, 0
    for end, char in enumerate(text, 1):  # noqa: B007 (end is read after the loop)
        used += get_character_cell_size(char)
        if used > cells:
            return text[:end - 1]
    return text[:end]


def _tail(text: str, cells: int) -> str:
    """The longest end of ``text`` that takes at most ``cells`` cells."""
    return _head(text[::-1], cells)[::-1]


def middle(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` cells, else its start and end around an ellipsis
    (the end gets the larger half: it tells names apart more often)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:max(width, 0)]
    end = width // 2
    start = width - 1 - end
    return _head(text, start) + ELLIPSIS + _tail(text, end)


def path(text: str, width: int) -> str:
    """A ``/``-separated path in ``width`` cells: whole when it fits; else its first
    directory, as many of the directories nearest the file as fit, and the file name, with
    an ellipsis for the directories left out; the file name is cut in the middle only when
    it does not fit by itself."""
    if cell_len(text) <= width:
        return text
    parts = text.split("/")
    name = parts[-1]
    if len(parts) < 2:
        return middle(name, width)
    if cell_len(name) + 2 > width:  # the name alone, after an ellipsis for its directories
        return ELLIPSIS + middle(name, width - 1)

    def fits(head: list[str], tail: list[str]) -> bool:
        return cell_len("/".join([*head, ELLIPSIS, *tail])) <= width

    head, rest, tail = [parts[0]], parts[1:-1], [name]
    if not rest or not fits(head, tail):
        return f"{ELLIPSIS}/{name}"
    # the directories nearest the file first, then those after the first; the ellipsis
    # always stands for one directory at least (the whole path does not fit)
    while len(rest) > 1:
        if fits(head, [rest[-1], *tail]):
            rest, tail = rest[:-1], [rest[-1], *tail]
        elif fits([*head, rest[0]], tail):
            head, rest = [*head, rest[0]], rest[1:]
        else:
            break
    short = "/".join([*head, ELLIPSIS, *tail])
    # room to spare: the end of the directories left out, next to the ellipsis
    # (``plugins/…scan_git/__init__.py`` tells two ``__init__.py`` apart)
    spare = width - cell_len(short)
    if spare >= 3:
        kept = _tail("/".join(rest), spare)
        short = "/".join([*head, ELLIPSIS + kept, *tail])
    return short


def focus(text: str, width: int) -> str:
    """A focus cell (``payments x3``) in ``width`` cells: the area's name cut at its end, the
    factor whole."""
    if cell_len(text) <= width:
        return text
    name, space, factor = text.rpartition(" ")
    if not space or not re.fullmatch(r"x[0-9.e+-]+", factor) or cell_len(factor) + 3 > width:
        return middle(text, width)
    return _head(name, width - cell_len(factor) - 2) + ELLIPSIS + " " + factor


def qualified(text: str, width: int) -> str:
    """A dotted name (``Class.method``) in ``width`` cells: whole when it fits; else the
    start of its prefix, an ellipsis and its last part whole; the last part alone is cut in
    the middle only when it does not fit by itself."""
    if cell_len(text) <= width:
        return text
    prefix, dot, last = text.rpartition(".")
    if not dot or cell_len(last) + 1 > width:
        return middle(text if not dot else last, width)
    room = width - 1 - cell_len(last)
    # a start of one to three characters tells little: the last part alone then
    return (_head(prefix + dot, room) if room >= 4 else "") + ELLIPSIS + last


def path_minimum(text: str) -> int:
    """The fewest cells in which :func:`path` keeps the file name whole."""
    directory, slash, name = text.rpartition("/")
    return min(cell_len(text), cell_len(name) + 2 if slash else cell_len(name))


def qualified_minimum(text: str) -> int:
    """The fewest cells in which :func:`qualified` keeps the last part whole."""
    prefix, dot, last = text.rpartition(".")
    return min(cell_len(text), cell_len(last) + 1 if dot else cell_len(text))


def word_breaks(text: str, width: int) -> list[int]:
    """Where to break ``text`` into lines of ``width`` cells at spaces, for ``Text.divide``:
    a word longer than a line gets a line of its own, whole (rich's wrapping folds it)."""
    breaks, used = [], 0
    for word in re.finditer(r"\S+\s*", text):
        size = cell_len(word.group().rstrip())
        if used and used + size > width:
            breaks.append(word.start())
            used = 0
        used += cell_len(word.group())
    return breaks
