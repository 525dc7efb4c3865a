"""User text is text: the Markdown escaper, each page that shows typed or imported text, the
one upload limit, the settings that hide stack traces and the grid's raw CSV export, and the
audit-logged, formula-safe downloads.

The browser proof (nothing renders, no request leaves) is tests/browser/test_user_text.py; these
AppTest tests pin each place that shows such text to the escaper.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import string
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import exports
from dashboard.components.plain import WORD_JOINER, escape_html, escape_inline, escape_markdown
from dashboard.views import data_management_import as import_flow
from data_access import audit_log, challenges
from data_access.assurance import save_assurance_summary
from data_access.db import session_scope
from data_access.importer import MAX_FILE_BYTES
from data_access.models import AuditFinding, AuditLogEntry, S11Rating
from tests.support.assurance_seed import seed
from tests.support.signed_in import signed_in_app

ROOT = Path(__file__).resolve().parents[2]

# Markdown, HTML, image, link, Streamlit directive, icon, LaTeX and autolink payloads in one.
PAYLOAD = (
    "![x](http://127.0.0.1:9/pixel.png) <img src=http://127.0.0.1:9/i.png> "
    "[click](http://evil.example) **bold** :red[x] :material/home: $x^2$ "
    "www.evil.example a@evil.example"
)
# Fragments that would render as something other than text if they reached Markdown raw.
LIVE_FRAGMENTS = (
    "![x]",
    "](http",
    "<img",
    "**bold**",
    ":red[",
    ":material/",
    "$x^2$",
    "www.evil",
    "a@evil",
)


def live_fragments(source: str) -> list[str]:
    """The fragments present in `source` without a backslash escaping their first character."""
    return [f for f in LIVE_FRAGMENTS if re.search(r"(?<!\\)" + re.escape(f), source)]


def unescape(source: str) -> str:
    """CommonMark's reading of backslash escapes and hard breaks (enough for escaper output)."""
    return re.sub(
        r"\\([" + re.escape(string.punctuation) + "])", r"\1", source.replace("  \n", "\n")
    )


def visible(source: str) -> str:
    """What a reader sees of the parsed text: the invisible word joiners dropped."""
    return source.replace(WORD_JOINER, "")


# --- the escaper ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        PAYLOAD,
        "plain words",
        "C:\\Users\\a",
        "line one\nline two",
        "50% of 1,000 (c)",
        "",
        "#heading",
        "> quote",
        "1. item",
        "- item",
        "`code`",
        "| a | b |",
        "&amp; &lt;",
        "~~x~~",
        "HTTPS://evil.example",
        "Www.evil.example",
        "mailto:a.b+c@evil.example",
    ],
)
def test_every_punctuation_character_is_escaped_and_the_text_survives(text: str) -> None:
    escaped = escape_markdown(text)
    # No punctuation character is left unescaped (each follows an odd run of backslashes).
    for match in re.finditer("[" + re.escape(string.punctuation) + "]", escaped):
        run = len(escaped[: match.start()]) - len(escaped[: match.start()].rstrip("\\"))
        assert match.group() == "\\" or run % 2 == 1, (text, escaped, match.start())
    assert visible(unescape(escaped)) == text
    assert live_fragments(escaped) == []
    # GFM finds autolinks in the parsed text, after unescaping: none may be left there.
    assert not re.search(r"(?i)https?:|www\.|[-.\w+]@", unescape(escaped))


def test_html_escaping_keeps_icons_literal() -> None:
    assert escape_html('<img src="x"> :material/home: & more') == (
        "&lt;img src=&quot;x&quot;&gt; &#58;material/home&#58; &amp; more"
    )
    assert html.unescape(escape_html(PAYLOAD)) == PAYLOAD


def test_lines_are_kept_and_leading_indent_dropped() -> None:
    assert escape_markdown("a\r\n    b\rc") == "a  \nb  \nc"
    assert escape_inline("  several\n lines\there ") == "several lines here"
    assert escape_markdown(None) == "" and escape_inline(float("nan")) == ""
    assert escape_markdown(pd.NA) == ""


# --- one upload limit, no stack traces, no raw grid export ----------------------------------------


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_the_upload_limit_is_set_once() -> None:
    server_mb = config()["server"]["maxUploadSize"]
    assert server_mb * 1024 * 1024 == MAX_FILE_BYTES
    assert server_mb == import_flow.UPLOAD_LIMIT_MB
    assert f"at most {server_mb} MB" in import_flow.upload_label()


