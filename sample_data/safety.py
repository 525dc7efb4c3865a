"""Whether a store may be overwritten by the sample partnership, and the refusal when it may not.

Loading the sample deletes every agency, submission, figure and record first. A store is safe to
overwrite only if it is empty or holds nothing but an earlier sample: no account other than the
demo ones, no agency, submission or audit entry that the sample or its demo users did not make.
The store that `DATABASE_URL` names is the production one by definition and is refused too.
Both refusals can be overridden on purpose (`--force`), never by accident.
"""

from __future__ import annotations

import sqlalchemy as sa

from data_access.config import settings
from data_access.models import Agency, AuditLogEntry, Submission, User

SAMPLE_ACTOR = "sample-data"
SAMPLE_EVENT = "sample_loaded"
FORCE_HINT = (
    "Nothing was changed. The demo runs on its own SQLite file: use `make run`, or "
    "`qa-dashboard ensure-sample` without DATABASE_URL. If you really mean to replace this "
    "store's contents with fictional data, run the command again with --force."
)


class StoreNotDisposable(RuntimeError):
    """The store holds real data (or is the configured production store); the message says why."""


def _named(values: list[str], limit: int = 3) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def reasons_to_keep(engine: sa.Engine) -> list[str]:
    """What in the store is not the sample's own (empty list: safe to overwrite)."""
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        if not inspector.has_table(User.__tablename__):
            return []
        reasons = []
        real_users = list(
            connection.execute(
                sa.select(User.username).where(User.is_demo.is_(False)).order_by(User.username)
            ).scalars()
        )
        if real_users:
            reasons.append(f"it holds real (non-demo) accounts: {_named(real_users)}")
        demo_names = set(
            connection.execute(sa.select(User.username).where(User.is_demo.is_(True))).scalars()
        )
        sample_names = demo_names | {SAMPLE_ACTOR}
        was_sample = (
            connection.execute(
                sa.select(AuditLogEntry.id).where(AuditLogEntry.event == SAMPLE_EVENT).limit(1)
            ).first()
            is not None
        )
        if not was_sample:
            agencies = list(
                connection.execute(sa.select(Agency.code).order_by(Agency.code)).scalars()
            )
            if agencies:
                reasons.append(
                    f"it holds agencies that the sample did not create: {_named(agencies)}"
                )
        submitters = list(
            connection.execute(
                sa.select(Submission.submitted_by).distinct().order_by(Submission.submitted_by)
            ).scalars()
        )
        foreign = [name for name in submitters if name not in sample_names]
        if foreign or (submitters and not was_sample):
            reasons.append(f"it holds submissions loaded by {_named(foreign or submitters)}")
        actors = list(
            connection.execute(
                sa.select(AuditLogEntry.username)
                .distinct()
                .where(AuditLogEntry.username.is_not(None))
                .order_by(AuditLogEntry.username)
            ).scalars()
        )
        foreign_actors = [name for name in actors if name is not None and name not in sample_names]
        if foreign_actors:
            reasons.append(f"its audit log records work by {_named(foreign_actors)}")
    return reasons


def _same_store(a: str, b: str) -> bool:
    return sa.make_url(a).render_as_string(hide_password=True) == sa.make_url(b).render_as_string(
        hide_password=True
    )


def check_disposable(engine: sa.Engine, *, force: bool = False) -> None:
    """Raise StoreNotDisposable unless the sample may overwrite this store (or `force`)."""
    if force:
        return
    problems = []
    current = settings()
    target = engine.url.render_as_string(hide_password=False)
    if not current.uses_default_database and _same_store(target, current.database_url):
        problems.append("it is the store that DATABASE_URL names (the production store)")
    problems += reasons_to_keep(engine)
    if problems:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreNotDisposable(
            f"Refusing to load the fictional sample into {where}: "
            + "; ".join(problems)
            + ". "
            + FORCE_HINT
        )
