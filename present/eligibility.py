"""A block's eligibility rule in plain Swedish: ``positions_per_100k >= national_average`` becomes
"AT-tjänster per 100 000 invånare minst riksgenomsnittet"."""

from __future__ import annotations

from present import formats as f

KEY_SV = {
    "positions": "AT-tjänster",
    "expansion": "utökning (tjänster)",
    "population": "befolkning",
    "planned": "planerade tjänster",
    "outcome": "utfall (tjänster)",
    "filled": "tillsatta tjänster",
    "started": "påbörjade tjänster",
    "excluded": "tjänster som redan gett bidrag",
    "requisitioned": "rekvirerat belopp",
    "equal": "lika delar",
}
OP_SV = {">=": "minst", ">": "mer än", "<=": "högst", "<": "mindre än", "==": "lika med"}
THAN_SV = {"national_average": "riksgenomsnittet", "mean": "medelvärdet"}
PER_100K = "_per_100k"


def key_sv(key: str) -> str:
    """A data key's Swedish name; an unknown key shows by its own name."""
    if key.endswith(PER_100K):
        return f"{key_sv(key.removesuffix(PER_100K))} per 100 000 invånare"
    return KEY_SV.get(key, key)


def rule_sv(key: str, op: str, than: object) -> str:
    if isinstance(than, int | float):
        limit = f.number(than, 0 if float(than).is_integer() else 2)
    else:
        limit = THAN_SV.get(str(than), str(than))
    return f"{key_sv(key)} {OP_SV.get(op, op)} {limit}"
