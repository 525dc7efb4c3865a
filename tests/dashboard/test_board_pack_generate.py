"""The board pack from a seeded store: PDF and PPTX structure, provenance, freezing, empty store."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from dashboard.board_pack import content as pack_content  # noqa: E402
from dashboard.board_pack.generate import (  # noqa: E402
    GeneratedPack,
    PackUnavailable,
    file_name_for,
    generate_packs,
)
from data_access import board_packs, catalogue  # noqa: E402
from data_access.audit_log import recent_entries  # noqa: E402
from data_access.db import session_scope  # noqa: E402
from data_access.periods import Quarter  # noqa: E402
from data_access.reference import ensure_periods  # noqa: E402
from tests.support.pack_seed import PERIOD, TODAY, seed_pack_store

GENERATED_AT = dt.datetime(2025, 11, 23, 10, 0)
THEME_NAMES = [t.name for t in catalogue.themes()]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> sa.Engine:
    from data_access import migrate
    from data_access.db import engine_for
    from data_access.reference import sync_catalogue

    path = tmp_path_factory.mktemp("pack") / "pack.db"
    engine = engine_for(f"sqlite:///{path.as_posix()}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    seed_pack_store(engine)
    return engine


@pytest.fixture(scope="module")
def packs(seeded: sa.Engine) -> dict[str, GeneratedPack]:
    result = generate_packs(
        engine=seeded,
        period_code=PERIOD,
        generated_by="qa.demo",
        generated_at=GENERATED_AT,
        today=TODAY,
    )
    assert isinstance(result, list), result
    return {pack.file_format: pack for pack in result}


def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_pdf_has_cover_contents_every_theme_and_real_text(packs: dict[str, GeneratedPack]) -> None:
    reader = PdfReader(io.BytesIO(packs["pdf"].content))
    # cover, contents, scorecard, 5 themes (at least one page each), actions, S11, challenges, log
    assert len(reader.pages) >= 12
    text = _pdf_text(reader)
    for name in THEME_NAMES + [
        "Contents",
        "Overview scorecard",
        "Overdue audit actions",
        "Section 11 summary",
        "Open youth council challenges",
        "Brookvale Safeguarding Children Partnership",
        "2025-26 Q2",
    ]:
        assert name in text, name
    assert reader.metadata is not None and reader.metadata.title is not None
    assert "board pack" in reader.metadata.title and PERIOD in reader.metadata.title


def test_pdf_embeds_chart_images(packs: dict[str, GeneratedPack]) -> None:
    reader = PdfReader(io.BytesIO(packs["pdf"].content))
    images = [image for page in reader.pages for image in page.images]
    # three key charts for each of the five themes
    assert len(images) >= 3 * len(THEME_NAMES)


def test_every_pdf_page_footer_states_cutoff_and_the_appendix_lists_submissions(
    packs: dict[str, GeneratedPack], seeded: sa.Engine
) -> None:
    cutoff = board_packs.data_cutoff(engine=seeded, period_code=PERIOD)
    reader = PdfReader(io.BytesIO(packs["pdf"].content))
    expected_cutoff = f"Data cut-off {cutoff.cutoff:%d %b %Y}"
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert expected_cutoff in text, number
        assert f"Page {number} of {pages}" in text, number
        assert "Brookvale Safeguarding Children Partnership" in text, number
        if number < pages:
            assert "Submission ids" not in text and "draws on" not in text, number
    appendix = reader.pages[-1].extract_text() or ""
    assert "Where these figures come from" in appendix
    assert cutoff.id_ranges in appendix and "Submissions drawn on" in appendix
    assert "qa.demo" in appendix and "23 Nov 2025" in appendix


def test_pdf_shows_overdue_actions_challenges_and_no_challenge_author(
    packs: dict[str, GeneratedPack],
) -> None:
    text = _pdf_text(PdfReader(io.BytesIO(packs["pdf"].content)))
    assert "Share strategy minutes within 2 days" in text
    assert "How do you listen to young people" in text
    assert "youth.member7" not in text
    assert "Report back on police notifications" in text


def _slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def test_pptx_is_16_9_with_a_title_and_content_on_every_slide(
    packs: dict[str, GeneratedPack],
) -> None:
    deck = Presentation(io.BytesIO(packs["pptx"].content))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    slides = list(deck.slides)
    assert len(slides) >= 2 + 1 + 3 * len(THEME_NAMES) + 3
    for index, slide in enumerate(slides, start=1):
        title = _slide_title(slide)
        assert title.strip(), f"slide {index} has no title"
        others = [s for s in slide.shapes if s != slide.shapes.title and s.name != "Footer"]
        texts = [s for s in others if s.has_text_frame and s.text_frame.text.strip()]
        assert texts or [s for s in others if not s.has_text_frame], f"slide {index} is empty"
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width, (index, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (index, shape.name)


def test_pptx_covers_every_theme_and_embeds_pictures_with_alt_text(
    packs: dict[str, GeneratedPack],
) -> None:
    deck = Presentation(io.BytesIO(packs["pptx"].content))
    titles = [_slide_title(s) for s in deck.slides]
    for name in THEME_NAMES:
        assert any(t.startswith(name) for t in titles), name
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) >= 3 * len(THEME_NAMES)
    for picture in pictures:
        assert picture._element.nvPicPr.cNvPr.get("descr"), picture.name
    assert deck.core_properties.title.endswith(PERIOD)


def test_generated_packs_are_recorded_and_download_byte_for_byte(
    packs: dict[str, GeneratedPack], seeded: sa.Engine
) -> None:
    for pack in packs.values():
        assert pack.pack_id is not None
        stored = board_packs.fetch_pack(engine=seeded, pack_id=pack.pack_id)
        assert stored is not None
        assert stored.content == pack.content
        assert stored.checksum == pack.checksum == board_packs.sha256_hex(stored.content)
        assert stored.generated_by == "qa.demo" and stored.period_code == PERIOD
    listed = board_packs.list_packs(engine=seeded)
    assert {packs["pdf"].pack_id, packs["pptx"].pack_id} <= set(listed["id"])
    assert len(recent_entries(engine=seeded, event="board_pack_generated")) >= 2


def test_unrecorded_generation_keeps_nothing(seeded: sa.Engine) -> None:
    before = len(board_packs.list_packs(engine=seeded))
    result = generate_packs(
        engine=seeded, period_code=PERIOD, generated_by="qa.demo", formats=("pptx",), record=False
    )
    assert isinstance(result, list) and result[0].pack_id is None
    assert len(board_packs.list_packs(engine=seeded)) == before


def test_empty_store_explains_what_is_missing(store: sa.Engine) -> None:
    result = generate_packs(engine=store, period_code="2025-26 Q2", generated_by="qa.demo")
    assert isinstance(result, PackUnavailable)
    assert "no reporting period 2025-26 Q2" in result.message
    assert board_packs.list_packs(engine=store).empty


def test_period_without_figures_explains_what_is_missing(store: sa.Engine) -> None:
    with session_scope(store) as session:
        ensure_periods(session, [Quarter(2025, 2)])
    result = generate_packs(engine=store, period_code="2025-26 Q2", generated_by="qa.demo")
    assert isinstance(result, PackUnavailable)
    assert "No indicator figures have been loaded" in result.message


@pytest.mark.parametrize("bad", ["Q2 2025", "2025-27 Q1"])
def test_bad_quarter_or_format_is_explained(store: sa.Engine, bad: str) -> None:
    result = generate_packs(engine=store, period_code=bad, generated_by="qa.demo")
    assert isinstance(result, PackUnavailable) and "not a reporting period" in result.message
    result = generate_packs(
        engine=store, period_code="2025-26 Q2", generated_by="qa.demo", formats=("docx",)
    )
    assert isinstance(result, PackUnavailable) and "not a pack format" in result.message


def test_theme_section_has_tiles_charts_narrative_and_summary(seeded: sa.Engine) -> None:
    section = pack_content.theme_section(
        engine=seeded, theme_code="mash", period_code=PERIOD, today=TODAY
    )
    assert section.name == "MASH (front door)"
    assert 1 <= len(section.tiles) <= 4
    assert 2 <= len(section.charts) <= 3
    assert all(chart.alt_text and chart.spec for chart in section.charts)
    assert 2 <= len(section.narrative) <= 4
    assert section.assurance is not None
    assert section.assurance.source == "MASH Steering Group, 14 Oct 2025"
    assert section.decisions is not None and len(section.decisions.rows) == 1


def test_file_names_are_safe_and_say_the_quarter() -> None:
    name = file_name_for(
        "Brookvale Safeguarding Children Partnership", "2025-26 Q2", "pdf", GENERATED_AT
    )
    assert name == "brookvale-scp-board-pack-2025-26-q2-20251123-1000.pdf"
