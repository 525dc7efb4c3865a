"""A hand-built children in need census whose every figure is worked out by hand (the answers are
in tests/data_access/statutory/test_cin_census.py, beside what each child adds)."""

from __future__ import annotations

import datetime as dt

from sample_data.census import ChildSpec, EpisodeSpec, PlanSpec

D = dt.date
REF = D(2025, 3, 31)  # the 2024-25 census


def hand_built() -> list[ChildSpec]:
    """Seven children; what each one adds to each figure is written beside it."""
    return [
        # A re-referral (referred in September 2023, closed before the year, so the file holds
        # history); open at 31 March; assessment well inside 45 working days.
        ChildSpec(
            "HANDA001",
            D(2015, 1, 1),
            [
                EpisodeSpec(D(2023, 9, 1), D(2023, 10, 1)),
                EpisodeSpec(D(2024, 6, 1), assessments=[(D(2024, 6, 2), D(2024, 7, 1))]),
            ],
            upn="A111111111111",
        ),
        # Referred 15 Nov 2024, assessed 22 Jan 2025: 48 weekdays, but 45 working days because
        # of 25 and 26 December and 1 January - inside the timescale only thanks to them.
        # ICPC 15 working days after the section 47 start; a neglect plan ended in the year.
        ChildSpec(
            "HANDA002",
            D(2016, 1, 1),
            [
                EpisodeSpec(
                    D(2024, 11, 15),
                    D(2025, 2, 1),
                    assessments=[(D(2024, 11, 16), D(2025, 1, 22))],
                    s47=[(D(2024, 11, 20), D(2024, 12, 11), False)],
                    plans=[PlanSpec(D(2024, 12, 11), D(2025, 1, 31), "NEG")],
                )
            ],
        ),
        # Same referral day, assessed a day later: 46 working days (outside). ICPC 24 working
        # days after the enquiry (outside). An emotional-abuse plan (latest category neglect:
        # the initial one counts), a second plan by NumberOfPreviousCPP, reviewed on time.
        ChildSpec(
            "HANDA003",
            D(2017, 1, 1),
            [
                EpisodeSpec(
                    D(2024, 11, 15),
                    assessments=[(D(2024, 11, 16), D(2025, 1, 23))],
                    s47=[(D(2024, 11, 18), D(2024, 12, 20), False)],
                    plans=[
                        PlanSpec(D(2024, 12, 20), None, "EMO", "NEG", 1, reviews=[D(2025, 3, 10)])
                    ],
                )
            ],
        ),
        # Referred before the year, still open; a physical-abuse plan since 2022 whose third
        # review was late.
        ChildSpec(
            "HANDA004",
            D(2012, 1, 1),
            [
                EpisodeSpec(
                    D(2022, 1, 10),
                    plans=[
                        PlanSpec(
                            D(2022, 6, 1),
                            None,
                            "PHY",
                            reviews=[D(2022, 8, 25), D(2023, 2, 20), D(2023, 9, 1)],
                        )
                    ],
                )
            ],
        ),
        # A referral with no further action: a referral, never a child in need.
        ChildSpec("HANDA005", D(2010, 1, 1), [EpisodeSpec(D(2024, 5, 5), D(2024, 5, 5), True)]),
        # Closed on the reference date (not open at 31 March); a sexual-abuse plan that lasted
        # over two years and ended in the year, after an earlier plan ended in 2022.
        ChildSpec(
            "HANDA006",
            D(2011, 1, 1),
            [
                EpisodeSpec(
                    D(2022, 4, 1),
                    REF,
                    plans=[
                        PlanSpec(D(2022, 5, 1), D(2022, 10, 1), "NEG"),
                        PlanSpec(D(2023, 1, 15), D(2025, 3, 15), "SAB"),
                    ],
                )
            ],
        ),
        # A repeat plan known only from the earlier plan in the record (NumberOfPreviousCPP 0);
        # multiple categories; reviewed on time.
        ChildSpec(
            "HANDA007",
            D(2013, 1, 1),
            [
                EpisodeSpec(
                    D(2023, 5, 1),
                    plans=[
                        PlanSpec(D(2023, 6, 1), D(2023, 12, 1), "NEG"),
                        PlanSpec(D(2024, 9, 2), None, "MUL", reviews=[D(2024, 11, 25)]),
                    ],
                )
            ],
        ),
    ]
