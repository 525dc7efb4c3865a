"""Each statutory figure's definition, written once: what is counted, from which dates.

The definitions follow the DfE's methodology for "Characteristics of children in need" (the
children in need census) and "Children looked after in England" (the SSDA903). The census year
runs from 1 April to the census's reference date (31 March); "in the year" below means a date
inside it, both ends included. Where the product has to choose (a child with two open plans,
initial or latest category), the definition says which choice it made.

A figure whose ``annual_code`` names a catalogue indicator is stored as the partnership's figure
for the census year; ``quarterly_code`` names the catalogue's quarterly measure it is also
stored as, quarter by quarter. A figure with neither is shown, not stored (the catalogue has no
indicator for it).
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"
PERCENTAGE = "percentage"
RATE = "rate_per_10k"


@dataclass(frozen=True)
class FigureDefinition:
    key: str
    label: str
    unit: str
    definition: str
    annual_code: str | None = None
    quarterly_code: str | None = None


_WD = (
    "Working days are Monday to Friday less England's bank holidays (the `holidays` package, "
    "GB/ENG); the start day is day 0."
)
_RATE = (
    "Per 10,000 children aged 0-17: 10,000 x the count / the child population (the "
    "CHILD_POPULATION figure loaded for the census year, or the population given when importing)."
)

FIGURES: tuple[FigureDefinition, ...] = (
    # ------------------------------------------------------------ children in need census
    FigureDefinition(
        "referrals",
        "Referrals received",
        COUNT,
        "Episodes (CINdetails) whose CINreferralDate is in the year, including referrals with no "
        "further action (ReferralNFA true); a child referred twice counts twice (DfE table C1).",
        annual_code="STAT_REFERRALS",
        quarterly_code="MASH_REFERRALS",
    ),
    FigureDefinition(
        "referral_rate",
        "Referral rate per 10,000 children",
        RATE,
        "Referrals in the year per 10,000 children. " + _RATE,
        annual_code="STAT_REFERRAL_RATE",
    ),
    FigureDefinition(
        "rereferrals",
        "Re-referrals within 12 months",
        PERCENTAGE,
        "Referrals in the year for a child with an earlier referral (an earlier CINreferralDate "
        "in the same child's record) on or after the same date 12 months before, as a "
        "percentage of referrals in the year (DfE table C2). It needs every referral of the 12 "
        "months before the year: a census holds only episodes open during the year, so the "
        "figure is computed only from a file that also holds episodes closed before the year "
        "began (a history extract); otherwise it is left out and the preview says so.",
        annual_code="STAT_REREFERRALS_12M",
        quarterly_code="MASH_REREFERRALS",
    ),
    FigureDefinition(
        "cin_at_31_march",
        "Children in need at 31 March",
        COUNT,
        "Children (counted once) with an episode open on the reference date: CINreferralDate on "
        "or before it and no CINclosureDate, or one after it; referrals with no further action "
        "are left out (DfE table B1).",
        annual_code="STAT_CIN_COUNT",
    ),
    FigureDefinition(
        "cin_rate",
        "Children in need per 10,000 children",
        RATE,
        "Children in need at 31 March per 10,000 children. " + _RATE,
        annual_code="STAT_CIN_RATE",
    ),
    FigureDefinition(
        "assessments_completed",
        "Assessments completed in the year",
        COUNT,
        "Children and families assessments whose AssessmentAuthorisationDate is in the year "
        "(DfE table C3).",
    ),
    FigureDefinition(
        "assessments_45wd",
        "Assessments completed within 45 working days",
        PERCENTAGE,
        "Assessments completed in the year whose AssessmentAuthorisationDate is at most 45 "
        "working days after the episode's CINreferralDate, as a percentage of assessments "
        "completed in the year (DfE table C3). " + _WD,
        annual_code="STAT_ASSESSMENTS_45WD",
        quarterly_code="MASH_ASSESSMENTS_45WD",
    ),
    FigureDefinition(
        "s47_enquiries",
        "Section 47 enquiries started in the year",
        COUNT,
        "Section 47 enquiries whose S47ActualStartDate is in the year (DfE table D1).",
    ),
    FigureDefinition(
        "s47_rate",
        "Section 47 enquiries per 10,000 children",
        RATE,
        "Section 47 enquiries started in the year per 10,000 children. " + _RATE,
        annual_code="STAT_S47_RATE",
    ),
    FigureDefinition(
        "icpc",
        "Initial child protection conferences in the year",
        COUNT,
        "Initial conferences (DateOfInitialCPC in a Section47 block, ICPCnotRequired not true) "
        "held in the year (DfE table D1).",
        annual_code="STAT_ICPC_COUNT",
    ),
    FigureDefinition(
        "icpc_15wd",
        "Initial conferences within 15 working days",
        PERCENTAGE,
        "Initial conferences in the year held at most 15 working days after the start of the "
        "section 47 enquiry that preceded them (S47ActualStartDate), as a percentage of initial "
        "conferences in the year (DfE table D1). " + _WD,
        annual_code="STAT_ICPC_15WD",
        quarterly_code="MASH_ICPC_15WD",
    ),
    FigureDefinition(
        "cp_at_31_march",
        "Children on a child protection plan at 31 March",
        COUNT,
        "Children (counted once) with a plan open on the reference date: CPPstartDate on or "
        "before it and no CPPendDate, or one after it (DfE table D3).",
        annual_code="STAT_CP_COUNT",
    ),
    FigureDefinition(
        "cp_rate",
        "Children on a child protection plan per 10,000 children",
        RATE,
        "Children on a plan at 31 March per 10,000 children. " + _RATE,
        annual_code="STAT_CP_RATE",
    ),
    FigureDefinition(
        "cp_neglect",
        "Plans at 31 March for neglect (initial category)",
        COUNT,
        "Children on a plan at 31 March whose InitialCategoryOfAbuse is NEG. The INITIAL "
        "category is used, as in the DfE's table D3 (the latest category is read but not "
        "counted); a child with two open plans is counted under the later-starting plan.",
        annual_code="STAT_CP_NEGLECT",
    ),
    FigureDefinition(
        "cp_emotional",
        "Plans at 31 March for emotional abuse (initial category)",
        COUNT,
        "Children on a plan at 31 March whose InitialCategoryOfAbuse is EMO (initial category).",
        annual_code="STAT_CP_EMOTIONAL",
    ),
    FigureDefinition(
        "cp_physical",
        "Plans at 31 March for physical abuse (initial category)",
        COUNT,
        "Children on a plan at 31 March whose InitialCategoryOfAbuse is PHY (initial category).",
        annual_code="STAT_CP_PHYSICAL",
    ),
    FigureDefinition(
        "cp_sexual",
        "Plans at 31 March for sexual abuse (initial category)",
        COUNT,
        "Children on a plan at 31 March whose InitialCategoryOfAbuse is SAB (initial category).",
        annual_code="STAT_CP_SEXUAL",
    ),
    FigureDefinition(
        "cp_multiple",
        "Plans at 31 March for multiple categories (initial category)",
        COUNT,
        "Children on a plan at 31 March whose InitialCategoryOfAbuse is MUL (initial category).",
        annual_code="STAT_CP_MULTIPLE",
    ),
    FigureDefinition(
        "cp_neglect_share",
        "Neglect share of plans at 31 March",
        PERCENTAGE,
        "Plans at 31 March for neglect (initial category) as a percentage of all children on a "
        "plan at 31 March.",
        annual_code="STAT_CP_NEGLECT_SHARE",
    ),
    FigureDefinition(
        "cp_started",
        "Child protection plans started in the year",
        COUNT,
        "Plans whose CPPstartDate is in the year (DfE table D2).",
    ),
    FigureDefinition(
        "cp_second_or_later",
        "Plans started in the year that were a second or later plan",
        PERCENTAGE,
        "Plans started in the year where NumberOfPreviousCPP is 1 or more, or the child's record "
        "holds an earlier plan, as a percentage of plans started in the year (DfE table D2: "
        "second or subsequent time, ever).",
        annual_code="STAT_CP_SECOND_PLAN",
    ),
    FigureDefinition(
        "cp_ended",
        "Child protection plans ended in the year",
        COUNT,
        "Plans whose CPPendDate is in the year (DfE table D4).",
    ),
    FigureDefinition(
        "cp_two_years",
        "Plans ended in the year that had lasted two years or more",
        PERCENTAGE,
        "Plans ended in the year whose CPPendDate is on or after the same date two years after "
        "the CPPstartDate, as a percentage of plans ended in the year (DfE table D4).",
        annual_code="STAT_CP_ENDED_2Y",
    ),
    FigureDefinition(
        "cp_reviews_on_time",
        "Plans at 31 March with every review on time",
        PERCENTAGE,
        "Children on a plan at 31 March that had lasted at least 3 months, whose first review "
        "(CPPreviewDate) was within 3 months of the plan's start and each later one within 6 "
        "months of the one before, with none overdue on the reference date, as a percentage of "
        "those children (DfE table D5).",
    ),
    FigureDefinition(
        "fgdm_letters",
        "Letters before proceedings sent in the year (2025-26 onwards)",
        COUNT,
        "PreProceedingsandFGDM blocks whose LBPSentDate is in the year; only the 2025-26 census "
        "and later carry them.",
    ),
    FigureDefinition(
        "fgdm_offered",
        "Family group decision-making meetings offered (2025-26 onwards)",
        PERCENTAGE,
        "Letters before proceedings sent in the year whose FGDMMeetingOffer is yes, as a "
        "percentage of letters before proceedings sent in the year.",
    ),
    # ------------------------------------------------------------ SSDA903
    FigureDefinition(
        "cla_at_31_march",
        "Children looked after at 31 March",
        COUNT,
        "Children (CHILD, counted once) with an episode (episodes table, or EPISODE) starting on or before "
        "the reference date and with no DEC, or a DEC after it (DfE table A1). Children whose "
        "only episodes are short-break respite (legal status V3/V4) are left out, as the DfE "
        "does.",
        annual_code="STAT_CLA_COUNT",
    ),
    FigureDefinition(
        "cla_rate",
        "Children looked after per 10,000 children",
        RATE,
        "Children looked after at 31 March per 10,000 children. " + _RATE,
        annual_code="STAT_CLA_RATE",
    ),
    FigureDefinition(
        "cla_started",
        "Children who started to be looked after in the year",
        COUNT,
        "Episodes with reason for new episode (RNE) S whose DECOM is in the year (DfE table C1).",
    ),
    FigureDefinition(
        "cla_ceased",
        "Children who ceased to be looked after in the year",
        COUNT,
        "Episodes whose DEC is in the year and with a reason episode ceased (REC) other than X1 "
        "(the episode continues; DfE table D1).",
    ),
    FigureDefinition(
        "cla_3_placements",
        "Children looked after at 31 March with three or more placements in the year",
        PERCENTAGE,
        "Children looked after at 31 March with three or more placements in the year, as a "
        "percentage of children looked after at 31 March (excluding short-break respite). A "
        "child's placements in the year are its first episode open in the year plus each later "
        "episode in the year whose reason for new episode (RNE) starts a placement (S, P, B, T "
        "or U; L is a change of legal status only).",
        annual_code="STAT_CLA_3_PLACEMENTS",
    ),
    FigureDefinition(
        "cla_health_assessment",
        "Children looked after for 12 months with their health assessment",
        PERCENTAGE,
        "Children in the OC2 table (looked after continuously for 12 months at 31 March) whose "
        "HEALTH_CHECK is 1 (annual health assessment up to date), as a percentage of the OC2 "
        "table's children.",
        annual_code="STAT_CLA_HEALTH_ASSESSMENT",
    ),
    FigureDefinition(
        "care_leavers_in_touch",
        "Care leavers the council is in touch with",
        PERCENTAGE,
        "Care leavers in the OC3 table (aged 19-21 in the year) whose IN_TOUCH is YES, as a "
        "percentage of the OC3 table's care leavers less those who died (IN_TOUCH DIED).",
        annual_code="STAT_CARE_LEAVERS_IN_TOUCH",
    ),
    FigureDefinition(
        "care_leavers_neet",
        "Care leavers not in education, employment or training",
        PERCENTAGE,
        "Care leavers in the OC3 table whose ACTIV is G4, G5 or G6 (not in education, training "
        "or employment), as a percentage of the OC3 table's care leavers less those who died.",
        annual_code="STAT_CARE_LEAVERS_NEET",
    ),
    # ------------------------------------------------------------ Ofsted Annex A
    *(
        FigureDefinition(
            f"annex_a_list_{number}",
            f"Annex A list {number}: {title}",
            COUNT,
            f"Rows on the workbook's 'List {number}' sheet with a first cell filled in (one row "
            "per child, or per adopter for list 11), over the months before the inspection the "
            "workbook covers. Shown, not stored: Annex A covers the months Ofsted asks for, not "
            "a financial year, so its counts are not the partnership's annual figures.",
        )
        for number, title in (
            (1, "contacts"),
            (2, "early help assessments"),
            (3, "referrals"),
            (4, "assessments"),
            (5, "section 47 enquiries and initial conferences"),
            (6, "children in need"),
            (7, "children on a child protection plan"),
            (8, "children looked after"),
            (9, "care leavers"),
            (10, "children with a decision to be placed for adoption"),
            (11, "adopters"),
        )
    ),
)

BY_KEY = {figure.key: figure for figure in FIGURES}
