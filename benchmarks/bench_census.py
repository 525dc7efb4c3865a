"""Time reading a 30,000-child children in need census against a bare XML parse of the same file.

    .venv/bin/python benchmarks/bench_census.py [--children 30000] [--rounds 3]

Writes a synthetic census (``sample_data.census``: no real child) of the given size, and one a
third of the size, to a temporary file, then, each in a fresh child process (spawned, so its
memory is its own), for each file:

* **bare parse**: ``lxml.etree.iterparse`` over the file with each ``Child`` element cleared
  once read - the least any streaming reader of the file can do;
* **census, from disk**: ``read_census(path)``: the DTD check, the streamed parse, every child's
  dates read and checked, the year's figures and quarters;
* **census, from memory**: ``read_census(bytes)``, as an upload or ``qa-dashboard import``
  reads it (the file's bytes are in memory once).

Reported: median seconds over the rounds, the ratio to the bare parse, and the child's peak
resident set size (VmHWM from /proc/self/status) beside its size once its libraries are loaded,
so the growth from the smaller to the larger file shows whether memory follows the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REFERENCE = dt.date(2025, 3, 31)


def _peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _run(kind: str, path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from lxml import etree

    from data_access.statutory.cin import read_census

    base = _peak_kib()
    start = time.perf_counter()
    if kind == "bare":
        children = 0
        for children, (_event, element) in enumerate(  # noqa: B007
            etree.iterparse(path, events=("end",), tag="Child"), start=1
        ):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    elif kind == "disk":
        children = read_census(Path(path)).children
    else:
        children = read_census(Path(path).read_bytes()).children
    seconds = time.perf_counter() - start
    queue.put((seconds, _peak_kib(), base, children))


def measure(kind: str, path: Path) -> tuple[float, int, int, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(kind, str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from sample_data.census import census_chunks, random_children

    labels = {"bare": "bare parse", "disk": "census, from disk", "memory": "census, from memory"}
    with tempfile.TemporaryDirectory() as folder:
        sizes = [max(1, args.children // 3), args.children]
        files = {}
        for size in sizes:
            path = Path(folder) / f"census_{size}.xml"
            with path.open("w", encoding="utf-8") as handle:
                for chunk in census_chunks(random_children(size, REFERENCE), REFERENCE):
                    handle.write(chunk)
            files[size] = path
            print(f"{size:,} children: {path.stat().st_size / 1e6:.1f} MB")
        print()
        print("| file | step | median s | x bare parse | peak MiB | MiB after imports |")
        print("|---|---|---|---|---|---|")
        for size in sizes:
            bare = 0.0
            for kind in ("bare", "disk", "memory"):
                runs = [measure(kind, files[size]) for _ in range(args.rounds)]
                seconds = statistics.median(r[0] for r in runs)
                peak = max(r[1] for r in runs) / 1024
                base = max(r[2] for r in runs) / 1024
                assert all(r[3] == size for r in runs), "every child read"
                if kind == "bare":
                    bare = seconds
                print(
                    f"| {size:,} children | {labels[kind]} | {seconds:.2f} | "
                    f"{seconds / bare:.1f} | {peak:.0f} | {base:.0f} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
