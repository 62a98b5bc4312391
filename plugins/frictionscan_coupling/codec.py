"""The coupling of a scan as text for the store (a warm run reads it instead of counting
pairs again, and never decodes the window's commits)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from frictionscan.api import CoupledFile, Coupling


def encode(couplings: Sequence[Coupling]) -> str:
    return json.dumps([[c.path, c.revisions,
                        [[x.path, x.shared, x.degree, x.boundary] for x in c.coupled]]
                       for c in couplings])


def decode(text: str | None) -> list[Coupling] | None:
    """The couplings, or ``None`` when ``text`` is not what :func:`encode` wrote."""
    if text is None:
        return None
    try:
        return [Coupling(path=p, revisions=r,
                         coupled=tuple(CoupledFile(path=q, shared=s, degree=d, boundary=b)
                                       for q, s, d, b in coupled))
                for p, r, coupled in json.loads(text)]
    except (ValueError, TypeError):
        return None
