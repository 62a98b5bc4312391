"""What the commands keep in files: the ``ci`` baseline and the ``plan`` snapshot under
``.frictionscan/``, and the options ``backtest --calibrate`` writes into the configuration
file. The documents themselves are built and compared by the views
(:func:`~frictionscan.views.ci.baseline_dict`, :func:`~frictionscan.views.plan.snapshot_dict`,
:func:`~frictionscan.views.calibrate.options_written`); this module only reads and writes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frictionscan.core.atomic import replace_text
from frictionscan.core.config import RawConfig
from frictionscan.core.errors import ConfigError, UsageError
from frictionscan.core.model import ScanResult
from frictionscan.core.text import json_text
from frictionscan.views.calibrate import options_written
from frictionscan.views.ci import baseline_dict
from frictionscan.views.plan import snapshot_dict

#: Where frictionscan keeps its records, inside the repository (it ignores itself in git).
FOLDER = Path(".frictionscan")
BASELINE = FOLDER / "baseline.json"
SNAPSHOT_DIR = FOLDER / "snapshots"
SNAPSHOT_FILE = "plan-latest.json"


# -- the ci baseline -------------------------------------------------------------------------


def load_baseline(root: Path) -> dict[str, Any] | None:
    """The recorded baseline, ``None`` when there is none; an unreadable one is an error."""
    path = root / BASELINE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{BASELINE} is unreadable ({exc}); run `frictionscan baseline` "
                         f"again") from None
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise UsageError(f"{BASELINE} was written by another version; run "
                         f"`frictionscan baseline` again")
    return data


def write_baseline(root: Path, result: ScanResult) -> Path:
    base = root / FOLDER
    base.mkdir(exist_ok=True)
    ignore = base / ".gitignore"
    # everything frictionscan keeps here is private, except the baseline: commit that one
    ignore.write_text("# created by frictionscan\n*\n!.gitignore\n!baseline.json\n")
    target = root / BASELINE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json_text(baseline_dict(result), indent=1, sort_keys=True,
                             ensure_ascii=True) + "\n")
    tmp.replace(target)
    return target


# -- the plan snapshot -----------------------------------------------------------------------


def snapshot_path(root: Path) -> Path:
    return root / SNAPSHOT_DIR / SNAPSHOT_FILE


def save_snapshot(root: Path, result: ScanResult) -> Path:
    """Write the snapshot under ``.frictionscan/`` (which ignores itself in git)."""
    base = root / FOLDER
    base.mkdir(exist_ok=True)
    ignore = base / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by frictionscan\n*\n")
    folder = root / SNAPSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SNAPSHOT_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json_text(snapshot_dict(result), indent=1, sort_keys=True,
                             ensure_ascii=True))
    tmp.replace(target)
    return target


def load_snapshot(root: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(snapshot_path(root).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable: planned as if there were none (the next --save rewrites it)
    return data if isinstance(data, dict) and data.get("schema_version") == 1 else None


# -- calibrated options ----------------------------------------------------------------------


def write_options(raw: RawConfig, root: Path, values: Mapping[str, float]) -> Path:
    """Write ``values`` (plugin option keys) into the configuration file that was read, or a
    new ``.frictionscan.toml``; comments and layout are kept. Returns the file written."""
    path = (Path(raw.path) if raw.path else root / ".frictionscan.toml").resolve()
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot update it: {exc}") from None
    updated = options_written(text, raw.prefix, values, path)
    try:
        replace_text(path, lambda fh: fh.write(updated))
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
