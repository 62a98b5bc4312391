"""The data that crosses plugin boundaries.

Every type here is a frozen, slotted, keyword-only dataclass that pickles (per-file work runs
in worker processes). Collections are tuples, never lists or dicts. Paths are repository-relative
POSIX strings (``"src/app/models.py"``). Times are timezone-aware UTC datetimes, and "now" is
always HEAD's commit time, never the wall clock, so a scan of the same commit gives the same
result on any day.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

_T = TypeVar("_T")


def evolve(obj: _T, **changes: Any) -> _T:
    """A copy of the frozen dataclass ``obj`` with ``changes``: what
    :func:`dataclasses.replace` does, without calling ``__init__`` again (several times
    faster; for classes without ``__post_init__``, such as :class:`FileAnalysis` and
    :class:`Hotspot`, which a scan copies once per file per phase)."""
    new = object.__new__(type(obj))
    for name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
        object.__setattr__(new, name, changes[name] if name in changes else getattr(obj, name))
    return new

#: Version of the JSON document written by ``--format json``. Later versions only add fields.
SCHEMA_VERSION = 1


class SymbolKind(str, enum.Enum):
    """What a :class:`Symbol` is."""

    FUNCTION = "function"
    METHOD = "method"
    CLASS = "class"
    MODULE = "module"


class ErrorKind(str, enum.Enum):
    """Why a file could not be analysed completely."""

    #: The file is not valid Python for the parser that tried it.
    PARSE = "parse"
    #: The bytes could not be decoded with the file's declared or default encoding.
    DECODE = "decode"
    #: The file could not be read from the working tree.
    IO = "io"
    #: A plugin raised while handling the file (a bug in the plugin, not in your code).
    PLUGIN = "plugin"
    #: The worker process analysing the file died (for example a parser overflowed its stack).
    CRASH = "crash"
    #: Analysing the file took longer than ``file_timeout``; its worker was stopped.
    TIMEOUT = "timeout"
    #: The file was not analysed on purpose (binary, too large, generated); it is still ranked.
    SKIPPED = "skipped"
    #: Informational: the analysis completed in a degraded way (for example a fallback parser).
    NOTE = "note"


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """A file selected for analysis."""

    #: Repository-relative POSIX path.
    path: str
    #: Git blob SHA of the indexed content (``git ls-files -s``), or ``None`` if unknown.
    blob: str | None = None
    #: Size in bytes of the working-tree file (0 if unknown).
    size: int = 0
    #: Language of the file; only ``"python"`` is analysed by the built-in plugins.
    language: str = "python"
    #: What the file is (``frictionscan_file_kind``): ``product`` code, ``test``, ``docs``
    #: (documentation, examples, benchmarks), ``tooling`` (build and release scripts),
    #: ``generated`` or ``vendored``. Each kind is ranked on its own.
    kind: str = "product"


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A region of a file; lines are 1-based, columns 0-based (as in libcst's CodeRange)."""

    start_line: int
    start_col: int = 0
    end_line: int | None = None
    end_col: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Symbol:
    """A function, method or class inside a file."""

    #: Qualified name such as ``Parser.parse`` (classes and enclosing functions joined by ``.``).
    name: str
    kind: SymbolKind
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class FileChange:
    """One file touched by one commit (one row of ``git log --numstat``)."""

    path: str
    #: Lines added and deleted; 0 for binary files.
    added: int = 0
    deleted: int = 0
    #: The path before a rename, or ``None``.
    old_path: str | None = None
    binary: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Commit:
    """A commit as read from the log."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    #: Commit time (committer date), UTC.
    when: datetime
    subject: str
    changes: tuple[FileChange, ...] = ()

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True, slots=True, kw_only=True)
class RevisionDiff:
    """What a pull request changes: the files between the merge base and the head."""

    base: str
    head: str
    #: SHA of the merge base (the PR's "before"), and of the head commit.
    merge_base: str
    head_sha: str
    #: Changed files (``old_path`` set for renames; deleted files are left out).
    changes: tuple[FileChange, ...] = ()
    #: Paths deleted by the change.
    deleted: tuple[str, ...] = ()
    #: Whether the head is the working tree (uncommitted changes) rather than a commit.
    worktree: bool = False
    #: The change's own authors (names after ``.mailmap``): of its commits, and for the
    #: working tree the configured user too.
    authors: tuple[str, ...] = ()
    #: The change's own non-merge commits (full SHAs), newest first: what a view leaves out
    #: to tell the history before the change from the change itself.
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FileHistory:
    """What git knows about one current file; names it had before renames count for it."""

    path: str
    #: Non-merge commits that touched the file inside the window.
    revisions: int = 0
    #: Lines added and deleted inside the window.
    added: int = 0
    deleted: int = 0
    #: Distinct author names inside the window, sorted.
    authors: tuple[str, ...] = ()
    #: Commits inside the window whose subject looks like a bug fix (see docs/scoring.md).
    fixes: int = 0
    #: Sum over the window's commits of 0.5 ** (age / half-life): recent changes weigh more.
    recency: float = 0.0
    #: Earliest and latest commit seen touching the file: the first only when all history
    #: was read (the git plugin's ``older_history``), the last within the history read.
    first_change: datetime | None = None
    last_change: datetime | None = None
    #: Days from the first and the last change to HEAD's commit time (``None`` if unknown).
    age_days: float | None = None
    idle_days: float | None = None
    #: Paths the file had before renames, newest first.
    former_paths: tuple[str, ...] = ()
    #: Commit times (UTC, seconds) of the window's commits, newest first.
    change_times: tuple[int, ...] = ()

    @classmethod
    def empty(cls, path: str) -> FileHistory:
        return cls(path=path)


@dataclass(frozen=True, slots=True, kw_only=True)
class History:
    """The change history of the scanned files."""

    #: HEAD's SHA and commit time: the scan's "now".
    head: str
    head_time: datetime
    #: Start of the churn window (``None`` = all history).
    since: datetime | None
    #: One entry per file that git saw change; look files up with :meth:`for_file`.
    files: tuple[FileHistory, ...] = ()
    #: Commits read inside the window, and whether older history was read for ages.
    commits_in_window: int = 0
    shallow: bool = False
    #: One-line warnings for the report (for example about the cache).
    warnings: tuple[str, ...] = ()
    #: The window's non-merge commits, newest first, as the repository-level analyses
    #: read them (:class:`ChangeSet`; from the same pass as ``files``). A read-only sequence:
    #: a tuple, or what a history cache decodes on first use.
    commits: Sequence[ChangeSet] = ()
    _index: dict[str, FileHistory] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({fh.path: fh for fh in self.files})

    def for_file(self, path: str) -> FileHistory:
        """The history of ``path``; an empty one if git never saw it change. Never raises."""
        return self._index.get(path) or FileHistory.empty(path)


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement:
    """A number about a file or one of its symbols.

    ``key`` is namespaced by the plugin that measured it (``radon.cc``, ``git.revisions``); the
    namespace is how a value is attributed. Values are always plain numbers.
    """

    key: str
    value: float
    symbol: Symbol | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A friction pattern found in a file by a rule."""

    #: Stable rule code such as ``FS101`` and its slug such as ``deep-nesting``.
    code: str
    name: str
    #: One line naming the offending symbol.
    message: str
    span: Span
    #: Minutes a developer needs to fix this occurrence.
    effort_minutes: int = 5
    #: Qualified name of the enclosing function or class, if any.
    symbol: str | None = None
    #: Whether an automatic fix exists and whether it is safe to apply without review.
    fix_available: bool = False
    fix_safe: bool = False
    #: Set on findings silenced by a ``# frictionscan: ignore[...]`` comment, with its reason.
    suppressed: bool = False
    suppression_reason: str | None = None
    #: How much the rule's findings predict friction (next year's fixes and changes, beyond
    #: size, complexity and churn; docs/rules.md#which-findings-are-friction): 1.0 for a
    #: rule whose findings predict, down to 0.0 for one whose findings predict nothing. The
    #: score and the quick-win order weigh each finding by it. Third-party rules: 1.0.
    weight: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """A rule that can produce findings, for ``frictionscan rules`` and reports."""

    code: str
    name: str
    #: The rule's one-line message template, with placeholders shown as ``…``.
    summary: str
    effort_minutes: int
    #: ``"safe"``, ``"unsafe"`` or ``None``: whether ``frictionscan fix`` can fix it.
    fix: str | None = None
    #: Whether the rule runs with the current configuration.
    enabled: bool = True
    #: The weight its findings carry (:attr:`Finding.weight`).
    weight: float = 1.0
    #: What the rule flags, in one plain sentence (SARIF's ``shortDescription``); the
    #: ``summary`` is a message template.
    description: str = ""
    #: Why the pattern slows the next developer down, and what to do instead.
    rationale: str = ""
    #: Where the rule is documented: an absolute URL, or a path relative to frictionscan's
    #: ``docs/`` (``rules.md#fs101-deep-nesting``) that a report resolves against its
    #: documentation address (``report.docs_url``).
    help_uri: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliedFix:
    """One fix made (or, for unsafe fixes without ``--unsafe``, one that could be)."""

    code: str
    line: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult:
    """What a plugin's fixes did to one file."""

    #: The new text (the old one if nothing changed or on error).
    source: str
    applied: tuple[AppliedFix, ...] = ()
    #: Unsafe fixes left out because ``--unsafe`` was not given.
    skipped_unsafe: tuple[AppliedFix, ...] = ()
    #: Why nothing was changed, e.g. the fixed code would not parse.
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisError:
    """A per-file problem. Recorded in the report; the rest of the scan completes."""

    kind: ErrorKind
    message: str
    path: str | None = None
    plugin: str | None = None
    hook: str | None = None

    def describe(self) -> str:
        where = f"{self.path}: " if self.path else ""
        who = f" [{self.plugin}]" if self.plugin else ""
        return f"{where}{self.kind.value}: {self.message}{who}"


