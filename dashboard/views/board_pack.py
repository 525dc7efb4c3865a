"""The Board pack page: generate a quarter's pack as PDF and/or PowerPoint, download past ones."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.board_pack import jobs
from dashboard.components.filters import remembered_quarter
from dashboard.components.tables import show_table
from dashboard.exports import download_table, logged_download
from dashboard.session import CurrentUser
from data_access import board_packs
from data_access.config import settings
from data_access.db import get_engine
from data_access.indicators import periods_with_data
from data_access.periods import Quarter

FORMAT_LABELS = {"pdf": "PDF (to print or circulate)", "pptx": "PowerPoint (to present)"}

RESULT_KEY = "board_pack_result"
JOB_KEY = "board_pack_job"
POLL_SECONDS = 1.0
LOST_JOB = (
    "The pack being made can no longer be found (the server may have restarted before it was "
    "ready). Press Generate the pack again."
)

PAST_PACKS_WITH_BUTTONS = 20


def _running_job() -> jobs.PackJob | None:
    """This session's pack still being made; a finished one becomes the page's outcome."""
    held = st.session_state.get(JOB_KEY)
    if not held:
        return None
    job_id, reused = held
    job = jobs.get(job_id)
    if job is None:
        st.session_state.pop(JOB_KEY, None)
        st.session_state[RESULT_KEY] = {"error": LOST_JOB}
        return None
    if not job.done:
        return job
    st.session_state.pop(JOB_KEY, None)
    st.session_state[RESULT_KEY] = {**jobs.describe(job), "reused": reused}
    if job.packs and not reused:
        cache.clear()  # the pack list changed
    return None


@st.fragment(run_every=POLL_SECONDS)
def _job_progress() -> None:
    """The running pack's progress, redrawn every POLL_SECONDS; the whole page reruns once the
    pack is ready, to offer it for download and list it under past packs."""
    held = st.session_state.get(JOB_KEY)
    job = jobs.get(held[0]) if held else None
    if job is None or job.done:
        st.rerun()
        return
    fraction, stage = job.progress()
    # Not a `with` block: leaving one marks the status complete, and this one is still running.
    status = st.status("Making the board pack…", state="running", expanded=True)
    status.progress(fraction, text=stage)
    status.caption(
        f"The {' and '.join(f.upper() for f in job.formats)} for {job.period_code} is being "
        "made on the server. This page stays usable meanwhile, and the pack appears here "
        "when it is ready (usually within half a minute)."
    )


def render(user: CurrentUser) -> None:
    """Render the Board pack page for `user` (call after the page's guard)."""
    st.title("Board pack")
    st.caption(
        "The quarter's pack for the executive partnership meeting: cover, how to read this pack, "
        "contents, the overview scorecard, each theme's headline figures, charts, narrative and "
        "assurance summary, overdue audit actions, Section 11, open youth council challenges, and "
        "where the figures come from. Each page states the data's cut-off date; the appendix lists "
        "the submissions drawn on. The PDF is tagged for screen readers (PDF/UA)."
    )
    engine = get_engine()

    # --- Generate ---------------------------------------------------------------------------------
    st.header("Make a pack")
    periods = cache.frame(periods_with_data)
    if periods.empty:
        st.info(
            "There are no figures in the store yet, so a pack cannot be made. A quality assurance "
            "officer loads partners' quarterly returns on **Load quarterly returns** (or an "
            "administrator runs `qa-dashboard load-sample` for the demonstration partnership); the "
            "quarters then appear here."
        )
    else:
        codes = list(periods["code"])[::-1]  # newest first
        # A shared link's quarter, else the one the user chose on another page, else the latest.
        wanted = st.query_params.get("quarter") or remembered_quarter(codes)
        quarter = st.selectbox(
            "Quarter",
            codes,
            index=codes.index(wanted) if wanted in codes else 0,
            key="pack_quarter",
            format_func=lambda c: Quarter.parse(c).label,
        )
        st.markdown("**Formats**")
        formats = [
            f
            for f, label in FORMAT_LABELS.items()
            if st.checkbox(label, value=True, key=f"pack_format_{f}")
        ]
        running = _running_job()
        if st.button(
            "Generate the pack",
            type="primary",
            key="pack_generate",
            icon=":material/picture_as_pdf:",
            disabled=not formats or running is not None,
        ):
            job, reused = jobs.request(
                database_url=settings().database_url,
                period_code=quarter,
                formats=tuple(formats),
                requested_by=user.username,
            )
            st.session_state[JOB_KEY] = (job.id, reused)
            st.session_state.pop(RESULT_KEY, None)
            st.rerun()  # draw the page again with the button off and the progress shown
        if not formats:
            st.caption("Choose at least one format.")
        if running is not None:
            _job_progress()

    outcome = st.session_state.get(RESULT_KEY)
    if outcome and "error" in outcome:
        st.warning(outcome["error"])
    elif outcome:
        if outcome.get("reused"):
            st.success(
                f"The pack for {outcome['quarter']} was already made from the same figures "
                f"(asked for by {outcome['requested_by']} at "
                f"{outcome['requested_at']:%H:%M on %d %b %Y}), so it was not made again. "
                "Download it below; it is also listed under **Past packs**."
            )
        else:
            st.success(
                f"Pack for {outcome['quarter']} generated and kept as presented. Download it "
                "below; it is also listed under **Past packs**."
            )
        for pack_id, file_name, file_format, checksum, size in outcome["packs"]:
            st.download_button(
                f"Download the {file_format.upper()} ({size / 1024:,.0f} KB)",
                data=logged_download(
                    functools.partial(board_packs.pack_bytes, engine=engine, pack_id=pack_id),
                    what=f"board pack {pack_id}",
                ),
                file_name=file_name,
                mime=board_packs.MEDIA_TYPES[file_format],
                key=f"pack_new_{pack_id}",
                icon=":material/download:",
                on_click="ignore",
            )
            st.caption(f"{file_name} · SHA-256 `{checksum}`")

    # --- Past packs -------------------------------------------------------------------------------
    st.header("Past packs")
    past = cache.frame(board_packs.list_packs)
    if past.empty:
        st.info(
            "No pack has been generated yet. Packs you generate are kept here exactly as they "
            "were presented, with who made them, when, and a checksum."
        )
        st.stop()

    st.caption(
        "Each file is kept exactly as generated. Its SHA-256 checksum lets anyone confirm "
        "that a copy is the one the board saw."
    )
    table = pd.DataFrame(
        {
            "Number": past["id"].astype(int),
            "Quarter": past["period_code"],
            "Format": past["file_format"].str.upper(),
            "Generated by": past["generated_by"],
            "Generated at": pd.to_datetime(past["generated_at"]).dt.strftime("%d %b %Y %H:%M"),
            "Data cut-off": pd.to_datetime(past["data_cutoff"]).dt.strftime("%d %b %Y %H:%M"),
            "Submissions (ids)": past["submission_ids"],
            "Size (KB)": (past["size_bytes"] / 1024).round(0).astype(int),
            "SHA-256 checksum": past["checksum"],
            "File": past["file_name"],
        }
    )
    show_table(table)
    download_table(table, label="list of past packs", file_stem="board-packs", key="dl_packs")

    st.subheader("Download a past pack")
    for _, row in past.head(PAST_PACKS_WITH_BUTTONS).iterrows():
        pack_id = int(row["id"])
        left, right = st.columns([3, 2])
        left.markdown(
            f"**{row['period_code']} {str(row['file_format']).upper()}** · generated by "
            f"{row['generated_by']} on {pd.Timestamp(row['generated_at']):%d %b %Y %H:%M}  \n"
            f"SHA-256 `{row['checksum']}`"
        )
        right.download_button(
            f"Download number {pack_id}",
            data=logged_download(
                functools.partial(board_packs.pack_bytes, engine=engine, pack_id=pack_id),
                what=f"board pack {pack_id}",
            ),
            file_name=str(row["file_name"]),
            mime=board_packs.MEDIA_TYPES[str(row["file_format"])],
            key=f"pack_past_{pack_id}",
            icon=":material/download:",
            on_click="ignore",
        )
    if len(past) > PAST_PACKS_WITH_BUTTONS:
        older = {int(i): f"Number {int(i)}" for i in past["id"].iloc[PAST_PACKS_WITH_BUTTONS:]}
        chosen = st.selectbox(
            "Older packs",
            list(older),
            format_func=lambda option: older.get(option, option),
            key="pack_older",
        )
        row = past[past["id"] == chosen].iloc[0]
        st.download_button(
            f"Download number {chosen}",
            data=logged_download(
                functools.partial(board_packs.pack_bytes, engine=engine, pack_id=int(chosen)),
                what=f"board pack {chosen}",
            ),
            file_name=str(row["file_name"]),
            mime=board_packs.MEDIA_TYPES[str(row["file_format"])],
            key="pack_older_download",
            icon=":material/download:",
            on_click="ignore",
        )
