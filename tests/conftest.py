"""Shared fixtures: fixture repositories built once per session with git's config isolated."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from frictionscan.testing import build_repo, git_env

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Make every git process in the tests ignore the user's and system's configuration."""
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    os.environ.update(git_env(home))
    os.environ["FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def planted_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    """The planted fixture repository (read-only: copy it before changing anything)."""
    return build_repo(FIXTURES / "repos" / "planted.fi",
                      tmp_path_factory.mktemp("planted") / "repo")


@pytest.fixture
def planted_copy(planted_repo: Path, tmp_path: Path) -> Path:
    """A private copy of the planted repository that a test may modify."""
    dest = tmp_path / "repo"
    shutil.copytree(planted_repo, dest, symlinks=True,
                    ignore=shutil.ignore_patterns(".frictionscan"))  # no caches of others
    return dest


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout
