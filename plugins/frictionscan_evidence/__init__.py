"""Built-in plugin *evidence*: where the team is about to work, from what it is doing.

``frictionscan_evidence`` reads, without network access:

* **work in flight from git**: branches (local and remote-tracking) not merged into the main
  branch, with the files they change since their merge base (:mod:`.branches`);
* **the tracker**, from exports the user or the CI job made: open pull requests and the
  issues of a milestone, as ``gh ... --json`` writes them, or a CSV (:mod:`.tracker`), mapped
  to files through the files they change, the paths and module names their text mentions and
  focus areas' ``labels`` (:mod:`.mentions`);
* **CODEOWNERS** (GitHub's and GitLab's), for the team of every file (:mod:`.codeowners`).

The *roadmap* plugin turns this evidence into weights and areas in flight; docs/roadmap.md
says how, and what the weight rests on. Evidence describes the present, so a scan as of an
earlier time than HEAD's commit (``backtest``'s cuts) gets none; ``ci``'s merge base is
scanned as of the head's time and gets the same evidence as the head.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from frictionscan.api import (
    Between,
    Config,
    Evidence,
    FocusArea,
    History,
    OptionParser,
    Run,
    SourceFile,
    WorkItem,
    duration,
    duration_days,
    hookimpl,
)
from frictionscan_evidence import branches, codeowners, mentions, tracker

__version__ = "0.1.0"


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("evidence.enabled", type=bool, default=True, flag="--evidence",
                     help="weigh files by work in flight (unmerged branches, tracker "
                          "exports) and group them by CODEOWNERS; --no-evidence turns it off")
    parser.addoption("evidence.main", type=str, default="",
                     help="the main branch unmerged work is measured against (default: "
                          "origin/HEAD, else main, master or trunk)")
    parser.addoption("evidence.refs", type=list, default=["refs/heads", "refs/remotes"],
                     help="which refs are branches (git for-each-ref patterns)")
    parser.addoption("evidence.ignore_branches", type=list, default=list(branches.IGNORED),
                     help="branch names that are release or maintenance lines, not work in "
                          "flight (fnmatch patterns)")
    parser.addoption("evidence.stale_after", type=str, default="60 days", validate=duration,
                     help="branches and pull requests without a change for this long are "
                          "ignored")
    parser.addoption("evidence.max_branches", type=int, default=50, validate=Between(0),
                     help="read at most this many unmerged branches (the most recent)")
    parser.addoption("evidence.tracker", type=list, default=[], flag="--tracker",
                     help="tracker exports to read: gh pr/issue list JSON, or CSV "
                          "(repeatable; docs/roadmap.md)")
    parser.addoption("evidence.codeowners", type=str, default="",
                     help="the CODEOWNERS file to read (default: GitHub's and GitLab's "
                          "places)")


def _head_time(root: Path) -> datetime | None:
    try:
        out = branches.git(root, "show", "-s", "--format=%ct", "HEAD").strip()
        return datetime.fromtimestamp(int(out), timezone.utc)
    except (subprocess.CalledProcessError, ValueError):
        return None


def knowable(root: Path, run: Run, now: datetime) -> bool:
    """Whether today's branches and tracker say something about the scan: a scan of the
    working tree, or of a past commit as of HEAD's time (``ci``'s merge base)."""
    if not run.past:
        return True
    head = _head_time(root)
    return head is not None and now >= head


@hookimpl(trylast=True)
def frictionscan_evidence(root: Path, files: Sequence[SourceFile], history: History,
                          config: Config, run: Run) -> Evidence | None:
    if not config.getoption("evidence.enabled", True):
        return None
    now = run.now or history.head_time
    known = {f.path for f in files} | {new for _, new in run.weigh_as}
    sources: list[str] = []
    warnings: list[str] = []
    items: list[WorkItem] = []
    if knowable(root, run, now):
        stale_days = duration_days(config.getoption("evidence.stale_after", "60 days"))
        items += _branches(root, config, known, now, stale_days, sources, warnings)
        items = _tracker(root, config, known, now, stale_days, items, sources)
    owners = codeowners.read(root, run.revision, config.getoption("evidence.codeowners", ""))
    ownership = owners.ownership(sorted(known)) if owners is not None else []
    if owners is not None:
        owned = sum(1 for o in ownership if o.team)
        sources.append(f"{owners.source}: {owned} of {len(known)} files owned")
        warnings += owners.warnings
    if not items and owners is None and not warnings:
        return None
    return Evidence(items=tuple(items), owners=tuple(ownership), sources=tuple(sources),
                    warnings=tuple(f"evidence: {w}" for w in warnings))


def _branches(root: Path, config: Config, known: set[str], now: datetime, stale_days: float,
              sources: list[str], warnings: list[str]) -> list[WorkItem]:
    patterns = list(config.getoption("evidence.refs", ["refs/heads", "refs/remotes"]))
    every = branches.list_refs(root, ["refs/heads", "refs/remotes"])
    main = branches.find_main(root, every, config.getoption("evidence.main", ""))
    if main is None:
        if len({r.branch for r in every if not r.symref}) > 1:
            warnings.append("no main branch found (origin/HEAD, main, master or trunk), so "
                            "no branch counts as work in flight; set evidence.main")
        return []
    if not branches.others(every, main):
        return []  # no branch but the main one: nothing can be in flight
    limit = int(config.getoption("evidence.max_branches", 50))
    ignore = list(config.getoption("evidence.ignore_branches", branches.IGNORED))
    refs, stale, over = branches.unmerged(root, patterns, main, now=now,
                                          stale_after_days=stale_days, limit=limit,
                                          ignore=ignore)
    items = []
    unrelated = 0
    for ref in refs:
        try:
            item = branches.read_branch(root, main, ref, known)
        except branches.NoMergeBase:
            unrelated += 1
            continue
        if item is not None:
            items.append(item)
    short = main.removeprefix("refs/heads/").removeprefix("refs/remotes/")
    if unrelated:
        warnings.append(f"{unrelated} unmerged branch{'es' if unrelated != 1 else ''} share"
                        f"{'' if unrelated != 1 else 's'} no history with {short} (a shallow "
                        f"clone?), not read")
    ignored = f", {stale} idle longer than {config.getoption('evidence.stale_after')} " \
              f"ignored" if stale else ""
    sources.append(f"git: {len(items)} unmerged branch{'es' if len(items) != 1 else ''} "
                   f"(main: {short}{ignored})")
    if over:
        warnings.append(f"{over} more unmerged branch{'es' if over != 1 else ''} not read "
                        f"(evidence.max_branches = {limit}: the most recent are)")
    return items


def _export_path(root: Path, name: str) -> Path:
    """A relative export path from the current directory, else from the repository."""
    path = Path(name)
    if path.is_absolute() or path.exists():
        return path
    return root / path


def _tracker(root: Path, config: Config, known: set[str], now: datetime, stale_days: float,
             items: list[WorkItem], sources: list[str]) -> list[WorkItem]:
    names = list(config.getoption("evidence.tracker", []))
    if not names:
        return items
    index = mentions.PathIndex(known)
    oldest = now - timedelta(days=stale_days)
    by_ref = {i.key: i for i in items if i.kind == "branch"}
    for name in names:
        records = tracker.read_export(_export_path(root, name), name)
        kept = 0
        for record in records:
            if record.kind != "issue" and record.updated is not None and \
                    record.updated < oldest:
                continue
            item = _map(record, index, config.focus)
            twin = by_ref.pop(item.ref, None) if item.ref else None
            if twin is not None:  # the pull request of a branch read from git: one item
                items.remove(twin)
                item = _join(item, twin)
            items.append(item)
            kept += 1
        sources.append(f"{os.path.basename(name)}: {kept} of {len(records)} items")
    return items


def _map(record: tracker.Record, index: mentions.PathIndex,
         areas: Sequence[FocusArea]) -> WorkItem:
    paths = {p for p in record.files if p in index.files}
    if not record.files:
        paths |= index.mentioned(f"{record.title}\n{record.body}")
    named = mentions.labelled(record.labels, areas)
    for area in named:
        paths |= mentions.area_files(area, index.files)
    return WorkItem(kind=record.kind, key=record.key, title=record.title,
                    paths=tuple(sorted(paths)), files=len(record.files), lines=record.lines,
                    updated=record.updated, labels=record.labels, milestone=record.milestone,
                    ref=record.ref, areas=tuple(a.name for a in named), source=record.source)


def _join(pr: WorkItem, branch: WorkItem) -> WorkItem:
    """A pull request and the branch it lives on, as one item: the branch's diff against
    the main branch and its last commit as git sees them now, the pull request's number,
    title and labels."""
    return replace(pr, paths=tuple(sorted({*pr.paths, *branch.paths})),
                   files=max(pr.files, branch.files), lines=branch.lines or pr.lines,
                   updated=branch.updated, source=f"{pr.source} + git")
