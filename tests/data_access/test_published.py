"""The DfE's published figures: a partnership set up for Stockport (356) on an empty store, the
shipped tables loaded cell for cell, later releases, refusals and `published show`."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli import main
from data_access import published, themes
from data_access import published_tables as tables
from data_access.db import engine_for, session_scope
from data_access.models import (
    IndicatorValue,
    PartnershipCouncil,
    PublishedFigure,
    PublishedRelease,
)
from data_access.users import create_user

# Stockport's ten statistical neighbours in the 2025 model, closest first (sn_model_2025_wide).
STOCKPORT_NEIGHBOURS = [
    "Solihull",
    "Trafford",
    "Cheshire West and Chester",
    "Gloucestershire",
    "Hertfordshire",
    "West Sussex",
    "Warwickshire",
    "North Somerset",
    "South Gloucestershire",
    "Cambridgeshire",
]


def _cells() -> dict[tuple[str, str, int], str]:
    """The shipped LAIT table read with nothing but the csv module: {(measure, area name,
    year): the cell as written}."""
    with gzip.open(tables.LAIT_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        return {
            (r["Short Desc"], r["LA and Regions"], int(r["Years"])): r["Values"]
            for r in csv.DictReader(handle)
        }


def _run(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


def _partnership_figure(engine: sa.Engine, code: str, period: str) -> float | None:
    history = themes.indicator_history(engine=engine, period_kind="financial_year")
    row = history[(history["code"] == code) & (history["period_code"] == period)]
    return None if row.empty else float(row.iloc[0]["value"])


def test_an_empty_store_set_up_for_stockport(db_url: str, capsys) -> None:
    assert _run(db_url, "init-db", "--council", "356") == 0
    out = capsys.readouterr().out
    assert "Stockport (356, E08000007)" in out and "Open Government Licence v3.0" in out
    engine = engine_for(db_url)
    assert _partnership_figure(engine, "STAT_CIN_RATE", "2019-20") == 354.1
    # Ten years of history for the statutory indicators, as the partnership's own figures.
    history = themes.indicator_history(engine=engine, period_kind="financial_year")
    cin = history[(history["code"] == "STAT_CIN_RATE") & history["value"].notna()]
    assert sorted(cin["period_code"]) == [tables.period_of_year(y) for y in range(2016, 2026)]

    rows = published.comparison(engine=engine, code="STAT_CIN_RATE", period_code="2019-20")
    by_kind = {k: part for k, part in rows.groupby("kind")}
    assert by_kind["council"]["value"].tolist() == [354.1]
    assert by_kind["england"]["value"].tolist() == [330.1]
    assert by_kind["region"][["area", "value"]].values.tolist() == [["North West", 373.0]]
    cells = _cells()
    neighbours = by_kind["neighbour"]
    assert neighbours["area"].tolist() == STOCKPORT_NEIGHBOURS
    for name, value in zip(neighbours["area"], neighbours["value"], strict=True):
        assert value == float(cells[("CIN", name, 2020)])
    mean = sum(float(cells[("CIN", n, 2020)]) for n in STOCKPORT_NEIGHBOURS) / 10
    assert by_kind["neighbours"]["value"].iloc[0] == pytest.approx(mean)

    # The same from the command line, as CSV with a header row.
    assert (
        _run(db_url, "published", "show", "--indicator", "STAT_CIN_RATE", "--period", "2019-20")
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "area,kind,value",
        "Stockport,council,354.1",
        "England,england,330.1",
        "North West,region,373",
    ]
    assert [line.split(",")[1] for line in lines[4:]] == ["neighbour"] * 10 + ["neighbours"]
    assert lines[4] == f"Solihull,neighbour,{float(cells[('CIN', 'Solihull', 2020)]):g}"
    assert lines[-1] == f"Statistical neighbours' average,neighbours,{mean:.1f}"

    # init-db again changes nothing (the release and the figures are already there).
    with session_scope(engine) as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
    assert _run(db_url, "init-db", "--council", "Stockport") == 0
    with session_scope(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == before
        assert session.scalar(sa.select(sa.func.count()).select_from(PartnershipCouncil)) == 1


def test_every_figure_loaded_from_the_shipped_tables_equals_its_source_cell(
    sqlite_store: sa.Engine,
) -> None:
    published.setup_councils(engine=sqlite_store, council_codes=["E08000007"])
    cells = _cells()
    with session_scope(sqlite_store) as session:
        stored = session.execute(
            sa.select(
                PublishedFigure.measure_code,
                PublishedFigure.area_name,
                PublishedFigure.year,
                PublishedFigure.value,
            )
        ).all()
    assert len(stored) == len(cells) == 20400
    for measure, area, year, value in stored:
        cell = cells[(measure, area, year)]
        if cell == "-":
            assert value is None  # not published: a gap, never 0
        else:
            assert value == float(cell)
    # The partnership's figures are Stockport's cells, for every published year.
    history = themes.indicator_history(engine=sqlite_store, period_kind="financial_year")
    loaded = history[history["code"].isin(tables.MEASURE_OF) & history["value"].notna()]
    assert len(loaded) > 100
    for row in loaded.itertuples():
        year = tables.year_of_period(str(row.period_code))
        cell = cells[(tables.MEASURE_OF[str(row.code)], "Stockport", year)]
        assert row.value == float(cell)


def _tidy(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]
    )
    writer.writerows(rows)
    return out.getvalue().encode()


def _counts(engine: sa.Engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return (
            session.scalar(sa.select(sa.func.count()).select_from(PublishedFigure)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(PublishedRelease)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) or 0,
        )


@pytest.fixture
def stockport(sqlite_store: sa.Engine) -> str:
    published.setup_councils(engine=sqlite_store, council_codes=["356"])
    with session_scope(sqlite_store) as session:
        create_user(session, "jo.pub", "Jo", "qa_officer", "a long enough password")
    return sqlite_store.url.render_as_string(hide_password=False)


def test_a_later_release_adds_only_the_new_year_and_keeps_a_revised_figure(
    stockport: str, tmp_path: Path, capsys
) -> None:
    engine = engine_for(stockport)
    figures, releases, values = _counts(engine)
    later = tmp_path / "lait_2026.csv"
    later.write_bytes(
        _tidy(
            [
                ["CIN", "CIN rate", "2026", "Stockport", "401.2", "356.0", "North West"],
                ["CIN", "CIN rate", "2026", "England", "333.3", "970.0", "NA"],
                # Already held, unchanged: not added again.
                ["CIN", "CIN rate", "2020", "Stockport", "354.1", "356.0", "North West"],
                ["CIN", "CIN rate", "2020", "England", "330.1", "970.0", "NA"],
            ]
        )
    )
    assert _run(stockport, "published", "load", str(later), "--as", "jo.pub") == 0
    assert "2 new published figure(s), 0 revised" in capsys.readouterr().out
    assert _counts(engine) == (figures + 2, releases + 1, values + 1)
    assert _partnership_figure(engine, "STAT_CIN_RATE", "2025-26") == 401.2
    assert _partnership_figure(engine, "STAT_CIN_RATE", "2019-20") == 354.1

    # A release that revises 2019-20: the new figure is current, the earlier one kept.
    revised = tmp_path / "lait_2026_revised.csv"
    revised.write_bytes(
        _tidy([["CIN", "CIN rate", "2020", "Stockport", "355.0", "356.0", "North West"]])
    )
    assert _run(stockport, "published", "load", str(revised), "--as", "jo.pub") == 0
    assert "1 revised" in capsys.readouterr().out
    assert _partnership_figure(engine, "STAT_CIN_RATE", "2019-20") == 355.0
    with session_scope(engine) as session:
        kept = session.execute(
            sa.select(PublishedFigure.value, PublishedFigure.is_current, PublishedFigure.revises_id)
            .where(
                PublishedFigure.measure_code == "CIN",
                PublishedFigure.area_code == "356",
                PublishedFigure.year == 2020,
            )
            .order_by(PublishedFigure.id)
        ).all()
    assert [(v, c) for v, c, _ in kept] == [(354.1, False), (355.0, True)]
    assert kept[1][2] is not None
    # Shown as revised, never silently: beside the comparison and in the figure's note.
    note = published.revision_note(
        engine=engine, code="STAT_CIN_RATE", period_code="2019-20", area_code="356"
    )
    assert note == (
        f"revised in lait_2026_revised.csv (sha256 "
        f"{tables.checksum(revised.read_bytes())[:12]}); was 354.1 in {tables.SHIPPED_RELEASE}"
    )
    compared = published.theme_comparisons(engine=engine, theme_code="mash", period_code="2019-20")
    assert compared.set_index("code").loc["STAT_CIN_RATE", "revised"] == note
    history = themes.indicator_history(engine=engine, period_kind="financial_year")
    cin = history[(history["code"] == "STAT_CIN_RATE") & (history["period_code"] == "2019-20")]
    assert "revised by the DfE, was 354.1" in cin.iloc[0]["comment"]
    # Loading the same file again changes nothing.
    assert _run(stockport, "published", "load", str(revised), "--as", "jo.pub") == 0
    assert "already in the store" in capsys.readouterr().out


def test_a_malformed_release_is_refused_naming_the_row_and_the_fix(
    stockport: str, tmp_path: Path, capsys
) -> None:
    engine = engine_for(stockport)
    before = _counts(engine)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        _tidy(
            [
                ["CIN", "CIN rate", "2026", "Stockport", "401.2", "356.0", "North West"],
                ["CIN", "CIN rate", "2026", "England", "33,3", "970.0", "NA"],
            ]
        )
    )
    assert _run(stockport, "published", "load", str(bad), "--as", "jo.pub") == 1
    err = capsys.readouterr().err
    assert "Row 3: value '33,3' is not a number" in err
    assert "Fix: write the figure with a full stop for decimals" in err
    assert _counts(engine) == before
    # Unquoted, the decimal comma splits the row: refused too, saying why.
    bad.write_text(
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "CIN,CIN rate,2026,England,33,3,970.0,NA\n"
    )
    assert _run(stockport, "published", "load", str(bad), "--as", "jo.pub") == 1
    assert "Row 2 has more cells than the header row" in capsys.readouterr().err
    assert _counts(engine) == before


def test_the_partnerships_own_figure_takes_precedence_and_the_difference_is_listed(
    stockport: str, tmp_path: Path, capsys
) -> None:
    engine = engine_for(stockport)
    own = tmp_path / "annual.csv"
    own.write_text(
        "indicator_code,period,agency_code,locality_code,value,numerator,denominator,"
        "status_symbol,comment\nSTAT_REREFERRALS_12M,2019-20,,,25.0,250,1000,,\n"
    )
    assert _run(stockport, "import", str(own), "--as", "jo.pub", "--confirm-outliers") == 0, (
        capsys.readouterr().out
    )
    assert _partnership_figure(engine, "STAT_REREFERRALS_12M", "2019-20") == 25.0
    listed = published.differences(engine=engine)
    assert listed[
        ["indicator", "year", "partnership_value", "published_value"]
    ].values.tolist() == [["Re-referrals within 12 months (year)", "2019-20", 25.0, 20.8]]
    assert "annual.csv" in listed.iloc[0]["partnership_source"]
    assert "published by the DfE" in listed.iloc[0]["published_source"]
    # Both stay stored: the DfE's figure is the superseded one.
    with session_scope(engine) as session:
        values = sorted(
            session.scalars(
                sa.select(IndicatorValue.value).where(IndicatorValue.value.in_([25.0, 20.8]))
            )
        )
    assert 20.8 in values and 25.0 in values


def test_a_council_the_tables_do_not_know_is_refused(sqlite_store: sa.Engine, capsys) -> None:
    url = sqlite_store.url.render_as_string(hide_password=False)
    assert _run(url, "init-db", "--council", "Stockpot") == 2
    assert "No council 'Stockpot'" in capsys.readouterr().err
    with session_scope(sqlite_store) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PartnershipCouncil)) == 0


def test_lait_quartile_band_and_rank() -> None:
    import pandas as pd

    values = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0, None])
    # Low polarity: the lowest quarter is A; High: the highest quarter is A.
    assert published.band_and_rank(values, 10.0, "Low") == ("A", "1", 5)
    assert published.band_and_rank(values, 10.0, "High") == ("D", "5", 5)
    assert published.band_and_rank(values, 40.0, "High") == ("B", "2", 5)
    assert published.band_and_rank(values, 30.0, "-") == ("-", "-", 5)
    assert published.band_and_rank(values, None, "Low") == ("", "", 5)


def test_the_shipped_tables_are_package_data_with_their_source_and_licence() -> None:
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[2]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["data_access"]
    shipped = sorted(p.name for p in tables.DATA_DIR.iterdir() if p.is_file())
    assert {"lait_csc_subset_2016_2025.csv.gz", "sn_model_2025_wide.csv", "SOURCES.md"} <= set(
        shipped
    )
    for name in shipped:
        assert any(fnmatch.fnmatch(f"published_data/{name}", g) for g in globs), name
    sources = (tables.DATA_DIR / "SOURCES.md").read_text()
    assert "Open Government Licence v3.0" in sources and "2e30e39" in sources
    assert "2f5d11a" in sources


def test_a_partnership_of_two_councils_shows_each_but_adds_no_partnership_figure(
    sqlite_store: sa.Engine,
) -> None:
    councils, summary = published.setup_councils(
        engine=sqlite_store, council_codes=["356", "E08000009"]
    )
    assert [c.name for c in councils] == ["Stockport", "Trafford"]
    assert summary is not None and summary.partnership_added == 0
    rows = published.comparison(engine=sqlite_store, code="STAT_CIN_RATE", period_code="2019-20")
    cells = _cells()
    council_rows = rows[rows["kind"] == "council"]
    assert council_rows[["area", "value"]].values.tolist() == [
        ["Stockport", 354.1],
        ["Trafford", float(cells[("CIN", "Trafford", 2020)])],
    ]
    assert _partnership_figure(sqlite_store, "STAT_CIN_RATE", "2019-20") is None
