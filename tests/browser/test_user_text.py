"""The proof that user text is text: Markdown, HTML and image payloads posted through each form
and the importer, in Chromium, show as the literal characters; no <img> or <a> is made from them
and no request leaves the browser (a local HTTP server named in the payloads counts the hits).

Forms driven through the page: a youth challenge, the agency's answer, an assurance summary, an
audit (its title and findings), a decision, a user's display name, and an upload (file name,
heading row). Section 11 evidence has no form in the app (it arrives with an agency's return), so
it is written into the store and read on the staff page; the youth page must not show it raw.
"""

from __future__ import annotations

import http.server
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.views import data_management_import as import_flow
from data_access import section11
from data_access.db import engine_for
from data_access.models import (
    AssuranceItem,
    Audit,
    AuditFinding,
    AuditLogEntry,
    MeetingDecision,
    S11Rating,
    S11Return,
    Submission,
    User,
    YouthChallenge,
)
from tests.support.browser import DEMO_LOGINS, sign_in, wait_for_app


@dataclass
class Trap:
    """A local HTTP server that every payload points at; it counts what reaches it."""

    port: int
    hits: list[str] = field(default_factory=list)

    def payload(self, tag: str) -> str:
        """Markdown image, HTML image, link, bold, colour directive, icon, LaTeX, autolink."""
        base = f"http://127.0.0.1:{self.port}"
        return (
            f'{tag} ![x]({base}/pixel-{tag}.png) <img src="{base}/img-{tag}.png"> '
            f"[click]({base}/click-{tag}) **bold** :red[x] :material/bug_report: $x^2$ "
            f"{base}/auto-{tag}"
        )


@pytest.fixture(scope="module")
def trap() -> Iterator[Trap]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    found = Trap(port)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            found.hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@dataclass
class Watched:
    page: object
    requests: list[str]


@pytest.fixture
def open_as(browser, live_server):
    """Factory: a signed-in page whose every request is recorded."""
    contexts = []

    def _open(role: str, username: str | None = None, password: str | None = None) -> Watched:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        contexts.append(context)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(live_server.url)
        wait_for_app(page)
        user, secret = DEMO_LOGINS[role] if username is None else (username, password)
        sign_in(page, user, secret)
        return Watched(page, requests)

    yield _open
    for context in contexts:
        context.close()


