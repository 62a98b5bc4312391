"""The lowest versions of frictionscan's dependencies, for CI's second test run.

Without arguments: a pip constraints file pinning every runtime dependency of
``pyproject.toml`` to its lower bound (``name>=X`` becomes ``name==X``, markers kept).
With ``--check``: exit 1 unless the installed versions are those lower bounds.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.version import Version  # pip's, and pytest's dependency

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
BOUND = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)\s*(;.*)?$")


def lower_bounds() -> list[tuple[str, str, str]]:
    """``(name, version, marker)`` of every runtime dependency."""
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    out = []
    for dep in deps:
        match = BOUND.match(dep)
        if match is None:
            raise SystemExit(f"error: {dep!r} has no lower bound of the form name>=X")
        out.append((match[1], match[2], (match[3] or "").strip()))
    return out


def main() -> int:
    bounds = lower_bounds()
    if sys.argv[1:] != ["--check"]:
        for name, version, marker in bounds:
            print(f"{name}=={version}{' ' + marker if marker else ''}")
        return 0
    wrong = []
    for name, version, marker in bounds:
        if marker and "python_version" in marker and sys.version_info >= (3, 11):
            continue
        installed = metadata.version(name)
        if Version(installed) != Version(version):
            wrong.append(f"{name} {installed} (lower bound {version})")
    if wrong:
        print("error: not the lowest versions: " + ", ".join(wrong), file=sys.stderr)
        return 1
    print("lowest versions: " + ", ".join(f"{n} {v}" for n, v, _ in bounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
