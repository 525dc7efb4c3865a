"""learning reviews, their actions' evidence, the full risk register entry (issue 29)

Rapid reviews gain the national panel's view. A new `learning_review` holds local and national
practice reviews, the scrutineer's reports, inspections and the improvement plan, tagged with
themes. `case_review_action` becomes the one table of recommendations and actions for all of
them: a rapid review's or a learning review's, with the partners' response, the status in words,
the evidence of completion and the evidence of impact kept apart. Risks gain owner, cause,
consequence, the score after controls, further actions and trend. `yearly_report` keeps each
draft of the partnership's yearly report made from the store, with its checksum. Texts for young
people gain the subject "learning": what the partnership learned from a review and changed.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learning_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rapid_review_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("delay_reason", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('local_review', 'national_review', 'scrutiny', 'inspection', "
            "'improvement_plan')",
            name=op.f("ck_learning_review_known_kind"),
        ),
        sa.CheckConstraint(
            "published_on IS NULL OR decided_on IS NULL OR published_on >= decided_on",
            name=op.f("ck_learning_review_published_after_decided"),
        ),
        sa.ForeignKeyConstraint(
            ["rapid_review_id"],
            ["rapid_review.id"],
            name=op.f("fk_learning_review_rapid_review_id_rapid_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_review")),
        sa.UniqueConstraint("reference", name=op.f("uq_learning_review_reference")),
    )
    op.create_table(
        "learning_review_theme",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("theme_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["learning_review.id"],
            name=op.f("fk_learning_review_theme_review_id_learning_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_code"],
            ["theme.code"],
            name=op.f("fk_learning_review_theme_theme_code_theme"),
        ),
        sa.PrimaryKeyConstraint("review_id", "theme_code", name=op.f("pk_learning_review_theme")),
    )
    op.create_table(
        "yearly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_code", sa.String(length=10), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("generated_by", sa.String(length=100), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "file_format IN ('pdf', 'docx')", name=op.f("ck_yearly_report_known_format")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_yearly_report")),
    )
    op.create_index(
        op.f("ix_yearly_report_year_code"), "yearly_report", ["year_code"], unique=False
    )
    with op.batch_alter_table("rapid_review") as batch:
        batch.add_column(sa.Column("panel_view", sa.Text(), nullable=True))

    with op.batch_alter_table("case_review_action") as batch:
        batch.alter_column("rapid_review_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("response", sa.Text(), nullable=True))
        batch.add_column(sa.Column("action", sa.Text(), nullable=True))
        batch.add_column(sa.Column("progress", sa.Text(), nullable=True))
        batch.add_column(sa.Column("completed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("completion_evidence", sa.Text(), nullable=True))
        batch.add_column(sa.Column("impact_evidence", sa.Text(), nullable=True))
        batch.add_column(sa.Column("impact_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch.create_index(op.f("ix_case_review_action_review_id"), ["review_id"], unique=False)
        batch.create_foreign_key(
            op.f("fk_case_review_action_review_id_learning_review"),
            "learning_review",
            ["review_id"],
            ["id"],
        )
    # Actions already marked complete had no date: their due date is the best the store knows.
    op.execute(
        "UPDATE case_review_action SET completed_on = due_date "
        "WHERE status = 'complete' AND completed_on IS NULL"
    )
    with op.batch_alter_table("case_review_action") as batch:
        batch.create_check_constraint(
            op.f("ck_case_review_action_one_source"),
            "(rapid_review_id IS NULL) <> (review_id IS NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_case_review_action_complete_has_date"),
            "status <> 'complete' OR completed_on IS NOT NULL",
        )
        batch.create_check_constraint(
            op.f("ck_case_review_action_impact_after_completion"),
            "impact_evidence IS NULL OR status = 'complete'",
        )

    # Texts for young people on what the partnership learned from a review and changed.
    with op.batch_alter_table("youth_text") as batch:
        batch.drop_constraint(op.f("ck_youth_text_known_subject"), type_="check")
        batch.create_check_constraint(
            op.f("ck_youth_text_known_subject"),
            "subject IN ('theme_point', 's11_evidence', 's11_action', 'learning')",
        )

    with op.batch_alter_table("risk") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("cause", sa.Text(), nullable=True))
        batch.add_column(sa.Column("consequence", sa.Text(), nullable=True))
        batch.add_column(sa.Column("likelihood_after", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("impact_after", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("further_actions", sa.Text(), nullable=True))
        batch.add_column(sa.Column("trend", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_risk_likelihood_after_1_to_5"),
            "likelihood_after IS NULL OR likelihood_after BETWEEN 1 AND 5",
        )
        batch.create_check_constraint(
            op.f("ck_risk_impact_after_1_to_5"),
            "impact_after IS NULL OR impact_after BETWEEN 1 AND 5",
        )
        batch.create_check_constraint(
            op.f("ck_risk_known_trend"),
            "trend IS NULL OR trend IN ('rising', 'steady', 'falling')",
        )


def downgrade() -> None:
    with op.batch_alter_table("risk") as batch:
        batch.drop_constraint(op.f("ck_risk_known_trend"), type_="check")
        batch.drop_constraint(op.f("ck_risk_impact_after_1_to_5"), type_="check")
        batch.drop_constraint(op.f("ck_risk_likelihood_after_1_to_5"), type_="check")
        for column in (
            "updated_at",
            "updated_by",
            "trend",
            "further_actions",
            "impact_after",
            "likelihood_after",
            "consequence",
            "cause",
            "owner",
        ):
            batch.drop_column(column)
    op.execute("DELETE FROM youth_text WHERE subject = 'learning'")
    with op.batch_alter_table("youth_text") as batch:
        batch.drop_constraint(op.f("ck_youth_text_known_subject"), type_="check")
        batch.create_check_constraint(
            op.f("ck_youth_text_known_subject"),
            "subject IN ('theme_point', 's11_evidence', 's11_action')",
        )
    # Actions of learning reviews cannot exist in the older schema.
    op.execute("DELETE FROM case_review_action WHERE rapid_review_id IS NULL")
    with op.batch_alter_table("case_review_action") as batch:
        batch.drop_constraint(op.f("ck_case_review_action_impact_after_completion"), type_="check")
        batch.drop_constraint(op.f("ck_case_review_action_complete_has_date"), type_="check")
        batch.drop_constraint(op.f("ck_case_review_action_one_source"), type_="check")
        batch.drop_constraint(
            op.f("fk_case_review_action_review_id_learning_review"), type_="foreignkey"
        )
        batch.drop_index(op.f("ix_case_review_action_review_id"))
        for column in (
            "updated_at",
            "updated_by",
            "impact_on",
            "impact_evidence",
            "completion_evidence",
            "completed_on",
            "progress",
            "action",
            "response",
            "review_id",
        ):
            batch.drop_column(column)
        batch.alter_column("rapid_review_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("rapid_review") as batch:
        batch.drop_column("panel_view")
    op.drop_index(op.f("ix_yearly_report_year_code"), table_name="yearly_report")
    op.drop_table("yearly_report")
    op.drop_table("learning_review_theme")
    op.drop_table("learning_review")
