"""Who is a person: bots are never authors, and which CODEOWNERS owners are people.

* **Bots** (``people.bots``, regular expressions over an author's name and e-mail,
  case-insensitive; default ``\\[bot\\]``): their commits count for churn and coupling, but
  they are nobody's: never an author of a file or a function, never a main author, reviewer
  or part of a bus factor. The git plugin, the X-ray and the *people* plugin all ask
  :func:`bot_matcher`.
* **Personal owners** in a CODEOWNERS file: a ``@user`` (no ``/``) or an e-mail address; an
  organisation's team (``@org/team``) is not a person (:func:`is_personal_owner`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

#: The default of ``people.bots``.
DEFAULT_BOTS = (r"\[bot\]",)


@functools.lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def bot_matcher(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regular expression for the ``people.bots`` patterns (``None``
    when there are none: nobody is a bot)."""
    return _compiled(tuple(str(p) for p in patterns))


def is_bot_author(bots: re.Pattern[str] | None, name: str, email: str = "") -> bool:
    """Whether the author ``name`` <``email``> is a bot by the ``bots`` patterns."""
    return bots is not None and bool(bots.search(name) or (email and bots.search(email)))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_USER = re.compile(r"^@[^/\s]+$")


def is_personal_owner(owner: str) -> bool:
    """Whether a CODEOWNERS owner is a person: ``@user`` or ``name@example.com``
    (``@org/team`` is a team)."""
    return bool(_USER.match(owner) or _EMAIL.match(owner))
