"""The Users and roles page: list, add, re-role, reset, deactivate or reactivate accounts."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_markdown
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.navigation import ROLE_LABELS
from dashboard.session import CurrentUser
from data_access import agencies, second_factor, sso_identities, user_agencies, users
from data_access.config import settings
from data_access.db import get_engine, session_scope
from data_access.models import ROLES

PAGE = "users"

FLASH_KEY = "users_page_message"


def role_label(role: str) -> str:
    """A role as people read it."""
    return ROLE_LABELS.get(role, role)


def render(user: CurrentUser) -> None:
    """Render the Users and roles page for `user` (call after the page's guard)."""
    engine = get_engine()

    def apply(change: Callable[..., object], success: str, *args: object) -> None:
        """Run one account change in a transaction; show the outcome in words."""
        try:
            with session_scope(engine) as session:
                change(session, *args, actor=user.username, page=PAGE)
        except users.UserError as problem:
            st.error(escape_markdown(problem))
            return
        cache.clear()
        # Rerun so the table above shows the change; the message survives the rerun.
        st.session_state[FLASH_KEY] = success
        st.rerun()

    st.title("Users and roles")
    st.caption(
        "Accounts that may sign in, and what each role may see. Passwords are stored only as "
        f"bcrypt hashes; a password needs at least {users.MIN_PASSWORD_LENGTH} characters and may "
        f"not be a common one. Five failed sign-ins lock an account for {users.LOCKOUT_MINUTES} "
        "minutes; a password reset unlocks it. A role change, password reset or deactivation "
        "signs the person out everywhere at once. The last active administrator cannot be demoted "
        "or deactivated."
    )

    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(escape_markdown(flash))

    # Read directly: an administrator must see the effect of a change at once.
    accounts = users.list_users(engine=engine)
    if accounts.empty:
        st.info("There are no accounts yet. Add the first one below.")
    else:
        table = accounts.assign(role=accounts["role"].map(lambda r: ROLE_LABELS.get(r, r))).rename(
            columns={
                "username": "User name",
                "display_name": "Name",
                "email": "Email",
                "role": "Role",
                "active": "Active",
                "is_demo": "Demo account",
                "second_factor": "Second factor",
                "failed_attempts": "Failed sign-ins",
                "locked_until": "Locked until (UTC)",
                "created_at": "Created (UTC)",
            }
        )
        show_table(table, key="users_df")
        download_table(table, label="the list of users", file_stem="users", key="users_download")

    usernames = list(accounts["username"]) if not accounts.empty else []

    add_tab, role_tab, agency_tab, password_tab, status_tab, factor_tab, sso_tab = st.tabs(
        [
            "Add a user",
            "Change a role",
            "Agencies",
            "Reset a password",
            "Deactivate or reactivate",
            "Second factor",
            "Single sign-on",
        ]
    )

    with add_tab, st.form("add_user", clear_on_submit=False):
        st.subheader("Add a user")
        new_username = st.text_input(
            "User name", key="add_username", help=f"{users.USERNAME_RULE}."
        )
        new_name = st.text_input("Name", key="add_display_name")
        new_email = st.text_input("Email (optional)", key="add_email")
        new_role = st.selectbox("Role", ROLES, key="add_role", format_func=role_label)
        new_password = st.text_input("Password", type="password", key="add_password")
        new_repeat = st.text_input(
            "Repeat the password", type="password", key="add_password_repeat"
        )
        if st.form_submit_button("Add user", type="primary"):
            if new_password != new_repeat:
                st.error("The two passwords are not the same.")
            else:
                apply(
                    lambda session, **kw: users.create_user(
                        session,
                        new_username,
                        new_name,
                        new_role,
                        new_password,
                        email=new_email or None,
                        **kw,
                    ),
                    f"Added {users.normalise_username(new_username)}.",
                )

    with role_tab:
        if not usernames:
            st.info("Add a user first.")
        else:
            with st.form("set_role"):
                st.subheader("Change a role")
                who = st.selectbox("User", usernames, key="role_username")
                role = st.selectbox("New role", ROLES, key="role_role", format_func=role_label)
                if st.form_submit_button("Change role"):
                    apply(users.set_role, f"{who} now has the role {ROLE_LABELS[role]}.", who, role)

    with agency_tab:
        st.subheader("The agencies a person belongs to")
        st.caption(
            "An agency submitter downloads its agencies' templates and loads their returns, and "
            "nothing else; a row for another agency is refused. Other roles may be linked too, "
            "for the record."
        )
        linked = user_agencies.links(engine=engine)
        if not linked.empty:
            show_table(
                linked.rename(columns={"username": "User name", "agency_code": "Agency"}),
                key="user_agencies_df",
            )
        agency_codes = list(agencies.list_agencies(engine=engine)["code"])
        if not usernames or not agency_codes:
            st.info("Add a user and an agency (on Agencies and localities) first.")
        else:
            who = st.selectbox("User", usernames, key="agencies_username")
            current = list(linked.loc[linked["username"] == who, "agency_code"])
            with st.form("user_agencies"):
                chosen = st.multiselect(
                    "Agencies", agency_codes, default=current, key=f"agencies_of_{who}"
                )
                if st.form_submit_button("Save agencies"):
                    apply(
                        lambda session, **kw: user_agencies.set_agencies(
                            session, who, chosen, **kw
                        ),
                        f"{who} is linked to {', '.join(chosen) or 'no agency'}.",
                    )

    with password_tab:
        if not usernames:
            st.info("Add a user first.")
        else:
            with st.form("reset_password"):
                st.subheader("Reset a password")
                who = st.selectbox("User", usernames, key="reset_username")
                password = st.text_input("New password", type="password", key="reset_password")
                repeat = st.text_input(
                    "Repeat the new password", type="password", key="reset_password_repeat"
                )
                if st.form_submit_button("Reset password"):
                    if password != repeat:
                        st.error("The two passwords are not the same.")
                    else:
                        apply(
                            users.reset_password,
                            f"The password of {who} has been reset.",
                            who,
                            password,
                        )

    with status_tab:
        if not usernames:
            st.info("Add a user first.")
        else:
            with st.form("account_status"):
                st.subheader("Deactivate or reactivate")
                st.caption(
                    "A deactivated account cannot sign in and is signed out at its next "
                    "click; its audit-log history stays."
                )
                who = st.selectbox("User", usernames, key="status_username")
                deactivate = st.form_submit_button("Deactivate")
                reactivate = st.form_submit_button("Reactivate")
                if deactivate:
                    apply(users.deactivate, f"{who} can no longer sign in.", who)
                elif reactivate:
                    apply(users.reactivate, f"{who} can sign in again.", who)

    with factor_tab:
        st.subheader("Reset a second factor")
        st.caption(
            "For someone who lost both their authenticator app and their recovery codes: their "
            "second factor and recovery codes are removed and they are signed out everywhere. "
            "They set it up again on their Account page (at sign-in, when their role requires "
            "one: REQUIRE_SECOND_FACTOR)."
        )
        if usernames:
            with st.form("reset_second_factor"):
                who = st.selectbox("User", usernames, key="factor_username")
                if st.form_submit_button("Reset second factor"):
                    apply(
                        second_factor.reset,
                        f"The second factor of {who} has been reset.",
                        who,
                    )

    with sso_tab:
        st.subheader("Single sign-on")
        st.caption(
            "People who sign in with their organisation account (Microsoft Entra ID or another "
            "OpenID Connect provider) are matched to an account here by the provider (its issuer) "
            "and the provider's subject identifier, compared exactly. An email address is matched "
            "only when the provider says it is verified and the provider is allowed to match "
            "emails (setting SSO_EMAIL_ISSUERS). An identity with no link is refused and shown in "
            "the audit log as sso_refused, with the provider and subject to link."
        )
        links = sso_identities.list_identities(engine=engine)
        if not links.empty:
            shown_links = links.assign(
                issuer=links["issuer"].map(lambda i: i or "(provider not recorded: link again)"),
                kind=links["kind"].map(lambda k: "verified email" if k == "email" else k),
            )
            show_table(
                shown_links.drop(columns=["id"]).rename(
                    columns={
                        "username": "User name",
                        "issuer": "Provider (issuer)",
                        "kind": "Kind",
                        "identity": "Identity",
                        "created_at": "Linked (UTC)",
                    }
                ),
                key="sso_links_df",
            )
        if usernames:
            with st.form("link_identity"):
                who = st.selectbox("User", usernames, key="sso_username")
                issuer = st.text_input(
                    "Provider (issuer)",
                    value=settings().sso_issuer or "",
                    key="sso_issuer",
                    help="The provider's `iss`, e.g. "
                    "https://login.microsoftonline.com/TENANT-ID/v2.0 (SSO_ISSUER is the default).",
                )
                kind = st.radio(
                    "Link by",
                    ["subject", "email"],
                    key="sso_kind",
                    format_func=lambda k: (
                        "Subject identifier (exact)" if k == "subject" else "Verified email address"
                    ),
                    horizontal=True,
                )
                identity = st.text_input("Subject identifier or email address", key="sso_identity")
                if st.form_submit_button("Link identity"):
                    apply(
                        lambda session, **kw: sso_identities.link_identity(
                            session, who, identity, issuer=issuer, kind=kind, **kw
                        ),
                        f"{who} can now sign in with single sign-on.",
                    )
        if not links.empty:
            labels = {
                int(row.id): f"{row.username}: {row.kind} {row.identity} at "
                f"{row.issuer or '(provider not recorded)'}"
                for row in links.itertuples()
            }
            with st.form("unlink_identity"):
                gone = st.selectbox(
                    "Link", list(labels), key="sso_unlink", format_func=labels.__getitem__
                )
                if st.form_submit_button("Remove link"):
                    apply(
                        lambda session, **kw: sso_identities.unlink_by_id(session, gone, **kw),
                        "The identity can no longer sign in.",
                    )
