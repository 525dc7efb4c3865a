"""Issue 26 item 8: the executive's first screen gives the quarter at a glance before any prose.

The Green/Amber/Red counts and the measures needing attention most come first on the overview,
and they are the numbers meeting mode shows (both read `dashboard.metrics.glance` over the one
quarter brief; nothing counts RAG ratings itself).
"""

from __future__ import annotations

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.metrics import brief
from dashboard.metrics.glance import COUNTED, quarter_glance
from data_access.indicators import periods_with_data
from tests.support.signed_in import signed_in_app
from tests.support.theme_apptest import app_for


def in_order(at: AppTest) -> list[tuple[str, str]]:
    """The main area's elements in page order, as (type, text) pairs."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for index in sorted(children):
                walk(children[index])
            return
        kind = getattr(node, "type", "")
        if kind == "metric":
            found.append(("metric", f"{node.label}={node.value}"))
        elif hasattr(node, "value") and isinstance(getattr(node, "value", None), str):
            found.append((kind, node.value))

    walk(at.main)
    return found


def metrics(at: AppTest, labels: list[str]) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric if m.label in labels}


def test_the_overview_opens_with_the_rag_counts_before_any_prose(
    sample_store: sa.Engine, use_store
) -> None:
    use_store(sample_store)
    at = app_for("overview", "executive").run()
    assert not at.exception, [e.value for e in at.exception]
    order = in_order(at)
    kinds = [kind for kind, _ in order]
    # The title, the glance's heading, then the four counts: no paragraph, caption, notice or
    # link comes before them.
    first_metric = kinds.index("metric")
    before = [(k, t) for k, t in order[:first_metric] if k not in ("title",)]
    assert [k for k, _ in before] == ["header"], before
    assert before[0][1].startswith("The quarter at a glance")
    assert kinds[first_metric : first_metric + len(COUNTED)] == ["metric"] * len(COUNTED)
    prose = [i for i, (k, _) in enumerate(order) if k in ("markdown", "caption")]
    assert min(prose) > first_metric + len(COUNTED) - 1

    # The numbers are the brief's, through the one glance.
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-1])
    card = brief.quarter_brief(engine=sample_store, period_code=quarter, headline_only=True)
    glance = quarter_glance(card)
    labels = [label for _, label in COUNTED]
    assert metrics(at, labels) == {label: glance.counts[rag] for rag, label in COUNTED}
    assert sum(glance.counts.values()) > 0
    # The measures needing attention most are named right after the counts.
    names = list(glance.top_attention["name"])
    assert names
    shown = "\n".join(t for _, t in order)
    for name in names:
        assert f"**{name}**" in shown


def test_the_overview_counts_are_the_numbers_meeting_mode_shows(
    sample_store: sa.Engine, use_store
) -> None:
    use_store(sample_store)
    overview = app_for("overview", "executive").run()
    meeting = signed_in_app("meeting_mode", "executive").run()
    assert not overview.exception and not meeting.exception
    labels = [label for _, label in COUNTED]
    on_overview, in_meeting = metrics(overview, labels), metrics(meeting, labels)
    assert on_overview == in_meeting and len(on_overview) == len(COUNTED)

    # The same measures need attention most, in the same order.
    def attention(at: AppTest) -> list[str]:
        return [
            m.value.split("**")[1]
            for m in at.markdown
            if m.value.count("**") >= 2 and "): " in m.value and "</span>" in m.value
        ]

    assert attention(meeting)
    assert attention(overview)[: len(attention(meeting))] == attention(meeting)


def test_glance_counts_words_agree_with_the_counts(sample_store: sa.Engine) -> None:
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-1])
    glance = quarter_glance(brief.quarter_brief(engine=sample_store, period_code=quarter))
    sentence = glance.counts_sentence()
    assert f"Of {glance.measures} headline measures" in sentence
    for rag, word in (("green", "green"), ("amber", "amber"), ("red", "red")):
        assert f"{glance.counts[rag]} " in sentence and word in sentence
    heading = glance.attention_heading()
    assert str(len(glance.attention)) in heading
