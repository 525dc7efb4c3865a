"""board packs keep the data version they were made from; indexes for pages whose SQL grew

Board packs: `board_pack.data_version` is the store's data version read before the pack's
figures were, so a request in another server process for the same quarter, format and data
reuses the kept pack instead of building it again (see data_access.board_packs.reusable_packs).
Packs kept before this revision have none and are never reused.

Indexes, from the plans of the pages whose SQL grew with the store (SQLite, benchmark scale 60):
- `ix_indicator_value_breakdown` (indicator, quarter, current, agency, locality): a measure's
  figures for one quarter by agency or locality (the theme pages' breakdowns, training's
  agencies). The planner took the scope index for `agency_id IS NULL`, which holds every
  partnership and locality figure of every quarter: MASH's locality count 34-80 ms -> 0.2 ms.
  SQLite only: PostgreSQL already seeks these through `uq_indicator_value_current` (a partial
  index on current figures, which SQLite does not match to the queries' `is_current IS 1`).
- `ix_training_follow_up_date_level`: the follow-ups of a year by Kirkpatrick level, read from
  the index alone instead of the whole table (training, 9.4 ms -> 1.7 ms).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("board_pack") as batch:
        batch.add_column(sa.Column("data_version", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(
            "ix_indicator_value_breakdown",
            "indicator_value",
            ["indicator_id", "period_id", "is_current", "agency_id", "locality_id"],
        )
    op.create_index(
        "ix_training_follow_up_date_level",
        "training_follow_up",
        ["followed_up_on", "kirkpatrick_level", "respondents", "reporting_impact"],
    )


def downgrade() -> None:
    op.drop_index("ix_training_follow_up_date_level", table_name="training_follow_up")
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_indicator_value_breakdown", table_name="indicator_value")
    with op.batch_alter_table("board_pack") as batch:
        batch.drop_column("data_version")
