"""The few plain git questions the commands ask before a scan (a commit's time, the commit
at a date): one ``git`` call each, in the repository, no GitPython import."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_output(root: Path, *args: str) -> str:
    """What ``git ARGS`` prints in ``root``, stripped; ``""`` when git fails."""
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""
