"""Issue 26 item 8: the pack's cover says what the quarter looked like.

The cover of the PDF and of the PowerPoint gives the headline measures' Green/Amber/Red counts and
the measures that need attention most, from the pack's model (`PackContent.glance`), which is
built from the quarter brief through `dashboard.metrics.glance` (the numbers meeting mode and the
overview show).
"""

from __future__ import annotations

import dataclasses
import io
import re

import sqlalchemy as sa
from pptx import Presentation

from dashboard.board_pack import content
from dashboard.board_pack.model import QuarterGlance
from dashboard.board_pack.pdf import build_html
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.metrics import brief
from dashboard.metrics.glance import COUNTED, quarter_glance
from data_access.indicators import periods_with_data
from tests.support.pack_factory import hand_built_content

GLANCE = QuarterGlance(
    counts=(
        ("Green: on target", 9),
        ("Amber: close to target", 4),
        ("Red: missing target", 3),
        ("No target (context)", 2),
    ),
    counts_sentence=(
        "Of 18 headline measures with a figure, 9 are green (on target), 4 amber (close to "
        "target), 3 red (missing target) and 2 have no target."
    ),
    attention_sentence="3 headline measures need attention:",
    attention=(
        "Contacts decided within one working day (red, 79.1%)",
        "Re-referrals within 12 months (red, 24.0%)",
        "Assessments within 45 working days (amber, 84.2%)",
    ),
)


def test_the_model_cover_is_the_glance_meeting_mode_shows(sample_store: sa.Engine) -> None:
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-1])
    pack = content.assemble(engine=sample_store, period_code=quarter, generated_by="test")
    assert pack.glance is not None
    # Meeting mode and the overview read the headline-only brief; the pack the whole brief.
    glance = quarter_glance(
        brief.quarter_brief(engine=sample_store, period_code=quarter, headline_only=True)
    )
    assert dict(pack.glance.counts) == {label: glance.counts[rag] for rag, label in COUNTED}
    assert pack.glance.counts_sentence == glance.counts_sentence()
    assert pack.glance.attention == tuple(glance.attention_names())
    assert pack.glance.attention_sentence == glance.attention_heading()
    # The sentence's numbers are the counts.
    numbers = [
        int(n) for n in re.findall(r"(\d+) (?:is|are|amber|red|has|have)", glance.counts_sentence())
    ]
    assert numbers[:3] == [glance.counts["green"], glance.counts["amber"], glance.counts["red"]]


def test_the_pdf_cover_says_what_the_quarter_looked_like() -> None:
    pack = dataclasses.replace(hand_built_content(charts=False), glance=GLANCE)
    html = build_html(pack)
    cover = html[html.index('<section class="cover">') : html.index("</section>")]
    assert "The quarter at a glance" in cover
    for label, count in GLANCE.counts:
        assert f'<th scope="col">{label}</th>' in cover and f"<td>{count}</td>" in cover
    assert GLANCE.counts_sentence in cover and GLANCE.attention_sentence in cover
    for item in GLANCE.attention:
        assert f"<li>{item}</li>" in cover


def test_the_powerpoint_cover_says_what_the_quarter_looked_like() -> None:
    pack = dataclasses.replace(hand_built_content(charts=False), glance=GLANCE)
    slides = Presentation(io.BytesIO(build_pptx(pack))).slides
    cover = "\n".join(shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)
    assert GLANCE.counts_sentence in cover and GLANCE.attention_sentence in cover
    for item in GLANCE.attention:
        assert item in cover


def test_a_pack_without_a_glance_keeps_its_plain_cover() -> None:
    pack = hand_built_content(charts=False)
    assert pack.glance is None
    assert "<h2>The quarter at a glance</h2>" not in build_html(pack)
