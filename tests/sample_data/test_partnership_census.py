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
    "STAT_REREFERRALS_12M",
    "STAT_ASSESSMENTS_45WD",
    "STAT_ICPC_COUNT",
    "STAT_ICPC_15WD",
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
    # Every one of them: 17 annual figures and 4 quarterly measures for 4 quarters.
    assert len(reproduced) == 17 + 16
    assert reproduced["stored"].notna().all()
    assert (reproduced["difference"] == 0).all(), reproduced[reproduced["difference"] != 0]
    # The two DfE measures the sample draws apart from the children it writes (the section 47
    # rate, plans ended that lasted two years): the census's figure differs from the stored one.
    apart = rows[rows["stored_as"].isin({"STAT_S47_RATE", "STAT_CP_ENDED_2Y"})]
    assert len(apart) == 2 and (apart["difference"] != 0).all(), apart
    # Loading it writes only those two.
    result = importing.load(
        engine=writable_sample_store,
        statutory=checked,
        username="qa.demo",
        confirm_outliers=True,
    )
    assert (result.new, result.changed) == (0, 2), result.message


def test_the_census_is_written_from_the_command_line(writable_sample_store, tmp_path) -> None:
    out = tmp_path / "census.xml"
    url = writable_sample_store.url.render_as_string(hide_password=False)
    assert census_main(["--year", YEAR, "-o", str(out), "--database-url", url]) == 0
    assert importing.recognise(out.read_bytes()) == "cin"
