"""how many of the sampled cases an audit finding was seen in, as numbers

A finding's counts ("seen in 4 of 8 cases") were kept at the end of its text and read back with a
pattern; they are now two integer columns, so the quantity words can be checked against them
(issue 26). The upgrade moves the counts out of the text of every finding that carries them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The trailing counts as the product and the sample wrote them: "... (seen in 4 of 8 cases)."
_SEEN = re.compile(r"\(?\s*seen in (\d+) of (\d+) cases?\s*\)?\.?\s*$", re.IGNORECASE)

_finding = sa.table(
    "audit_finding",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("cases_seen", sa.Integer),
    sa.column("cases_sampled", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_finding", recreate="never") as batch:
        batch.add_column(sa.Column("cases_seen", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cases_sampled", sa.Integer(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_finding.c.id, _finding.c.text)).all()
    for finding_id, text in rows:
        match = _SEEN.search(text or "")
        if not match:
            continue
        seen, sampled = int(match.group(1)), int(match.group(2))
        if not 0 <= seen <= sampled:
            continue  # not a count the product could have written: leave the text as it is
        body = text[: match.start()].rstrip(" .") + "."
        connection.execute(
            sa.update(_finding)
            .where(_finding.c.id == finding_id)
            .values(text=body, cases_seen=seen, cases_sampled=sampled)
        )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _finding.c.id, _finding.c.text, _finding.c.cases_seen, _finding.c.cases_sampled
        ).where(_finding.c.cases_seen.is_not(None), _finding.c.cases_sampled.is_not(None))
    ).all()
    for finding_id, text, seen, sampled in rows:
        connection.execute(
            sa.update(_finding)
            .where(_finding.c.id == finding_id)
            .values(
                text=f"{text.rstrip('.')} (seen in {seen} of {sampled} "
                f"{'case' if sampled == 1 else 'cases'})."
            )
        )
    with op.batch_alter_table("audit_finding", recreate="never") as batch:
        batch.drop_column("cases_sampled")
        batch.drop_column("cases_seen")
