"""indexes for the data quality page's missing and late returns and the Section 11 counts

The missing-returns check asks, for each expected agency and quarter, whether a loaded
submission exists: without an index on the submission's agency and quarter the store grouped
every figure of the quarters to answer (456 ms on SQLite at the benchmark's scale 60; 25 ms as
index seeks). The late-returns check reads only the submissions received after each quarter's
cut-off (by quarter and time received) and asks whether an earlier one exists (the agency
index, with the time received in it): 87 ms -> 12 ms. The Section 11 counts read each return's
ratings: with the rating in the index they are read from it alone, not from the table (green
share by sector 49 ms -> 28 ms on SQLite at scale 60).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_submission_agency_period",
        "submission",
        ["agency_id", "period_id", "status", "submitted_at"],
    )
    op.create_index(
        "ix_submission_period_received", "submission", ["period_id", "status", "submitted_at"]
    )
    op.create_index(
        "ix_s11_rating_return_rating", "s11_rating", ["return_id", "standard_id", "rating"]
    )


def downgrade() -> None:
    op.drop_index("ix_s11_rating_return_rating", table_name="s11_rating")
    op.drop_index("ix_submission_period_received", table_name="submission")
    op.drop_index("ix_submission_agency_period", table_name="submission")
