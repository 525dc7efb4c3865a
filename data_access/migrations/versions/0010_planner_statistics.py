"""planner statistics: ANALYZE every table

Stores built before this had never been analysed: SQLite keeps no statistics until asked and
PostgreSQL's autovacuum analyses a table only after a tenth of it changes, so the planner guessed
and could scan the whole of indicator_value where an index serves the query (issue 12). From
here on the sample build and each import refresh the statistics themselves
(data_access.statistics); this brings an existing store up to date once.

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-30
"""

from alembic import op

from data_access.statistics import analyze_statements

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in analyze_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    # Statistics are not schema: the previous revision works with or without them.
    pass
