"""audit log hash chain: each entry carries the previous entry's hash and its own

Revision ID: 0005
Revises: 0006
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

from data_access.audit_log import GENESIS_HASH, entry_hash

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None

_audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
    sa.column("username", sa.String),
    sa.column("event", sa.String),
    sa.column("page", sa.String),
    sa.column("detail", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    # Chain the entries already there, oldest first, so `qa-dashboard audit verify` starts from
    # an intact chain; it cannot vouch for what happened to them before this migration.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _audit_log.c.id,
            _audit_log.c.occurred_at,
            _audit_log.c.username,
            _audit_log.c.event,
            _audit_log.c.page,
            _audit_log.c.detail,
        ).order_by(_audit_log.c.id)
    ).all()
    previous = GENESIS_HASH
    for row in rows:
        own = entry_hash(
            entry_id=row.id,
            occurred_at=row.occurred_at,
            username=row.username,
            event=row.event,
            page=row.page,
            detail=row.detail,
            prev_hash=previous,
        )
        connection.execute(
            sa.update(_audit_log)
            .where(_audit_log.c.id == row.id)
            .values(prev_hash=previous, entry_hash=own)
        )
        previous = own


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
