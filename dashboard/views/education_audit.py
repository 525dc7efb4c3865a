"""The schools and colleges safeguarding audit page (section 175/157): how many returned, the
ratings per standard, the themes (standards most often amber or red and the actions schools
wrote), and the settings with no return by the due date.

The same model as Section 11 (`data_access.self_assessment`), for the education framework.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.plain import escape_inline
from dashboard.components.self_assessment_import import (
    cycle_form,
    returns_import,
    settings_import,
    show_flash,
)
from dashboard.components.tables import days_overdue_text, highlight_overdue, plural, show_table
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from data_access import section11, self_assessment
from data_access.models import EDUCATION_175_157

RATING_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
RATING_COLOURS = {"Green": charts.GREEN, "Amber": charts.ORANGE, "Red": charts.RED}
# The themes list names this many standards.
THEMES_SHOWN = 5


def _date(value: object) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def returns_sentence(counts: self_assessment.ReturnCounts, cycle: str, due_on: object) -> str:
    """'**63 of 72** schools and colleges have returned their audit for 2025-26; **58** by the
    due date (30 Jan 2026).'"""
    have = "has" if counts.returned == 1 else "have"
    return (
        f"**{counts.returned:,} of {plural(counts.expected, 'school or college', 'schools and colleges')}** "
        f"{have} returned their audit for {cycle}; **{counts.on_time:,}** by the due date "
        f"({_date(due_on)})."
    )


def standard_label(number: object, title: object) -> str:
    """'S7 Filtering and monitoring', as the Section 11 matrix names its standards."""
    return f"{short_label(number)} {title}"


def short_label(number: object) -> str:
    """'S7': the chart's axis names each standard by its number, whole at any width (the table
    below the chart and the chart's description give the titles)."""
    return f"S{int(number)}"  # type: ignore[call-overload]


def chart_frame(counts: pd.DataFrame) -> pd.DataFrame:
    """The ratings per standard, long: one row per standard and rating (for the stacked bars)."""
    labels = [short_label(n) for n in counts["standard_number"]]
    return pd.DataFrame(
        {
            "standard": [label for label in labels for _ in RATING_WORDS],
            "rating": [word for _ in labels for word in RATING_WORDS.values()],
            "settings": [
                int(row[rating]) for _, row in counts.iterrows() for rating in RATING_WORDS
            ],
        }
    )


def chart_description(counts: pd.DataFrame) -> str:
    """The chart in words: each standard's green, amber and red counts."""
    return (
        "Ratings per standard: "
        + "; ".join(
            f"{standard_label(row.standard_number, row.standard)}: {row.green} green, "
            f"{row.amber} amber, {row.red} red"
            for row in counts.itertuples(index=False)
        )
        + "."
    )


def _share(value: object) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.1f}%"  # type: ignore[arg-type]


def ratings_table(counts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Standard": [
                standard_label(n, t)
                for n, t in zip(counts["standard_number"], counts["standard"], strict=True)
            ],
            "Green": counts["green"],
            "Amber": counts["amber"],
            "Red": counts["red"],
            "Rated": counts["rated"],
            "Green (%)": [_share(v) for v in counts["green_pct"]],
            "Amber (%)": [_share(v) for v in counts["amber_pct"]],
            "Red (%)": [_share(v) for v in counts["red_pct"]],
        }
    )


def themes_sentence(themes: pd.DataFrame) -> str:
    """'Most often rated amber or red: 12. Teaching about safeguarding (40 of 63, 63.5%); ...'"""
    return (
        "Most often rated amber or red: "
        + "; ".join(
            f"{standard_label(row.standard_number, row.standard)} ({row.not_met} of "
            f"{row.rated}, {row.not_met_pct:.1f}%)"
            for row in themes.itertuples(index=False)
        )
        + "."
    )


def themes_table(themes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Standard": [
                standard_label(n, t)
                for n, t in zip(themes["standard_number"], themes["standard"], strict=True)
            ],
            "Amber": themes["amber"],
            "Red": themes["red"],
            "Amber or red": themes["not_met"],
            "Rated": themes["rated"],
            "Amber or red (%)": [f"{v:.1f}%" for v in themes["not_met_pct"]],
        }
    )


def actions_table(actions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Standard": [
                standard_label(n, t)
                for n, t in zip(actions["standard_number"], actions["standard"], strict=True)
            ],
            "Improvement action": actions["action"],
            "Schools and colleges": actions["respondents"],
            "Of them red": actions["red"],
        }
    )


def status_text(submitted_on: object, due_on: object, today: dt.date) -> str:
    """'Returned late on 8 Mar 2026', or '⚠ 312 days overdue' for a return still missing."""
    if submitted_on is not None and not pd.isna(submitted_on):
        return f"Returned late on {_date(submitted_on)}"
    days = (pd.Timestamp(today) - pd.Timestamp(due_on)).days
    return days_overdue_text(days) or "Not returned (not yet due)"


