"""The quarter at a glance: how many headline measures are green, amber and red, and the few that
need attention most, read from the one quarter brief (`dashboard.metrics.brief`).

Meeting mode's overview screen, the overview page's first screen and the board pack's cover all
show these numbers; none of them counts RAG ratings itself, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard import needs_attention

# How many measures needing attention a first screen or a cover names (the rest are a click away).
MAX_ATTENTION_ITEMS = 6

# The ratings counted, in the order shown, with the words each surface uses.
COUNTED: tuple[tuple[str, str], ...] = (
    (ragmod.GREEN, "Green: on target"),
    (ragmod.AMBER, "Amber: close to target"),
    (ragmod.RED, "Red: missing target"),
    (ragmod.NO_TARGET, "No target (context)"),
)


@dataclass(frozen=True)
class Glance:
    """The counts of headline measures by RAG rating and the measures that need attention."""

    counts: dict[str, int]  # green, amber, red, no target -> how many headline measures
    not_judged: int  # a bound ("more than 40%") that could fall either side of the target
    no_data: int  # no figure for the quarter
    attention: pd.DataFrame  # the brief's rows that need attention, most severe first (all)
    has_figures: bool  # at least one headline measure has a figure this quarter
    limit: int = MAX_ATTENTION_ITEMS

    @property
    def top_attention(self) -> pd.DataFrame:
        return self.attention.head(self.limit)

    @property
    def measures(self) -> int:
        """Headline measures with a figure this quarter."""
        return sum(self.counts.values()) + self.not_judged

    def counts_sentence(self) -> str:
        """'Of 24 headline measures with a figure, 10 are green (on target), 6 amber (close to
        target), 5 red (missing target) and 3 have no target.'"""
        green, amber, red, context = (self.counts[rag] for rag, _ in COUNTED)
        parts = [
            f"{green} {'is' if green == 1 else 'are'} green (on target)",
            f"{amber} amber (close to target)",
            f"{red} red (missing target)",
        ]
        last = f"{context} {'has' if context == 1 else 'have'} no target"
        if self.not_judged:
            parts.append(last)
            last = f"{self.not_judged} {'is' if self.not_judged == 1 else 'are'} not judged"
        plural = "measure" if self.measures == 1 else "measures"
        return f"Of {self.measures} headline {plural} with a figure, " + (
            ", ".join(parts) + f" and {last}."
        )

    def attention_names(self) -> list[str]:
        """'Contacts decided within one working day (red, 79.1%)' for the top measures."""
        return [
            f"{row.name} ({_rag_word(str(row.rag))}, {row.display_value})"
            for row in self.top_attention.itertuples(index=False)
        ]

    def attention_heading(self) -> str:
        """'5 measures need attention:' ('9 ...; the 6 most pressing:'), or that none does."""
        if self.attention.empty:
            return (
                "No headline measure is red, shows concerning variation or is consistently "
                "failing its target."
            )
        count, shown = len(self.attention), len(self.top_attention)
        return (
            f"{count} headline {'measure needs' if count == 1 else 'measures need'} attention"
            + (f"; the {shown} most pressing" if count > shown else "")
            + ":"
        )

    def attention_sentence(self) -> str:
        """The heading and the measures, as one sentence."""
        if self.attention.empty:
            return self.attention_heading()
        return f"{self.attention_heading()} {'; '.join(self.attention_names())}."


def _rag_word(rag: str) -> str:
    return ragmod.RAG_WORDS.get(rag, rag).lower()


def headline_rows(brief: pd.DataFrame) -> pd.DataFrame:
    """The brief's headline measures (every row when the brief was read headline-only)."""
    if brief.empty or "headline" not in brief.columns:
        return brief
    return brief[brief["headline"].astype(bool)]


def quarter_glance(brief: pd.DataFrame, *, limit: int = MAX_ATTENTION_ITEMS) -> Glance:
    """The glance of a quarter from its brief (`brief.quarter_brief`, headline-only or not)."""
    headline = headline_rows(brief)
    counts_all = headline["rag"].value_counts() if not headline.empty else pd.Series(dtype=int)
    counts = {rag: int(counts_all.get(rag, 0)) for rag, _ in COUNTED}
    attention = needs_attention(headline) if not headline.empty else headline
    return Glance(
        counts=counts,
        not_judged=int(counts_all.get(ragmod.NOT_JUDGED, 0)),
        no_data=int(counts_all.get(ragmod.NO_DATA, 0)),
        attention=attention,
        has_figures=bool(not headline.empty and headline["value"].notna().any()),
        limit=limit,
    )
