"""Checking a return against the store without writing anything: the preview of a load.

A checked file is read, validated, and each valid row compared with the figure the store holds
for it (new, changed or unchanged); unusual figures are marked to be held for confirmation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import catalogue
from data_access.db import session_scope
from data_access.figure_outliers import median_of_others
from data_access.importer.checks.breakdowns import AgencyScope
from data_access.importer.checks.report import ISSUE_COLUMNS
from data_access.importer.lookups import Lookups, load_lookups
from data_access.importer.reading import FileProblem, read_table
from data_access.importer.validation import ValidationResult, validate_table
from data_access.models import IndicatorValue, Submission

# Indicator ids per IN (...) list when reading a series' history.
_CHUNK = 500
# What identifies a figure: a row and a stored figure with the same key are the same figure.
_KEY = ["indicator_id", "period_key", "agency_key", "locality_key"]
PREVIEW_COLUMNS = [
    "row",
    "indicator_code",
    "period_code",
    "agency_code",
    "locality_code",
    "value",
    "numerator",
    "denominator",
    "status_symbol",
    "qualifier",
    "comment",
    "change",
    "old_value",
    "old_status_symbol",
    "held",
    "hold_reason",
]

# A figure at least this many times (or at most 1/this of) the median of its own history is held.
OUTLIER_FACTOR = 10.0
# ...when that history is at least this large (small counts swing widely and honestly).
OUTLIER_MIN_LEVEL = 5.0


@dataclass
class PreviousLoad:
    submission_id: int
    submitted_at: dt.datetime
    submitted_by: str
    status: str

    def describe(self) -> str:
        return f"{self.submitted_at:%d %b %Y at %H:%M} by {self.submitted_by}"


@dataclass
class CheckedFile:
    """A file that has been read, checked and compared with the store; nothing written yet."""

    file_name: str
    checksum: str
    size_bytes: int
    submitting_agency: str | None
    validation: ValidationResult | None
    file_problem: FileProblem | None
    preview: pd.DataFrame  # the valid rows, each marked new / changed / unchanged
    previous_loads: list[PreviousLoad] = field(default_factory=list)

    @property
    def report(self) -> pd.DataFrame:
        """Every problem: one line per row and column, file-level problems first (row blank)."""
        lines = []
        if self.file_problem is not None:
            lines.append(
                {
                    "row": None,
                    "column": "",
                    "value": self.file_name,
                    "severity": "error",
                    "problem": self.file_problem.problem,
                    "what_to_do": self.file_problem.what_to_do,
                }
            )
        if self.validation is not None:
            lines += [
                {
                    "row": None,
                    "column": "",
                    "value": "",
                    "severity": "warning",
                    "problem": note,
                    "what_to_do": "No action needed if this is expected.",
                }
                for note in self.validation.file_notes
            ]
        head = pd.DataFrame(lines, columns=ISSUE_COLUMNS)
        if self.validation is None or self.validation.issues.empty:
            return head.astype({"row": "Int64"})
        body = self.validation.issues
        return pd.concat([head, body], ignore_index=True).astype({"row": "Int64"})

    @property
    def can_load_all(self) -> bool:
        return self.validation is not None and self.validation.ok

    @property
    def can_load_valid_rows(self) -> bool:
        return self.validation is not None and not self.validation.valid_rows.empty

    @property
    def summary(self) -> dict[str, int]:
        """Counts for the preview: rows, errors, indicators, agencies, periods, new/changed/same."""
        rows = self.validation.rows if self.validation is not None else pd.DataFrame()
        counts = self.preview["change"].value_counts() if len(self.preview) else pd.Series()
        valid = self.preview
        return {
            "rows": len(rows),
            "valid_rows": len(valid),
            "rows_with_errors": self.validation.error_rows if self.validation else 0,
            "not_given": len(self.validation.not_given) if self.validation else 0,
            "warnings": len(self.validation.warnings) if self.validation else 0,
            "indicators": int(valid["indicator_code"].nunique()) if len(valid) else 0,
            "agencies": int(valid["agency_code"].nunique()) if len(valid) else 0,
            "partnership_level_rows": int(valid["agency_code"].isna().sum()) if len(valid) else 0,
            "periods": int(valid["period_code"].nunique()) if len(valid) else 0,
            "new": int(counts.get("new", 0)),
            "changed": int(counts.get("changed", 0)),
            "unchanged": int(counts.get("unchanged", 0)),
            "held": int(valid["held"].sum()) if len(valid) and "held" in valid else 0,
        }

    @property
    def held_rows(self) -> pd.DataFrame:
        """Valid rows whose figure is unusual: loaded only when the officer confirms them."""
        if self.preview.empty or "held" not in self.preview:
            return self.preview.iloc[0:0]
        return self.preview[self.preview["held"].astype(bool)]

    def already_loaded_message(self) -> str | None:
        """'This file was already loaded on ... by ...; no figures changed' when that is so."""
        loaded = [p for p in self.previous_loads if p.status == "loaded"]
        summary = self.summary
        if loaded and summary["new"] == 0 and summary["changed"] == 0:
            return (
                f"This file was already loaded on {loaded[0].describe()} (submission "
                f"{loaded[0].submission_id}); no figures changed."
            )
        return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(
    *,
    engine: sa.Engine,
    file_name: str,
    data: bytes,
    submitting_agency: str | None = None,
    today: dt.date | None = None,
    scope: AgencyScope | None = None,
) -> CheckedFile:
    """Read, validate and compare a return with the store. Writes nothing.

    `scope` (an agency submitter's agencies) makes a row for any other agency an error.
    """
    checksum = sha256_hex(data)
    with session_scope(engine) as session:
        previous = _previous_loads(session, checksum)
        try:
            table = read_table(file_name, data)
        except FileProblem as problem:
            return CheckedFile(
                file_name,
                checksum,
                len(data),
                submitting_agency,
                None,
                problem,
                _empty_preview(),
                previous,
            )
        lookups = load_lookups(session, today=today)
        validation = validate_table(
            table, lookups, submitting_agency=submitting_agency, scope=scope
        )
        del table  # the raw cells: everything past here works from the checked rows
        if validation.rows.empty and validation.not_given:
            nothing_given = FileProblem(
                f"No figures were given: all {len(validation.not_given):,} row(s) have a blank "
                "value, numerator, denominator, status symbol and comment.",
                "Fill in the value (or a status symbol) on the rows for the figures you are "
                "sending, save the file and upload it again.",
            )
            return CheckedFile(
                file_name,
                checksum,
                len(data),
                submitting_agency,
                None,
                nothing_given,
                _empty_preview(),
                previous,
            )
        preview = compare_with_store(session, validation.valid_rows, lookups)
        preview = hold_unusual(session, preview)
        return CheckedFile(
            file_name, checksum, len(data), submitting_agency, validation, None, preview, previous
        )


def _previous_loads(session: so.Session, checksum: str) -> list[PreviousLoad]:
    rows = session.execute(
        sa.select(
            Submission.id, Submission.submitted_at, Submission.submitted_by, Submission.status
        )
        .where(Submission.checksum == checksum)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )
    return [PreviousLoad(r.id, r.submitted_at, r.submitted_by, r.status) for r in rows]


def _empty_preview() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PREVIEW_COLUMNS})


def _keyed(rows: pd.DataFrame, period_ids: dict[str, int]) -> pd.DataFrame:
    # A shallow copy: with copy-on-write (pandas 3) the new columns never reach `rows`.
    keyed = rows.copy(deep=False)
    # Periods not yet in the store get a negative key, one per period, so they can never match a
    # stored value and two new periods never share a key (a history load brings many).
    missing = sorted(set(keyed["period_code"].unique()) - set(period_ids))
    keys = {**period_ids, **{code: -(i + 1) for i, code in enumerate(missing)}}
    keyed["period_key"] = keyed["period_code"].map(keys).astype("int64")
    keyed["agency_key"] = pd.to_numeric(keyed["agency_id"]).fillna(0).astype("int64")
    keyed["locality_key"] = pd.to_numeric(keyed["locality_id"]).fillna(0).astype("int64")
    keyed["indicator_id"] = keyed["indicator_id"].astype("int64")
    return keyed


def _current_values(
    session: so.Session, indicator_ids: list[int], period_ids: list[int]
) -> pd.DataFrame:
    columns = [
        "old_id",
        "indicator_id",
        "period_key",
        "agency_key",
        "locality_key",
        "old_value",
        "old_numerator",
        "old_denominator",
        "old_status_symbol",
        "old_comment",
        "old_qualifier",
    ]
    if not indicator_ids or not period_ids:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    stmt = sa.select(
        IndicatorValue.id,
        IndicatorValue.indicator_id,
        IndicatorValue.period_id,
        sa.func.coalesce(IndicatorValue.agency_id, 0),
        sa.func.coalesce(IndicatorValue.locality_id, 0),
        IndicatorValue.value,
        IndicatorValue.numerator,
        IndicatorValue.denominator,
        IndicatorValue.status_symbol,
        IndicatorValue.comment,
        IndicatorValue.qualifier,
    ).where(
        IndicatorValue.is_current.is_(True),
        IndicatorValue.indicator_id.in_(indicator_ids),
        IndicatorValue.period_id.in_(period_ids),
    )
    current = pd.DataFrame(session.execute(stmt).all(), columns=columns)
    for column in ("old_id", "indicator_id", "period_key", "agency_key", "locality_key"):
        current[column] = current[column].astype("int64")
    for column in ("old_value", "old_numerator", "old_denominator"):
        current[column] = pd.to_numeric(current[column], errors="coerce").astype(float)
    return current


def _same(new: pd.Series, old: pd.Series) -> np.ndarray:
    a: np.ndarray = pd.to_numeric(new, errors="coerce").to_numpy(dtype=float)
    b: np.ndarray = pd.to_numeric(old, errors="coerce").to_numpy(dtype=float)
    both_missing = np.isnan(a) & np.isnan(b)
    same: np.ndarray = both_missing | (np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(b)))
    return same


def _history(session: so.Session, indicator_ids: list[int]) -> pd.DataFrame:
    """Every current figure of these indicators: the history an incoming figure is judged by."""
    columns = ["indicator_id", "agency_key", "locality_key", "period_key", "value"]
    if not indicator_ids:
        indicator_ids = []
    parts: list[sa.Row[int, int, int, int, float | None]] = []
    for start in range(0, len(indicator_ids), _CHUNK):
        chunk = indicator_ids[start : start + _CHUNK]
        parts += session.execute(
            sa.select(
                IndicatorValue.indicator_id,
                sa.func.coalesce(IndicatorValue.agency_id, 0),
                sa.func.coalesce(IndicatorValue.locality_id, 0),
                IndicatorValue.period_id,
                IndicatorValue.value,
            ).where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.value.is_not(None),
                IndicatorValue.indicator_id.in_(chunk),
            )
        ).all()
    history = pd.DataFrame(parts, columns=columns)
    for column in columns[:-1]:
        history[column] = history[column].astype("int64")
    history["value"] = pd.to_numeric(history["value"], errors="coerce").astype(float)
    return history


def hold_unusual(session: so.Session, preview: pd.DataFrame) -> pd.DataFrame:
    """Mark figures to hold for confirmation: outside the indicator's plausible range, or ten
    times (or a tenth of) the usual level of its series: the median of the store's figures for
    that indicator, agency and locality, or of the file's other periods when none is stored.

    A held figure is not an error (it may be right: a new service, a one-off event) but it is
    never loaded silently: the officer confirms it, or corrects the file.
    """
    # A shallow copy: the new columns never reach `preview` (copy-on-write in pandas 3; a new
    # column of a shallow copy in pandas 2), and the rows are not copied.
    out = preview.copy(deep=False)
    out["held"] = False
    out["hold_reason"] = ""
    if out.empty:
        return out
    specs = {spec.code: spec for spec in catalogue.indicators()}
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy(dtype=float)
    reasons: dict[int, list[str]] = {}  # position -> why it is held (few rows have any)
    low = (
        out["indicator_code"]
        .map(lambda c: specs[c].plausible_min if c in specs else None)
        .astype(float)
        .to_numpy()
    )
    high = (
        out["indicator_code"]
        .map(lambda c: specs[c].plausible_max if c in specs else None)
        .astype(float)
        .to_numpy()
    )
    with np.errstate(invalid="ignore"):
        outside = (value < low) | (value > high)
    for i in np.flatnonzero(outside):
        span = (
            f"{low[i]:,g} to {high[i]:,g}"
            if not np.isnan(low[i]) and not np.isnan(high[i])
            else f"at least {low[i]:,g}"
            if not np.isnan(low[i])
            else f"at most {high[i]:,g}"
        )
        reasons.setdefault(int(i), []).append(
            f"{value[i]:,g} is outside the range expected for this indicator ({span})."
        )
    # The usual level of each figure's series (indicator, agency, locality): the median of the
    # store's current figures for it, every stored period included (a file resending stored
    # quarters is judged by what is stored, not by itself); for a series the store does not
    # hold yet (a first load, a back-fill), the median of this file's other periods.
    key = ["indicator_id", "agency_key", "locality_key"]
    history = _history(session, sorted(int(i) for i in out["indicator_id"].unique()))
    stored = (
        history.dropna(subset=["value"])
        .groupby(key, sort=False)["value"]
        .agg(stored_level="median", stored_count="count")
        .reset_index()
    )
    incoming = out[key].merge(stored, on=key, how="left", validate="many_to_one")
    stored_level = incoming["stored_level"].to_numpy(dtype=float)
    stored_count = incoming["stored_count"].fillna(0).to_numpy(dtype=np.int64)
    groups = out.groupby(key, sort=False).ngroup().to_numpy()
    filled = ~np.isnan(value)
    file_level = np.full(len(out), np.nan)
    file_level[filled] = median_of_others(groups[filled], value[filled])
    from_store = ~np.isnan(stored_level)
    level = np.where(from_store, stored_level, file_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        far = (
            filled
            & (level >= OUTLIER_MIN_LEVEL)
            & ((value >= OUTLIER_FACTOR * level) | (value <= level / OUTLIER_FACTOR))
        )
    for i in np.flatnonzero(far):
        figure, usual = value[i], level[i]
        size = f"{figure / usual:,.0f} times" if figure >= usual else "less than a tenth of"
        basis = (
            f"the median of the {stored_count[i]:,} figure(s) stored for it is {usual:,g}"
            if from_store[i]
            else f"the median of this file's other periods for it is {usual:,g}"
        )
        reasons.setdefault(int(i), []).append(
            f"{figure:,g} is {size} the usual level of this figure ({basis})."
        )
    out["hold_reason"] = [" ".join(reasons.get(i, ())) for i in range(len(out))]
    out["held"] = [i in reasons for i in range(len(out))]
    return out


def compare_with_store(session: so.Session, rows: pd.DataFrame, lookups: Lookups) -> pd.DataFrame:
    """Mark each row new (no current figure), changed or unchanged, with the figure it replaces."""
    if rows.empty:
        return _empty_preview()
    keyed = _keyed(rows, lookups.periods)
    current = _current_values(
        session,
        sorted(int(i) for i in keyed["indicator_id"].unique()),
        sorted(int(p) for p in keyed["period_key"].unique() if p > 0),
    )
    merged = keyed.merge(current, on=_KEY, how="left", validate="one_to_one")
    has_old = merged["old_id"].notna().to_numpy()
    if not has_old.any():  # nothing stored for these figures yet: every one is new
        merged["change"] = "new"
        return merged

    def same_text(new: str, old: str) -> np.ndarray:
        equal: np.ndarray = merged[new].fillna("").astype(str).to_numpy(dtype=object) == merged[
            old
        ].fillna("").astype(str).to_numpy(dtype=object)
        return equal

    same = (
        _same(merged["value"], merged["old_value"])
        & _same(merged["numerator"], merged["old_numerator"])
        & _same(merged["denominator"], merged["old_denominator"])
        & same_text("status_symbol", "old_status_symbol")
        & same_text("comment", "old_comment")
        & same_text("qualifier", "old_qualifier")
    )
    merged["change"] = np.where(~has_old, "new", np.where(same, "unchanged", "changed"))
    return merged
