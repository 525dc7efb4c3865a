"""The board pack generated from the sample partnership: structure of the PDF and the PPTX."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from pptx import Presentation
from pypdf import PdfReader

from dashboard.board_pack.generate import GeneratedPack, generate_packs
from data_access import board_packs, catalogue
from data_access.indicators import periods_with_data

THEME_NAMES = [t.name for t in catalogue.themes()]


@pytest.fixture(scope="module")
def latest_quarter(module_sample_store: sa.Engine) -> str:
    return str(periods_with_data(engine=module_sample_store)["code"].iloc[-1])


@pytest.fixture(scope="module")
def sample_packs(module_sample_store: sa.Engine, latest_quarter: str) -> dict[str, GeneratedPack]:
    result = generate_packs(
        engine=module_sample_store, period_code=latest_quarter, generated_by="qa.demo"
    )
    assert isinstance(result, list), result
    return {p.file_format: p for p in result}


def test_sample_pdf_structure(
    sample_packs: dict[str, GeneratedPack], latest_quarter: str, tmp_path: Path
) -> None:
    reader = PdfReader(io.BytesIO(sample_packs["pdf"].content))
    # cover + contents + scorecard + at least one page per theme + actions, S11, challenges, log
    assert len(reader.pages) >= 3 + len(THEME_NAMES) + 4
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for name in THEME_NAMES:
        assert text.count(name) >= 2, name  # in the contents and as a section
    assert latest_quarter in text
    assert "Data cut-off" in (reader.pages[-1].extract_text() or "")
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 2 * len(THEME_NAMES)
    assert reader.metadata is not None and latest_quarter in (reader.metadata.title or "")
    # No challenge author (a youth council member's user name) reaches the pack.
    assert "youth.demo" not in text


def test_sample_pptx_structure(sample_packs: dict[str, GeneratedPack]) -> None:
    deck = Presentation(io.BytesIO(sample_packs["pptx"].content))
    slides = list(deck.slides)
    assert len(slides) >= 2 + 1 + 2 * len(THEME_NAMES) + 3
    titles = []
    for number, slide in enumerate(slides, start=1):
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        assert title.strip(), f"slide {number} has no title"
        titles.append(title)
        body = [s for s in slide.shapes if s != slide.shapes.title and s.name != "Footer"]
        assert body, f"slide {number} has nothing but its title"
    for name in THEME_NAMES:
        assert any(t.startswith(name) for t in titles), name
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) >= 2 * len(THEME_NAMES)


def test_sample_packs_are_frozen_with_their_checksum(
    sample_packs: dict[str, GeneratedPack], module_sample_store: sa.Engine
) -> None:
    for pack in sample_packs.values():
        assert pack.pack_id is not None
        downloaded = board_packs.pack_bytes(engine=module_sample_store, pack_id=pack.pack_id)
        assert board_packs.sha256_hex(downloaded) == pack.checksum
        assert downloaded == pack.content


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_sample_pdf_page_renders(sample_packs: dict[str, GeneratedPack], tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(sample_packs["pdf"].content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "3", "-l", "3", str(path), str(tmp_path / "page")],
        check=True,
    )
    rendered = list(tmp_path.glob("page*.png"))
    assert len(rendered) == 1 and rendered[0].stat().st_size > 10_000
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "board-pack"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(rendered[0], artifacts / "sample-pack-page-3.png")


def test_the_schools_audit_is_in_the_section_11_part_of_both_packs(
    sample_packs: dict[str, GeneratedPack], module_sample_store: sa.Engine
) -> None:
    """Beside Section 11, both packs say how the schools' and colleges' audit (section 175/157)
    stands, with the counts the schools and colleges audit page shows."""
    from data_access import self_assessment

    found = self_assessment.latest_cycle(engine=module_sample_store, framework="education_175_157")
    assert found is not None
    counts = self_assessment.return_counts(engine=module_sample_store, cycle_id=found.id)
    said = (
        f"{counts.returned} of {counts.expected} schools and colleges have returned, "
        f"{counts.on_time} by the due date; {counts.not_returned} have not returned."
    )
    reader = PdfReader(io.BytesIO(sample_packs["pdf"].content))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert said in pdf_text
    deck = Presentation(io.BytesIO(sample_packs["pptx"].content))
    slide_text = " ".join(
        " ".join(shape.text_frame.text.split())
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert said in slide_text
    top = self_assessment.themes(engine=module_sample_store, cycle_id=found.id, limit=1)
    assert f"{top.iloc[0]['standard']} ({top.iloc[0]['not_met']} of" in pdf_text
