"""Young people see what the partnership learned and changed only in approved plain words (the
youth text workflow): the youth themes page shows an approved "learning" text under the themes
its review concerns, never the staff learning summary, and nothing before approval."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import cache
from data_access import learning, youth_texts
from tests.support.signed_in import signed_in_app

PLAIN = "Staff now ask the family doctor before they decide what to do."


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)


def test_only_approved_learning_reaches_the_youth_page(writable_sample_store, use_store) -> None:
    engine = use_store(writable_sample_store)
    reviews = learning.learning_for_young_people(engine=engine).set_index("key")
    key = next(
        k
        for k in reviews.index
        if k.startswith("LR|LCSPR") and "mash" in reviews.loc[k, "theme_codes"]
    )
    staff = str(reviews.loc[key, "learning"])
    text_id = youth_texts.submit_text(
        engine=engine,
        username="qa.demo",
        subject="learning",
        subject_key=key,
        purpose="What the partnership learned",
        text=PLAIN,
    )
    before = page_text(signed_in_app("youth_themes", "youth_council").run())
    assert PLAIN not in before and staff not in before
    youth_texts.approve_text(engine=engine, username="admin.demo", text_id=text_id)
    cache.clear()  # as the Texts for young people page does after an approval
    at = signed_in_app("youth_themes", "youth_council").run()
    assert not at.exception
    after = page_text(at)
    assert "What the partnership learned and changed" in after
    assert PLAIN in after and staff not in after


def test_staff_write_a_learning_text_on_the_texts_page(writable_sample_store, use_store) -> None:
    engine = use_store(writable_sample_store)
    at = signed_in_app("youth_texts", "qa_officer").run()
    at.radio(key="yt_subject").set_value("learning").run()
    assert not at.exception
    key = str(at.selectbox(key="yt_learning_review").value)
    staff = str(
        learning.learning_for_young_people(engine=engine).set_index("key").loc[key, "learning"]
    )
    # The staff learning is shown to the writer as plain text, and is what they rewrite.
    assert staff in [t.value for t in at.text]
    at.text_area(key="yt_text").input(PLAIN)
    at.button(key="yt_save").click().run()
    assert not at.exception and not at.error
    waiting = youth_texts.list_texts(engine=engine, status="waiting")
    assert (waiting["subject_key"] == key).any()
