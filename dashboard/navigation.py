"""The page registry: every page, its section, and the roles that may open it.

Declared once; the app builds each user's navigation from it and every page's guard checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

EXECUTIVE, QA, YOUTH, ADMIN = "executive", "qa_officer", "youth_council", "admin"
# A partner agency's own account: its agencies' templates and returns, and nothing else.
SUBMITTER = "agency_submitter"
BOARD = (EXECUTIVE, QA, ADMIN)
STAFF = (QA, ADMIN)

ROLE_LABELS = {
    EXECUTIVE: "Executive partnership member",
    QA: "Quality assurance officer",
    YOUTH: "Youth council member",
    ADMIN: "Administrator",
    SUBMITTER: "Agency submitter",
}


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    section: str
    roles: tuple[str, ...]
    icon: str = ""

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.key}.py"

    @property
    def url_path(self) -> str:
        return self.key.replace("_", "-")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "Overview", "The quarter", BOARD, ":material/dashboard:"),
    PageSpec("early_help", "Early help", "Themes", BOARD, ":material/family_restroom:"),
    PageSpec("mash", "MASH (front door)", "Themes", BOARD, ":material/door_front:"),
    PageSpec("neglect", "Neglect", "Themes", BOARD, ":material/home_health:"),
    PageSpec("complex_safeguarding", "Complex safeguarding", "Themes", BOARD, ":material/shield:"),
    PageSpec("training", "Training impact", "Themes", BOARD, ":material/school:"),
    PageSpec("audits", "Audit findings", "Assurance", BOARD, ":material/fact_check:"),
    PageSpec("section11", "Section 11", "Assurance", BOARD, ":material/checklist:"),
    PageSpec(
        "education_audit",
        "Schools and colleges audit",
        "Assurance",
        BOARD,
        ":material/assignment_turned_in:",
    ),
    PageSpec(
        "youth_challenges", "Youth council challenges", "Assurance", STAFF, ":material/forum:"
    ),
    PageSpec(
        "practice_reviews", "Practice reviews", "Learning and risk", BOARD, ":material/search:"
    ),
    PageSpec("risk_register", "Risk register", "Learning and risk", BOARD, ":material/warning:"),
    PageSpec("scrutiny", "Scrutiny", "Learning and risk", BOARD, ":material/balance:"),
    PageSpec("yearly_report", "Yearly report", "Meetings", BOARD, ":material/description:"),
    PageSpec("board_pack", "Board pack", "Meetings", BOARD, ":material/picture_as_pdf:"),
    PageSpec("meeting_mode", "Meeting mode", "Meetings", BOARD, ":material/co_present:"),
    PageSpec("decisions", "Decisions and actions", "Meetings", BOARD, ":material/gavel:"),
    # QA officers and admins open the youth pages as a read-only, logged preview.
    PageSpec(
        "youth_section11",
        "How agencies keep you safe",
        "Youth council",
        (YOUTH, QA, ADMIN),
        ":material/diversity_3:",
    ),
    PageSpec(
        "youth_themes",
        "What the partnership is doing",
        "Youth council",
        (YOUTH, QA, ADMIN),
        ":material/lightbulb:",
    ),
    PageSpec(
        "data_management",
        "Load quarterly returns",
        "Data",
        (*STAFF, SUBMITTER),
        ":material/upload_file:",
    ),
    PageSpec("data_quality", "Data quality", "Data", STAFF, ":material/rule:"),
    PageSpec(
        "assurance_summaries", "Write assurance summaries", "Data", STAFF, ":material/edit_note:"
    ),
    PageSpec("youth_texts", "Texts for young people", "Data", STAFF, ":material/translate:"),
    PageSpec("audit_log", "Audit log", "Administration", STAFF, ":material/history:"),
    PageSpec("users", "Users and roles", "Administration", (ADMIN,), ":material/group:"),
    PageSpec(
        "agencies", "Agencies and localities", "Administration", (ADMIN,), ":material/domain:"
    ),
    PageSpec(
        "account", "Change my password", "Account", (*BOARD, YOUTH, SUBMITTER), ":material/key:"
    ),
)

PAGES_BY_KEY = {page.key: page for page in PAGES}


def page(key: str) -> PageSpec:
    """The registry entry for `key` (KeyError if the page is not declared)."""
    return PAGES_BY_KEY[key]


def pages_for_role(role: str) -> list[PageSpec]:
    """The pages `role` may open, in registry order."""
    return [p for p in PAGES if role in p.roles]


def default_page_for_role(role: str) -> PageSpec | None:
    allowed = pages_for_role(role)
    return allowed[0] if allowed else None