def test_the_page_labels_the_uploader_with_that_limit(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = signed_in_app("data_management", "qa_officer", timeout=60).run()
    assert not at.exception
    assert [u.proto.label for u in at.get("file_uploader")] == [import_flow.upload_label()]


def test_errors_show_no_details_and_the_grid_exports_nothing() -> None:
    client = config()["client"]
    assert client["showErrorDetails"] == "none"
    assert client["disableDataExport"] is True


def test_a_raised_exception_shows_no_type_message_path_or_source() -> None:
    at = AppTest.from_string(
        "import streamlit as st\n"
        "st.set_option('client.showErrorDetails', "
        f"{config()['client']['showErrorDetails']!r})\n"
        "raise RuntimeError('secret detail from /srv/app/pages/x.py')\n"
    ).run()
    shown = at.exception[0]
    text = " ".join([shown.message, shown.value, *shown.stack_trace])
    assert "secret detail" not in text and "RuntimeError" not in text
    assert ".py" not in text and not shown.stack_trace


# --- downloads: formula-safe and logged ----------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_neutralised(prefix: str) -> None:
    frame = pd.DataFrame({"text": [f'{prefix}HYPERLINK("http://evil")', "fine", "-3.5"]})
    cells = pd.read_csv(
        io.BytesIO(exports.to_csv_bytes(frame)),
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )["text"].tolist()
    assert cells == ["'" + prefix + 'HYPERLINK("http://evil")', "fine", "-3.5"]


def test_a_download_is_written_to_the_audit_log_when_fetched(sqlite_store) -> None:
    frame = pd.DataFrame({"a": range(7)})
    fetch = exports.logged_download(
        lambda: exports.to_csv_bytes(frame),
        what="audits.csv: audit list, 7 rows",
        engine=sqlite_store,
        username="qa.demo",
        page="audits",
    )
    assert audit_log.recent_entries(engine=sqlite_store).empty  # drawing logs nothing
    assert fetch().decode("utf-8-sig").splitlines()[0] == "a"
    logged = audit_log.recent_entries(engine=sqlite_store)
    assert logged[["username", "event", "page", "detail"]].to_dict("records") == [
        {
            "username": "qa.demo",
            "event": "export",
            "page": "audits",
            "detail": "audits.csv: audit list, 7 rows",
        }
    ]
    assert audit_log.verify_chain(engine=sqlite_store).ok


# --- each page that shows typed or imported text --------------------------------------------------


def shown_markdown(at: AppTest) -> str:
    kinds = (
        "markdown",
        "caption",
        "info",
        "success",
        "error",
        "warning",
        "subheader",
        "header",
        "title",
    )
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


def is_html_block(source: str) -> bool:
    """An HTML block (allowed HTML, one paragraph): its text is read as HTML, not Markdown."""
    return source.startswith("<") and "\n\n" not in source.strip()


def assert_shown_as_text(at: AppTest, *, text: str = PAYLOAD) -> None:
    """`text` is on the page as plain text (st.text), as escaped Markdown, or HTML-escaped in
    an HTML block; no element carries Markdown or HTML that would render from it."""
    assert not at.exception
    kinds = (
        "markdown",
        "caption",
        "info",
        "success",
        "error",
        "warning",
        "subheader",
        "header",
        "title",
    )
    sources = [str(e.value) for kind in kinds for e in at.get(kind)]
    markdown = "\n".join(s for s in sources if not is_html_block(s))
    blocks = "\n".join(s for s in sources if is_html_block(s))
    assert live_fragments(markdown) == []
    assert "<img" not in blocks and "<a " not in blocks
    plain = [str(t.value) for t in at.text]
    assert (
        escape_inline(text) in markdown
        or escape_markdown(text) in markdown
        or escape_html(text) in blocks
        or text in plain
    ), text


@pytest.fixture
def seeded(sqlite_store, use_store):
    use_store(sqlite_store)
    return sqlite_store, seed(sqlite_store)


def test_a_challenge_on_the_qa_page(seeded) -> None:
    engine, ids = seeded
    challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text=PAYLOAD,
    )
    at = signed_in_app("youth_challenges", "qa_officer", timeout=60).run()
    assert_shown_as_text(at)


def test_a_challenge_and_its_answer_on_the_youth_page(seeded) -> None:
    engine, ids = seeded
    challenge_id = challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text=PAYLOAD,
    )
    challenges.record_response(
        engine=engine,
        username="qa.demo",
        challenge_id=challenge_id,
        text="Answer: " + PAYLOAD,
        status="answered",
    )
    at = signed_in_app("youth_section11", "youth_council", timeout=60).run()
    assert_shown_as_text(at)
    assert_shown_as_text(at, text="Answer: " + PAYLOAD)


