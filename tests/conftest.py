"""Shared fixtures: fixture repositories built once per session with git's config isolated."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Callable[[int, int], Any]]:
    """Start a headless Chromium through selenium at a window size, ``driver = browser(1400,
    1600)`` (its console log kept); every driver is closed after the test. The test is
    skipped when chromium, chromedriver or selenium is missing, and fails instead when
    ``.ci/run`` found them (``FRICTIONSCAN_REQUIRE_BROWSER``): there the check must run."""
    required = bool(os.environ.get("FRICTIONSCAN_REQUIRE_BROWSER"))
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (binary and chromedriver):
        if required:
            pytest.fail("chromium and chromium-driver were found by .ci/run but not here")
        pytest.skip("chromium and chromedriver are not installed (.ci/run installs them)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if required:
            pytest.fail("selenium is not installed, but .ci/run installs it (.[dev])")
        pytest.skip("selenium is not installed (it is in the dev extra: pip install -e "
                    "'.[dev]')")
    drivers: list[Any] = []

    def start(width: int, height: int) -> Any:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     f"--window-size={width},{height}",
                     f"--user-data-dir={tmp_path / f'profile{len(drivers)}'}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.quit()
