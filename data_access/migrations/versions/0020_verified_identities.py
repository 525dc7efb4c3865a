"""single sign-on links bound to their provider; a second factor for password accounts (issue 30)

A link was one lower-cased string matched against both the provider's subject and its email
claim, from any provider. Each link now names its provider (`issuer`) and what it is (`kind`:
"subject", compared exactly, or "email", matched only when the provider says it is verified).

Backfill: a link holding an "@" becomes an email link, any other a subject link. The provider of
an old link was never recorded: it becomes SSO_ISSUER if that is set when the migration runs,
else "" (a link that matches nothing, shown on Users and roles as "provider not recorded" for an
administrator to link again). Refusing until then is safer than guessing.

The second factor: app_user gains the authenticator secret, when it was enrolled and the last
time-step accepted (nobody is enrolled by the migration); recovery_code holds the SHA-256 of
each one-use recovery code.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sso_identity") as batch:
        batch.add_column(sa.Column("issuer", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=True))
    issuer = (os.environ.get("SSO_ISSUER") or "").strip()
    table = sa.table(
        "sso_identity",
        sa.column("identity", sa.String),
        sa.column("issuer", sa.String),
        sa.column("kind", sa.String),
    )
    op.execute(
        table.update().values(
            issuer=issuer,
            kind=sa.case((table.c.identity.like("%@%"), "email"), else_="subject"),
        )
    )
    with op.batch_alter_table("sso_identity") as batch:
        batch.alter_column("issuer", existing_type=sa.String(length=300), nullable=False)
        batch.alter_column("kind", existing_type=sa.String(length=10), nullable=False)
        batch.drop_constraint("uq_sso_identity_identity", type_="unique")
        batch.create_unique_constraint("uq_sso_identity_issuer", ["issuer", "kind", "identity"])
        batch.create_check_constraint(
            op.f("ck_sso_identity_known_kind"), "kind IN ('subject', 'email')"
        )

    with op.batch_alter_table("app_user", recreate="never") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enrolled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_recovery_code_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    with op.batch_alter_table("recovery_code") as batch:
        batch.create_index(batch.f("ix_recovery_code_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recovery_code") as batch:
        batch.drop_index(batch.f("ix_recovery_code_user_id"))
    op.drop_table("recovery_code")
    with op.batch_alter_table("app_user", recreate="never") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enrolled_at")
        batch.drop_column("totp_secret")
    with op.batch_alter_table("sso_identity") as batch:
        batch.drop_constraint(op.f("ck_sso_identity_known_kind"), type_="check")
        batch.drop_constraint("uq_sso_identity_issuer", type_="unique")
        batch.drop_column("kind")
        batch.drop_column("issuer")
        batch.create_unique_constraint("uq_sso_identity_identity", ["identity"])
