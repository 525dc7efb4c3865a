"""A meeting's worth of users: many sessions at once against one or several server processes.

    python benchmarks/bench_load.py [--sessions 30] [--ramp 60] [--processes 1 2] [--pause 5]

Each simulated user opens a session, signs in, then opens the overview, two theme pages and a
drill-down (a theme page narrowed to one agency), pausing between pages; all sessions start
within `--ramp` seconds. The load is driven at the websocket level, not by a browser per user
(thirty Chromiums would saturate a two-core machine on their own): each user speaks Streamlit's
own protocol (the `BackMsg`/`ForwardMsg` protobufs a browser sends and receives), so the server
does exactly the work a browser session causes - script runs, widget state, session state - and a
page view is timed from the request to the server's "script finished". With several processes
each user is pinned to one process for its whole session, as a reverse proxy with sticky sessions
does (see the README's deployment section).

Reported per configuration: page views, errors (exceptions shown on a page, refusals, time-outs),
median and 95th percentile page time, and page views per second over the busy period.
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


def report(label: str, results: list[UserResult], wall: float) -> None:
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
    print(
        f"{label}: {views} page views in {wall:.1f} s ({views / wall:.2f}/s); {line}; "
        f"{len(errors)} errors"
    )
    for error in errors[:10]:
        print(f"    {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--ramp", type=float, default=60.0)
    parser.add_argument("--pause", type=float, default=5.0)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--database-url",
        default=None,
        help="store to serve (default: a fresh SQLite demo sample, scale 1)",
    )
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}")
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        url = args.database_url
        if url is None:
            from data_access import migrate
            from data_access.db import engine_for, session_scope
            from data_access.reference import sync_catalogue
            from sample_data.generator import build_sample

            url = f"sqlite:///{Path(tmp, 'load.db').as_posix()}"
            engine = engine_for(url)
            migrate.upgrade(engine)
            with session_scope(engine) as session:
                sync_catalogue(session)
            build_sample(engine, scale=1.0, seed=2019)
            engine.dispose()
        agency = first_agency(url)
        for count in args.processes:
            servers = start_servers(count, url, Path(tmp))
            try:
                results, wall = asyncio.run(
                    run_load([p for p, _ in servers], args.sessions, args.ramp, args.pause, agency)
                )
            finally:
                for _, process in servers:
                    process.terminate()
                    process.wait(timeout=30)
            report(f"{args.sessions} sessions, {count} process(es)", results, wall)
            failed |= any(r.errors for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
