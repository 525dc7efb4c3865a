"""schools' and colleges' safeguarding audit (section 175/157) in the Section 11 tables

One model for both self-assessments: the standard set and the cycle gain a `framework`
("section_11" or "education_175_157"); every existing standard and cycle becomes "section_11".
A standard's number and a cycle's name are unique within their framework. Schools and colleges
are kept in `education_setting`; a return belongs to an agency or to a setting, exactly one, and
names the submission (the loaded file) it came from, if any.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FRAMEWORKS = "framework IN ('section_11', 'education_175_157')"


def upgrade() -> None:
    op.create_table(
        "education_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phase", sa.String(length=30), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "phase IN ('primary', 'secondary', 'all_through', 'special', "
            "'alternative_provision', 'college')",
            name=op.f("ck_education_setting_known_phase"),
        ),
        sa.CheckConstraint(
            "duty IN ('section_175', 'section_157')",
            name=op.f("ck_education_setting_known_duty"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["locality.id"],
            name=op.f("fk_education_setting_locality_id_locality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education_setting")),
        sa.UniqueConstraint("code", name=op.f("uq_education_setting_code")),
        sa.UniqueConstraint("name", name=op.f("uq_education_setting_name")),
    )
    # The server default fills the existing rows: they are all Section 11.
    with op.batch_alter_table("s11_standard") as batch:
        batch.add_column(
            sa.Column(
                "framework", sa.String(length=30), server_default="section_11", nullable=False
            )
        )
        batch.drop_constraint("uq_s11_standard_number", type_="unique")
        batch.create_unique_constraint("uq_s11_standard_framework", ["framework", "number"])
        batch.create_check_constraint(op.f("ck_s11_standard_known_framework"), FRAMEWORKS)
    with op.batch_alter_table("s11_cycle") as batch:
        batch.add_column(
            sa.Column(
                "framework", sa.String(length=30), server_default="section_11", nullable=False
            )
        )
        batch.drop_constraint("uq_s11_cycle_name", type_="unique")
        batch.create_unique_constraint("uq_s11_cycle_framework", ["framework", "name"])
        batch.create_check_constraint(op.f("ck_s11_cycle_known_framework"), FRAMEWORKS)
    with op.batch_alter_table("s11_return") as batch:
        batch.add_column(sa.Column("setting_id", sa.Integer(), nullable=True))
        batch.alter_column("agency_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(
            op.f("fk_s11_return_setting_id_education_setting"),
            "education_setting",
            ["setting_id"],
            ["id"],
        )
        batch.create_unique_constraint("uq_s11_return_setting", ["setting_id", "cycle_id"])
        # The file a return was loaded from, so rolling that file back finds its returns.
        batch.add_column(sa.Column("submission_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_s11_return_submission_id_submission"), "submission", ["submission_id"], ["id"]
        )
        batch.create_index(op.f("ix_s11_return_submission_id"), ["submission_id"])
        batch.create_check_constraint(
            op.f("ck_s11_return_one_respondent"),
            "(agency_id IS NULL AND setting_id IS NOT NULL) "
            "OR (agency_id IS NOT NULL AND setting_id IS NULL)",
        )


def downgrade() -> None:
    # The schools' audits have no place in the older schema: they go with it.
    for statement in (
        "DELETE FROM s11_rating WHERE return_id IN "
        "(SELECT id FROM s11_return WHERE setting_id IS NOT NULL)",
        "DELETE FROM s11_return WHERE setting_id IS NOT NULL",
        "DELETE FROM challenge_response WHERE challenge_id IN (SELECT id FROM youth_challenge "
        "WHERE standard_id IN (SELECT id FROM s11_standard WHERE framework <> 'section_11') "
        "OR cycle_id IN (SELECT id FROM s11_cycle WHERE framework <> 'section_11'))",
        "DELETE FROM youth_challenge WHERE standard_id IN "
        "(SELECT id FROM s11_standard WHERE framework <> 'section_11') OR cycle_id IN "
        "(SELECT id FROM s11_cycle WHERE framework <> 'section_11')",
        "DELETE FROM s11_cycle WHERE framework <> 'section_11'",
        "DELETE FROM s11_standard WHERE framework <> 'section_11'",
    ):
        op.execute(sa.text(statement))
    with op.batch_alter_table("s11_return") as batch:
        batch.drop_constraint(op.f("ck_s11_return_one_respondent"), type_="check")
        batch.drop_constraint("uq_s11_return_setting", type_="unique")
        batch.drop_index(op.f("ix_s11_return_submission_id"))
        batch.drop_constraint(op.f("fk_s11_return_submission_id_submission"), type_="foreignkey")
        batch.drop_column("submission_id")
        batch.drop_constraint(
            op.f("fk_s11_return_setting_id_education_setting"), type_="foreignkey"
        )
        batch.alter_column("agency_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("setting_id")
    with op.batch_alter_table("s11_cycle") as batch:
        batch.drop_constraint(op.f("ck_s11_cycle_known_framework"), type_="check")
        batch.drop_constraint("uq_s11_cycle_framework", type_="unique")
        batch.create_unique_constraint("uq_s11_cycle_name", ["name"])
        batch.drop_column("framework")
    with op.batch_alter_table("s11_standard") as batch:
        batch.drop_constraint(op.f("ck_s11_standard_known_framework"), type_="check")
        batch.drop_constraint("uq_s11_standard_framework", type_="unique")
        batch.create_unique_constraint("uq_s11_standard_number", ["number"])
        batch.drop_column("framework")
    op.drop_table("education_setting")
