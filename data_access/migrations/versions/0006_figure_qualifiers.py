"""figure qualifiers, annual periods and indicator frequency

A figure keeps its own comment and an optional bound qualifier ("more than" 40); reporting
periods gain a kind (quarter, financial_year, academic_year: a whole year is stored as quarter 0);
indicators declare how often they are reported.

Revision ID: 0006
Revises: 0003 (main's head when this branch last merged it; the brief's base was 0001)
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

_QUARTER_FITS_KIND = (
    "(kind = 'quarter' AND quarter BETWEEN 1 AND 4) OR "
    "(kind IN ('financial_year', 'academic_year') AND quarter = 0)"
)


# SQLite: batch mode rebuilds reporting_period (a CHECK constraint cannot be altered there) while
# other tables point at it; data_access.migrate switches foreign keys off around the migration
# and checks every reference before it commits.


def upgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("qualifier", sa.String(length=20), nullable=True))
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(
            sa.Column("frequency", sa.String(length=20), nullable=False, server_default="quarterly")
        )
    with op.batch_alter_table("reporting_period") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="quarter")
        )
        batch.drop_constraint("uq_reporting_period_fy_quarter", type_="unique")
        batch.drop_constraint(op.f("ck_reporting_period_quarter_1_to_4"), type_="check")
        batch.create_unique_constraint(
            "uq_reporting_period_kind_fy_quarter", ["kind", "fy_start_year", "quarter"]
        )
        batch.create_check_constraint(
            op.f("ck_reporting_period_quarter_fits_kind"), _QUARTER_FITS_KIND
        )


def downgrade() -> None:
    # Annual periods (and their figures) cannot exist in the older schema.
    op.execute(
        "DELETE FROM indicator_value WHERE period_id IN "
        "(SELECT id FROM reporting_period WHERE kind <> 'quarter')"
    )
    op.execute(
        "UPDATE submission SET period_id = NULL WHERE period_id IN "
        "(SELECT id FROM reporting_period WHERE kind <> 'quarter')"
    )
    op.execute("DELETE FROM reporting_period WHERE kind <> 'quarter'")
    with op.batch_alter_table("reporting_period") as batch:
        batch.drop_constraint(op.f("ck_reporting_period_quarter_fits_kind"), type_="check")
        batch.drop_constraint("uq_reporting_period_kind_fy_quarter", type_="unique")
        batch.create_unique_constraint(
            "uq_reporting_period_fy_quarter", ["fy_start_year", "quarter"]
        )
        batch.create_check_constraint(
            op.f("ck_reporting_period_quarter_1_to_4"), "quarter BETWEEN 1 AND 4"
        )
        batch.drop_column("kind")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding indicator_value would lose
    # its expression index (one current figure per key), which batch mode cannot reflect.
    with op.batch_alter_table("indicator", recreate="never") as batch:
        batch.drop_column("frequency")
    with op.batch_alter_table("indicator_value", recreate="never") as batch:
        batch.drop_column("qualifier")
        batch.drop_column("comment")
