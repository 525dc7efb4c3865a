"""board packs keep the data version they were made from; indexes for pages whose SQL grew

Board packs: `board_pack.data_version` is the store's data version read before the pack's
figures were, so a request in another server process for the same quarter, format and data
reuses the kept pack instead of building it again (see data_access.board_packs.reusable_packs).
Packs kept before this revision have none and are never reused.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("board_pack") as batch:
        batch.add_column(sa.Column("data_version", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("board_pack") as batch:
        batch.drop_column("data_version")
