"""The demo accounts: the one declaration of who may sign in to the sample (demo mode only).

Their passwords are public (the README lists them), so the app lists and accepts them only in
demo mode. The sample generator creates them; the sign-in page and the tests read them here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    """A sign-in for trying the dashboard with the sample data. Never use these on real data."""

    username: str
    display_name: str
    role: str
    password: str
    # The agencies an agency submitter loads returns for (codes of the sample partnership).
    agencies: tuple[str, ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("exec.demo", "Executive member (demo)", "executive", "demo-exec-2026"),
    DemoAccount("qa.demo", "Quality assurance officer (demo)", "qa_officer", "demo-qa-2026"),
    DemoAccount("youth.demo", "Youth council member (demo)", "youth_council", "demo-youth-2026"),
    DemoAccount("admin.demo", "Administrator (demo)", "admin", "demo-admin-2026"),
    DemoAccount(
        "partner.demo",
        "Agency submitter, Midshire Police (demo)",
        "agency_submitter",
        "demo-partner-2026",
        agencies=("MPOL",),
    ),
)


def demo_account(role: str) -> DemoAccount:
    """The demo account with `role` (KeyError if no demo account has it)."""
    for account in DEMO_ACCOUNTS:
        if account.role == role:
            return account
    raise KeyError(role)
