"""Exceptions that end a run with one clear line and a non-zero exit code.

Per-file problems are never exceptions: they become :class:`~frictionscan.core.model.AnalysisError`
values in the report. Everything here is fatal for the run and is printed as ``error: <message>``
by the command line, without a traceback.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of the ``frictionscan`` command (documented in docs/cli.md)."""

    #: The scan completed. Files that do not parse are facts about your code, not failures;
    #: files a plugin raised on, or whose worker died or timed out, are listed in the report
    #: and ranked on their history: the ranking is still complete.
    OK = 0
    #: A plugin raised, a worker died or timed out on some files, and ``--strict`` was given,
    #: or no file could be analysed at all.
    INCOMPLETE = 1
    #: Bad command line, bad configuration or unusable repository.
    USAGE_ERROR = 2
    #: A plugin could not be loaded or a whole-run hook failed.
    PLUGIN_ERROR = 3
    #: A bug in frictionscan itself.
    INTERNAL_ERROR = 4
    #: ``frictionscan ci``: the change breaks a ``--fail-on`` policy.
    POLICY_FAILED = 5
    #: The report could not be written out: a full disk, an I/O error, a closed standard
    #: output.
    OUTPUT_ERROR = 6


class FrictionscanError(Exception):
    """Base class: a fatal problem explained in one line."""

    exit_code: ExitCode = ExitCode.USAGE_ERROR


class UsageError(FrictionscanError):
    """Bad arguments, or a repository frictionscan cannot work on."""


class ConfigError(FrictionscanError):
    """A configuration file that is broken; the message names the file and the key."""


class RepositoryError(FrictionscanError):
    """The path is not a usable git repository (missing, not a repository, no commits...)."""


class PluginError(FrictionscanError):
    """A plugin failed to load or raised in a whole-run hook; names the plugin and the hook."""

    exit_code = ExitCode.PLUGIN_ERROR

    def __init__(self, message: str, *, plugin: str | None = None, hook: str | None = None):
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook


class OutputError(FrictionscanError):
    """The report could not be written where it goes (a full disk, a closed output)."""

    exit_code = ExitCode.OUTPUT_ERROR
