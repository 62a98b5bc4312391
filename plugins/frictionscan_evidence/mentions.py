"""Which scanned files a tracker item is about: the files it changes, the paths and module
names its text mentions, and the focus areas its labels name.

* a **path** in the text (``src/payments/api.py``, ``src/payments/``, a link to a file on
  the forge) names that file, or every scanned file below that directory; a bare file name
  (``api.py``) names the files of that name when there are at most three;
* a **dotted module name** of two parts or more (``payments.api``, ``app.core.engine``)
  names the module's file, or every file of the package; single words are too ambiguous and
  never count;
* a **label** that a focus area lists in its ``labels`` names the area's files.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from frictionscan.api import FocusArea, match_any

_PATH = re.compile(r"[\w.\-]+(?:/[\w.\-]+)+/?|[\w\-]+\.py\b")
_MODULE = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
#: A bare file name naming more files than this names none.
MAX_SAME_NAME = 3


class PathIndex:
    """The scanned files, looked up by path, directory, file name and module name."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = frozenset(files)
        self.below: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.modules: dict[str, set[str]] = defaultdict(set)
        for path in self.files:
            directory = posixpath.dirname(path)
            while directory:
                self.below[directory].add(path)
                directory = posixpath.dirname(directory)
            self.by_name[posixpath.basename(path)].add(path)
            if path.endswith(".py"):
                parts = path[:-3].split("/")
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                for i in range(len(parts) - 1):
                    self.modules[".".join(parts[i:])].add(path)
        for directory, below in self.below.items():
            parts = directory.split("/")
            for i in range(len(parts) - 1):
                self.modules[".".join(parts[i:])].update(below)

    def path(self, token: str) -> set[str]:
        """The files a path in some text names (a link's tail counts: the longest suffix
        that is a scanned file or directory)."""
        token = token.rstrip("/").removeprefix("./")
        candidates = [token] + [token[i + 1:] for i, c in enumerate(token) if c == "/"]
        for candidate in candidates:
            if candidate in self.files:
                return {candidate}
            if candidate in self.below:
                return set(self.below[candidate])
        if "/" not in token:
            same = self.by_name.get(token, set())
            return set(same) if len(same) <= MAX_SAME_NAME else set()
        return set()

    def mentioned(self, text: str) -> set[str]:
        """Every scanned file the paths and module names in ``text`` name."""
        found: set[str] = set()
        for token in _PATH.findall(text):
            found |= self.path(token)
        for token in _MODULE.findall(text):
            found |= self.modules.get(token, set())
        return found


def labelled(labels: Sequence[str], areas: Sequence[FocusArea]) -> list[FocusArea]:
    """The focus areas whose ``labels`` hold one of ``labels`` (case does not matter)."""
    wanted = {label.casefold() for label in labels}
    return [a for a in areas if wanted & {label.casefold() for label in a.labels}]


def area_files(area: FocusArea, files: Collection[str]) -> set[str]:
    return {f for f in files if match_any(f, area.paths)}
