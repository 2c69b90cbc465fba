"""Problems of a rules document in words: a catalog from a problem's code to its English and Swedish text.

``allocation.block_fields.RuleProblem`` names the field (its path in the document, which the author of the
file wrote) and says what is wrong as a code with plain parameters; the text here names the field first
(or, for a text refused before it could be read as fields, its line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from allocation.block_fields import RuleProblem, RuleValue
from present import formats as f

__all__ = ["ENGLISH", "SWEDISH", "rule_problem_en", "rule_problem_sv", "rule_problems_sv"]

Params = Mapping[str, RuleValue]


def _sv(value: RuleValue) -> str:
    """A value as the Swedish text quotes it: ``'x'`` (a repr) becomes ``”x”``."""
    text = str(value)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return f"”{text[1:-1]}”"
    return text


WHAT_EN = {"pot_options": "pot options"}  # what a rules file has too many of; others by their own name
WHAT_SV = {
    "blocks": "block",
    "milestones": "milstolpar",
    "keys": "nycklar",
    "pot_options": "pottalternativ",
    "steps": "trappsteg",
    "entries": "poster",
}
CHAR_EN = {
    "break": "a tab or line break",
    "direction": "a character that changes the text direction",
    "invisible": "an invisible character",
    "control": "a control character",
}
CHAR_SV = {
    "break": "en tabb eller radbrytning",
    "direction": "ett tecken som ändrar textriktningen",
    "invisible": "ett osynligt tecken",
    "control": "ett styrtecken",
}


def _n(p: Params, name: str) -> str:
    value = p.get(name)
    return f.number(value) if isinstance(value, int) else str(value)


def _listed(p: Params, separator: str, name: str = "choices") -> str:
    value = p.get(name) or ()
    return separator.join(value) if isinstance(value, tuple) else str(value)


def _amount(p: Params, name: str) -> str:
    value = p.get(name)
    return f.kr(value) if isinstance(value, int) else str(value)


ENGLISH: Mapping[str, Callable[[Params], str]] = {
    "missing_field": lambda p: "missing field",
    "not_text": lambda p: "must be non-empty text",
    "not_whole": lambda p: f"must be a whole number, got {p.get('value')}",
    "negative": lambda p: f"must not be negative, got {p.get('value')}",
    "below_minimum": lambda p: f"must be at least {p.get('minimum')}, got {p.get('value')}",
    "above_max_amount": lambda p: f"{p.get('value')} is more than {_amount(p, 'maximum')}, the largest amount accepted",
    "not_a_date": lambda p: f"must be a date (YYYY-MM-DD), got {p.get('value')}",
    "not_bool": lambda p: "must be true or false",
    "not_table": lambda p: "must be a table",
    "not_tables": lambda p: "must be a list of tables",
    "unknown_field": lambda p: "unknown field",
    "average_needs_rate": lambda p: f"national_average needs a *_per_100k key, got {p.get('key')!r}",
    "bad_threshold": lambda p: f"must be a non-negative number, mean or national_average, got {p.get('value')}",
    "not_codes": lambda p: "must be a non-empty list of recipient codes",
    "code_twice": lambda p: "a recipient is listed twice",
    "not_a_key": lambda p: f"not a key: {p.get('value')}",
    "bad_operator": lambda p: f"must be one of {_listed(p, ' ')}, got {p.get('value')}",
    "same_as_unknown": lambda p: f"unknown block: {p.get('block')!r}",
    "same_as_repeats": lambda p: f"a block that itself repeats another (or itself): {p.get('block')!r}",
    "pot_option_twice": lambda p: f"pot option {p.get('option')!r} appears twice",
    "no_pot_option": lambda p: f"no pot option {p.get('option')!r}",
    "bad_paid_on": lambda p: f"must be one of {_listed(p, ', ')}, got {p.get('value')}",
    "bad_eligible": lambda p: 'must be "all" or a table (codes, a rule or same_as)',
    "unknown_method": lambda p: f"unknown method {p.get('value')}; known: {_listed(p, ', ')}",
    "after_due": lambda p: f"{p.get('value')} comes after the due date {p.get('due')}",
    "bad_planned": lambda p: str(p.get("detail")),
    "file_or_table": lambda p: "give either file or table",
    "above_gross": lambda p: f"{p.get('value')} is more than the gross appropriation {p.get('gross')}",
    "not_blocks_kind": lambda p: f'must be "{p.get("kind")}" for a round of blocks, got {p.get("value")}',
    "no_blocks": lambda p: "a round needs at least one block",
    "unknown_recipient": lambda p: f"unknown recipient {p.get('code')!r}",
    "bad_key_name": lambda p: f"a key is lower-case letters, digits and _, got {p.get('value')}",
    "not_among": lambda p: f"must be one of {_listed(p, ', ')}, got {p.get('value')}",
    "steps_not_increasing": lambda p: (
        f"steps must be strictly increasing: {p.get('value')} comes after {p.get('previous')}"
    ),
    "step_pays_less": lambda p: f"a higher step may not pay less: {p.get('value')} after {p.get('previous')}",
    "no_steps": lambda p: "the staircase needs at least one step",
    "requisition_needs_table": lambda p: (
        "a block paid on requisition needs the method fixed_table (the most each recipient may requisition), "
        f"not {p.get('method')}"
    ),
    "mixed_payment": lambda p: "either every block is paid on requisition or none is",
    "requisition_needs_milestone": lambda p: (
        f'a round paid on requisition needs a milestone with event = "{p.get("event")}" and a due date '
        "(the last day to requisition)"
    ),
    "params_of_other_method": lambda p: f"{p.get('method')} needs {p.get('kind')}",
    "block_id_reserved": lambda p: f"block id {p.get('block')!r} is reserved",
    "block_id_twice": lambda p: f"block id {p.get('block')!r} appears twice",
    "flows_to_unknown": lambda p: f"unpaid money flows to an unknown block {p.get('block')!r}",
    "flows_to_itself": lambda p: "a block cannot flow into itself",
    "flow_cycle": lambda p: f"the flows form a cycle: {_listed(p, ' → ', 'blocks')}",
    "file_too_big": lambda p: f"the rules file is {_n(p, 'size')} bytes; at most {_n(p, 'limit')} are accepted",
    "too_many_lines": lambda p: f"the rules file has {_n(p, 'count')} lines; at most {_n(p, 'limit')} are accepted",
    "line_too_long": lambda p: f"{_n(p, 'length')} characters; at most {_n(p, 'limit')} on a line",
    "bare_too_long": lambda p: f"a number or word of {_n(p, 'length')} characters; at most {_n(p, 'limit')}",
    "key_too_long": lambda p: (
        f"a dotted key or table header longer than {p.get('parts')} parts or {p.get('limit')} characters"
    ),
    "nested_too_deep": lambda p: f"arrays or inline tables nested more than {p.get('limit')} deep",
    "too_many_tables": lambda p: f"more than {_n(p, 'limit')} tables and arrays in the file",
    "text_not_closed": lambda p: "a text is not closed",
    "too_many": lambda p: (
        f"{_n(p, 'count')} {WHAT_EN.get(str(p.get('what')), p.get('what'))}; at most {_n(p, 'limit')} are accepted"
    ),
    "year_out_of_range": lambda p: f"must be a year from {p.get('low')} to {p.get('high')}, got {p.get('value')}",
    "date_far_from_year": lambda p: (
        f"{p.get('value')} is more than {p.get('span')} years from the round's year {p.get('year')}"
    ),
    "date_out_of_range": lambda p: f"{p.get('value')} is outside {p.get('low')}–{p.get('high')}",
    "not_toml": lambda p: f"not valid TOML: {p.get('detail')}",
    "unreadable_rules": lambda p: f"the rules file cannot be read ({p.get('cause')})",
    "forbidden_char": lambda p: (
        f"holds {CHAR_EN.get(str(p.get('kind')), 'a control character')} ({p.get('char')}) at character "
        f"{p.get('at')}; write it without"
    ),
    "text_too_long": lambda p: f"{p.get('length')} characters; at most {p.get('limit')}",
}

SWEDISH: Mapping[str, Callable[[Params], str]] = {
    "missing_field": lambda p: "fältet saknas",
    "not_text": lambda p: "måste vara en text som inte är tom",
    "not_whole": lambda p: f"måste vara ett heltal, fick {_sv(p.get('value'))}",
    "negative": lambda p: f"får inte vara negativt, fick {p.get('value')}",
    "below_minimum": lambda p: f"måste vara minst {p.get('minimum')}, fick {p.get('value')}",
    "above_max_amount": lambda p: (
        f"{_amount(p, 'value')} är mer än {_amount(p, 'maximum')}, det största belopp som tas emot"
    ),
    "not_a_date": lambda p: f"måste vara ett datum (ÅÅÅÅ-MM-DD), fick {_sv(p.get('value'))}",
    "not_bool": lambda p: "måste vara true eller false",
    "not_table": lambda p: "måste vara en tabell",
    "not_tables": lambda p: "måste vara en lista av tabeller",
    "unknown_field": lambda p: "okänt fält",
    "average_needs_rate": lambda p: (
        f"national_average (riksgenomsnittet) kräver en nyckel per 100 000 invånare (*_per_100k), fick ”{p.get('key')}”"
    ),
    "bad_threshold": lambda p: (
        f"måste vara ett icke-negativt tal, mean eller national_average, fick {_sv(p.get('value'))}"
    ),
    "not_codes": lambda p: "måste vara en lista med mottagarkoder",
    "code_twice": lambda p: "en mottagare står två gånger",
    "not_a_key": lambda p: f"ingen nyckel: {_sv(p.get('value'))}",
    "bad_operator": lambda p: f"måste vara en av {_listed(p, ' ')}, fick {_sv(p.get('value'))}",
    "same_as_unknown": lambda p: f"okänt block: ”{p.get('block')}”",
    "same_as_repeats": lambda p: f"ett block som självt upprepar ett annat (eller sig självt): ”{p.get('block')}”",
    "pot_option_twice": lambda p: f"pottalternativet ”{p.get('option')}” förekommer två gånger",
    "no_pot_option": lambda p: f"inget pottalternativ ”{p.get('option')}”",
    "bad_paid_on": lambda p: f"måste vara {_listed(p, ' eller ')}, fick {_sv(p.get('value'))}",
    "bad_eligible": lambda p: "måste vara ”all” eller en tabell (codes, en regel eller same_as)",
    "unknown_method": lambda p: f"okänd metod {_sv(p.get('value'))}; kända: {_listed(p, ', ')}",
    "after_due": lambda p: f"{p.get('value')} kommer efter slutdatumet {p.get('due')}",
    "bad_planned": lambda p: f"planerat värde kan inte läsas: {_sv(p.get('value'))}",
    "file_or_table": lambda p: "ange antingen file eller table",
    "above_gross": lambda p: f"{_amount(p, 'value')} är mer än hela anslaget {_amount(p, 'gross')}",
    "not_blocks_kind": lambda p: f"måste vara ”{p.get('kind')}”, fick {_sv(p.get('value'))}",
    "no_blocks": lambda p: "en omgång behöver minst ett block",
    "unknown_recipient": lambda p: f"okänd mottagare ”{p.get('code')}”",
    "bad_key_name": lambda p: f"en nyckel består av små bokstäver, siffror och _, fick {_sv(p.get('value'))}",
    "not_among": lambda p: f"måste vara en av {_listed(p, ', ')}, fick {_sv(p.get('value'))}",
    "steps_not_increasing": lambda p: (
        f"trappstegen måste öka strikt: {p.get('value')} kommer efter {p.get('previous')}"
    ),
    "step_pays_less": lambda p: (
        f"ett högre trappsteg får inte ge mindre: {_amount(p, 'value')} efter {_amount(p, 'previous')}"
    ),
    "no_steps": lambda p: "trappan behöver minst ett steg",
    "requisition_needs_table": lambda p: (
        "ett block som betalas ut efter rekvisition kräver metoden fixed_table (det högsta belopp varje mottagare "
        f"kan rekvirera), inte {p.get('method')}"
    ),
    "mixed_payment": lambda p: "antingen betalas alla block ut efter rekvisition eller inget",
    "requisition_needs_milestone": lambda p: (
        f"en omgång som betalas ut efter rekvisition behöver en milstolpe med event = ”{p.get('event')}” "
        "och ett slutdatum (sista dag att rekvirera)"
    ),
    "params_of_other_method": lambda p: f"{p.get('method')} kräver parametrar av sitt eget slag ({p.get('kind')})",
    "block_id_reserved": lambda p: f"block-id ”{p.get('block')}” är reserverat",
    "block_id_twice": lambda p: f"block-id ”{p.get('block')}” förekommer två gånger",
    "flows_to_unknown": lambda p: f"ej utbetalda medel går till ett okänt block ”{p.get('block')}”",
    "flows_to_itself": lambda p: "ett block kan inte gå till sig självt",
    "flow_cycle": lambda p: f"flödena bildar en cykel: {_listed(p, ' → ', 'blocks')}",
    "file_too_big": lambda p: f"regelfilen är {_n(p, 'size')} byte; högst {_n(p, 'limit')} tas emot",
    "too_many_lines": lambda p: f"regelfilen har {_n(p, 'count')} rader; högst {_n(p, 'limit')} tas emot",
    "line_too_long": lambda p: f"{_n(p, 'length')} tecken; högst {_n(p, 'limit')} på en rad",
    "bare_too_long": lambda p: f"ett tal eller ord med {_n(p, 'length')} tecken; högst {_n(p, 'limit')}",
    "key_too_long": lambda p: (
        f"en punktad nyckel eller tabellrubrik längre än {p.get('parts')} delar eller {p.get('limit')} tecken"
    ),
    "nested_too_deep": lambda p: f"listor eller tabeller i varandra i mer än {p.get('limit')} nivåer",
    "too_many_tables": lambda p: f"fler än {_n(p, 'limit')} tabeller och listor i filen",
    "text_not_closed": lambda p: "en text avslutas inte",
    "too_many": lambda p: (
        f"{_n(p, 'count')} {WHAT_SV.get(str(p.get('what')), p.get('what'))}; högst {_n(p, 'limit')} tas emot"
    ),
    "year_out_of_range": lambda p: f"måste vara ett år {p.get('low')}–{p.get('high')}, fick {p.get('value')}",
    "date_far_from_year": lambda p: (
        f"{p.get('value')} ligger mer än {p.get('span')} år från omgångens år {p.get('year')}"
    ),
    "date_out_of_range": lambda p: f"{p.get('value')} ligger utanför {p.get('low')}–{p.get('high')}",
    "not_toml": lambda p: f"inte giltig TOML: {p.get('detail')}",
    "unreadable_rules": lambda p: f"regelfilen kan inte läsas ({p.get('cause')})",
    "forbidden_char": lambda p: (
        f"innehåller {CHAR_SV.get(str(p.get('kind')), 'ett styrtecken')} ({p.get('char')}) vid tecken "
        f"{p.get('at')}; skriv utan det"
    ),
    "text_too_long": lambda p: f"{p.get('length')} tecken; högst {p.get('limit')}",
}


def _render(problem: RuleProblem, catalog: Mapping[str, Callable[[Params], str]]) -> str:
    wording = catalog.get(problem.code)
    text = wording(problem.params) if wording else problem.code
    if problem.field:
        return f"{problem.field}: {text}"
    line = problem.params.get("line")
    if line is not None:  # the text of the file refused at a line, before it could be read as fields
        return f"{'rad' if catalog is SWEDISH else 'line'} {line}: {text}"
    return text


def rule_problem_en(problem: RuleProblem) -> str:
    """The problem in English, naming its field (the command line, logs)."""
    return _render(problem, ENGLISH)


def rule_problem_sv(problem: RuleProblem) -> str:
    """The problem in Swedish, naming its field (the dashboard)."""
    return _render(problem, SWEDISH)


def rule_problems_sv(problems: Iterable[RuleProblem]) -> str:
    return "; ".join(rule_problem_sv(p) for p in problems)