@dataclass(frozen=True, slots=True, kw_only=True)
class FocusArea:
    """A part of the code base the team plans to invest in (one ``[[focus]]`` table)."""

    name: str
    #: Glob patterns over repository-relative paths (``src/payments/**``).
    paths: tuple[str, ...]
    #: Explicit weight; ``None`` means "derive from the horizon".
    weight: float | None = None
    #: When the team works there, e.g. ``"3 months"`` or ``"2027-03-31"``.
    horizon: str | None = None
    owner: str | None = None
    #: What the team means to do there: ``refactor``, ``supervise``, ``leave`` or ``retire``.
    goal: str | None = None
    #: Tracker labels that map issues and pull requests to this area (evidence).
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Focus:
    """The roadmap: all focus areas, with their resolved weights."""

    areas: tuple[FocusArea, ...] = ()
    #: Resolved weight per area, in the order of ``areas``.
    weights: tuple[float, ...] = ()
    #: Where the roadmap came from (a config file path), if anywhere.
    source: str | None = None
    #: Directories with work in flight or planned, from the evidence (strongest first).
    in_flight: tuple[InFlightArea, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Weight:
    """A factor that multiplies a file's score, with the human reason shown in reports."""

    factor: float
    reason: str
    #: The focus area that caused it, if any.
    area: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FileAnalysis:
    """Everything the per-file phase learned about one file; assembled by the core."""

    file: SourceFile
    history: FileHistory
    measurements: tuple[Measurement, ...] = ()
    #: Findings that count (suppression problems included).
    findings: tuple[Finding, ...] = ()
    errors: tuple[AnalysisError, ...] = ()
    weights: tuple[Weight, ...] = ()
    #: Findings silenced by suppression comments (not scored; listed on request).
    suppressed: tuple[Finding, ...] = ()
    #: Whether the results depend on the scan's date (suppressions with ``until=``).
    dated: bool = False
    #: Whether the ``check_file`` hooks ran (not for files whose findings cannot change the
    #: result, see ``frictionscan_skip_checks``, unless ``--all-findings``).
    checked: bool = True

    def value(self, key: str, default: float | None = None) -> float | None:
        """The file-level measurement ``key`` (first one without a symbol), or ``default``."""
        for m in self.measurements:
            if m.key == key and m.symbol is None:
                return m.value
        return default

    def symbol_values(self, key: str) -> tuple[Measurement, ...]:
        """All per-symbol measurements named ``key``."""
        return tuple(m for m in self.measurements if m.key == key and m.symbol is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """One named part of a score, kept so that every rank can be explained."""

    name: str
    value: float
    #: What the value means, for people ("changed 14 times, 9 in the last 90 days").
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Hotspot:
    """A scored file."""

    analysis: FileAnalysis
    #: Higher means more friction: the key of the ranking's order (``scores`` has both).
    score: float
    components: tuple[Component, ...] = ()
    #: 1-based rank among the files of the same kind, set by ``frictionscan_rank``.
    rank: int | None = None
    #: The key of every order the scoring plugin offers, e.g. ``(("hotspot", 41.2),
    #: ("effort", 0.83))``; ``score`` is the one of the configured order.
    scores: tuple[tuple[str, float], ...] = ()
    #: The file's functions with their own change history, by function score, best first
    #: (the X-ray, ``frictionscan_function_history``); ``None`` when not asked for: only
    #: files that reach the report get one.
    functions: tuple[FunctionHistory, ...] | None = None

    @property
    def path(self) -> str:
        return self.analysis.file.path

    def component(self, name: str) -> float | None:
        for c in self.components:
            if c.name == name:
                return c.value
        return None

    @property
    def kind(self) -> str:
        return self.analysis.file.kind

    def key(self, order: str) -> float | None:
        """The key of ``order`` (``"hotspot"`` or ``"effort"``), if the score offers it."""
        return next((v for name, v in self.scores if name == order), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanResult:
    """What formatters render."""

    root: str
    head: str
    head_time: datetime
    since: datetime | None
    hotspots: tuple[Hotspot, ...]
    errors: tuple[AnalysisError, ...] = ()
    #: One-line warnings about the scan as a whole (shallow clone, unmatched focus paths).
    warnings: tuple[str, ...] = ()
    #: Counts and timings, e.g. ``("files", 120)``.
    stats: tuple[tuple[str, Any], ...] = ()
    #: Which order the hotspots are in.
    order: str = "hotspot"
    schema_version: int = SCHEMA_VERSION
    focus: Focus | None = None
    #: Files per kind, collected and kept after the excludes, and which kinds the report
    #: ranks and shows (``kinds``): ``(("product", 120, True), ("test", 80, False))``.
    kinds: tuple[tuple[str, int, bool], ...] = ()
    #: What the repository-level analyses found (``frictionscan_analyse_repository``).
    insights: Insights = field(default_factory=lambda: Insights())
    #: What the evidence plugins read (work in flight, code owners), if anything.
    evidence: Evidence | None = None

    def stat(self, key: str, default: Any = None) -> Any:
        for k, v in self.stats:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionHistory:
    """One function or method of a file with its own change history over the window (the
    X-ray of a hotspot, docs/scoring.md#function-hotspots)."""

    path: str
    #: Qualified name (``Session.resolve_redirects``), kind and lines as measured now.
    name: str
    kind: SymbolKind
    span: Span
    #: Non-merge commits in the window that changed the function's lines, and the lines
    #: they added and deleted inside it.
    changes: int = 0
    lines_added: int = 0
    lines_deleted: int = 0
    #: Distinct author names of those commits, sorted.
    authors: tuple[str, ...] = ()
    #: Those of the commits whose subject looks like a bug fix (``git.fix_pattern``).
    fixes: int = 0
    last_change: datetime | None = None
    #: Sum over those commits of 0.5 ** (age / half-life), as for files.
    recency: float = 0.0
    #: Cyclomatic complexity (``radon.cc``), and findings whose line is in the function.
    complexity: float | None = None
    findings: int = 0
    #: The function hotspot score: log2(1 + recency) x log2(1 + complexity).
    score: float = 0.0
    #: Abbreviated ids of the commits, newest first (to tell how far the changes of
    #: several functions overlap).
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeSet:
    """One non-merge commit of the window, as the repository-level analyses read it."""

    #: Tells commits apart within one history (not an order; use ``time``).
    number: int
    #: Commit time, UTC seconds.
    time: int
    #: Author name and e-mail after ``.mailmap``.
    author: str
    email: str
    #: Whether the subject looks like a bug fix (``git.fix_pattern``).
    fix: bool = False
    #: How many files the commit touched among those the log reads (the ``include``
    #: globs), scanned today or not: the size a mass-commit threshold compares.
    touched: int = 0
    #: The scanned files it changed, under their current names: (path, lines added, lines
    #: deleted), sorted by path.
    files: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CoupledFile:
    """A file that changes together with another (logical coupling)."""

    path: str
    #: Commits that changed both files.
    shared: int
    #: ``shared`` / the mean of the two files' revisions (code-maat's degree), 0 to 1.
    degree: float
    #: Why the pair is a hidden dependency: ``"package"`` (different directories),
    #: ``"focus area"`` (different focus areas), or ``""`` (not hidden).
    boundary: str = ""

    @property
    def hidden(self) -> bool:
        return bool(self.boundary)


@dataclass(frozen=True, slots=True, kw_only=True)
class Coupling:
    """The files one file changes together with."""

    path: str
    #: The file's revisions among the commits the analysis counts (mass commits and bots
    #: left out).
    revisions: int
    #: Strongest first.
    coupled: tuple[CoupledFile, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorShare:
    """One person's part in a file's, an area's or a change's history. Names appear in
    the data model only here and in the ``authors`` of ``FileHistory``, ``FunctionHistory``
    and ``RevisionDiff`` (anonymising replaces exactly these)."""

    name: str
    #: Commits (non-merge, in the window) and lines added.
    changes: int
    added: int = 0
    #: Whether the person committed in the last ``people.left_after`` of the window.
    active: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Knowledge:
    """Who knows a file: its authors in the window (bots left out)."""

    path: str
    changes: int
    added: int
    #: Most changes first.
    authors: tuple[AuthorShare, ...] = ()
    #: Share of the changes made by people with no commit in the last
    #: ``people.left_after`` of the window, 0 to 1.
    at_risk: float = 0.0

    @property
    def main(self) -> AuthorShare | None:
        """The person with the most changes (ties: most lines added)."""
        return self.authors[0] if self.authors else None

    @property
    def main_share(self) -> float:
        return self.authors[0].changes / self.changes if self.authors and self.changes \
            else 0.0

    @property
    def main_added_share(self) -> float:
        return self.authors[0].added / self.added if self.authors and self.added else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaKnowledge:
    """Who knows a focus area (``area`` ``None``: the files outside every area, or all
    files when there is no roadmap)."""

    area: str | None
    #: Commits that changed the area's files.
    changes: int
    #: The fewest people whose commits make half of ``changes``.
    bus_factor: int
    at_risk: float = 0.0
    #: Most changes first.
    authors: tuple[AuthorShare, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """What the repository-level analyses found (``frictionscan_analyse_repository``)."""

    #: One per file that changed in the counted commits.
    coupling: tuple[Coupling, ...] = ()
    #: One per file with changes by people.
    knowledge: tuple[Knowledge, ...] = ()
    #: One per focus area, and one for the rest (``area`` ``None``).
    areas: tuple[AreaKnowledge, ...] = ()
    _coupling: dict[str, Coupling] = field(default_factory=dict, init=False, compare=False,
                                           repr=False)
    _knowledge: dict[str, Knowledge] = field(default_factory=dict, init=False, compare=False,
                                             repr=False)

    def __post_init__(self) -> None:
        self._coupling.update({c.path: c for c in self.coupling})
        self._knowledge.update({k.path: k for k in self.knowledge})

    def coupling_of(self, path: str) -> Coupling | None:
        return self._coupling.get(path)

    def knowledge_of(self, path: str) -> Knowledge | None:
        return self._knowledge.get(path)

    def area(self, name: str | None) -> AreaKnowledge | None:
        return next((a for a in self.areas if a.area == name), None)
# -- evidence of where the team is about to work (issue #20) ---------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkItem:
    """A piece of work under way or planned, as an evidence plugin read it: an unmerged
    branch, an open pull request, an issue of a milestone. Every text field is the
    repository's or the tracker's text: escape it in every output."""

    #: ``"branch"``, ``"pull request"`` or ``"issue"``.
    kind: str
    #: How people name it: the branch's name, ``"#482"``.
    key: str
    title: str = ""
    #: The repository paths it changes (branches, pull requests) or names (issues, through
    #: their text); a path ending in ``/`` stands for everything below that directory.
    paths: tuple[str, ...] = ()
    #: How many files it changes, and how many lines (added and deleted), when known.
    files: int = 0
    lines: int = 0
    #: When it last changed (its last commit, or the tracker's ``updatedAt``), UTC.
    updated: datetime | None = None
    labels: tuple[str, ...] = ()
    milestone: str | None = None
    #: The branch a pull request lives on, when known.
    ref: str | None = None
    #: The focus areas (names) its labels map it to (``labels`` of a focus area).
    areas: tuple[str, ...] = ()
    #: Where it was read: ``"git"``, or the export file's name.
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Ownership:
    """Who owns a file, from a CODEOWNERS file."""

    path: str
    #: Every owner (GitLab sections add theirs), those of the deciding rule first.
    owners: tuple[str, ...] = ()
    #: The team the file belongs to: the owners of the deciding rule (the last matching
    #: pattern; with GitLab sections, of the last section that matches), space-separated;
    #: ``""`` for a file that no rule gives an owner.
    team: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """What the evidence plugins read about where the team is about to work: work in flight
    and planned (:class:`WorkItem`), and who owns what (:class:`Ownership`)."""

    items: tuple[WorkItem, ...] = ()
    owners: tuple[Ownership, ...] = ()
    #: What was read, for reports (``"git: 2 unmerged branches (main: origin/main)"``).
    sources: tuple[str, ...] = ()
    #: One-line warnings for the report.
    warnings: tuple[str, ...] = ()
    _owners: dict[str, Ownership] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for o in self.owners:
            self._owners.setdefault(o.path, o)

    def owner_of(self, path: str) -> Ownership | None:
        """The ownership of ``path`` (the first plugin's that names it), if any."""
        return self._owners.get(path)


@dataclass(frozen=True, slots=True, kw_only=True)
class InFlightArea:
    """A directory with work in flight or planned (from the :class:`Evidence`), as the
    roadmap weighs it: the files the work touches take ``weight``, the directory's other
    files ``area_weight``."""

    #: The directory, with a trailing ``/`` (``"src/payments/"``; ``""`` for the top level).
    name: str
    #: The work, most recent first, and a note on each (``"`feature/x` (14 files, last
    #: commit 3 days ago)"``), in the same order.
    items: tuple[WorkItem, ...]
    notes: tuple[str, ...] = ()
    weight: float = 1.0
    area_weight: float = 1.0
    #: The scanned files of the directory that the items change or name.
    touched: tuple[str, ...] = ()
    #: The owning team (the team of most of the directory's scanned files), or ``""`` (when
    #: most have none).
    team: str = ""
    _touched: set[str] = field(default_factory=set, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._touched.update(self.touched)

    def contains(self, path: str) -> bool:
        """Whether ``path`` is in the directory (not below it)."""
        directory, _, _ = path.rpartition("/")
        return (directory + "/" if directory else "") == self.name

    def touches(self, path: str) -> bool:
        """Whether the items change or name ``path`` itself."""
        return path in self._touched
