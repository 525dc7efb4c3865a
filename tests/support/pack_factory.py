"""A hand-built PackContent for testing the PDF and PPTX builders without a store."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.board_pack.model import (
    AssuranceSummary,
    Cell,
    PackChart,
    PackContent,
    Provenance,
    Table,
    ThemeSection,
    Tile,
)
from data_access import catalogue


def _chart(title: str) -> PackChart:
    data = pd.DataFrame(
        {
            "quarter": ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"],
            "value": [71.0, 74.5, 78.2, 80.1],
        }
    )
    spec = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(x=alt.X("quarter:N", title="Quarter"), y=alt.Y("value:Q", title="Per cent"))
        .properties(title=title)
        .to_dict()
    )
    return PackChart(
        title=title, alt_text=f"Line chart: {title}, rising from 71% to 80%.", spec=spec
    )


def hand_built_content(*, charts: bool = True, scorecard_rows: int = 12) -> PackContent:
    themes = []
    for spec in catalogue.themes():
        tiles = tuple(
            Tile(
                name=f"{spec.name} measure {i}",
                value=f"{70 + i}.0%",
                rag=("red", "amber", "green", None)[i % 4],
                detail="Target 80% · England 76.0%",
                signal="Common cause variation",
            )
            for i in range(4)
        )
        themes.append(
            ThemeSection(
                code=spec.code,
                name=spec.name,
                description=spec.description,
                tiles=tiles,
                charts=(_chart(f"{spec.name} trend"), _chart(f"{spec.name} timeliness"))
                if charts
                else (),
                narrative=(
                    f"{spec.name} improved for the third quarter running.",
                    "Two measures are below target.",
                ),
                assurance=AssuranceSummary(
                    source="Strategic group, 12 Oct 2025",
                    working_well=("Schools lead more assessments.",),
                    not_working_well=("Step-down plans are late.",),
                    next_steps=("Re-audit step-down in April.",),
                ),
            )
        )
    scorecard = Table(
        columns=("Theme", "Indicator", "Value", "RAG", "SPC signal", "England"),
        rows=tuple(
            (
                "Early help",
                f"Indicator {i}",
                f"{i}.0%",
                Cell(("Red", "Amber", "Green")[i % 3], rag=("red", "amber", "green")[i % 3]),
                "Common cause",
                "75.0%",
            )
            for i in range(scorecard_rows)
        ),
        widths=(1.2, 3, 1, 1, 1.6, 1),
    )
    return PackContent(
        partnership_name="Brookvale Safeguarding Children Partnership",
        period_code="2025-26 Q2",
        period_label="Q2 2025-26 (July to September 2025)",
        provenance=Provenance(
            data_cutoff=dt.datetime(2025, 10, 14, 9, 30),
            submission_ids=tuple(range(1, 213)),
            id_ranges="1-212",
            generated_by="qa.demo",
            generated_at=dt.datetime(2025, 11, 23, 10, 0),
        ),
        scorecard=scorecard,
        themes=tuple(themes),
        overdue_actions=Table(
            columns=("Audit", "Action", "Owner", "Due", "Days overdue"),
            rows=(
                (
                    "MA-2025-03",
                    "Notify GPs when a child becomes looked after",
                    "ICB",
                    "31 Aug 2025",
                    "53",
                ),
            ),
        ),
        section11_sentences=("24 of 26 agencies have returned their self-assessment.",),
        section11=Table(
            columns=("Sector", "Green", "Amber", "Red"), rows=(("Health", "30", "4", "1"),)
        ),
        challenges=Table(
            columns=("Agency", "Standard", "Date", "Status", "Challenge"),
            rows=(),
            empty_text="No open challenges.",
        ),
        meeting_actions=Table(columns=("Meeting", "Action", "Owner", "Due", "Status"), rows=()),
    )
