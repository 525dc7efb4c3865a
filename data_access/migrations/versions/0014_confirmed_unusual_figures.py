"""who confirmed a figure held as unusual at import, when, and why it was held

The importer holds a figure ten times (or a tenth of) its usual level, or outside the range the
catalogue declares plausible, until a quality assurance officer confirms it. The confirmation
was only a line in the audit log; the figure itself now keeps why it was held and who confirmed
it when, so every surface that shows it can mark it (issue 26).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN on both stores: rebuilding indicator_value (SQLite batch
    # mode) would lose its expression index (one current figure per key).
    with op.batch_alter_table("indicator_value", recreate="never") as batch:
        batch.add_column(sa.Column("held_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("confirmed_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_value", recreate="never") as batch:
        batch.drop_column("confirmed_at")
        batch.drop_column("confirmed_by")
        batch.drop_column("held_reason")
