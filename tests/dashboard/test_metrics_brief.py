"""The quarter brief: one row per indicator, the same whichever set it is listed in."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from dashboard.metrics import brief
from dashboard.metrics.scorecard import SCORECARD_COLUMNS
from data_access.indicators import periods_with_data

# Columns compared as words (the control chart object is compared through its labels).
WORDS = [c for c in SCORECARD_COLUMNS if c not in ("spc_chart", "trend_values", "trend_periods")]


def test_a_row_does_not_depend_on_which_indicators_are_listed(sample_store: sa.Engine) -> None:
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-2])
    every = brief.quarter_brief(engine=sample_store, period_code=quarter).set_index("code")
    headline = brief.quarter_brief(engine=sample_store, period_code=quarter, headline_only=True)
    mash = brief.quarter_brief(engine=sample_store, period_code=quarter, theme_code="mash")
    for listed in (headline, mash):
        listed = listed.set_index("code")
        pd.testing.assert_frame_equal(
            listed[[c for c in WORDS if c != "code"]],
            every.loc[listed.index, [c for c in WORDS if c != "code"]],
        )
    assert not mash.empty and (every["period_code"] == quarter).all()


def test_the_brief_reads_quarters_before_any_display_window(sample_store: sa.Engine) -> None:
    codes = list(periods_with_data(engine=sample_store)["code"])
    row = brief.quarter_brief(engine=sample_store, period_code=codes[-1]).iloc[0]
    # Every quarter from the first figure to the selected one sets the control chart.
    assert row["spc_chart"].labels[0] == codes[0]
    assert row["spc_chart"].labels[-1] == codes[-1]


def test_a_recorded_change_in_the_process_restarts_the_briefs_limits(
    writable_sample_store: sa.Engine,
) -> None:
    from data_access import spc_changes

    codes = list(periods_with_data(engine=writable_sample_store)["code"])
    before = brief.quarter_brief(engine=writable_sample_store, period_code=codes[-1])
    before = before.set_index("code").loc["MASH_DECISION_1WD"]
    spc_changes.record_change(
        engine=writable_sample_store,
        indicator_code="MASH_DECISION_1WD",
        period_code=codes[-10],
        reason="New triage model at the front door from this quarter.",
        recorded_by="qa.demo",
    )
    after = brief.quarter_brief(engine=writable_sample_store, period_code=codes[-1])
    after = after.set_index("code").loc["MASH_DECISION_1WD"]
    assert codes[-10] in after["spc_chart"].rebase_labels
    assert codes[-10] not in before["spc_chart"].rebase_labels
    assert after["spc_chart"].upper_limit != before["spc_chart"].upper_limit
    # Everything else about the measure is unchanged.
    assert (after["display_value"], after["rag"], after["run_display"]) == (
        before["display_value"],
        before["rag"],
        before["run_display"],
    )
