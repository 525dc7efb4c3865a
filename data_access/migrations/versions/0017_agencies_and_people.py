"""agencies and localities managed without SQL, and people linked to agencies

An agency may name the locality it serves; a locality can be retired like an agency. Accounts
are linked to agencies (user_agency), and the new role agency_submitter loads returns for its
own agencies only (issue 27).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('executive', 'qa_officer', 'youth_council', 'admin')"
NEW_ROLES = "role IN ('executive', 'qa_officer', 'youth_council', 'admin', 'agency_submitter')"


def upgrade() -> None:
    with op.batch_alter_table("locality") as batch:
        batch.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("locality_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_agency_locality_id_locality"), "locality", ["locality_id"], ["id"]
        )
    with op.batch_alter_table("app_user") as batch:
        batch.drop_constraint(batch.f("ck_app_user_known_role"), type_="check")
        batch.create_check_constraint(batch.f("ck_app_user_known_role"), sa.text(NEW_ROLES))
    op.create_table(
        "user_agency",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_user_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_agency_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "agency_id", name=op.f("pk_user_agency")),
    )


def downgrade() -> None:
    op.drop_table("user_agency")
    op.execute("DELETE FROM app_user WHERE role = 'agency_submitter'")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_constraint(batch.f("ck_app_user_known_role"), type_="check")
        batch.create_check_constraint(batch.f("ck_app_user_known_role"), sa.text(OLD_ROLES))
    with op.batch_alter_table("agency") as batch:
        batch.drop_constraint(batch.f("fk_agency_locality_id_locality"), type_="foreignkey")
        batch.drop_column("locality_id")
    with op.batch_alter_table("locality") as batch:
        batch.drop_column("active")
