"""Plain-English sentences written from the figures by fixed templates (no language model).

Example: "Contacts with a decision within one working day fell to 78.0%, below the 90.0% target
for the third quarter running."
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.metrics import rag as ragmod
from dashboard.metrics import spc, youth_verdicts

ORDINALS = {
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
}
NUMBER_WORDS = {
    0: "none",
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


def ordinal(n: int) -> str:
    """'second', 'third' ... then '13th'."""
    if n in ORDINALS:
        return ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def number_word(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def target_run(values: Sequence[Any], target: Any, polarity: str) -> int:
    """How many quarters in a row, up to the latest, share the latest quarter's met/missed status.

    THE run-length rule, used by every screen and the pack: `values` are consecutive quarters
    ending with the selected one (None for a quarter without a figure), taken from the
    indicator's whole history, not from a chart's display window. A quarter without a figure,
    or one that cannot be judged, ends the run. 0 when the latest quarter cannot be judged.
    """
    statuses = [ragmod.meets_target(v, target, polarity) for v in values]
    if not statuses or statuses[-1] is None:
        return 0
    run = 0
    for status in reversed(statuses):
        if status is not statuses[-1]:
            break
        run += 1
    return run


def run_text(values: Sequence[Any], target: Any, polarity: str, period: str = "quarter") -> str:
    """The run length as a table cell: "On target 12 quarters running", "Missing target (met
    last quarter)"; "" when there is no target or no figure. Same rule as the sentences.
    `period` names the points: "quarter", or "year" for annual figures."""
    run = target_run(values, target, polarity)
    if run == 0:
        return ""
    met = bool(ragmod.meets_target(values[-1], target, polarity))
    side = "On target" if met else "Missing target"
    if run >= 2:
        return f"{side} {run} {period}s running"
    before = ragmod.meets_target(values[-2], target, polarity) if len(values) >= 2 else None
    if before is None:
        return f"{side} this {period}"
    return f"{side} ({'missed' if met else 'met'} last {period})"


def indicator_sentence(
    name: str,
    unit: str,
    values: Sequence[Any],
    *,
    target: Any = None,
    polarity: str = "neutral",
    decimals: int | None = None,
    year_ago: Any = None,
    quarter_change: ragmod.Change | None = None,
    period: str = "quarter",
) -> str:
    """One sentence: the latest value, its direction since last quarter, and its target status.

    `values` are the indicator's values for consecutive quarters (None where a quarter has no
    figure), ending with the selected quarter; "last quarter" is `values[-2]`. The scorecard
    passes its own `quarter_change`, so the sentence and the change column are one verdict.
    `period` is "year" for annual figures (the points are then consecutive years).
    """
    if not values or ragmod.as_number(values[-1]) is None:
        return f"{name}: no figure for this {period}."
    latest = values[-1]
    value_text = ragmod.format_value(latest, unit, decimals)
    previous = values[-2] if len(values) >= 2 else None
    diff = quarter_change or ragmod.change(latest, previous, polarity)
    if diff.direction == "up":
        opening = f"{name} rose to {value_text}"
    elif diff.direction == "down":
        opening = f"{name} fell to {value_text}"
    elif diff.direction == "no change":
        opening = f"{name} stayed at {value_text}"
    else:
        opening = f"{name} was {value_text}"

    goal = ragmod.as_number(target)
    if goal is not None and polarity != "neutral":
        number = ragmod.as_number(latest) or 0.0
        position = "above" if number > goal else "below" if number < goal else "at"
        clause = f", {position} the {ragmod.format_value(goal, unit, decimals)} target"
        run = target_run(values, goal, polarity)
        if run >= 2:
            clause += f" for the {ordinal(run)} {period} running"
        met = ragmod.meets_target(latest, goal, polarity)
        if (
            run == 1
            and len(values) >= 2
            and ragmod.meets_target(previous, goal, polarity) is not None
        ):
            clause += (
                f" after meeting it last {period}"
                if not met
                else f" after missing it last {period}"
            )
        return opening + clause + "."
    before = ragmod.as_number(year_ago)
    if before is not None and period == "quarter":
        return (
            opening
            + f", compared with {ragmod.format_value(before, unit, decimals)} a year earlier."
        )
    return opening + "."


def spc_sentence(name: str, result: spc.XmRResult) -> str | None:
    """A sentence about a special-cause signal at the latest point, or None when there is none."""
    if not result.enough_data or result.variation in (spc.COMMON, spc.NOT_ENOUGH):
        return None
    rules = result.latest_rules
    reasons = []
    last = len(result.values) - 1
    for signal in result.signals:
        if last not in signal.points or signal.rule not in rules:
            continue
        side = "above" if signal.side == "high" else "below"
        if signal.rule == "shift":
            reasons.append(
                f"{number_word(len(signal.points))} quarters in a row {side} the average"
            )
        elif signal.rule == "trend":
            way = "rising" if signal.side == "high" else "falling"
            reasons.append(f"{number_word(len(signal.points))} quarters in a row {way}")
        elif signal.rule == "outside":
            reasons.append(f"the latest quarter {side} the process limit")
        elif signal.rule == "two_of_three":
            limit = "upper" if side == "above" else "lower"
            reasons.append(f"two of the last three quarters close to the {limit} limit")
    unique = list(dict.fromkeys(reasons))
    why = f": {' and '.join(unique[:2])}" if unique else ""
    return f"{name} shows {result.variation}{why}."


def summary_sentence(rags: Sequence[str]) -> str | None:
    """How many measures with a target are on target, close, or missing it."""
    judged = [r for r in rags if r in (ragmod.GREEN, ragmod.AMBER, ragmod.RED)]
    if not judged:
        return None
    green, amber, red = (judged.count(x) for x in (ragmod.GREEN, ragmod.AMBER, ragmod.RED))
    total = len(judged)
    noun = "measure" if total == 1 else "measures"
    parts = [f"{number_word(green)} on target"]
    if amber:
        parts.append(f"{number_word(amber)} close to it")
    parts.append(f"{number_word(red)} missing it")
    listing = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of {number_word(total)} headline {noun} with a target, {listing}."


def theme_narrative(scorecard: pd.DataFrame, max_sentences: int = 4) -> list[str]:
    """Two to four sentences about a set of scorecard rows (see `scorecard.build_scorecard`).

    Order: the overall target position; the measure that needs attention most, said as such and
    only if one does (`needs_attention`: red, concerning special cause or consistently failing),
    so a measure on target is never presented as a problem; a measure on target that needs no
    attention, said as going well (never one whose figure was held as unusual at import and
    confirmed: its jump is not a success to report); then a control-chart signal not already
    mentioned.
    """
    if scorecard.empty or scorecard["value"].isna().all():
        return [
            "No figures have been loaded for this quarter yet.",
            "Once partners' quarterly returns are loaded, this summary is written from them.",
        ]
    sentences: list[str] = []
    opening = summary_sentence(list(scorecard["rag"]))
    if opening:
        sentences.append(opening)
    with_data = scorecard[scorecard["value"].notna()]
    flagged = with_data[with_data["needs_attention"].astype(bool)].sort_values(
        ["severity", "sort_order"], ascending=[False, True]
    )
    mentioned: set[str] = set()
    if not flagged.empty:
        worst = flagged.iloc[0]
        sentences.append(
            f"Needs attention most ({worst['attention_reasons']}): {worst['sentence']}"
        )
        mentioned.add(worst["code"])
    elif opening:
        sentences.append(
            "No measure needs attention: none is red, shows concerning special cause variation "
            "or is consistently failing its target."
        )
    # One "going well" rule with the youth pages (`youth_verdicts.is_going_well`).
    good = with_data.loc[
        pd.Series(
            [
                youth_verdicts.is_going_well(row) and row["code"] not in mentioned
                for _, row in with_data.iterrows()
            ],
            index=with_data.index,
            dtype=bool,
        )
    ]
    if not good.empty:
        best = good.sort_values("sort_order").iloc[0]
        sentences.append(f"Going well: {best['sentence']}")
        mentioned.add(best["code"])
    ranked = with_data.sort_values(["severity", "sort_order"], ascending=[False, True])
    for _, row in ranked.iterrows():
        if isinstance(row["spc_sentence"], str) and row["code"] not in mentioned:
            mark = row.get("unusual_mark")
            sentences.append(
                row["spc_sentence"]
                if not isinstance(mark, str) or not mark
                else f"{row['spc_sentence'][:-1]} ({mark[0].lower()}{mark[1:]})."
            )
            mentioned.add(row["code"])
            break
    if len(sentences) < 2:
        # Context measures only (no targets): say what the first one did.
        first = with_data.sort_values("sort_order").iloc[0]
        if first["code"] not in mentioned:
            sentences.append(first["sentence"])
    if len(sentences) < 2:
        sentences.append("No headline measure shows an unusual pattern on its control chart.")
    return sentences[:max_sentences]
