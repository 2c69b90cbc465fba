"""Who may see and change what: the permission rules, as pure data and functions.

Three roles share the dashboard:

- ``handläggare`` (staff): everything, including recording events, imports, saving scenarios and rounds.
- ``chef`` (manager): reads every page; changes nothing.
- ``region`` (bound to one län code): the published rules and planning data, the preview of its own
  region, its own reports, requisitions and status; another region's reported outcomes, amounts,
  requisitions and status only once the round's decision is published; changes nothing.

The service layer (``store.session``) asks ``decide`` before every read and write; pages only hide
what a role may not use. This module has no Streamlit and no database in it, so every role × action
is unit-tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    STAFF = "handläggare"
    MANAGER = "chef"
    REGION = "region"


ROLE_SV = {
    Role.STAFF: "handläggare",
    Role.MANAGER: "chef (läsbehörighet)",
    Role.REGION: "region",
}


class Action(StrEnum):
    # Reads open to every role.
    READ_RULES = "read_rules"  # rules files, population, planned positions, milestones
    # Reads of one region's data: open to staff and managers; to a region for its own data, and for
    # another region's only once the round's decision is published.
    READ_REPORTS = "read_reports"  # AT reported outcomes
    READ_AMOUNTS = "read_amounts"  # fixed amounts per region (estimate or official)
    READ_FOLLOWUP = "read_followup"  # requisitions, payouts, ombud, usage reports
    READ_STATUS = "read_status"  # deadline status (derived from the follow-up data)
    PREVIEW = "preview"  # the region preview with its own inputs (never stored)
    # A round's frozen decisions and letters: staff and managers; a region once the decision is published.
    READ_DECISIONS = "read_decisions"
    # Staff and managers only.
    SIMULATE = "simulate"  # the AT simulator: starts from every region's reported outcomes
    READ_SCENARIOS = "read_scenarios"
    READ_AUDIT = "read_audit"
    READ_TABLES = "read_tables"  # raw tables and exports
    # Staff only.
    READ_USERS = "read_users"
    WRITE_REPORTS = "write_reports"
    WRITE_FOLLOWUP = "write_followup"  # requisitions, payouts, ombud, usage reports
    IMPORT = "import"  # files: reports, requisitions, the official amounts table
    SAVE_SCENARIO = "save_scenario"  # save, overwrite, delete
    PUBLISH_DECISION = "publish_decision"
    MANAGE_USERS = "manage_users"
    BACKUP = "backup"
    EDIT_ROUNDS = "edit_rounds"  # save a round's rules (a new round or a new version)


ACTION_SV = {
    Action.READ_RULES: "läsa regler och planeringsunderlag",
    Action.READ_REPORTS: "läsa rapporterade AT-utfall",
    Action.READ_AMOUNTS: "läsa belopp per region",
    Action.READ_FOLLOWUP: "läsa rekvisitioner, utbetalningar och återrapporter",
    Action.READ_STATUS: "läsa status för tidsfrister",
    Action.PREVIEW: "göra ett förhandsbesked",
    Action.READ_DECISIONS: "läsa beslut och beslutsbrev",
    Action.SIMULATE: "simulera fördelningen för alla regioner",
    Action.READ_SCENARIOS: "läsa sparade scenarier",
    Action.READ_AUDIT: "läsa granskningsloggen",
    Action.READ_TABLES: "läsa och exportera tabeller",
    Action.READ_USERS: "se användare och roller",
    Action.WRITE_REPORTS: "registrera regionernas rapporter",
    Action.WRITE_FOLLOWUP: "registrera ombud, rekvisitioner, utbetalningar och återrapporter",
    Action.IMPORT: "importera filer",
    Action.SAVE_SCENARIO: "spara eller ta bort scenarier",
    Action.PUBLISH_DECISION: "publicera beslut",
    Action.MANAGE_USERS: "ändra användare och roller",
    Action.BACKUP: "ta säkerhetskopior",
    Action.EDIT_ROUNDS: "skapa och ändra bidragsomgångar",
}

# Actions that concern one region's data: a region user gets them for its own region, and (the reads
# of outcomes, amounts, follow-up and status) for others once the decision is published.
REGION_SCOPED = frozenset(
    {Action.READ_REPORTS, Action.READ_AMOUNTS, Action.READ_FOLLOWUP, Action.READ_STATUS, Action.PREVIEW}
)
PUBLIC_AFTER_DECISION = frozenset({Action.READ_REPORTS, Action.READ_AMOUNTS, Action.READ_FOLLOWUP, Action.READ_STATUS})
WRITES = frozenset(
    {
        Action.WRITE_REPORTS,
        Action.WRITE_FOLLOWUP,
        Action.IMPORT,
        Action.SAVE_SCENARIO,
        Action.PUBLISH_DECISION,
        Action.MANAGE_USERS,
        Action.BACKUP,
        Action.EDIT_ROUNDS,
    }
)
MANAGER_READS = frozenset(a for a in Action if a not in WRITES and a is not Action.READ_USERS)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a name for the audit log, a role, and for a region user its län code."""

    name: str
    role: Role = Role.STAFF
    region: str | None = None
    login: str = "local"  # "local" (single-user mode), "oidc" or "cli"

    def __post_init__(self) -> None:
        if not isinstance(self.role, Role):
            object.__setattr__(self, "role", Role(self.role))
        if (self.role is Role.REGION) != (self.region is not None):
            raise ValueError("a region user needs a län code, and only a region user has one")

    @property
    def audit_role(self) -> str:
        """The role as the audit log records it: a region user with its län code."""
        return f"region {self.region}" if self.role is Role.REGION else self.role.value


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    message_sv: str = ""
    message_en: str = ""


ALLOWED = Decision(True)


def decide(principal: Principal, action: Action, region: str | None = None, published: bool = False) -> Decision:
    """May ``principal`` do ``action`` (on ``region``'s data, when the action concerns one region)?

    ``published``: the decision of the round concerned is published, which makes every region's
    outcomes, amounts and follow-up public.
    """
    role = principal.role
    if role is Role.STAFF:
        return ALLOWED
    if action is Action.READ_RULES:
        return ALLOWED
    if role is Role.MANAGER:
        if action in MANAGER_READS:
            return ALLOWED
        return _refused(principal, action, "Rollen chef har läsbehörighet och kan inte ändra något.")
    # Region users.
    if action is Action.READ_DECISIONS:
        if published:
            return ALLOWED
        return _refused(principal, action, "Beslutet och breven visas för regionerna när beslutet är publicerat.")
    if action in REGION_SCOPED:
        if region is None or region == principal.region:
            return ALLOWED  # a list read is narrowed to the own region by the service layer
        if published and action in PUBLIC_AFTER_DECISION:
            return ALLOWED
        return _refused(
            principal,
            action,
            f"En regionanvändare ser bara sin egen region ({principal.region}), inte region {region}, "
            "innan beslutet är publicerat.",
        )
    return _refused(principal, action, "Den här delen är till för myndighetens handläggare och chefer.")


def _refused(principal: Principal, action: Action, why: str) -> Decision:
    return Decision(
        False,
        f"Du har inte behörighet att {ACTION_SV[action]} (roll: {ROLE_SV[principal.role]}). {why}",
        f"{principal.role.value!r} may not {action.value}",
    )


def visible_regions(principal: Principal, action: Action, codes: list[str], published: bool = False) -> list[str]:
    """The subset of ``codes`` whose data the principal may read with ``action``."""
    return [c for c in codes if decide(principal, action, c, published).allowed]
