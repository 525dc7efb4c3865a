"""The sample partnership's own children in need census, imported, reproduces its statutory
figures: the year's snapshot (children in need, plans by initial category, the neglect share,
the rates), plans for a second time, and each quarter's referrals, re-referrals, assessments
within 45 working days and conferences within 15 working days."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.statutory import importing
from sample_data.census import main as census_main
from sample_data.census import partnership_census

YEAR = "2024-25"
REPRODUCED = {
    "STAT_REFERRALS",
    "STAT_REFERRAL_RATE",
    "STAT_CIN_COUNT",
    "STAT_CIN_RATE",
    "STAT_CP_COUNT",
    "STAT_CP_RATE",
    "STAT_CP_NEGLECT",
    "STAT_CP_EMOTIONAL",
    "STAT_CP_PHYSICAL",
    "STAT_CP_SEXUAL",
    "STAT_CP_MULTIPLE",
    "STAT_CP_NEGLECT_SHARE",
    "STAT_CP_SECOND_PLAN",
    "MASH_REFERRALS",
    "MASH_REREFERRALS",
    "MASH_ASSESSMENTS_45WD",
    "MASH_ICPC_15WD",
}


def test_the_sample_census_reproduces_the_partnerships_figures(
    writable_sample_store: sa.Engine,
) -> None:
    data = partnership_census(writable_sample_store, YEAR)
    checked = importing.check(engine=writable_sample_store, file_name="brookvale.xml", data=data)
    assert checked.year_code == YEAR and not checked.problems and checked.can_load
    rows = checked.comparison
    reproduced = rows[rows["stored_as"].isin(REPRODUCED)]
    # Every one of them: 13 annual figures and 4 quarterly measures for 4 quarters.
    assert len(reproduced) == 13 + 16
    assert reproduced["stored"].notna().all()
    assert (reproduced["difference"] == 0).all(), reproduced[reproduced["difference"] != 0]
    # The sample draws three annual figures apart from its quarters; the census follows the
    # quarters, so the year's figure is the quarters' roll-up.
    quarterly = rows[rows["period"].str.contains(" Q")]
    by_code = rows.set_index("stored_as")
    icpc = quarterly[quarterly["stored_as"] == "MASH_ICPC_15WD"]["denominator"].sum()
    assert by_code.loc["STAT_ICPC_COUNT", "value"] == icpc
    again = quarterly[quarterly["stored_as"] == "MASH_REREFERRALS"]["numerator"].sum()
    assert by_code.loc["STAT_REREFERRALS_12M", "numerator"] == again
    # Loading it writes only the figures the sample drew apart from its quarters.
    result = importing.load(
        engine=writable_sample_store,
        statutory=checked,
        username="qa.demo",
        confirm_outliers=True,
    )
    assert (result.new, result.changed) == (0, 3), result.message


def test_the_census_is_written_from_the_command_line(writable_sample_store, tmp_path) -> None:
    out = tmp_path / "census.xml"
    url = writable_sample_store.url.render_as_string(hide_password=False)
    assert census_main(["--year", YEAR, "-o", str(out), "--database-url", url]) == 0
    assert importing.recognise(out.read_bytes()) == "cin"
