"""`python -m dashboard.cli`: the same commands as the `qa-dashboard` console script."""

from __future__ import annotations

from dashboard.cli import main

raise SystemExit(main())
