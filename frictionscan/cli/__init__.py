"""The ``frictionscan`` command line (docs/cli.md).

One module per command (``scan``, ``plan``, ``explain``, ``ci``, ``baseline``, ``backtest``,
``fix``, ``cache``, ``plugins``, ``hooks``, ``rules``): its flags and what it prints. Shared:
:mod:`~frictionscan.cli.app` (the parser tree, dispatch, errors and exit codes),
:mod:`~frictionscan.cli.options` (flag groups), :mod:`~frictionscan.cli.context`,
:mod:`~frictionscan.cli.scanning` (the scanning commands' common steps),
:mod:`~frictionscan.cli.progress`, :mod:`~frictionscan.cli.output` (standard output and
``-o``) and :mod:`~frictionscan.cli.records` (the files commands keep).

``main`` is the console script's entry point, and ``python -m frictionscan``'s.
"""

from frictionscan.cli.app import main

__all__ = ["main"]
