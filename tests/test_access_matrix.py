"""Role × action permission matrix for ``store.access``: an independent oracle.

Every expectation below was written from the issue text and its design decisions, not from the body of
``decide``: staff may do everything; a manager reads every page but changes nothing and cannot see the user
table; a region user reads the rules and planning data, its own per-region data and its own preview, other
regions' reported outcomes, amounts, follow-up and status only once the round's decision is published, never
another region's preview, and nothing staff-only (simulator, scenarios, audit log, raw tables, users, writes).
"""

from __future__ import annotations

from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.access import ACTION_SV, ROLE_SV, Action, Principal, Role, decide, visible_regions

LAN = [f"{n:02d}" for n in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25)]
OWN, OTHER = "03", "01"


class Rule(Enum):
    ALWAYS = "allowed for every region argument, published or not"
    NEVER = "refused for every region argument, published or not"
    OWN_OR_PUBLISHED = "list read (None) or own region; another region only after publication"
    OWN_ONLY = "list read (None) or own region; another region never"
    PUBLISHED_ONLY = "any region argument, but only once the round's decision is published"


A, R, W, P = Rule.ALWAYS, Rule.NEVER, Rule.OWN_OR_PUBLISHED, Rule.OWN_ONLY
EXPECTED: dict[Role, dict[Action, Rule]] = {
    Role.STAFF: {action: A for action in Action},
    Role.MANAGER: {
        Action.READ_RULES: A,
        Action.READ_REPORTS: A,
        Action.READ_AMOUNTS: A,
        Action.READ_FOLLOWUP: A,
        Action.READ_STATUS: A,
        Action.PREVIEW: A,
        Action.READ_DECISIONS: A,
        Action.SIMULATE: A,
        Action.READ_SCENARIOS: A,
        Action.READ_AUDIT: A,
        Action.READ_TABLES: A,
        Action.READ_USERS: R,
        Action.WRITE_REPORTS: R,
        Action.WRITE_FOLLOWUP: R,
        Action.IMPORT: R,
        Action.SAVE_SCENARIO: R,
        Action.PUBLISH_DECISION: R,
        Action.MANAGE_USERS: R,
        Action.BACKUP: R,
        Action.EDIT_ROUNDS: R,
    },
    Role.REGION: {
        Action.READ_RULES: A,
        Action.READ_REPORTS: W,
        Action.READ_AMOUNTS: W,
        Action.READ_FOLLOWUP: W,
        Action.READ_STATUS: W,
        Action.PREVIEW: P,
        Action.READ_DECISIONS: Rule.PUBLISHED_ONLY,
        Action.SIMULATE: R,
        Action.READ_SCENARIOS: R,
        Action.READ_AUDIT: R,
        Action.READ_TABLES: R,
        Action.READ_USERS: R,
        Action.WRITE_REPORTS: R,
        Action.WRITE_FOLLOWUP: R,
        Action.IMPORT: R,
        Action.SAVE_SCENARIO: R,
        Action.PUBLISH_DECISION: R,
        Action.MANAGE_USERS: R,
        Action.BACKUP: R,
        Action.EDIT_ROUNDS: R,
    },
}
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
PER_REGION_READS = frozenset({Action.READ_REPORTS, Action.READ_AMOUNTS, Action.READ_FOLLOWUP, Action.READ_STATUS})


def principal(role: Role, own: str = OWN) -> Principal:
    return Principal(f"test-{role.name.lower()}", role, own if role is Role.REGION else None)


def expected(role: Role, action: Action, region: str | None, published: bool, own: str = OWN) -> bool:
    rule = EXPECTED[role][action]
    if rule in (Rule.ALWAYS, Rule.NEVER):
        return rule is Rule.ALWAYS
    if rule is Rule.PUBLISHED_ONLY:
        return published
    if region is None or region == own:
        return True
    return rule is Rule.OWN_OR_PUBLISHED and published


def test_the_table_covers_every_role_and_action() -> None:
    assert set(EXPECTED) == set(Role)
    for role, row in EXPECTED.items():
        assert set(row) == set(Action), f"{role}: missing {set(Action) - set(row)}"
    assert set(ROLE_SV) == set(Role) and set(ACTION_SV) == set(Action)


