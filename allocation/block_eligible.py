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
            f.problem(
                "than",
                f"national_average needs a *_per_100k key, got {key!r}",
                f"national_average kräver en nyckel *_per_100k, fick {key!r}",
            )
            return None
        return than
    if than is None:
        return None
    try:
        return as_value("than", "-", than if not isinstance(than, float) else repr(than))
    except ValueError:
        f.problem(
            "than",
            f"must be a non-negative number, mean or national_average, got {than!r}",
            f"måste vara ett icke-negativt tal, mean eller national_average, fick {than!r}",
        )
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
            f.problem("codes", "must be a non-empty list of recipient codes", "måste vara en lista med mottagarkoder")
            return None, None
        if len(set(codes)) != len(codes):
            f.problem("codes", "a recipient is listed twice", "en mottagare står två gånger")
        return (Eligibility(LIST, tuple(sorted(codes)), source=source) if source else None), None
    key = f.text("key")
    if key is not None and not KEY_PATTERN.match(key):
        f.problem("key", f"not a key: {key!r}", f"ingen nyckel: {key!r}")
    op = f.text("op")
    if op is not None and op not in OPERATORS:
        f.problem(
            "op",
            f"must be one of {' '.join(OPERATORS)}, got {op!r}",
            f"måste vara en av {' '.join(OPERATORS)}, fick {op!r}",
        )
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
            why = "unknown block" if other is None else "a block that itself repeats another (or itself)"
            why_sv = "okänt block" if other is None else "ett block som själv upprepar ett annat (eller sig självt)"
            problems.append(RuleProblem(field, f"{field}: {why}: {target!r}", f"{field}: {why_sv}: {target!r}"))
            continue
        mine = Eligibility(
            other.eligible.kind, other.eligible.codes, other.eligible.rule, target, block.eligible.source
        )
        resolved[i] = Block(
            block.id, block.title, block.pot, block.method, block.params, mine,
            block.keys, block.unpaid_to, block.illustrative, block.sources,
        )  # fmt: skip
    return resolved
