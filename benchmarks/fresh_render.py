"""Render one page in this new Python process and print its timings as one JSON line.

    python -m benchmarks.fresh_render --url sqlite:///... --page mash --role qa_officer

What a server process pays for its first visitor after a restart: nothing imported, no chart,
query or figure cached. `import_s` is loading the app's modules (Streamlit, pandas, Altair, the
dashboard); `render_s` is the page's first render under AppTest, timed as `bench_pages` times
its other renders. `bench_pages` starts one of these per page and repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--role", required=True)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.url
    # The modules a server imports before its first page (app.py imports these too).
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import streamlit  # noqa: F401

    from benchmarks.bench_pages import quiet_streamlit, render
    from dashboard import navigation  # noqa: F401

    quiet_streamlit()
    imported = time.perf_counter()
    seconds, error = render(args.page, args.role)
    print(
        json.dumps(
            {"import_s": imported - STARTED, "render_s": seconds, "error": error},
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
