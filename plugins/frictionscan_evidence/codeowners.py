"""Who owns which file: GitHub's and GitLab's ``CODEOWNERS``.

* **Where**: the first of ``.github/CODEOWNERS``, ``CODEOWNERS``, ``docs/CODEOWNERS``
  (GitHub's places, in GitHub's order) and ``.gitlab/CODEOWNERS`` (GitLab's third place),
  or the file ``evidence.codeowners`` names. It is read from git (the index for the working
  tree, the commit for a past revision), never through a symbolic link.
* **Syntax**: one rule a line, a gitignore-style pattern and its owners (``@user``,
  ``@org/team``, an e-mail address); ``#`` starts a comment, ``\\#`` is a pattern starting
  with ``#``; ``!`` negation is not supported (by either forge) and such lines are ignored.
  GitLab's sections: ``[Name]``, ``^[Name]`` (optional), ``[Name][2]`` (approvals), each
  with optional default owners for its rules without owners; sections of the same name
  (in any case) are one.
* **Meaning**: in each section the last matching pattern wins (a pattern without owners
  leaves the file unowned); the owners of every section that matches add up (GitLab); the
  file's *team* is the deciding rule's owners, in the last section that gives it any.

Patterns are matched with pathspec's gitignore patterns (the same rules git uses).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from frictionscan.api import ConfigError, Ownership
from frictionscan_evidence.branches import git

#: GitHub's places, in the order GitHub looks, then GitLab's own.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
#: GitHub ignores CODEOWNERS files larger than this.
MAX_BYTES = 3 << 20
_SECTION = re.compile(r"^\^?\[(?P<name>[^\]]+)\](?:\[\d+\])?(?P<owners>(?:\s.*)?)$")
_TOKEN = re.compile(r"(?:\\.|\S)+")


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: str
    owners: tuple[str, ...]
    line: int


@dataclass
class Section:
    name: str
    defaults: tuple[str, ...] = ()
    rules: list[Rule] = field(default_factory=list)
    spec: pathspec.PathSpec[Any] | None = None


@dataclass
class CodeOwners:
    """A parsed CODEOWNERS file."""

    source: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)

    def ownership(self, paths: Iterable[str]) -> list[Ownership]:
        """The owners of each of ``paths`` (none, and no team, for a file no rule gives an
        owner: so that "the team of most files" can be nobody's)."""
        specs = [(s, s.spec) for s in self.sections if s.spec is not None]
        out = []
        for path in paths:
            owners: list[str] = []
            team: tuple[str, ...] = ()
            for section, spec in specs:
                index = spec.check_file(path).index
                if index is None:
                    continue
                rule = section.rules[index]
                if rule.owners:
                    team = rule.owners
                    owners.extend(rule.owners)
            first = tuple(dict.fromkeys((*team, *owners)))
            out.append(Ownership(path=path, owners=first, team=" ".join(team)))
        return out


def _owners(tokens: Sequence[str]) -> tuple[str, ...]:
    owners = []
    for token in tokens:
        if token.startswith("#"):  # an inline comment
            break
        owners.append(token)
    return tuple(owners)


def parse(text: str, source: str) -> CodeOwners:
    """Rules and sections of a CODEOWNERS file; patterns pathspec cannot read are left out
    with a warning naming the line."""
    sections: dict[str, Section] = {"": Section(name="")}
    current = sections[""]
    warnings: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _SECTION.match(line)
        if header is not None:
            name = header.group("name").strip()
            current = sections.setdefault(name.casefold(), Section(name=name))
            current.defaults = _owners(header.group("owners").split()) or current.defaults
            continue
        tokens = _TOKEN.findall(line)
        pattern, owners = tokens[0], _owners(tokens[1:])
        if pattern.startswith("!"):
            continue
        current.rules.append(Rule(pattern=pattern, owners=owners or current.defaults,
                                  line=number))
    for section in sections.values():
        if not section.rules:
            continue
        try:
            section.spec = _spec(r.pattern for r in section.rules)
        except Exception:  # one bad pattern: find it, leave it out, keep the others
            good = []
            for rule in section.rules:
                try:
                    _spec([rule.pattern])
                    good.append(rule)
                except Exception:
                    warnings.append(f"{source} line {rule.line}: pattern {rule.pattern!r} is "
                                    f"not a valid pattern; the line is ignored")
            section.rules = good
            section.spec = _spec(r.pattern for r in good) if good else None
    return CodeOwners(source=source, sections=list(sections.values()), warnings=warnings)


def _spec(patterns: Iterable[str]) -> pathspec.PathSpec[Any]:
    try:
        return pathspec.PathSpec.from_lines("gitignore", patterns)
    except LookupError:  # pathspec before 1.0 names the same patterns "gitwildmatch"
        return pathspec.PathSpec.from_lines("gitwildmatch", patterns)


def _blobs(root: Path, revision: str, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``{path: (mode, blob)}`` of those of ``paths`` that exist at ``revision`` (``HEAD``:
    in the index), in one git command."""
    literal = [f":(literal){p}" for p in paths]
    try:
        if revision == "HEAD":
            raw = git(root, "ls-files", "-s", "-z", "--", *literal)
        else:
            raw = git(root, "ls-tree", "-z", "--full-tree", revision, "--", *literal)
    except subprocess.CalledProcessError:
        return {}
    found = {}
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) >= 3:  # ls-files: mode blob stage; ls-tree: mode type blob
            found[path] = (fields[0], fields[1] if revision == "HEAD" else fields[2])
    return found


def read(root: Path, revision: str, explicit: str = "") -> CodeOwners | None:
    """The repository's CODEOWNERS at ``revision``, if it has one (``explicit``: that file,
    which must exist). Symbolic links are not followed."""
    places = (explicit,) if explicit else LOCATIONS
    if revision == "HEAD" and not explicit and \
            not any(os.path.lexists(root / place) for place in places):
        return None  # the common case costs no git process
    found = _blobs(root, revision, places)
    for location in places:
        mode, blob = found.get(location, ("", ""))
        if mode not in ("100644", "100755"):
            continue
        data = git(root, "cat-file", "blob", blob)
        if len(data) > MAX_BYTES:
            return CodeOwners(source=location, sections=[], warnings=[
                f"{location}: larger than 3 MB, ignored (as GitHub does)"])
        return parse(data.decode("utf-8", "replace"), location)
    if explicit:
        raise ConfigError(f"evidence.codeowners: {explicit!r} is not a file in the "
                          f"repository")
    return None
