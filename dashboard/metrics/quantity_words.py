"""Quantity words ("nearly every", "most", "about three in four", "a few") and the counts they fit.

Every quantity word the product writes about a count comes from `quantity_phrase`, and every
quantity word a sentence contains (the product's own, or a finding typed by staff) is checked
against its counts with `word_fits`. The thresholds live here and nowhere else; README.md's
"How verdicts are computed" repeats them.

`quantity_phrase(part, whole)` (share = part / whole):

| share                       | phrase                 |
|-----------------------------|------------------------|
| 0                           | "none"                 |
| 1 (part = whole)            | "all"                  |
| 0.85 or more (below 1)      | "nearly all"           |
| 0.70 to below 0.85          | "about three in four"  |
| 0.60 to below 0.70          | "about two in three"   |
| 0.40 to below 0.60          | "about half"           |
| 0.30 to below 0.40          | "about one in three"   |
| 0.20 to below 0.30          | "about one in four"    |
| above 0 to below 0.20       | "a few"                |

`word_fits(word, part, whole)` accepts a wider band for each word, so a writer's rounding is
not a contradiction, but a word that says the opposite of the counts is:

| words                                                      | fit when                     |
|------------------------------------------------------------|------------------------------|
| none, no, never                                            | part = 0                     |
| all, every, each, always, everyone                         | part = whole                 |
| nearly/almost every, all, always, everyone; virtually all  | share 0.85 or more           |
| most, mostly, usually, the majority                        | share above 0.5              |
| (about/around/roughly) three in four, three quarters       | share 0.70 to 0.85           |
| (about/around/roughly) two in three, two thirds            | share 0.58 to 0.75           |
| (about/around/roughly) half                                | share 0.40 to 0.60           |
| (about/around/roughly) one in three, a third               | share 0.25 to 0.42           |
| (about/around/roughly) one in four, a quarter              | share 0.15 to 0.30           |
| some, several                                              | part 1 or more, share 0.60 or less (several: part 2 or more) |
| a few, few, a minority                                     | part 1 or more (a minority: 0 or more), share 0.35 or less (a minority: below 0.5) |
| rarely, seldom, hardly any, hardly ever                    | share 0.20 or less           |

Every phrase `quantity_phrase` writes fits by `word_fits` (tests/dashboard/test_quantity_words.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = Callable[[int, int], bool]


def _share_between(low: float, high: float) -> Rule:
    return lambda part, whole: low - 1e-9 <= part / whole <= high + 1e-9


def _words_about(*cores: str) -> list[str]:
    return [f"{prefix}{core}" for core in cores for prefix in ("about ", "around ", "roughly ", "")]


# Longest phrases first, so "nearly every" is read before "every".
_RULES: list[tuple[str, Rule]] = []
for _word in ("nearly every", "almost every", "nearly all", "almost all", "virtually all"):
    _RULES.append((_word, _share_between(0.85, 1.0)))
for _word in ("nearly always", "almost always", "nearly everyone", "almost everyone"):
    _RULES.append((_word, _share_between(0.85, 1.0)))
for _word in _words_about("three in four", "three quarters", "three-quarters"):
    _RULES.append((_word, _share_between(0.70, 0.85)))
for _word in _words_about("two in three", "two thirds", "two-thirds"):
    _RULES.append((_word, _share_between(0.58, 0.75)))
for _word in _words_about("one in three", "a third"):
    _RULES.append((_word, _share_between(0.25, 0.42)))
for _word in _words_about("one in four", "a quarter"):
    _RULES.append((_word, _share_between(0.15, 0.30)))
for _word in _words_about("half"):
    _RULES.append((_word, _share_between(0.40, 0.60)))
for _word in ("the majority", "most", "mostly", "usually"):
    _RULES.append((_word, lambda part, whole: part / whole > 0.5))
for _word in ("hardly any", "hardly ever", "rarely", "seldom"):
    _RULES.append((_word, _share_between(0.0, 0.20)))
_RULES.append(("a minority", lambda part, whole: part / whole < 0.5))
for _word in ("a few", "few"):
    _RULES.append((_word, lambda part, whole: part >= 1 and part / whole <= 0.35 + 1e-9))
_RULES.append(("several", lambda part, whole: part >= 2 and part / whole <= 0.60 + 1e-9))
_RULES.append(("some", lambda part, whole: part >= 1 and part / whole <= 0.60 + 1e-9))
for _word in ("everyone", "every", "each", "always", "all"):
    _RULES.append((_word, lambda part, whole: part == whole))
for _word in ("none", "never", "no"):
    _RULES.append((_word, lambda part, whole: part == 0))
_RULES.sort(key=lambda rule: -len(rule[0]))
RULES: dict[str, Rule] = dict(_RULES)

# Words that are quantity words only in some uses: found only by `find_quantity_words(...,
# strict=True)`. "no", "all", "each", "every", "some" and "half" are everyday words ("no figure",
# "all five teams", "every school") that rarely describe the cases a count is of.
LOOSE = frozenset({"no", "all", "each", "every", "everyone", "always", "some", "few", "half"})

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(w) for w, _ in _RULES) + r")\b",
    re.IGNORECASE,
)


def word_fits(word: str, part: int, whole: int) -> bool:
    """Whether `word` (a quantity word, any case) is a fair description of `part` of `whole`.

    Thresholds: the module's docstring. An unknown word raises KeyError; a whole of 0 (nothing
    to describe) fits no word; a part outside 0..whole fits no word.
    """
    rule = RULES[word.strip().lower()]
    if whole <= 0 or part < 0 or part > whole:
        return False
    return rule(part, whole)


def quantity_phrase(part: int, whole: int) -> str:
    """The product's words for `part` of `whole`: "none", "a few", "about half", "nearly all"...

    Bands in the module's docstring; "" when whole is 0 or the part is outside 0..whole.
    """
    if whole <= 0 or part < 0 or part > whole:
        return ""
    if part == 0:
        return "none"
    if part == whole:
        return "all"
    share = part / whole
    for low, phrase in (
        (0.85, "nearly all"),
        (0.70, "about three in four"),
        (0.60, "about two in three"),
        (0.40, "about half"),
        (0.30, "about one in three"),
        (0.20, "about one in four"),
    ):
        if share >= low:
            return phrase
    return "a few"


def find_quantity_words(text: str, *, strict: bool = False) -> list[str]:
    """The quantity words in `text`, lower case, in order (longest phrase wins where they overlap).

    Without `strict`, everyday words in `LOOSE` ("no", "all", "every"...) are skipped: they are
    quantity words in "every case" but not in "every school's lead was briefed".
    """
    found = [m.group(1).lower() for m in _PATTERN.finditer(text)]
    return found if strict else [w for w in found if w not in LOOSE]


def contradictions(text: str, part: int, whole: int) -> list[str]:
    """The quantity words in `text` that do not fit `part` of `whole` (empty when all fit)."""
    return [w for w in find_quantity_words(text) if not word_fits(w, part, whole)]


def contradiction_note(text: str, part: int, whole: int) -> str:
    """A QA officer's note when the words contradict the counts, "" when they agree.

    'The words say "nearly every" but it was seen in 1 of 7 cases (a few).'
    """
    wrong = contradictions(text, part, whole)
    if not wrong:
        return ""
    said = " and ".join(f'"{w}"' for w in dict.fromkeys(wrong))
    case = "case" if whole == 1 else "cases"
    return (
        f"The words say {said} but it was seen in {part} of {whole} {case} "
        f"({quantity_phrase(part, whole)})."
    )


_COUNTS = re.compile(r"\b(\d[\d,]*) of (\d[\d,]*)\b")


def stated_counts(sentence: str) -> list[tuple[int, int, int]]:
    """Every "N of M" a sentence states, as (position, N, M)."""
    return [
        (m.start(), int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")))
        for m in _COUNTS.finditer(sentence)
    ]


def sentence_problems(sentence: str) -> list[str]:
    """Quantity words in `sentence` that contradict the counts the same sentence states.

    Each quantity word is checked against the first "N of M" after it (else the last before it):
    "attended nearly every discussion sampled (seen in 1 of 7 cases)" is a problem. A sentence
    stating no counts has nothing to check here (its numbers are checked where it is written).
    """
    counts = stated_counts(sentence)
    if not counts:
        return []
    problems = []
    for match in _PATTERN.finditer(sentence):
        word = match.group(1).lower()
        if word in LOOSE:
            continue
        after = [c for c in counts if c[0] > match.start()]
        _, part, whole = after[0] if after else counts[-1]
        if not word_fits(word, part, whole):
            problems.append(
                f'"{word}" does not fit {part} of {whole} '
                f"({quantity_phrase(part, whole) or 'nothing to describe'}): {sentence}"
            )
    return problems