def choose(page, label: str, typed: str) -> None:
    """Pick the option starting with `typed` in a selectbox (typing filters the long list)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=re.compile("^" + re.escape(typed))).first.click()
    wait_for_app(page)


def go_to(page, title: str) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    wait_for_app(page)


def wait_for_visible_text(page, text: str) -> None:
    """Wait until the page's visible text holds `text` (ignoring the escaper's invisible
    word joiners, which stop GFM from making links of URLs)."""
    page.wait_for_function(
        "t => document.body.innerText.replaceAll('\\u2060', '').includes(t)", arg=text
    )


# Streamlit fetches the Material Symbols it draws for the app's own icons from Google's font
# server; those are the only requests allowed to leave, and never for the payload's icon.
APP_ICONS = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"


def assert_no_request_left(watched: Watched, live_url: str, trap: Trap) -> None:
    outside = [
        u
        for u in watched.requests
        if not u.startswith((live_url, "data:", "blob:", "about:", APP_ICONS))
    ]
    assert outside == []
    assert not [u for u in watched.requests if "bug_report" in u or str(trap.port) in u]
    assert trap.hits == []


def assert_text_only(watched: Watched, payload: str, live_url: str, trap: Trap) -> None:
    """The payload is visible as typed; nothing in the DOM or the network came from it.

    Finding the whole payload as text already proves that `:red[x]`, `:material/bug_report:`,
    `$x^2$`, `**bold**` and the links stayed literal: rendered, each would change the visible
    text.
    """
    page = watched.page
    wait_for_app(page)
    wait_for_visible_text(page, payload)
    base = f"127.0.0.1:{trap.port}"
    assert page.locator(f'img[src*="{base}"], a[href*="{base}"]').count() == 0
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("strong", has_text=re.compile(r"^bold$")).count() == 0
    assert main.locator(".katex").count() == 0
    assert_no_request_left(watched, live_url, trap)


def test_youth_challenge_and_answer(open_as, live_server, trap) -> None:
    question = trap.payload(f"challenge-{uuid.uuid4().hex[:6]}")
    answer = trap.payload(f"answer-{uuid.uuid4().hex[:6]}")
    youth = open_as("youth_council")
    go_to(youth.page, "How agencies keep you safe")
    # From the first organisation's card (the form at the end has no organisation chosen).
    card_button = youth.page.locator('[data-testid="stMain"] button[class]').filter(
        has_text="Challenge "
    )
    card_button.first.wait_for()
    card_button.first.click()
    wait_for_app(youth.page)
    form = youth.page.locator('[data-testid="stForm"]').filter(has_text="Your challenge to")
    form.wait_for()
    form.get_by_label("A request for evidence").check(force=True)
    form.get_by_role("textbox", name="Your challenge").fill(question)
    form.get_by_role("button", name="Send my challenge").click()
    youth.page.get_by_text("has been sent").filter(visible=True).first.wait_for()
    assert_text_only(youth, question, live_server.url, trap)

    engine = engine_for(live_server.database_url)
    with engine.connect() as connection:
        challenge_id = connection.scalar(
            sa.select(YouthChallenge.id).where(YouthChallenge.text == question)
        )
    assert challenge_id is not None

    qa = open_as("qa_officer")
    go_to(qa.page, "Youth council challenges")
    choose(qa.page, "Challenge", f"#{challenge_id} ")
    assert_text_only(qa, question, live_server.url, trap)
    qa.page.get_by_role("textbox", name="The agency's response").fill(answer)
    qa.page.get_by_label("Answered", exact=True).check(force=True)
    qa.page.get_by_role("button", name="Save the response").click()
    qa.page.get_by_text(f"challenge #{challenge_id} is now answered").first.wait_for()

    go_to(youth.page, "What the partnership is doing")
    go_to(youth.page, "How agencies keep you safe")
    assert_text_only(youth, answer, live_server.url, trap)


def test_section11_evidence(open_as, live_server, trap) -> None:
    """Evidence arrives with an agency's return (no form): staff read it in the return's data
    grid; young people never see it raw (only an approved plain-words version)."""
    evidence = trap.payload("evidence")
    engine = engine_for(live_server.database_url)
    newest = section11.list_cycles(engine=engine)["id"].iloc[0]
    with engine.begin() as connection:
        rating_id, original = connection.execute(
            sa.select(S11Rating.id, S11Rating.evidence_summary)
            .join(S11Return, S11Return.id == S11Rating.return_id)
            .where(S11Return.cycle_id == int(newest))
            .order_by(S11Rating.id)
            .limit(1)
        ).one()
        connection.execute(
            sa.update(S11Rating).where(S11Rating.id == rating_id).values(evidence_summary=evidence)
        )
    try:
        qa = open_as("qa_officer")
        go_to(qa.page, "Section 11")
        qa.page.get_by_role("heading", name="An agency's return").wait_for()
        wait_for_app(qa.page)
        base = f"127.0.0.1:{trap.port}"
        assert qa.page.locator(f'img[src*="{base}"], a[href*="{base}"]').count() == 0
        assert_no_request_left(qa, live_server.url, trap)
        youth = open_as("youth_council")
        go_to(youth.page, "How agencies keep you safe")
        assert "evidence ![x]" not in youth.page.locator('[data-testid="stMain"]').inner_text()
        assert_no_request_left(youth, live_server.url, trap)
    finally:  # the live store is shared with other browser tests
        with engine.begin() as connection:
            connection.execute(
                sa.update(S11Rating)
                .where(S11Rating.id == rating_id)
                .values(evidence_summary=original)
            )


def test_assurance_summary(open_as, live_server, trap) -> None:
    point = trap.payload(f"summary-{uuid.uuid4().hex[:6]}")
    qa = open_as("qa_officer")
    go_to(qa.page, "Write assurance summaries")
    qa.page.get_by_role("textbox", name="Group that agreed it").fill("Browser test group")
    qa.page.get_by_role("textbox", name="What's working well (one point per line)").fill(point)
    qa.page.get_by_role("button", name="Save summary").click()
    qa.page.get_by_text("Saved summary").first.wait_for()
    assert_text_only(qa, point, live_server.url, trap)
    with engine_for(live_server.database_url).connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).where(AssuranceItem.text == point)) == 1


def test_audit_title_and_findings(open_as, live_server, trap) -> None:
    tag = uuid.uuid4().hex[:6]
    finding = trap.payload(f"finding-{tag}")
    title = trap.payload(f"title-{tag}")[:200]
    page = (qa := open_as("qa_officer")).page
    go_to(page, "Audit findings")
    page.get_by_role("tab", name="Add an audit").click()
    page.get_by_role("textbox", name="Reference *").fill(f"BT-{tag}")
    page.get_by_role("textbox", name="Title *").fill(title)
    page.get_by_role("spinbutton", name="day, Audit date *").click()
    page.keyboard.type("01062025")
    page.get_by_label("Sample size (cases) *").fill("1")
    page.get_by_label("Good", exact=True).fill("1")
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Agencies taking part").locator(
        "input"
    ).click()
    page.keyboard.type("Police")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("textbox", name="Strengths (one per line)").fill(finding)
    page.get_by_role("button", name="Save the audit").click()
    page.get_by_text(f"BT-{tag} saved with 1 findings").first.wait_for()
    wait_for_app(page)
    with engine_for(live_server.database_url).connect() as connection:
        audit_id = connection.scalar(sa.select(Audit.id).where(Audit.reference == f"BT-{tag}"))
        assert (
            connection.scalar(sa.select(AuditFinding.text).where(AuditFinding.audit_id == audit_id))
            == finding
        )
    go_to(page, "Section 11")  # the list above the form was drawn before the save
    go_to(page, "Audit findings")
    choose(page, "Show results for", f"BT-{tag}")
    assert_text_only(qa, finding, live_server.url, trap)


def test_decision_and_its_download(open_as, live_server, trap, tmp_path) -> None:
    # Starts with "=": a spreadsheet would run it as a formula if the export kept it raw.
    text = "=1+1 " + trap.payload(f"decision-{uuid.uuid4().hex[:6]}")
    qa = open_as("qa_officer")
    page = qa.page
    go_to(page, "Decisions and actions")
    page.get_by_role("textbox", name="What was decided, or what needs to be done *").fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("recorded for the meeting on").first.wait_for()
    wait_for_app(page)
    engine = engine_for(live_server.database_url)
    with engine.connect() as connection:
        assert (
            connection.scalar(sa.select(sa.func.count()).where(MeetingDecision.text == text)) == 1
        )
    # The log itself is a data grid (canvas): the payload cannot render there; check nothing
    # else on the page fetched or linked it.
    base = f"127.0.0.1:{trap.port}"
    assert page.locator(f'img[src*="{base}"], a[href*="{base}"]').count() == 0
    assert_no_request_left(qa, live_server.url, trap)

    # The grid's own toolbar offers no raw CSV download (client.disableDataExport).
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    page.get_by_role("button", name="Search").first.wait_for()  # the toolbar is showing
    assert page.get_by_role("button", name="Download as CSV").count() == 0

    # The app's own download neutralises the formula, and is written to the audit log.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download decisions and actions (CSV)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    cells = pd.read_csv(saved, encoding="utf-8-sig", dtype=str).stack().tolist()
    assert "'" + text in cells and text not in cells
    with engine.connect() as connection:
        logged = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.page, AuditLogEntry.detail)
            .where(AuditLogEntry.event == "export")
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    assert logged.username == "qa.demo" and logged.page == "decisions"
    assert logged.detail.startswith("decisions-and-actions.csv: decisions and actions, ")


def test_display_name(open_as, live_server, trap) -> None:
    name = trap.payload("name")[:120]
    username = f"payload.{uuid.uuid4().hex[:6]}"
    password = uuid.uuid4().hex + "Aa1!"
    admin = open_as("admin")
    go_to(admin.page, "Users and roles")
    admin.page.get_by_role("textbox", name="User name").fill(username)
    admin.page.get_by_role("textbox", name="Name", exact=True).fill(name)
    admin.page.get_by_role("textbox", name="Password", exact=True).fill(password)
    admin.page.get_by_role("textbox", name="Repeat the password").fill(password)
    admin.page.get_by_role("button", name="Add user").click()
    admin.page.get_by_text(f"Added {username}").first.wait_for()
    with engine_for(live_server.database_url).connect() as connection:
        assert (
            connection.scalar(sa.select(User.display_name).where(User.username == username)) == name
        )
    newcomer = open_as("executive", username, password)
    wait_for_visible_text(newcomer.page, name)
    base = f"127.0.0.1:{trap.port}"
    assert newcomer.page.locator(f'img[src*="{base}"], a[href*="{base}"]').count() == 0
    assert_no_request_left(newcomer, live_server.url, trap)


def test_import_file_name_and_heading_row(open_as, live_server, trap, tmp_path) -> None:
    heading = trap.payload("heading")
    # A file name cannot hold "/", so this one carries the rest of the Markdown.
    file_name = "**bold** [click](evil) <img src=x> :red[x] $x$ ![x](pixel).csv"
    body = (
        heading + ",period,agency_code,locality_code,value,numerator,denominator,"
        "status_symbol,comment\r\nMASH_CONTACTS,2025-26 Q1,,,10,,,,\r\n"
    ).encode()
    qa = open_as("qa_officer")
    go_to(qa.page, "Load quarterly returns")
    # The server's limit (config.toml) is the importer's: the widget says 20MB, not 200MB.
    uploader = qa.page.locator('[data-testid="stFileUploader"]')
    assert f"{import_flow.UPLOAD_LIMIT_MB}MB per file" in uploader.inner_text().replace(" MB", "MB")
    uploader.locator('input[type="file"]').set_input_files(
        files=[{"name": file_name, "mimeType": "text/csv", "buffer": body}]
    )
    qa.page.get_by_text("This file cannot be loaded.").first.wait_for(timeout=60_000)
    assert_text_only(qa, f"Checks on {file_name}", live_server.url, trap)
    alert = qa.page.locator('[data-testid="stAlertContentError"]').first
    assert heading in alert.inner_text().replace("\u2060", "")
    assert alert.locator("img, a").count() == 0
    assert alert.locator("strong", has_text=re.compile(r"^bold$")).count() == 0
    with engine_for(live_server.database_url).connect() as connection:
        assert (
            connection.scalar(sa.select(sa.func.count()).where(Submission.file_name == file_name))
            == 0
        )
