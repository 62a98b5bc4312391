"""Cost and yield of the libcst rule catalogue on one repository.

Usage::

    python benchmarks/bench_rules.py PATH

For every tracked ``*.py`` file of the repository at PATH (default excludes applied), on one
core: the time of a bare ``libcst.parse_module``, the time of parsing plus running every rule
in the plugin's single traversal (positions included, for files with findings), their ratio,
and the number of findings per rule. Use it to keep the rules cheap and their thresholds
sane: findings should be few and worth reading.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections import Counter
from pathlib import Path

import libcst as cst
from frictionscan_libcst import check_module
from frictionscan_libcst.rules import BUILTIN_RULES

from frictionscan.core.config import DEFAULT_EXCLUDES
from frictionscan.core.globs import match_any


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    args = ap.parse_args()
    root = Path(args.path).resolve()
    names = subprocess.run(["git", "ls-files", "-z", "--", "*.py"], cwd=root, check=True,
                           capture_output=True).stdout.decode("utf-8", "surrogateescape")
    paths = [p for p in names.split("\0") if p and not match_any(p, DEFAULT_EXCLUDES)]
    sources = {}
    for p in paths:
        try:
            sources[p] = (root / p).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    parse_time = 0.0
    modules = {}
    for p, text in sources.items():
        t0 = time.perf_counter()
        try:
            modules[p] = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue
        parse_time += time.perf_counter() - t0
    counts: Counter[str] = Counter()
    files_with: Counter[str] = Counter()
    rules_time = 0.0
    errors = 0
    for p in modules:
        t0 = time.perf_counter()
        module = cst.parse_module(sources[p])
        findings, errs = check_module(module, p, BUILTIN_RULES)
        rules_time += time.perf_counter() - t0
        errors += len(errs)
        counts.update(f.code for f in findings)
        files_with.update({f.code for f in findings})
    size = sum(len(sources[p]) for p in modules) / 1e6
    print(f"repository   {root}")
    print(f"files        {len(modules)} parsed ({size:.1f} MB)")
    print(f"bare parse   {parse_time:7.2f} s")
    print(f"parse+rules  {rules_time:7.2f} s   = {rules_time / parse_time:.2f}x the bare parse "
          f"({len(BUILTIN_RULES)} rules, one traversal)")
    if errors:
        print(f"rule errors  {errors}")
    print(f"findings     {sum(counts.values())} in {len({p for p in modules})} files")
    for rule in BUILTIN_RULES:
        print(f"  {rule.CODE} {rule.NAME:<28} {counts[rule.CODE]:5d} in "
              f"{files_with[rule.CODE]:4d} files")


if __name__ == "__main__":
    main()
