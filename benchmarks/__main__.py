"""Run every benchmark with its defaults: `python -m benchmarks` (or `make bench`).

Each script also runs alone with its own options:
`python benchmarks/bench_pages.py --scales 1 60`.
"""

from __future__ import annotations

from benchmarks import bench_census, bench_import, bench_load, bench_pack, bench_pages


def main() -> int:
    status = 0
    for name, bench in (
        ("page render", bench_pages.main),
        ("import", bench_import.main),
        ("children in need census", bench_census.main),
        ("board pack", bench_pack.main),
        ("a meeting's worth of users", bench_load.main),
    ):
        print(f"\n=== {name} ===", flush=True)
        status |= bench([])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
