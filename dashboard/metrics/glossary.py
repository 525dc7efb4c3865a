"""Plain explanations of the statistical and partnership terms the board reads.

Declared once: the overview, meeting mode, the theme pages and the board pack ("how to read this
pack") all explain a term with the same words, so nobody meets two definitions of one idea.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A term as it appears on screen, and one or two sentences a board member can read aloud."""

    key: str
    label: str
    meaning: str


TERMS: tuple[Term, ...] = (
    Term(
        "rag",
        "RAG (red, amber, green)",
        "Green means the figure meets its target; amber means it is close to the target (within "
        "the tolerance set for that measure); red means it misses the target by more than that. "
        'Not judged means the partner gave a bound ("more than 40%") that could fall either '
        "side of the target.",
    ),
    Term(
        "pp",
        "pp (percentage points)",
        "The difference between two percentages: 80% to 83% is a rise of 3 percentage points "
        "(3 pp), not 3%.",
    ),
    Term(
        "control_chart",
        "Control chart (XmR chart)",
        "A chart of a measure over time with its average and its process limits, used to tell a "
        "real change from the ups and downs every measure has. XmR stands for individual values "
        "(X) and their moving range (mR).",
    ),
    Term(
        "process_limits",
        "Process limits",
        "The range the measure would normally stay within if nothing about the work changes: the "
        "average plus or minus 2.66 times the average change from one quarter to the next.",
    ),
    Term(
        "common_cause",
        "Common cause variation",
        "The normal ups and downs of a measure: nothing unusual is happening, so there is no "
        "single reason to look for.",
    ),
    Term(
        "special_cause",
        "Special cause variation",
        "A pattern unlikely to happen by chance (a point outside the process limits, a long run "
        "on one side of the average, or a steady rise or fall), so something has changed. "
        "'Improving' or 'concerning' says whether the change is in the good or the bad direction.",
    ),
    Term(
        "consistently_passing",
        "Consistently passing",
        "The target lies outside the process limits on the good side: if nothing changes, the "
        "target will be met every quarter.",
    ),
    Term(
        "consistently_failing",
        "Consistently failing",
        "The target lies outside the process limits on the bad side: the target will not be met "
        "without a change in how the work is done.",
    ),
    Term(
        "hit_and_miss",
        "Hit and miss",
        "The target lies inside the process limits: it will be met in some quarters and missed in "
        "others by normal variation alone.",
    ),
    Term(
        "process_changed",
        "No assurance: process has changed",
        "The latest quarters show special cause variation, so the process has changed and "
        "process limits calculated before the change cannot say whether the target will be met "
        "(Making Data Count's assurance describes a stable process). Once the new level has "
        "settled, record the change in the process so the limits are recalculated from it.",
    ),
    Term(
        "baseline",
        "Baseline and rebasing",
        "The quarters whose figures set the average and the process limits. When the way the work "
        "is done changes on purpose, the limits are recalculated from that quarter on (a rebase).",
    ),
    Term(
        "england",
        "England",
        "The average for all local authorities in England, from the Department for Education's "
        "published statistics.",
    ),
    Term(
        "stat_neighbours",
        "Statistical neighbours",
        "The ten local authorities most like ours in population and need, as chosen by the "
        "Department for Education; comparing with them is fairer than with England as a whole.",
    ),
    Term(
        "quarter_running",
        "Quarters running",
        "How many quarters in a row, up to the one shown, the measure has been on the same side "
        "of its target.",
    ),
)

TERMS_BY_KEY = {term.key: term for term in TERMS}


def term(key: str) -> Term:
    """The glossary entry for `key` (KeyError if it is not declared)."""
    return TERMS_BY_KEY[key]


def explain(*keys: str) -> list[Term]:
    """The entries for `keys`, in the order given."""
    return [TERMS_BY_KEY[key] for key in keys]
