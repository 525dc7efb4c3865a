"""AppTest: the board pack page for every role, on the sample data and on an empty store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.board_pack import jobs
from data_access import board_packs
from data_access.audit_log import recent_entries
from tests.support.signed_in import signed_in_app

ALLOWED = ["executive", "qa_officer", "admin"]


def open_page(role: str) -> AppTest:
    return signed_in_app("board_pack", role).run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("role", ALLOWED)
def test_allowed_roles_see_the_quarter_picker(module_sample_store, use_store, role: str) -> None:
    use_store(module_sample_store)
    at = open_page(role)
    assert not at.exception
    assert at.title[0].value == "Board pack"
    assert at.selectbox(key="pack_quarter").value
    assert at.button(key="pack_generate")


def test_youth_member_is_refused(module_sample_store, use_store) -> None:
    use_store(module_sample_store)
    at = open_page("youth_council")
    assert not at.exception
    assert at.error and "does not have access" in at.error[0].value
    assert not at.selectbox


@pytest.mark.parametrize("role", ALLOWED)
def test_empty_store_explains_what_is_missing(store, use_store, role: str) -> None:
    use_store(store)
    at = open_page(role)
    assert not at.exception
    text = texts(at)
    assert "no figures in the store yet" in text
    assert "No pack has been generated yet" in text


def test_generating_records_a_pack_that_downloads_unchanged(module_sample_store, use_store) -> None:
    use_store(module_sample_store)
    before = len(board_packs.list_packs(engine=module_sample_store))
    at = open_page("qa_officer")
    quarter = at.selectbox(key="pack_quarter").value
    at.checkbox(key="pack_format_pptx").uncheck().run()
    at.button(key="pack_generate").click().run()
    assert not at.exception
    # The pack is made in the background: the page shows its progress and stays usable.
    job_id, reused = at.session_state["board_pack_job"]
    assert not reused
    assert at.button(key="pack_generate").disabled
    assert at.selectbox(key="pack_quarter").value == quarter
    job = jobs.get(job_id)
    assert job is not None
    jobs.wait(job, timeout=600)
    at.run()
    assert not at.exception
    assert f"Pack for {quarter} generated" in texts(at)
    assert not at.button(key="pack_generate").disabled
    packs = board_packs.list_packs(engine=module_sample_store)
    assert len(packs) == before + 1
    newest = packs.iloc[0]
    assert newest["file_format"] == "pdf" and newest["generated_by"] == "qa.demo"
    assert newest["period_code"] == quarter
    content = board_packs.pack_bytes(engine=module_sample_store, pack_id=int(newest["id"]))
    assert content.startswith(b"%PDF") and board_packs.sha256_hex(content) == newest["checksum"]
    assert newest["checksum"] in texts(at)
    log = recent_entries(
        engine=module_sample_store, event="board_pack_generated", username="qa.demo"
    )
    assert len(log) >= 1
    # The past packs table lists it, with who and the checksum.
    table = at.dataframe[0].value
    assert newest["checksum"] in list(table["SHA-256 checksum"])


def test_no_format_chosen_disables_generation(module_sample_store, use_store) -> None:
    use_store(module_sample_store)
    at = open_page("admin")
    at.checkbox(key="pack_format_pdf").uncheck().run()
    at.checkbox(key="pack_format_pptx").uncheck().run()
    assert at.button(key="pack_generate").disabled
    assert "Choose at least one format." in texts(at)


def test_a_second_request_for_the_same_figures_reuses_the_pack(
    module_sample_store, use_store
) -> None:
    use_store(module_sample_store)
    jobs.forget_all()  # an earlier test's pack of the same figures would be reused
    at = open_page("admin")
    at.checkbox(key="pack_format_pdf").uncheck().run()
    at.button(key="pack_generate").click().run()
    first = jobs.get(at.session_state["board_pack_job"][0])
    assert first is not None
    jobs.wait(first, timeout=600)
    at.run()
    packs = board_packs.list_packs(engine=module_sample_store)

    other = open_page("executive")
    other.checkbox(key="pack_format_pdf").uncheck().run()
    other.button(key="pack_generate").click().run()
    assert not other.exception
    assert "board_pack_job" not in other.session_state  # nothing to wait for
    text = texts(other)
    assert "was already made from the same figures" in text and "admin.demo" in text
    assert len(board_packs.list_packs(engine=module_sample_store)) == len(packs)
    assert other.get("download_button")
