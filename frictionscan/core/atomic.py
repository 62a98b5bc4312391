"""Writing a file so that a reader sees the old content or the new, never a half-written one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO


def replace_text(path: Path, write: Callable[[TextIO], Any]) -> None:
    """Write ``path`` through ``write`` into a temporary file beside it, then rename it into
    place. The file keeps its permissions (a new one gets the umask's, not ``mkstemp``'s
    private ones). Raises :class:`OSError`; the temporary file never stays behind."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".frictionscan-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
