"""Time the board pack for the sample partnership: PDF and PPTX, cold and warm.

    .venv/bin/python benchmarks/bench_pack.py [--scale 1] [--period "2026-27 Q2"] [--keep DIR]

Builds the sample store in a temporary SQLite file, then prints how long assembling the content,
drawing the charts and writing each format take. The target is under 30 seconds per pack.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.board_pack.content import assemble  # noqa: E402
from dashboard.board_pack.generate import generate_packs, render_charts  # noqa: E402
from dashboard.board_pack.pdf import build_pdf  # noqa: E402
from dashboard.board_pack.pptx_builder import build_pptx  # noqa: E402
from data_access import migrate  # noqa: E402
from data_access.db import engine_for, session_scope  # noqa: E402
from data_access.indicators import periods_with_data  # noqa: E402
from data_access.reference import sync_catalogue  # noqa: E402

TARGET_SECONDS = 30.0


def _timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"  {label:<44} {elapsed:7.2f} s")
    return result, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--period", help="quarter (default: the latest with figures)")
    parser.add_argument("--keep", help="directory to write the generated files to")
    args = parser.parse_args(argv)

    from sample_data.generator import build_sample

    with tempfile.TemporaryDirectory() as workdir:
        engine = engine_for(f"sqlite:///{Path(workdir, 'bench.db').as_posix()}")
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            sync_catalogue(session)
        print(f"Board pack benchmark (sample scale {args.scale:g}, SQLite)")
        _timed(
            "build the sample store", lambda: build_sample(engine, scale=args.scale, seed=args.seed)
        )
        period = args.period or str(periods_with_data(engine=engine)["code"].iloc[-1])
        print(f"Quarter {period}")

        print("Stages (one pass):")
        content, t_content = _timed(
            "assemble content (queries, scorecard)",
            lambda: assemble(engine=engine, period_code=period, generated_by="bench"),
        )
        charts = sum(len(theme.charts) for theme in content.themes)
        drawn, t_charts = _timed(
            f"draw {charts} charts to PNG (vl-convert)", lambda: render_charts(content)
        )
        _, t_pdf = _timed("write the PDF (WeasyPrint, tagged)", lambda: build_pdf(drawn))
        _, t_pptx = _timed("write the PPTX (python-pptx)", lambda: build_pptx(drawn))

        print("End to end, as the page and the CLI do it (recorded in the store):")
        totals = {}
        for file_format in ("pdf", "pptx"):
            packs, elapsed = _timed(
                f"{file_format.upper()} pack",
                lambda f=file_format: generate_packs(
                    engine=engine, period_code=period, generated_by="bench", formats=(f,)
                ),
            )
            totals[file_format] = elapsed
            pack = packs[0]
            print(f"    {pack.file_name}: {len(pack.content):,} bytes")
            if args.keep:
                Path(args.keep).mkdir(parents=True, exist_ok=True)
                Path(args.keep, pack.file_name).write_bytes(pack.content)
        _, both = _timed(
            "PDF and PPTX together (charts drawn once)",
            lambda: generate_packs(engine=engine, period_code=period, generated_by="bench"),
        )
        engine.dispose()
    worst = max(max(totals.values()), both)
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(
        f"Slowest: {worst:.2f} s, {verdict} the {TARGET_SECONDS:.0f} s target "
        f"(stages: content {t_content:.2f} s, charts {t_charts:.2f} s, PDF {t_pdf:.2f} s, "
        f"PPTX {t_pptx:.2f} s)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
