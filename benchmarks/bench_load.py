"""A meeting's worth of users: many sessions at once against one or several server processes.

    python benchmarks/bench_load.py [--sessions 60] [--ramp 60] [--processes 2] [--pause 5]
        [--scales 1 60] [--stores sqlite postgresql] [--repeat 1] [--database-url URL]

Each simulated user opens a session, signs in, then opens the overview, two theme pages and a
drill-down (a theme page narrowed to one agency), pausing between pages; all sessions start
within `--ramp` seconds. The load is driven at the websocket level, not by a browser per user
(thirty Chromiums would saturate a two-core machine on their own): each user speaks Streamlit's
own protocol (the `BackMsg`/`ForwardMsg` protobufs a browser sends and receives), so the server
does exactly the work a browser session causes - script runs, widget state, session state - and a
page view is timed from the request to the server's "script finished". With several processes
each user is pinned to one process for its whole session, as a reverse proxy with sticky sessions
does (see the README's deployment section).

The servers are real `streamlit run` processes serving the benchmark's stores (the ones
`bench_pages` builds and keeps, per `--scales` and `--stores`; or `--database-url`), started
afresh for each run, so their first visitors pay the new-process cost as after a restart.

Reported per configuration: page views, errors (exceptions shown on a page, refusals, time-outs),
median and 95th percentile page time, page views per second over the busy period, and the CPU
time the server processes used per page view (their user + system time, read from /proc before
and after the load, over the page views they served): what a page view costs a core, whatever
else the shared machine is doing meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402

from benchmarks.bench_pages import machine  # noqa: E402
from sample_data.demo_accounts import demo_account  # noqa: E402

PAGE_TIMEOUT_S = 120
USERS = [(a.username, a.password) for a in map(demo_account, ("qa_officer", "executive"))]
THEMES = ["early-help", "mash", "neglect", "complex-safeguarding", "training"]


@dataclass
class Widget:
    kind: str
    id: str
    label: str


@dataclass
class RunResult:
    seconds: float
    widgets: list[Widget]
    texts: list[str]
    exceptions: list[str]
    pages: dict[str, str]  # url path -> page script hash


@dataclass
class UserResult:
    page_times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class StreamlitSession:
    """One browser-like session over Streamlit's websocket."""

    def __init__(self, websocket: websockets.ClientConnection) -> None:
        self.websocket = websocket
        self.pages: dict[str, str] = {}

    async def run(
        self, *, page_hash: str = "", query: str = "", widgets: list[WidgetState] | None = None
    ) -> RunResult:
        message = BackMsg()
        state = ClientState(query_string=query, page_script_hash=page_hash)
        if widgets:
            state.widget_states.CopyFrom(WidgetStates(widgets=widgets))
        message.rerun_script.CopyFrom(state)
        started = time.perf_counter()
        await self.websocket.send(message.SerializeToString())
        found: list[Widget] = []
        texts: list[str] = []
        exceptions: list[str] = []
        while True:
            raw = await asyncio.wait_for(self.websocket.recv(), PAGE_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                for page in forward.navigation.app_pages:
                    # The default page may be served at "/" (an empty path).
                    path = page.url_pathname or page.page_name.lower().replace(" ", "-")
                    self.pages[path] = page.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind == "exception":
                    exceptions.append(element.exception.message)
                elif element_kind in ("text_input", "button", "selectbox"):
                    widget = getattr(element, element_kind)
                    found.append(Widget(element_kind, widget.id, widget.label))
                elif element_kind == "markdown":
                    texts.append(element.markdown.body)
                elif element_kind == "alert":
                    texts.append(element.alert.body)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(forward.script_finished)
                if status != "FINISHED_EARLY_FOR_RERUN":
                    break
                found, texts = [], []  # the rerun redraws the page
        return RunResult(time.perf_counter() - started, found, texts, exceptions, dict(self.pages))


async def simulated_user(
    port: int, index: int, start_delay: float, pause: float, agency: str
) -> UserResult:
    result = UserResult()
    await asyncio.sleep(start_delay)
    username, password = USERS[index % len(USERS)]
    try:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=PAGE_TIMEOUT_S,
            # A browser sends no WebSocket pings, so neither does a simulated user: with pings, a
            # server too busy to answer one within 20 s was counted as gone, which no browser does.
            ping_interval=None,
        ) as websocket:
            session = StreamlitSession(websocket)
            first = await session.run()
            inputs = {w.label: w for w in first.widgets}
            submit = next((w for w in first.widgets if w.label == "Sign in"), None)
            if "User name" not in inputs or "Password" not in inputs or submit is None:
                result.errors.append(f"user {index}: no sign-in form")
                return result
            signed = await session.run(
                widgets=[
                    WidgetState(id=inputs["User name"].id, string_value=username),
                    WidgetState(id=inputs["Password"].id, string_value=password),
                    WidgetState(id=submit.id, trigger_value=True),
                ]
            )
            result.page_times.append(signed.seconds)
            if "overview" not in session.pages:
                result.errors.append(f"user {index}: sign-in did not open the app")
                return result
            theme_a, theme_b = THEMES[index % 5], THEMES[(index + 2) % 5]
            visits = [
                ("overview", ""),
                (theme_a, ""),
                (theme_b, ""),
                (theme_a, f"agency={agency}"),
            ]
            for path, query in visits:
                await asyncio.sleep(pause)
                page = await session.run(page_hash=session.pages[path], query=query)
                result.page_times.append(page.seconds)
                for message in page.exceptions:
                    result.errors.append(f"user {index} {path}: {message[:120]}")
    except (TimeoutError, OSError, websockets.WebSocketException) as error:
        result.errors.append(f"user {index}: {type(error).__name__} {error}")
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` and its waited-for children (0 if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14-17 of stat (utime, stime, cutime, cstime), counted after the command name.
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def start_servers(
    count: int, database_url: str, log_dir: Path
) -> list[tuple[int, subprocess.Popen[bytes]]]:
    servers = []
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COOKIE_KEY": secrets.token_urlsafe(48),
        "DEMO_MODE": "1",  # the demo accounts sign in only in explicit demo mode
        "PYTHONPATH": str(ROOT),
    }
    for number in range(count):
        port = _free_port()
        log = (log_dir / f"server-{number}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard" / "app.py"),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append((port, process))
    for port, process in servers:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"server on {port} exited; see {log_dir}") from None
                time.sleep(0.5)
    return servers


def first_agency(database_url: str) -> str:
    from data_access.agency_choice import find_agencies
    from data_access.db import engine_for

    return str(find_agencies(engine=engine_for(database_url), limit=1)["code"].iloc[0])


async def run_load(
    ports: list[int], sessions: int, ramp: float, pause: float, agency: str
) -> tuple[list[UserResult], float]:
    users = [
        simulated_user(ports[i % len(ports)], i, ramp * i / max(1, sessions - 1), pause, agency)
        for i in range(sessions)
    ]
    started = time.perf_counter()
    results = await asyncio.gather(*users)
    return results, time.perf_counter() - started


def report(label: str, results: list[UserResult], wall: float, cpu: float) -> None:
    times = sorted(t for r in results for t in r.page_times)
    errors = [e for r in results for e in r.errors]
    views = len(times)
    if times:
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        line = (
            f"median {statistics.median(times):.2f} s, 95th percentile {p95:.2f} s, "
            f"max {times[-1]:.2f} s"
        )
    else:
        line = "no page completed"
    per_view = f"{cpu / views:.2f} s" if views else "-"
    print(
        f"{label}: {views} page views in {wall:.1f} s ({views / wall:.2f}/s); {line}; "
        f"server CPU {cpu:.1f} s, {per_view} per page view; {len(errors)} errors"
    )
    for error in errors[:10]:
        print(f"    {error}")


def load_once(
    url: str, agency: str, count: int, args: argparse.Namespace, log_dir: Path
) -> tuple[list[UserResult], float, float]:
    """One run: start `count` servers on store `url`, load them, stop them; (results, wall, CPU)."""
    servers = start_servers(count, url, log_dir)
    try:
        before = sum(cpu_seconds(process.pid) for _, process in servers)
        results, wall = asyncio.run(
            run_load([p for p, _ in servers], args.sessions, args.ramp, args.pause, agency)
        )
        cpu = sum(cpu_seconds(process.pid) for _, process in servers) - before
    finally:
        for _, process in servers:
            process.terminate()
            process.wait(timeout=30)
    return results, wall, cpu


def main(argv: list[str] | None = None) -> int:
    from benchmarks import bench_pages

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--ramp", type=float, default=60.0)
    parser.add_argument("--pause", type=float, default=5.0)
    parser.add_argument("--processes", type=int, nargs="+", default=[2])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 60.0])
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--database-url", default=None, help="serve this store instead of the benchmark's stores"
    )
    parser.add_argument("--database-prefix", default="qa_bench")
    parser.add_argument("--directory", type=Path, default=bench_pages.DEFAULT_DIR)
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}")
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    targets: list[tuple[str, str]] = []
    if args.database_url:
        targets.append((args.database_url.split(":", 1)[0], args.database_url))
    else:
        for scale in args.scales:
            for store in args.stores:
                if store == "postgresql" and not server:
                    print("PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL).")
                    continue
                url = (
                    bench_pages.sqlite_store(args.directory, scale)
                    if store == "sqlite"
                    else bench_pages.postgresql_store(server or "", scale, args.database_prefix)
                )
                targets.append((f"scale {scale:g}, {store}", url))
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        agencies = {url: first_agency(url) for _, url in targets}
        # Interleaved: each repeat runs every store and process count once.
        for _ in range(args.repeat):
            for label, url in targets:
                for count in args.processes:
                    results, wall, cpu = load_once(url, agencies[url], count, args, Path(tmp))
                    report(
                        f"{label}: {args.sessions} sessions, {count} process(es)",
                        results,
                        wall,
                        cpu,
                    )
                    failed |= any(r.errors for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
