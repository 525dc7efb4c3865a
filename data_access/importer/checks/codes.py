"""Checks that each row's codes are known: indicator, agency, locality and status symbol."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.importer.checks.cells import case, lookup, objects
from data_access.importer.checks.report import Report
from data_access.importer.lookups import Lookups
from data_access.models import GSS_SYMBOLS


@dataclass
class IndicatorCodes:
    text: pd.Series  # as written
    key: pd.Series  # upper case, the catalogue's key
    refs: pd.Series  # IndicatorRef per row, None where unknown
    blank: np.ndarray
    ids: pd.Series
    unit: np.ndarray  # '' where unknown


@dataclass
class AgencyCodes:
    text: pd.Series
    key: pd.Series
    refs: pd.Series  # AgencyRef per row, None where blank or unknown
    has: np.ndarray  # a code was given
    known: np.ndarray
    ids: pd.Series


@dataclass
class LocalityCodes:
    text: pd.Series
    key: pd.Series
    ids: pd.Series  # None where blank or unknown
    has: np.ndarray
    known: np.ndarray


@dataclass
class StatusSymbols:
    text: pd.Series  # lower case
    has: np.ndarray
    good: np.ndarray  # one of the GSS symbols


def _suggest(code: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(code.upper(), choices, n=1, cutoff=0.75)
    return f" Did you mean {close[0]}?" if close else ""


def _advice(codes: pd.Series, unknown: np.ndarray, choices: list[str], advice: str) -> np.ndarray:
    """Per row: the advice, plus 'Did you mean ...?' for unknown codes (each distinct code once)."""
    out = np.empty(len(codes), dtype=object)
    out.fill(advice)  # one string shared by every row (np.full would copy it for each)
    if unknown.any():
        hints = {code: _suggest(code, choices) for code in codes[unknown].unique()}
        out[unknown] = [advice + hints[c] for c in codes[unknown]]
    return out


def check_indicator_codes(text: pd.Series, lookups: Lookups, report: Report) -> IndicatorCodes:
    """No indicator code; an unknown one (with the closest known code suggested)."""
    key = case(text, "upper")
    refs = lookup(key, lookups.indicators)
    known = refs.notna().to_numpy()
    blank = (key == "").to_numpy()
    report.add(
        blank,
        "indicator_code",
        text,
        "No indicator code.",
        "Write the indicator's code, as listed on the template's Guidance sheet.",
    )
    unknown = ~known & ~blank
    report.add(
        unknown,
        "indicator_code",
        text,
        "Unknown indicator code.",
        _advice(key, unknown, sorted(lookups.indicators), "Use a code from the Guidance sheet."),
    )
    ids = refs.map(lambda r: r.id if r is not None else None)
    unit = objects([r.unit if r is not None else "" for r in refs])
    return IndicatorCodes(text=text, key=key, refs=refs, blank=blank, ids=ids, unit=unit)


def check_agency_codes(text: pd.Series, lookups: Lookups, report: Report) -> AgencyCodes:
    """An unknown agency code (with a suggestion); an inactive agency (a warning)."""
    key = case(text, "upper")
    refs = lookup(key, lookups.agencies)
    has = (text != "").to_numpy()
    known = refs.notna().to_numpy()
    unknown = has & ~known
    report.add(
        unknown,
        "agency_code",
        text,
        "Unknown agency code.",
        _advice(
            text,
            unknown,
            sorted(lookups.agencies),
            "Use an agency code from the template, or leave blank for the whole partnership.",
        ),
    )
    inactive = np.array([r is not None and not r.active for r in refs], dtype=bool)
    report.add(
        inactive,
        "agency_code",
        text,
        "This agency is marked inactive.",
        "Check the agency code; ask an administrator if the agency is active again.",
        severity="warning",
    )
    ids = refs.map(lambda r: r.id if r is not None else None)
    return AgencyCodes(text=text, key=key, refs=refs, has=has, known=known, ids=ids)


def check_locality_codes(text: pd.Series, lookups: Lookups, report: Report) -> LocalityCodes:
    """An unknown locality code (with a suggestion)."""
    key = case(text, "upper")
    ids = lookup(key, lookups.localities)
    has = (text != "").to_numpy()
    known = ids.notna().to_numpy()
    unknown = has & ~known
    report.add(
        unknown,
        "locality_code",
        text,
        "Unknown locality code.",
        _advice(
            text,
            unknown,
            sorted(lookups.localities),
            "Use a locality code from the Guidance sheet, or leave blank for all localities.",
        ),
    )
    return LocalityCodes(text=text, key=key, ids=ids, has=has, known=known)


def check_status_symbols(text: pd.Series, report: Report) -> StatusSymbols:
    """A status symbol that is not one of the Government Statistical Service's."""
    lower = case(text, "lower")
    has = (lower != "").to_numpy()
    good = lower.isin(GSS_SYMBOLS).to_numpy()
    report.add(
        has & ~good,
        "status_symbol",
        text,
        "Not a Government Statistical Service symbol.",
        "Use one of c (suppressed), k (rounds to 0), u (low reliability), "
        "x (not available), z (not applicable), or leave blank.",
    )
    return StatusSymbols(text=lower, has=has, good=good)