def test_section11_staff_evidence_does_not_reach_the_youth_page(seeded) -> None:
    """Staff-written evidence is shown to young people only as an approved plain-words version
    (pages/youth_texts.py), so the raw payload appears nowhere on the youth page."""
    engine, _ = seeded
    with session_scope(engine) as session:
        session.execute(
            sa.update(S11Rating).values(
                evidence_summary=PAYLOAD, improvement_action="Plan: " + PAYLOAD
            )
        )
    at = signed_in_app("youth_section11", "youth_council", timeout=60).run()
    assert not at.exception
    everything = shown_markdown(at) + "\n".join(str(t.value) for t in at.text)
    assert "pixel.png" not in everything and "evil.example" not in everything


def _summary(engine: sa.Engine) -> str:
    from data_access.periods import latest_complete_quarter
    from data_access.reference import ensure_periods

    quarter = latest_complete_quarter()
    with session_scope(engine) as session:
        ensure_periods(session, [quarter])
        save_assurance_summary(
            session,
            "early_help",
            quarter.code,
            "Group " + PAYLOAD,
            dt.date(2025, 1, 10),
            "qa.demo",
            {
                "working_well": [PAYLOAD],
                "not_working_well": ["Gap " + PAYLOAD],
                "next_steps": ["Next " + PAYLOAD],
            },
        )
    return quarter.code


def test_an_assurance_summary_on_the_form_page(seeded) -> None:
    engine, _ = seeded
    _summary(engine)
    at = signed_in_app("assurance_summaries", "qa_officer", timeout=60).run()
    assert_shown_as_text(at)
    assert_shown_as_text(at, text="Group " + PAYLOAD)


def test_audit_findings_and_references(seeded) -> None:
    engine, ids = seeded
    with session_scope(engine) as session:
        session.add(AuditFinding(audit_id=ids.first_audit, kind="strength", text=PAYLOAD))
    at = signed_in_app("audits", "qa_officer", timeout=60).run()
    assert_shown_as_text(at)


def test_an_import_file_name_heading_and_cell(sqlite_store, use_store) -> None:
    from tests.support.import_corpus import HEADER, csv_bytes, good_rows, seed_reference

    seed_reference(sqlite_store)
    use_store(sqlite_store)
    checked = import_flow.check_upload(
        engine=sqlite_store,
        file_name=PAYLOAD + ".csv",
        data=csv_bytes(good_rows(), header=[PAYLOAD, *HEADER[1:]]),
        agency_code=None,
    )
    assert checked.file_problem is not None and PAYLOAD in checked.file_problem.problem
    at = signed_in_app(
        "data_management", "qa_officer", timeout=60, state={import_flow.CHECKED_STATE: checked}
    ).run()
    assert_shown_as_text(at, text=PAYLOAD + ".csv")
    assert escape_markdown(checked.file_problem.problem) in shown_markdown(at)


def test_drill_down_rows_are_written_to_the_audit_log_once(
    writable_sample_store, use_store
) -> None:
    use_store(writable_sample_store)

    def views() -> list[sa.Row]:
        with writable_sample_store.connect() as connection:
            return connection.execute(
                sa.select(AuditLogEntry.username, AuditLogEntry.page, AuditLogEntry.detail).where(
                    AuditLogEntry.event == "record_view", AuditLogEntry.username == "drill.tester"
                )
            ).all()

    at = signed_in_app("mash", "qa_officer", username="drill.tester", timeout=120).run()
    assert not at.exception
    logged = views()
    assert len(logged) == 1 and logged[0].page == "mash"
    assert logged[0].detail.startswith("rows behind ")
    at.run()  # a rerun shows the same rows: not logged again
    assert len(views()) == 1


def _meeting_theme(payload: str) -> None:
    from dashboard.board_pack.model import AssuranceSummary, Table, ThemeSection
    from dashboard.views.meeting_mode import render_theme

    render_theme(
        ThemeSection(
            code="early_help",
            name="Early help",
            description="",
            assurance=AssuranceSummary(
                source="Group " + payload,
                working_well=(payload,),
                not_working_well=(payload,),
                next_steps=(payload,),
            ),
            decisions=Table(
                columns=("Number", "Meeting", "Decision", "Owner", "Due", "Status"),
                rows=(("1", "1 Jan 2025", payload, "Owner " + payload, "", "Open"),),
            ),
        )
    )


def test_meeting_mode_summary_and_decisions() -> None:
    at = AppTest.from_function(_meeting_theme, args=(PAYLOAD,)).run()
    assert_shown_as_text(at)
    assert_shown_as_text(at, text="Owner " + PAYLOAD)
    assert_shown_as_text(at, text="Group " + PAYLOAD)
