"""Who may receive a block's money: reading the rule from the rules document, and deciding it exactly.

``all``; a list of recipient codes; a rule on data (``positions_per_100k >= national_average``); or
``same_as`` another block (the rules say "the same regions"), resolved once every block is read.
"""

from __future__ import annotations

from fractions import Fraction

from allocation.block_data import Recipient, Values, as_value, key_values
from allocation.block_fields import Fields, RuleProblem
from allocation.blocks import ALL, LIST, MEAN, NATIONAL_AVERAGE, OPERATORS, RULE, Block, Eligibility, Rule
from allocation.method_params import KEY_PATTERN


def compare(op: str, left: Fraction, right: Fraction) -> bool:
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    if op == "==":
        return left == right
    raise ValueError(f"unknown operator {op!r}")


def threshold(rule: Rule, recipients: tuple[Recipient, ...], values: Values) -> Fraction:
    """The rule's right-hand side: a number, the mean of all recipients, or the national average."""
    if not isinstance(rule.than, str):
        return rule.than
    codes = [r.code for r in recipients]
    column = key_values(values, rule.key, codes)
    if not codes:
        return Fraction(0)
    if rule.than == MEAN:
        return sum(column, Fraction(0)) / len(codes)
    if rule.than == NATIONAL_AVERAGE:  # Σ rate × population / Σ population = Σ base × 100 000 / Σ population
        population = [r.population for r in recipients]
        return sum((v * p for v, p in zip(column, population, strict=True)), Fraction(0)) / sum(population)
    raise ValueError(f"unknown threshold {rule.than!r}")


def eligible_codes(eligibility: Eligibility, recipients: tuple[Recipient, ...], values: Values) -> tuple[str, ...]:
    """Who may receive the block's money, in code order."""
    codes = tuple(r.code for r in recipients)
    if eligibility.kind == ALL:
        return codes
    if eligibility.kind == LIST:
        unknown = sorted(set(eligibility.codes) - set(codes))
        if unknown:
            raise ValueError(f"eligible recipients not among the recipients: {', '.join(unknown)}")
        listed = set(eligibility.codes)
        return tuple(c for c in codes if c in listed)
    rule = eligibility.rule
    if rule is None:
        raise ValueError("an eligibility rule needs its rule")
    right = threshold(rule, recipients, values)
    column = key_values(values, rule.key, codes)
    return tuple(c for c, v in zip(codes, column, strict=True) if compare(rule.op, v, right))


def _read_threshold(f: Fields, key: str | None) -> Fraction | str | None:
    than = f.value("than")
    if isinstance(than, str) and than in (MEAN, NATIONAL_AVERAGE):
        if than == NATIONAL_AVERAGE and key is not None and not key.endswith("_per_100k"):
            f.report("than", "average_needs_rate", key=key)
            return None
        return than
    if than is None:
        return None
    try:
        return as_value("than", "-", than if not isinstance(than, float) else repr(than))
    except ValueError:
        f.report("than", "bad_threshold", value=repr(than))
        return None


def read_eligibility(f: Fields) -> tuple[Eligibility | None, str | None]:
    """The eligibility and, for ``same_as``, the block it repeats (resolved once every block is read)."""
    source = f.citation()
    if f.has("same_as"):
        same_as = f.text("same_as")
        f.done()
        return (Eligibility(same_as=same_as, source=source) if same_as and source else None), same_as
    if f.has("codes"):
        codes = f.value("codes")
        f.done()
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            f.report("codes", "not_codes")
            return None, None
        if len(set(codes)) != len(codes):
            f.report("codes", "code_twice")
        return (Eligibility(LIST, tuple(sorted(codes)), source=source) if source else None), None
    key = f.text("key")
    if key is not None and not KEY_PATTERN.match(key):
        f.report("key", "not_a_key", value=repr(key))
    op = f.text("op")
    if op is not None and op not in OPERATORS:
        f.report("op", "bad_operator", value=repr(op), choices=tuple(OPERATORS))
        op = None
    than = _read_threshold(f, key)
    f.done()
    if key is None or op is None or than is None or source is None:
        return None, None
    return Eligibility(RULE, rule=Rule(key, op, than), source=source), None


def resolve_same_as(
    blocks: list[Block | None], same: list[str | None], problems: list[RuleProblem]
) -> list[Block | None]:
    by_id = {b.id: b for b in blocks if b is not None}
    resolved = list(blocks)
    for i, (block, target) in enumerate(zip(blocks, same, strict=True)):
        if block is None or target is None:
            continue
        other = by_id.get(target)
        field = f"blocks[{i}].eligible.same_as"
        if other is None or other.eligible.same_as is not None or other.id == block.id:
            code = "same_as_unknown" if other is None else "same_as_repeats"
            problems.append(RuleProblem(field, code=code, params={"block": target}))
            continue
        mine = Eligibility(
            other.eligible.kind, other.eligible.codes, other.eligible.rule, target, block.eligible.source
        )
        resolved[i] = Block(
            block.id, block.title, block.pot, block.method, block.params, mine,
            block.keys, block.unpaid_to, block.illustrative, block.sources,
        )  # fmt: skip
    return resolved
