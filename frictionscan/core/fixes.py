"""Which commits are bug fixes: the one heuristic every part of frictionscan uses (the
``fixes`` of the score, the function X-ray, and the labels of ``backtest``).

It is the "loose" label of the time-travel evaluation the ranking is judged by
(``shared/eval``), so that what the score counts and what the evaluation calls a fix are the
same thing (docs/scoring.md#bug-fix-heuristic):

* a fix word in the subject line (``git.fix_pattern``, by default: fix, fixes, fixed,
  fixing, bug(s), bugfix, hotfix, regression, crash, error(s), fault(s), faulty, defect,
  broken, incorrect(ly), wrong(ly)), or an issue-closing reference (``fixes #12``,
  ``closes owner/repo#12``);
* never a commit of a bot (``[bot]``, dependabot, renovate, pre-commit.ci) or a dependency
  bump, nor a conventional-commit subject of another type (``feat:``, ``docs(x):``,
  ``test:``, ``chore:``, ``refactor:``...; ``fix:`` is a fix).

Only the subject line is read: bodies are not part of the history frictionscan reads, so a
closing reference that only the body of a commit carries is not seen (squash merges put
the pull request's title, and often its reference, in the subject).
"""

from __future__ import annotations

import functools
import re

DEFAULT_FIX_PATTERN = (
    r"\b(fix(e[sd]|ing)?|bugs?|bugfix(es)?|hotfix(es)?|regressions?|crash(es|ed|ing)?"
    r"|errors?|faults?|faulty|defects?|broken|incorrect(ly)?|wrong(ly)?)\b"
)
#: An issue-closing reference: ``fixes #12``, ``closes: owner/repo#12``.
CLOSING = r"\b(fix(e[sd])?|close[sd]?|resolve[sd]?)\s*:?\s+([\w.-]+/[\w.-]+)?#\d+"
BOT = re.compile(r"\[bot\]|pre-commit-ci|dependabot|renovate", re.IGNORECASE)
BOT_SUBJECT = re.compile(r"^\[pre-commit\.ci\]|^bump\b|^pre-commit autoupdate", re.IGNORECASE)
#: A conventional-commit subject of a type other than ``fix``.
NON_FIX_TYPE = re.compile(r"^(feat|feature|docs?|chore|ci|tests?|style|build|refactor|perf"
                          r"|release)(\([^)]*\))?!?:", re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _pattern(fix_pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{fix_pattern})|(?:{CLOSING})", re.IGNORECASE)


def is_bot(author: str, email: str, subject: str = "") -> bool:
    return bool(BOT.search(author) or BOT.search(email) or BOT_SUBJECT.search(subject))


def is_fix(subject: str, author: str = "", email: str = "",
           fix_pattern: str = DEFAULT_FIX_PATTERN) -> bool:
    """Whether a (non-merge) commit with this subject and author is a bug fix."""
    subject = subject.strip()
    if is_bot(author, email, subject) or NON_FIX_TYPE.match(subject):
        return False
    return bool(_pattern(fix_pattern).search(subject))
