"""What one scan is of, apart from the options: the run context.

:class:`~frictionscan.core.config.Config` holds the options (files and command line) and
nothing else; everything that differs between two scans with the same options lives here and
is passed where it is needed: the revision (``backtest`` ranks a past commit, ``ci`` its merge
base), the scan's "now", the files that must be checked for findings whatever their score,
and how much of the ranking the report shows. Picklable: worker processes receive it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Files X-rayed when the report shows every file and names none (``--format json``).
XRAY_FILES = 25


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """The state of one scan."""

    #: The commit whose files, contents and history are read; ``"HEAD"`` is the working
    #: tree (files from the index, contents from disk).
    revision: str = "HEAD"
    #: The scan's "now": ``None`` until the history is read, then the revision's commit time;
    #: a caller may fix it (``ci`` scores the merge base as of the head's time, so that time
    #: alone moves no score).
    now: datetime | None = None
    #: Files checked for findings whatever ``frictionscan_skip_checks`` and
    #: ``frictionscan_prune_checks`` say (``explain``'s file, the files a change touches).
    check_paths: tuple[str, ...] = ()
    #: The report shows only the first ``reach`` files of the ranking (0: all of them), so
    #: files whose findings could not bring them there need not be checked.
    reach: int = 0
    #: Only these files, when given (``ci`` reads the merge base's version of the files a
    #: change touches, nothing else).
    paths: tuple[str, ...] | None = None
    #: Files weighed by the roadmap under another path: ``(path, path to weigh it as)``
    #: (``ci`` weighs the old version of a renamed file by where the file lives now).
    weigh_as: tuple[tuple[str, str], ...] = ()
    #: Whether the files that reach the report get the history of their functions (the
    #: X-ray, ``frictionscan_function_history``): the first ``reach`` files and the
    #: ``check_paths``, or the first :data:`XRAY_FILES` when neither is given; every file
    #: with ``--all-functions``.
    xray: bool = False
    #: The report is about this file's rank only (``explain``): files whose findings could
    #: not bring them above it need not be checked, nor the files already above it.
    reach_path: str | None = None

    @property
    def past(self) -> bool:
        """Whether the scan reads a commit from git objects rather than the working tree."""
        return (self.revision or "HEAD") != "HEAD"
