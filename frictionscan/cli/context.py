"""What a command's ``run`` receives besides its parsed arguments: where to write, the
plugin selection, and (for the commands whose flags plugins declare) the plugins loaded and
the repository found while parsing."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from frictionscan.cli.options import plugin_spec
from frictionscan.core.config import find_config_file
from frictionscan.core.errors import ConfigError
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import Session


@dataclass
class Context:
    """One run of the command line."""

    stdout: TextIO
    stderr: TextIO
    #: The plugin-selection flags (``-p``, ``--no-autoload``, ``--allow-local-plugins``,
    #: ``--config``), read before anything was loaded.
    selection: argparse.Namespace
    #: The plugins loaded to parse the command line (commands whose flags plugins declare).
    session: Session | None = None
    #: The repository's top-level directory, found from the command's path while parsing.
    root: Path | None = None

    def loaded(self) -> Session:
        """The plugins loaded to parse a command whose flags plugins declare."""
        if self.session is None:
            raise RuntimeError("the command line was parsed without its plugins")
        return self.session

    @property
    def scanning(self) -> tuple[Session, Path]:
        """The session and repository of a scanning command (set before its ``run``)."""
        if self.session is None or self.root is None:
            raise RuntimeError("the command line was parsed without its plugins")
        return self.session, self.root

    def start_session(self, root: Path | None = None) -> Session:
        """Load the plugins: the built-in and installed ones and ``-p`` modules; with
        ``root``, also the modules the repository's configuration names, if
        ``--allow-local-plugins`` was given (else a warning says they were not loaded)."""
        local = local_plugins(self.selection, root, self.stderr) if root is not None else []
        return Session.start(plugin_spec(self.selection, local, root))


def local_plugins(selection: argparse.Namespace, root: Path, stderr: TextIO) -> list[str]:
    """The modules named by ``plugins = [...]`` in the repository's configuration, when
    ``--allow-local-plugins`` lets them load."""
    raw = find_config_file(root, getattr(selection, "config", None))
    config_plugins = raw.table.get("plugins", []) or []
    if config_plugins and not selection.allow_local_plugins:
        stderr.write(terminal_safe(f"warning: {raw.path} names local plugins "
                                   f"({', '.join(map(str, config_plugins))}); not loaded "
                                   f"without --allow-local-plugins") + "\n")
        return []
    if config_plugins and (not isinstance(config_plugins, list)
                           or not all(isinstance(p, str) for p in config_plugins)):
        raise ConfigError(f"{raw.path}: plugins must be a list of module names")
    return list(config_plugins)