def non_returners_table(missing: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "School or college": missing["name"],
            "Status": [
                status_text(s, d, today)
                for s, d in zip(missing["submitted_on"], missing["due_on"], strict=True)
            ],
            "Phase": missing["kind"].map(self_assessment.PHASE_WORDS).fillna(missing["kind"]),
            "Duty": missing["duty"].map(self_assessment.DUTY_WORDS).fillna(""),
            "Locality": missing["locality"].fillna(""),
            "Reference": missing["code"],
        }
    )


def render(user: CurrentUser) -> None:
    """Render the schools and colleges audit page for `user` (call after the page's guard)."""
    st.title("Schools and colleges safeguarding audit")
    st.caption(
        "Each school and college rates itself Green, Amber or Red against the standards of the "
        "annual safeguarding audit: section 175 of the Education Act 2002 for maintained "
        "schools and colleges, section 157 for academies and independent schools. The same "
        "model as the agencies' Section 11 self-assessment."
    )

    show_flash()
    settings_import(user, page="education_audit")
    cycles = cache.frame(section11.list_cycles, framework=EDUCATION_175_157)
    cycle_form(user, framework=EDUCATION_175_157, page="education_audit", first=cycles.empty)
    if cycles.empty:
        st.info(
            "No schools' and colleges' audit has been recorded yet. Once the year's audit is "
            "set up and settings' returns are loaded, the ratings per standard, the themes and "
            "the schools and colleges that have not returned appear here."
        )
        st.stop()

    names = dict(zip(cycles["id"], cycles["name"], strict=True))
    due = dict(zip(cycles["id"], cycles["due_on"], strict=True))
    cycle_id = int(
        st.selectbox(
            "Year of the audit",
            list(names),
            key="edu_cycle",
            format_func=lambda option: names.get(option, option),
        )
    )
    returns_import(
        user, framework=EDUCATION_175_157, cycle_name=str(names[cycle_id]), page="education_audit"
    )
    cycle_name = escape_inline(str(names[cycle_id]))
    counts = cache.query(self_assessment.return_counts, cycle_id=cycle_id)

    st.header("Returns")
    st.markdown(returns_sentence(counts, cycle_name, due[cycle_id]))

    if not counts.returned:
        st.info(
            f"No school or college has returned its audit for {cycle_name} yet: the ratings "
            "per standard and the themes appear once the first return is loaded."
        )
    else:
        st.header("Ratings per standard")
        ratings = cache.frame(self_assessment.ratings_by_standard, cycle_id=cycle_id)
        description = chart_description(ratings)
        show_chart(
            charts.stacked_bars(
                chart_frame(ratings),
                x="standard",
                value="settings",
                colour="rating",
                title="Schools and colleges rating each standard Green, Amber or Red",
                x_title="Standard (numbered as in the table below)",
                x_order=[short_label(n) for n in ratings["standard_number"]],
                colour_order=list(RATING_COLOURS),
                colours=list(RATING_COLOURS.values()),
                height=320,
            ),
            description,
            caption=False,
        )
        table = ratings_table(ratings)
        show_table(table, key="edu_ratings_table")
        download_table(
            table,
            label="ratings per standard",
            file_stem=f"schools-audit-{names[cycle_id]}-ratings",
            key="dl_edu_ratings",
        )

        st.header("Themes")
        themes = cache.frame(self_assessment.themes, cycle_id=cycle_id, limit=THEMES_SHOWN)
        if themes.empty:
            st.success("Every school and college that returned rated every standard Green.")
        else:
            st.markdown(themes_sentence(themes))
            show_table(themes_table(themes), key="edu_themes_table")
            st.subheader("What schools and colleges will do")
            st.caption(
                "The improvement actions written against standards rated Amber or Red, the "
                "same words counted once per school or college."
            )
            actions = actions_table(
                cache.frame(self_assessment.improvement_actions, cycle_id=cycle_id)
            )
            show_table(actions, key="edu_actions_table")
            download_table(
                actions,
                label="improvement actions",
                file_stem=f"schools-audit-{names[cycle_id]}-actions",
                key="dl_edu_actions",
            )

    st.header("No return by the due date")
    missing = cache.frame(self_assessment.non_returners, cycle_id=cycle_id)
    if missing.empty:
        st.success(f"Every school and college returned its audit for {cycle_name} on time.")
        return
    today = dt.date.today()
    st.markdown(
        f"**{plural(counts.not_returned, 'school or college', 'schools and colleges')}** "
        f"{'has' if counts.not_returned == 1 else 'have'} not returned; "
        f"**{counts.late:,}** returned after the due date. Still missing first."
    )
    table = non_returners_table(missing, today)
    show_table(highlight_overdue(table, "Status"), data=table, key="edu_missing_table")
    download_table(
        table,
        label="schools and colleges with no return by the due date",
        file_stem=f"schools-audit-{names[cycle_id]}-not-returned",
        key="dl_edu_missing",
    )
