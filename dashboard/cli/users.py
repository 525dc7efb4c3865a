"""`qa-dashboard user add|set-role|reset-password|deactivate|reactivate|list|reset-second-factor|
link-sso|unlink-sso`.

Passwords are never taken as a command-line argument (they would sit in the shell history and
the process list): they are typed at a prompt (getpass, asked twice) or read from standard input
with `--password-stdin`, for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from dashboard.cli.common import engine_from
from data_access import second_factor, sso_identities, user_agencies, users
from data_access.db import session_scope
from data_access.models import ROLES

ACTOR = "cli"


def _actor() -> str:
    try:
        return f"{ACTOR}:{getpass.getuser()}"
    except (KeyError, OSError):
        return ACTOR


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        raise users.UserError("The two passwords are not the same.")
    return first


def _run(change: Callable[[], None], done: str) -> int:
    try:
        change()
    except users.UserError as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 2
    print(done)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add a user (asks for the password)."""

    def change() -> None:
        password = _read_password(args)
        with session_scope(engine_from(args)) as session:
            users.create_user(
                session,
                args.username,
                args.name,
                args.role,
                password,
                email=args.email,
                actor=_actor(),
                page="cli",
            )
            if args.agency:
                user_agencies.set_agencies(
                    session, args.username, args.agency, actor=_actor(), page="cli"
                )

    linked = f", linked to {', '.join(a.upper() for a in args.agency)}" if args.agency else ""
    return _run(change, f"Added {users.normalise_username(args.username)} ({args.role}){linked}.")


def cmd_set_agencies(args: argparse.Namespace) -> int:
    """Link a user to exactly these agencies (none: unlink all)."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            user_agencies.set_agencies(
                session, args.username, args.agency or [], actor=_actor(), page="cli"
            )

    codes = ", ".join(a.upper() for a in args.agency or []) or "no agency"
    return _run(change, f"{args.username} is linked to {codes}.")


def cmd_set_role(args: argparse.Namespace) -> int:
    """Change a user's role."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            users.set_role(session, args.username, args.role, actor=_actor(), page="cli")

    return _run(change, f"{args.username} now has the role {args.role}.")


def cmd_reset_password(args: argparse.Namespace) -> int:
    """Set a new password for a user and clear any lockout."""

    def change() -> None:
        password = _read_password(args)
        with session_scope(engine_from(args)) as session:
            users.reset_password(session, args.username, password, actor=_actor(), page="cli")

    return _run(change, f"The password of {args.username} has been reset.")


def cmd_deactivate(args: argparse.Namespace) -> int:
    """Stop a user signing in (the account and its history stay)."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            users.deactivate(session, args.username, actor=_actor(), page="cli")

    return _run(change, f"{args.username} can no longer sign in.")


def cmd_reactivate(args: argparse.Namespace) -> int:
    """Let a deactivated user sign in again."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            users.reactivate(session, args.username, actor=_actor(), page="cli")

    return _run(change, f"{args.username} can sign in again.")


def cmd_reset_second_factor(args: argparse.Namespace) -> int:
    """Remove a user's second factor and recovery codes (lost); they set it up again."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            second_factor.reset(session, args.username, actor=_actor(), page="cli")

    return _run(change, f"The second factor of {args.username} has been reset.")


def cmd_link_sso(args: argparse.Namespace) -> int:
    """Let an identity-provider identity (email or subject) sign in as a user."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            sso_identities.link_identity(
                session,
                args.username,
                args.identity,
                issuer=args.issuer,
                kind="email" if args.email else "subject",
                actor=_actor(),
                page="cli",
            )

    return _run(change, f"{args.identity} now signs in as {args.username}.")


def cmd_unlink_sso(args: argparse.Namespace) -> int:
    """Stop an identity-provider identity signing in (its open sessions end)."""

    def change() -> None:
        with session_scope(engine_from(args)) as session:
            sso_identities.unlink_identity(
                session,
                args.identity,
                issuer=args.issuer,
                kind="email" if args.email else "subject",
                actor=_actor(),
                page="cli",
            )

    return _run(change, f"{args.identity} can no longer sign in.")


def cmd_list(args: argparse.Namespace) -> int:
    """List the accounts (never the password hashes)."""
    listing = users.list_users(engine=engine_from(args))
    if listing.empty:
        print("No accounts yet. Add one with: qa-dashboard user add USERNAME --name ... --role ...")
        return 0
    linked = user_agencies.links(engine=engine_from(args))
    agencies_of = linked.groupby("username")["agency_code"].agg(", ".join)
    listing["agencies"] = listing["username"].map(agencies_of).fillna("")
    columns = ["username", "display_name", "role", "agencies", "active", "is_demo", "locked_until"]
    print(listing[columns].to_string(index=False))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `user` command group to the qa-dashboard CLI."""
    user = subparsers.add_parser("user", help="manage the accounts that may sign in")
    sub = user.add_subparsers(dest="user_command", required=True)

    def with_password(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    add = sub.add_parser("add", help=cmd_add.__doc__)
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the person's name as shown in the app")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--email")
    add.add_argument(
        "--agency",
        action="append",
        metavar="CODE",
        help="an agency the person belongs to (repeatable); an agency_submitter loads only "
        "its agencies' returns",
    )
    with_password(add)
    add.set_defaults(func=cmd_add)

    agencies = sub.add_parser("set-agencies", help=cmd_set_agencies.__doc__)
    agencies.add_argument("username")
    agencies.add_argument("--agency", action="append", metavar="CODE", help="repeatable")
    agencies.set_defaults(func=cmd_set_agencies)

    set_role = sub.add_parser("set-role", help=cmd_set_role.__doc__)
    set_role.add_argument("username")
    set_role.add_argument("role", choices=ROLES)
    set_role.set_defaults(func=cmd_set_role)

    reset = sub.add_parser("reset-password", help=cmd_reset_password.__doc__)
    reset.add_argument("username")
    with_password(reset)
    reset.set_defaults(func=cmd_reset_password)

    for name, func in (("deactivate", cmd_deactivate), ("reactivate", cmd_reactivate)):
        parser = sub.add_parser(name, help=func.__doc__)
        parser.add_argument("username")
        parser.set_defaults(func=func)

    sub.add_parser("list", help=cmd_list.__doc__).set_defaults(func=cmd_list)

    factor = sub.add_parser("reset-second-factor", help=cmd_reset_second_factor.__doc__)
    factor.add_argument("username")
    factor.set_defaults(func=cmd_reset_second_factor)
    link = sub.add_parser("link-sso", help=cmd_link_sso.__doc__)
    link.add_argument("username")
    link.add_argument("identity", help="the subject the provider sends (exactly), or --email")
    unlink = sub.add_parser("unlink-sso", help=cmd_unlink_sso.__doc__)
    unlink.add_argument("identity")
    for parser in (link, unlink):
        parser.add_argument(
            "--issuer", help="the provider's issuer (its iss claim); default: SSO_ISSUER"
        )
        parser.add_argument(
            "--email",
            action="store_true",
            help="IDENTITY is an email address, matched only when the provider says it is "
            "verified and is listed in SSO_EMAIL_ISSUERS",
        )
    link.set_defaults(func=cmd_link_sso)
    unlink.set_defaults(func=cmd_unlink_sso)
