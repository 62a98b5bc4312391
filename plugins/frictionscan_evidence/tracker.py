"""The tracker, from an export the user or the CI job made (frictionscan never goes online).

Two formats (docs/roadmap.md):

* **JSON** as the GitHub CLI writes it: ``gh pr list --state open --json
  number,title,files,labels,milestone,headRefName,updatedAt`` (pull requests: items with
  ``files`` or ``headRefName``) and ``gh issue list --milestone NAME --json
  number,title,body,labels,milestone`` (issues). Only ``number`` is required.
* **CSV** from any other tracker, with a header row and the columns ``kind`` (``branch``,
  ``pr``, ``issue``), ``id`` (required), and any of ``title``, ``body``, ``paths`` and
  ``labels`` (separated by ``;``), ``milestone``, ``updated`` (an ISO date or time).

A file that is not one of these is a :class:`ConfigError` naming the file and what is wrong:
the run ends with one line and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from frictionscan.api import ConfigError

#: CSV columns, in the order the documentation lists them.
CSV_COLUMNS = ("kind", "id", "title", "body", "paths", "labels", "milestone", "updated")
#: CSV ``kind`` values and what they mean.
CSV_KINDS = {"branch": "branch", "pr": "pull request", "pull request": "pull request",
             "pull_request": "pull request", "mr": "pull request",
             "merge request": "pull request", "issue": "issue"}
#: Exports larger than this are refused (a tracker export is kilobytes to a few megabytes).
MAX_BYTES = 64 << 20
#: Keys only the pull-request list has.
_PR_KEYS = ("files", "headRefName", "baseRefName", "isDraft", "mergeable", "reviewDecision")


@dataclass(frozen=True, slots=True)
class Record:
    """One pull request, issue or branch of an export, before it is mapped to paths."""

    kind: str
    key: str
    title: str = ""
    body: str = ""
    #: Files it changes, as the export lists them (pull requests), with lines changed.
    files: tuple[str, ...] = ()
    lines: int = 0
    labels: tuple[str, ...] = ()
    milestone: str | None = None
    updated: datetime | None = None
    ref: str | None = None
    source: str = ""


def read_export(path: Path, shown: str) -> list[Record]:
    """The records of one export; ``shown`` is how the user named the file."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"tracker export {shown}: larger than {MAX_BYTES >> 20} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"tracker export {shown}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"tracker export {shown}: is a directory, not a file") from None
    except OSError as exc:
        raise ConfigError(f"tracker export {shown}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"tracker export {shown}: not UTF-8 text (byte {exc.start})") \
            from None
    if path.suffix.lower() == ".csv":
        return list(_csv_records(text, shown))
    return list(_json_records(text, shown))


# -- JSON (gh) ---------------------------------------------------------------------------


def _json_records(text: str, shown: str) -> Iterator[Record]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"tracker export {shown}: not valid JSON: {exc.msg} (line "
                          f"{exc.lineno}, column {exc.colno})") from None
    if not isinstance(doc, list):
        raise ConfigError(f"tracker export {shown}: expected a JSON list of pull requests or "
                          f"issues (gh pr list / gh issue list --json ...), got "
                          f"{_json_type(doc)}")
    for i, item in enumerate(doc):
        where = f"tracker export {shown}: item {i + 1}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected an object, got {_json_type(item)}")
        yield _json_record(item, where, shown)


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _json_record(item: Mapping[str, Any], where: str, shown: str) -> Record:
    number = item.get("number")
    if isinstance(number, bool) or not isinstance(number, int):
        raise ConfigError(f"{where}: 'number' must be an integer, got "
                          f"{_json_type(number) if 'number' in item else 'nothing'}")
    url = item.get("url")
    url = url if isinstance(url, str) else ""
    is_pr = any(k in item for k in _PR_KEYS) or "/pull/" in url
    files: list[str] = []
    lines = 0
    for j, entry in enumerate(_list(item, "files", where)):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ConfigError(f"{where}: files[{j}] must be an object with a 'path'")
        files.append(entry["path"])
        lines += sum(v for k in ("additions", "deletions")
                     if isinstance(v := entry.get(k), int) and not isinstance(v, bool))
    return Record(kind="pull request" if is_pr else "issue", key=f"#{number}",
                  title=_text(item, "title", where), body=_text(item, "body", where),
                  files=tuple(files), lines=lines, labels=_labels(item, where),
                  milestone=_milestone(item, where),
                  updated=_time(item.get("updatedAt"), f"{where}: updatedAt"),
                  ref=_text(item, "headRefName", where) or None, source=shown)


def _list(item: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: '{key}' must be a list, got {_json_type(value)}")
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be a string, got {_json_type(value)}")
    return value


def _labels(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    labels = []
    for j, label in enumerate(_list(item, "labels", where)):
        if isinstance(label, dict) and isinstance(label.get("name"), str):
            labels.append(label["name"])
        elif isinstance(label, str):
            labels.append(label)
        else:
            raise ConfigError(f"{where}: labels[{j}] must be a name or an object with a "
                              f"'name'")
    return tuple(labels)


def _milestone(item: Mapping[str, Any], where: str) -> str | None:
    value = item.get("milestone")
    if value is None or value == {}:
        return None
    if isinstance(value, dict) and isinstance(value.get("title"), str):
        return str(value["title"])
    if isinstance(value, str):
        return value
    raise ConfigError(f"{where}: 'milestone' must be an object with a 'title', or a name")


def _time(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be an ISO date or time, got {_json_type(value)}")
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{where} must be an ISO date or time, got {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


# -- CSV ------------------------------------------------------------------------------------


def _csv_records(text: str, shown: str) -> Iterator[Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise ConfigError(f"tracker export {shown}: not valid CSV: {exc}") from None
    if not header:
        raise ConfigError(f"tracker export {shown}: empty (expected a header row: "
                          f"{','.join(CSV_COLUMNS)})")
    columns = [c.strip().lower() for c in header]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        raise ConfigError(f"tracker export {shown}: unknown column {unknown[0]!r} (known: "
                          f"{', '.join(CSV_COLUMNS)})")
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise ConfigError(f"tracker export {shown}: column {twice[0]!r} appears twice")
    for needed in ("kind", "id"):
        if needed not in columns:
            raise ConfigError(f"tracker export {shown}: no '{needed}' column (columns: "
                              f"{', '.join(CSV_COLUMNS)})")
    reader.fieldnames = columns
    try:
        for row in reader:
            where = f"tracker export {shown}: line {reader.line_num}"
            if None in row:
                raise ConfigError(f"{where}: more cells than columns")
            yield _csv_record(row, where, shown)
    except csv.Error as exc:
        raise ConfigError(f"tracker export {shown}: not valid CSV: {exc}") from None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def _csv_record(row: Mapping[str, str | None], where: str, shown: str) -> Record:
    kind_cell = (row.get("kind") or "").strip().lower()
    kind = CSV_KINDS.get(kind_cell)
    if kind is None:
        raise ConfigError(f"{where}: kind must be branch, pr or issue, got {kind_cell!r}")
    ident = (row.get("id") or "").strip()
    if not ident:
        raise ConfigError(f"{where}: the id is empty")
    key = ident if kind == "branch" or not ident.isdigit() else f"#{ident}"
    return Record(kind=kind, key=key, title=(row.get("title") or "").strip(),
                  body=row.get("body") or "", files=_split(row.get("paths")),
                  labels=_split(row.get("labels")),
                  milestone=(row.get("milestone") or "").strip() or None,
                  updated=_time(row.get("updated"), f"{where}: updated"), source=shown)
