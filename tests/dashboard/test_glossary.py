"""The glossary explains every statistical label the scorecard can produce."""

from dashboard.metrics import glossary, spc


def test_every_spc_label_has_an_explanation() -> None:
    labels = {t.label.lower() for t in glossary.TERMS}
    for needed in (
        "common cause",
        "special cause",
        "hit and miss",
        "consistently passing",
        "consistently failing",
        "process limits",
    ):
        assert any(needed in label for label in labels), needed
    assert spc.HIT_AND_MISS in glossary.term("hit_and_miss").label.lower()


def test_terms_are_unique_and_explained_in_sentences() -> None:
    keys = [t.key for t in glossary.TERMS]
    assert len(keys) == len(set(keys))
    for t in glossary.TERMS:
        assert t.meaning.endswith("."), t.key
        assert len(t.meaning.split()) >= 8, t.key
