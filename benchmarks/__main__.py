"""Run the benchmarks: `python -m benchmarks` (or `make bench`), every one with its defaults.

    python -m benchmarks [--only pages pack load ...] [--scales 1 60] [--stores sqlite postgresql]
        [--repeat N] [--database-prefix qa_bench] [--directory DIR] [--quick]

`--scales`, `--stores`, `--repeat`, `--database-prefix` and `--directory` go to the benchmarks that take them
(pages, pack, load). `--quick` runs each chosen benchmark once at a small size, to check that it
works (the test suite does this), not to measure. Each script also runs alone with all its own
options: `python benchmarks/bench_pages.py --help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from benchmarks import bench_census, bench_import, bench_load, bench_pack, bench_pages

BENCHMARKS: dict[str, tuple[str, Callable[[list[str]], int]]] = {
    "pages": ("page render", bench_pages.main),
    "import": ("import", bench_import.main),
    "census": ("children in need census", bench_census.main),
    "pack": ("board pack", bench_pack.main),
    "load": ("a meeting's worth of users", bench_load.main),
}
# The benchmarks that build the sample stores, by scale and store.
STORE_OPTIONS = {"pages", "pack", "load"}
QUICK_SCALE = "0.2"
QUICK = {
    "pages": ["--pages", "overview", "mash", "--fresh-pages", "mash"],
    "import": ["--rows", "500", "--format", "csv", "--rounds", "1"],
    "census": ["--children", "300", "--rounds", "1"],
    "pack": [],
    "load": ["--sessions", "2", "--ramp", "0", "--pause", "0", "--processes", "1"],
}


def arguments(name: str, args: argparse.Namespace) -> list[str]:
    """The command line benchmark `name` is run with."""
    argv: list[str] = []
    if name in STORE_OPTIONS:
        scales = [QUICK_SCALE] if args.quick else args.scales
        if scales:
            argv += ["--scales", *scales]
        if args.stores:
            argv += ["--stores", *args.stores]
        if args.quick or args.repeat:
            argv += ["--repeat", "1" if args.quick else str(args.repeat)]
        if args.database_prefix:
            argv += ["--database-prefix", args.database_prefix]
        if args.directory:
            argv += ["--directory", args.directory]
    if args.quick:
        argv += QUICK[name]
    return argv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS))
    parser.add_argument("--scales", nargs="+", help="sample scales (default: each benchmark's)")
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, help="repeats (default: each benchmark's)")
    parser.add_argument("--database-prefix", help="PostgreSQL stores: PREFIX_scale_N databases")
    parser.add_argument("--directory", help="where SQLite stores are built and kept")
    parser.add_argument("--quick", action="store_true", help="each benchmark once, small")
    args = parser.parse_args(argv)
    status = 0
    for name in args.only:
        title, bench = BENCHMARKS[name]
        print(f"\n=== {title} ===", flush=True)
        status |= bench(arguments(name, args))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
