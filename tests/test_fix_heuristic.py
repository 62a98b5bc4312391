"""The one bug-fix heuristic (frictionscan.core.fixes): the evaluation's loose label."""

from __future__ import annotations

import pytest

from frictionscan.core.fixes import is_fix


@pytest.mark.parametrize("subject, expected", [
    ("Fix crash in dispatch", True),
    ("fixes #12", True),
    ("Handle the error when the socket closes", True),
    ("Correct an incorrect timeout", True),
    ("fix: wrong default", True),
    ("Resolves owner/repo#12", True),
    ("Add a prefix option", False),
    ("feat: fix-up the parser", False),
    ("docs(cli): fix typo", False),
    ("refactor: make errors explicit", False),
    ("Bump urllib3 from 1.26 to 2.0", False),
    ("[pre-commit.ci] auto fixes from pre-commit hooks", False),
    ("prefix the suffix", False),
])
def test_subjects(subject: str, expected: bool) -> None:
    assert is_fix(subject) is expected


def test_bots_never_fix() -> None:
    assert not is_fix("Fix the build", author="dependabot[bot]")
    assert not is_fix("Fix the build", email="49699333+renovate@users.noreply.github.com")
    assert is_fix("Fix the build", author="Ada Lovelace")


def test_the_pattern_is_an_option() -> None:
    assert is_fix("Repair the cache", fix_pattern=r"\brepair")
    assert not is_fix("Fix the cache", fix_pattern=r"\brepair")
    assert is_fix("closes #7", fix_pattern=r"\brepair")  # closing references always count
