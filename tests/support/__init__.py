"""Helpers for the test suite: everything that is neither a test nor a fixture.

Test modules and conftest files import from here (`from tests.support.theme_seed import ...`);
nothing here is collected by pytest, and no test module imports another test module or a conftest.

- paths.py: `ROOT`, the repository's top folder.
- postgres.py: a throwaway PostgreSQL database per test (behind `TEST_DATABASE_URL`).
- stores.py: a private copy of a SQLite store file (the sample store's copies).
- apptest_runtime.py: one component registry for every AppTest in the process (also used by
  benchmarks/bench_pages.py).
- Seeds, small stores built in code: theme_seed.py, annual_seed.py, assurance_seed.py,
  pack_seed.py, many_agencies.py; import_corpus/ (return files for the importer, and
  import_corpus/history.py: four years of history); pack_factory.py (a hand-built PackContent).
- AppTest: signed_in.py (a page opened as a signed-in role), theme_apptest.py (the theme pages),
  data_management_page.py, one_truth.py (reading pages and packs), visible_text.py.
- browser.py: Playwright helpers and constants for tests/browser/ (sign_in, wait_for_app, the
  live server's pieces, the axe-core helpers).
- index_plans.py: what a migration's tests ask of a store's indexes and query plans.
"""
