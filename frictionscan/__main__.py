"""``python -m frictionscan``."""

from frictionscan.cli import main

raise SystemExit(main())
