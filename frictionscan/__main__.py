"""``python -m frictionscan``.

The current directory, which ``-m`` puts first on ``sys.path``, is already gone: the package's
``__init__`` runs before this module and drops it before importing anything.
"""

from frictionscan.cli import main

raise SystemExit(main())
