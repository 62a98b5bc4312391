"""``frictionscan cache info|clear``: inspect or delete the result cache
(docs/performance.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from frictionscan.cli.context import Context
from frictionscan.core.config import check_cache_dir, find_config_file
from frictionscan.core.text import terminal_safe
from frictionscan.engine.session import find_root

NAME = "cache"
SUMMARY = "inspect or clear the result cache"
DESCRIPTION = ("Inspect (info) or delete (clear) the result cache of a repository "
               "(docs/performance.md).")
PLUGIN_OPTIONS = False


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    parser.add_argument("action", choices=["info", "clear"], metavar="info|clear",
                        help="info: where the cache is and what it holds; clear: delete it")
    parser.add_argument("path", nargs="?", default=".",
                        help="a path inside the git repository (default: .)")
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file, for its cache_dir (default: "
                             ".frictionscan.toml or pyproject.toml)")


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.engine.cache import Cache, default_dir

    stdout = context.stdout
    root = find_root(Path(args.path))
    raw = find_config_file(root, args.config)
    setting = raw.table.get("cache_dir") if isinstance(raw.table.get("cache_dir"), str) else ""
    if setting and raw.path:
        key = f"{raw.prefix}.cache_dir" if raw.prefix else "cache_dir"
        check_cache_dir(root, Path(raw.path), setting, f"{raw.path}: {key}")
    cache = Cache(default_dir(root, setting))
    if args.action == "clear":
        cache.clear()
        stdout.write(terminal_safe(f"cleared {cache.path}") + "\n")
        return 0
    info = cache.info()
    stdout.write(terminal_safe(f"cache: {info['path']}") + f"\n  {info['files']} file results, "
                 f"{info['plugin_data']} entries kept by plugins (histories, function "
                 f"histories, analyses), "
                 f"{info['bytes'] / 1e6:.1f} MB\n")
    for warning in cache.warnings:
        stdout.write(terminal_safe(f"warning: {warning}") + "\n")
    cache.close()
    return 0