@pytest.mark.parametrize("published", [False, True], ids=["unpublished", "published"])
@pytest.mark.parametrize("region", [OWN, OTHER, None], ids=["own", "other", "list"])
@pytest.mark.parametrize("action", list(Action), ids=[a.name for a in Action])
@pytest.mark.parametrize("role", list(Role), ids=[r.name for r in Role])
def test_matrix(role: Role, action: Action, region: str | None, published: bool) -> None:
    decision = decide(principal(role), action, region, published)
    want = expected(role, action, region, published)
    assert decision.allowed is want, f"{role.name} {action.name} region={region} published={published}"
    if not want:
        assert decision.message_sv.strip() and "behörighet" in decision.message_sv.lower()
        assert decision.message_en.strip()


codes = st.sampled_from(LAN)
two_codes = st.lists(codes, min_size=2, max_size=2, unique=True)
actions = st.sampled_from(list(Action))


@given(pair=two_codes, action=actions)
def test_region_never_gets_another_regions_data_unpublished(pair: list[str], action: Action) -> None:
    own, other = pair
    decision = decide(principal(Role.REGION, own), action, other, published=False)
    assert decision.allowed is (action is Action.READ_RULES)
    assert not decide(principal(Role.REGION, own), Action.READ_DECISIONS, own, published=False).allowed


@given(pair=two_codes, published=st.booleans())
def test_region_never_previews_another_region(pair: list[str], published: bool) -> None:
    own, other = pair
    assert not decide(principal(Role.REGION, own), Action.PREVIEW, other, published).allowed
    assert decide(principal(Role.REGION, own), Action.PREVIEW, own, published).allowed


@given(pair=two_codes, action=st.sampled_from(sorted(PER_REGION_READS)))
def test_region_reads_others_per_region_data_after_publication(pair: list[str], action: Action) -> None:
    own, other = pair
    assert decide(principal(Role.REGION, own), action, other, published=True).allowed


@given(action=actions, region=st.none() | codes, published=st.booleans())
def test_staff_is_always_allowed(action: Action, region: str | None, published: bool) -> None:
    assert decide(principal(Role.STAFF), action, region, published).allowed


@given(action=st.sampled_from(sorted(WRITES)), region=st.none() | codes, published=st.booleans())
def test_manager_is_never_allowed_a_write(action: Action, region: str | None, published: bool) -> None:
    decision = decide(principal(Role.MANAGER), action, region, published)
    assert not decision.allowed and "behörighet" in decision.message_sv.lower() and decision.message_en


@given(own=codes, action=actions, region=st.none() | codes, published=st.booleans())
def test_region_user_never_writes(own: str, action: Action, region: str | None, published: bool) -> None:
    allowed = decide(principal(Role.REGION, own), action, region, published).allowed
    assert allowed is expected(Role.REGION, action, region, published, own)
    if action in WRITES:
        assert not allowed


@given(subset=st.lists(codes, unique=True), own=codes, published=st.booleans(), action=actions)
def test_visible_regions_matches_the_oracle(subset: list[str], own: str, published: bool, action: Action) -> None:
    region_user = principal(Role.REGION, own)
    want = [c for c in subset if expected(Role.REGION, action, c, published, own)]
    assert visible_regions(region_user, action, subset, published) == want
    assert visible_regions(principal(Role.STAFF), action, subset, published) == subset


@given(own=codes, action=st.sampled_from(sorted(PER_REGION_READS | {Action.PREVIEW})))
def test_visible_regions_region_user_sees_only_itself_unpublished(own: str, action: Action) -> None:
    assert visible_regions(principal(Role.REGION, own), action, LAN, published=False) == [own]
    published = visible_regions(principal(Role.REGION, own), action, LAN, published=True)
    assert published == ([own] if action is Action.PREVIEW else LAN)


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_staff_and_manager_may_not_have_a_region(role: Role) -> None:
    with pytest.raises(ValueError):
        Principal("x", role, "03")
    assert Principal("x", role).region is None


def test_region_user_needs_a_region() -> None:
    with pytest.raises(ValueError):
        Principal("x", Role.REGION)
    with pytest.raises(ValueError):
        Principal("x", Role.REGION, None)
    assert Principal("x", Role.REGION, "03").region == "03"


def test_default_principal_is_local_staff() -> None:
    p = Principal("x")
    assert (p.role, p.region, p.login) == (Role.STAFF, None, "local")
