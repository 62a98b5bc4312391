"""Built-in plugin *people*: who knows the code, and reports without names when asked
(docs/coupling-and-knowledge.md).

* ``frictionscan_analyse_repository``: from the window's commits (``history.commits``, the
  same ``git log`` pass as the churn numbers; names and e-mails after ``.mailmap``), per file
  each person's commits and lines added, and the share of the commits made by people with no
  commit in the last ``people.left_after`` of the window (knowledge at risk); per focus area
  the same and the bus factor. Commits whose author matches ``people.bots`` are no one's.
* ``frictionscan_formatters`` (a wrapper): with ``people.anonymise`` (``--anonymise``),
  every formatter, built-in or not, is given the report with names replaced by ``Author N``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from frictionscan.api import (
    DEFAULT_BOTS,
    AreaKnowledge,
    Config,
    Focus,
    Formatter,
    History,
    Knowledge,
    OptionParser,
    SourceFile,
    Store,
    bot_matcher,
    duration,
    evolve,
    history_key,
    hookimpl,
    regular_expression,
    resolve_point,
)
from frictionscan_people import codec
from frictionscan_people.anonymise import anonymise
from frictionscan_people.knowledge import (
    area_knowledge,
    departed,
    file_knowledge,
    people_commits,
)

__version__ = "0.1.0"



def _patterns(value: Any) -> None:
    for pattern in value:
        regular_expression(pattern)


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("people.bots", type=list, default=list(DEFAULT_BOTS), validate=_patterns,
                     help="regular expressions (case-insensitive) over author names and "
                          "e-mails that mark bots, whose commits are no one's")
    parser.addoption("people.left_after", type=str, default="6 months", validate=duration,
                     help="people with no commit in this last part of the window have left: "
                          "what they changed is knowledge at risk")
    parser.addoption("people.anonymise", type=bool, default=False, flag="--anonymise",
                     help="replace people's names by pseudonyms (Author 1, Author 2, ...) in "
                          "every output")


@hookimpl
def frictionscan_analyse_repository(root: Path, files: Sequence[SourceFile], history: History,
                                    focus: Focus, config: Config,
                                    store: Store | None) -> list[Knowledge | AreaKnowledge]:
    """Knowledge per file and per area; kept in ``store`` for the same history."""
    bots = list(config.getoption("people.bots", DEFAULT_BOTS))
    left_after = str(config.getoption("people.left_after", "6 months"))
    key = history_key("people", __version__, history, files, focus, (bots, left_after))
    cached = codec.decode(store.get(key)) if store is not None else None
    if cached is not None:
        return cached
    commits = people_commits(history.commits, bot_matcher(bots))
    cutoff = resolve_point(left_after, history.head_time)
    left = departed(commits, int(cutoff.timestamp()))
    out: list[Knowledge | AreaKnowledge] = []
    out.extend(file_knowledge(commits, left))
    out.extend(area_knowledge(commits, focus, left))
    if store is not None:
        store.put(key, codec.encode(out))
    return out


def _anonymising(write: Callable[[Any, Config, TextIO], None]
                 ) -> Callable[[Any, Config, TextIO], None]:
    def anonymising_write(report: Any, config: Config, stream: TextIO) -> None:
        if config.getoption("people.anonymise", False):
            report = anonymise(report)
        write(report, config, stream)

    anonymising_write.__name__ = getattr(write, "__name__", "write")
    return anonymising_write


@hookimpl(wrapper=True)
def frictionscan_formatters() -> Generator[None, Any, Any]:
    """Every format, built-in or not, is given the report without names when
    ``people.anonymise`` is set (decided as it writes, from the run's configuration)."""
    answers = yield

    def wrap(answer: Any) -> Any:
        if isinstance(answer, Formatter):
            return evolve(answer, write=_anonymising(answer.write))
        if isinstance(answer, Iterable) and not isinstance(answer, (str, bytes)):
            return [wrap(a) for a in answer]
        return answer

    return wrap(answers)
