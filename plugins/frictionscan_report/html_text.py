"""What the HTML pages write: every value a template writes is passed through :func:`shown`
(jinja2's ``finalize``), so that no control character from the repository reaches a page
raw, whatever the template forgets (a path with ESC shows ``␛``, as Markdown code does)."""

from __future__ import annotations

from typing import Any

from frictionscan.api import visible


def shown(value: Any) -> Any:
    """``value`` with its control characters made visible (:func:`visible`); escaping is
    left to autoescaping, and text already marked safe stays so."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    return text if type(value) is str else type(value)(text)
