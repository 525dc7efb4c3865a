"""Warnings that a row's breakdown (agency, locality) is not one the catalogue expects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access import catalogue
from data_access.importer.checks.codes import AgencyCodes, LocalityCodes
from data_access.importer.checks.report import Report
from data_access.importer.lookups import Lookups


def check_breakdowns(
    indicator_refs: pd.Series, agencies: AgencyCodes, localities: LocalityCodes, report: Report
) -> None:
    """An agency figure for a partnership-wide indicator, an agency outside the sectors that
    report it, a locality figure for an indicator not broken down by locality (all warnings)."""
    # A plain list: a pandas map would turn a missing sector into NaN, which reads as true (and
    # once produced "Agencies in the nan sector" for an unknown agency code).
    sectors = [r.sector if r is not None else None for r in agencies.refs]
    unexpected_breakdown = []
    not_their_sector = []
    locality_not_declared = []
    for ref, sector, with_agency, with_locality in zip(
        indicator_refs, sectors, agencies.has, localities.has, strict=True
    ):
        if ref is None:
            unexpected_breakdown.append(False)
            not_their_sector.append(False)
            locality_not_declared.append(False)
            continue
        by_agency = "agency" in ref.breakdowns
        unexpected_breakdown.append(bool(with_agency and sector and not by_agency))
        not_their_sector.append(
            bool(with_agency and sector and by_agency and sector not in ref.reported_by)
        )
        locality_not_declared.append(bool(with_locality and "locality" not in ref.breakdowns))
    report.add(
        np.array(unexpected_breakdown, dtype=bool),
        "agency_code",
        agencies.text,
        "This indicator is reported for the partnership as a whole, not per agency.",
        "Leave agency_code blank unless the partnership asked for an agency figure.",
        severity="warning",
    )
    report.add(
        np.array(not_their_sector, dtype=bool),
        "agency_code",
        agencies.text,
        lambda i: f"Agencies in the {sectors[i]} sector are not expected to report this indicator.",
        "Check the indicator code; the figure will still be loaded.",
        severity="warning",
    )
    report.add(
        np.array(locality_not_declared, dtype=bool),
        "locality_code",
        localities.text,
        "This indicator is not normally broken down by locality.",
        "Check the locality code; the figure will still be loaded.",
        severity="warning",
    )


def check_submitting_agency(
    submitting_agency: str | None, lookups: Lookups, agencies: AgencyCodes, report: Report
) -> list[str]:
    """Rows for another agency than the one loading the file (warnings); the file-level notes."""
    notes: list[str] = []
    if submitting_agency:
        submitter = lookups.agencies.get(submitting_agency.strip().upper())
        if submitter is None:
            notes.append(
                f"There is no agency with code '{submitting_agency}', so the "
                "return will be recorded without an agency."
            )
        else:
            foreign = (
                agencies.has & agencies.known & (agencies.key != submitter.code.upper()).to_numpy()
            )
            report.add(
                foreign,
                "agency_code",
                agencies.text,
                f"The file is being loaded as {submitter.code}'s return but this row is "
                "for another agency.",
                "Check the agency code; the figure will still be loaded.",
                severity="warning",
            )
    return notes


@dataclass(frozen=True)
class AgencyScope:
    """The agencies a person may load figures for (an agency submitter's linked agencies)."""

    username: str
    codes: frozenset[str]  # upper case
    sectors: frozenset[str]  # the sectors of those agencies

    def may_load(self, agency_code: str | None, indicator_code: str | None) -> bool:
        """An agency's own row; or a partnership-wide row its template carries (one of these
        agencies is in the indicator's lead sector, the first that reports it)."""
        if agency_code:
            return agency_code.strip().upper() in self.codes
        spec = _specs().get((indicator_code or "").upper())
        return spec is not None and bool(spec.reported_by) and spec.reported_by[0] in self.sectors

    def describe(self) -> str:
        return ", ".join(sorted(self.codes)) or "no agency"


def _specs() -> dict[str, catalogue.IndicatorSpec]:
    return {spec.code.upper(): spec for spec in catalogue.indicators()}


def check_agency_scope(
    scope: AgencyScope | None,
    indicator_text: pd.Series,
    agencies: AgencyCodes,
    report: Report,
) -> None:
    """Rows for an agency the person loading the file is not linked to (errors, naming the row)."""
    if scope is None:
        return
    outside = np.array(
        [
            not scope.may_load(str(code) if has else None, str(indicator))
            for code, has, indicator in zip(
                agencies.text, agencies.has, indicator_text, strict=True
            )
        ],
        dtype=bool,
    )

    def problem(i: int) -> str:
        if agencies.has[i]:
            return (
                f"This row is for {agencies.text.iat[i]}, and {scope.username} is linked only "
                f"to {scope.describe()}, so it may not load this agency's figures."
            )
        return (
            f"This row is a partnership-wide figure that {scope.describe()} does not return, "
            f"so {scope.username} may not load it."
        )

    report.add(
        outside,
        "agency_code",
        agencies.text,
        problem,
        "Take the row out of the file (only your own agencies' rows are loaded), or ask a "
        "quality assurance officer to load it.",
    )
