"""The store's tables that may be read and exported, with their Swedish names (no database needed)."""

from __future__ import annotations

EXPORTABLE_TABLES = {
    "regions": "Regioner",
    "population": "Befolkning",
    "rounds": "Bidragsomgångar",
    "milestones": "Milstolpar",
    "planned_positions": "Planerade AT-tjänster",
    "at_reports": "Rapporter från regionerna",
    "scenarios": "Sparade scenarier",
    "fixed_amounts": "Belopp per region (fasta belopp)",
    "ombud": "Godkända ombud",
    "requisitions": "Rekvisitioner",
    "payouts": "Utbetalningar",
    "recoveries": "Återbetalda återkrav",
    "usage_reports": "Återrapporteringar",
    "decisions": "Publicerade beslut",
    "users": "Användare och roller",
    "audit_log": "Granskningslogg",
}
