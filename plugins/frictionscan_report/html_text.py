"""What the HTML pages write: every value a template writes is passed through :func:`shown`
(jinja2's ``finalize``), so that no control character from the repository reaches a page
raw, whatever the template forgets (a path with ESC shows ``␛``, as Markdown code does)."""

from __future__ import annotations

import re
from typing import Any

from frictionscan.api import visible

#: Control characters that act in a page or a terminal; markup's own line breaks and tabs
#: are layout, not content, and stay.
ACTING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(value: Any) -> Any:
    """``value`` with its control characters made visible (:func:`visible`); escaping is
    left to autoescaping. Text already marked safe (markup the report made) keeps its line
    breaks and tabs, which are layout, and shows every other control character."""
    if not isinstance(value, str):
        return value
    if type(value) is str:
        return visible(value)
    return type(value)(ACTING.sub(lambda m: visible(m.group()), value))
