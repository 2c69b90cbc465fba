"""The review step before a round is saved (Bidragsomgångar): both tabs end here, with one save button.

"Granska" (the copy's form, or an uploaded rules file) puts a ``Draft`` in the session; the review shows what
changed against the round it came from, where the planned table and the population come from, the id and
version conventions, and the checks: each date outside the round's year or out of order is confirmed with a
checkbox, each quote whose figures no longer hold is kept, rewritten or removed. "Spara omgången" is enabled
only when every flag has been answered. The review's widgets are keyed by the draft's digest, so a new draft
(the form submitted again) starts with nothing confirmed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

from allocation import round_diff as rd
from allocation.block_fields import RulesError
from allocation.rules_text import FORBIDDEN_IN_LINE, MAX_TEXT, describe
from allocation.toml_bounds import load_rules
from present import round_review as sv
from present.rule_problems import rule_problem_sv
from store.model import WriteRefused
from store.session import Session
from ui import rules_doc
from ui.rounds import PENDING_ROUND
from ui.text import bullets, plain

DRAFT = "nr_draft"
SAVED = "nr_saved_message"
SAVE_LABEL = "Spara omgången"  # the one save button, on both tabs
REVIEW_LABEL = "Granska"
ACTIONS = sv.ACTIONS_SV  # keep, rewrite, remove: the quote's three answers
MAX_PLANNED_LINES = 12
REMOVED_QUOTE = "Citatet togs bort av handläggare: källomgångens mening gällde inte den här omgången."


@dataclass(frozen=True)
class Draft:
    """A rules text waiting for review: from the copy's form (``tab`` "copy") or a file (``tab`` "file")."""

    text: str
    planned: dict[str, str] | None
    reason: str
    tab: str
    source_id: str | None  # the round it is compared with; None: a new round from a file
    planned_note: str

    @property
    def key(self) -> str:
        planned = sorted((self.planned or {}).items())
        digest = hashlib.sha256(repr((self.text, planned, self.reason, self.source_id)).encode("utf-8"))
        return digest.hexdigest()[:12]


def propose(store: Session, draft: Draft) -> None:
    """Review ``draft`` once the store's own checks pass (the ones saving makes); otherwise say what is wrong."""
    st.session_state.pop(DRAFT, None)
    try:
        store.rounds.check_round(draft.text, draft.planned)
    except WriteRefused as exc:
        st.error(f"Omgången kan inte sparas så här. {plain(exc.message_sv)}")
        return
    st.session_state[DRAFT] = draft


def file_draft(store: Session, data: bytes, reason: str) -> Draft | None:
    """A draft from an uploaded rules file: compared with the saved round of the same id, if there is one."""
    try:
        text = data.decode("utf-8")
        doc = load_rules(text)
    except UnicodeDecodeError:
        st.error("Filen är inte en textfil i UTF-8: en regelfil är TOML-text.")
        return None
    except RulesError as exc:
        st.error("Regelfilen kan inte läsas:\n\n" + bullets([rule_problem_sv(p) for p in exc.problems]))
        return None
    rid = str(doc.get("id", ""))
    source = rid if rid in store.rounds.round_ids() else None
    return Draft(text, None, reason, "file", source, _file_planned_note(store, doc, source))


def _file_planned_note(store: Session, doc: dict[str, Any], source: str | None) -> str:
    planned = doc.get("planned") if isinstance(doc.get("planned"), dict) else {}
    if isinstance(planned.get("table"), dict):
        return sv.planned_origin(len(planned["table"]))
    own = store.rounds.planned_table(source) if source else {}
    if own:
        title = store.rounds.round_document(source or "").get("short_title") or source
        return sv.planned_origin(len(own), source=f"den sparade omgången {title}", on=store.today())
    if name := doc.get("planned_file") or planned.get("file"):
        return f"Tabellen i filen {name}, som lästes in med regelfilerna."
    return sv.planned_origin(0)


def _section(title: str, lines: list[str], empty: str = "") -> None:
    st.markdown(f"**{plain(title)}**")
    if lines:
        st.markdown(bullets(lines))
    elif empty:
        st.caption(plain(empty))


def _changes(store: Session, draft: Draft, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    if before is None:
        st.caption("En ny omgång ur en regelfil: det finns ingen sparad omgång med samma id att jämföra med.")
        return
    source = store.rounds.round_document(draft.source_id or "")
    st.caption(plain(f"Jämfört med {source.get('short_title') or source['title']} version {source['version']}."))
    names = {r.code: r.name for r in store.rounds.region_index().regions}
    changes = rd.diff(before, after)
    planned = (
        rd.planned_changes(store.rounds.planned_table(draft.source_id or ""), draft.planned) if draft.planned else []
    )
    unchanged = []
    for topic, title in sv.TOPIC_SV.items():
        items = [c for c in (planned if topic == "planned" else changes) if c.topic == topic]
        if not items:
            unchanged.append(title.lower())
            continue
        lines = [sv.change_line(c, names) for c in items[:MAX_PLANNED_LINES]]
        if len(items) > MAX_PLANNED_LINES:
            lines.append(f"och {len(items) - MAX_PLANNED_LINES} ändringar till")
        _section(title, lines)
    if unchanged:
        st.caption(plain("Oförändrat: " + ", ".join(unchanged) + "."))


def _origins(store: Session, draft: Draft, after: dict[str, Any]) -> None:
    day, _ = rd.population(after)
    _section("Underlag", [draft.planned_note, sv.population_origin(day)])


def _conventions(store: Session, after: dict[str, Any]) -> None:
    lines = list(sv.CONVENTIONS)
    rid, version = str(after["id"]), str(after["version"])
    if rid in store.rounds.round_ids():
        saved = [str(v) for v in store.rounds.round_versions(rid)["version"]]
        same = " Den versionen finns redan och ersätts." if version in saved else ""
        lines.append(f"Id {rid} finns redan: det här sparas som version {version} av den omgången.{same}")
    else:
        lines.append(f"Id {rid} är nytt: det här blir en ny omgång, version {version}.")
    _section("Id och version", lines)


def _date_checks(flags: list[rd.DateFlag], k: str) -> int:
    """A checkbox per flagged date; returns how many are not yet confirmed."""
    if not flags:
        return 0
    st.markdown("**Datum att bekräfta**")
    st.caption("Rätta datumen i formuläret och tryck Granska igen, eller bekräfta att de ska vara så.")
    open_ = 0
    for i, flag in enumerate(flags):
        if not st.checkbox(plain(sv.date_flag_text(flag)), key=f"{k}_d{i}"):
            open_ += 1
    return open_


def _remove_all(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = "remove"


def _quote_checks(flags: list[rd.QuoteFlag], k: str) -> tuple[int, dict[str, str], list[str]]:
    """Keep, rewrite or remove each flagged quote: (unanswered, new text per quote id, problems)."""
    if not flags:
        return 0, {}, []
    st.markdown("**Citat som inte längre stämmer**")
    st.caption(
        "Citaten är meningar ur källomgångens anvisning; de visas i beslutet och på sidorna som omgångens källa. "
        "Skriv om dem efter den nya anvisningen, ta bort dem, eller behåll dem om de ändå stämmer."
    )
    keys = [f"{k}_q{i}" for i in range(len(flags))]
    st.button("Ta bort alla flaggade citat", key=f"{k}_remove_all", on_click=_remove_all, args=(keys,))
    unanswered, texts, problems = 0, {}, []
    for flag, key in zip(flags, keys, strict=True):
        with st.container(border=True):
            st.markdown(plain(sv.quote_flag_title(flag)))
            st.text(flag.quote)
            choice = st.radio(
                "Vad ska hända med citatet?",
                list(ACTIONS),
                index=None,
                format_func=ACTIONS.get,
                horizontal=True,
                key=key,
            )
            if choice is None:
                unanswered += 1
            elif choice == "remove":
                texts[flag.id] = REMOVED_QUOTE
            elif choice == "rewrite":
                text = " ".join(st.text_area("Nytt citat", value=flag.quote, key=f"{key}_text").split())
                if problem := _quote_problem(text):
                    problems.append(problem)
                texts[flag.id] = text
    return unanswered, texts, problems


def _quote_problem(text: str) -> str | None:
    if not text:
        return "Ett omskrivet citat får inte vara tomt: skriv en mening eller välj Ta bort citatet."
    if len(text) > MAX_TEXT:
        return f"Ett omskrivet citat får vara högst {MAX_TEXT} tecken."
    if found := FORBIDDEN_IN_LINE.search(text):
        return f"Ett omskrivet citat innehåller ett otillåtet tecken ({describe(found.group())}); skriv utan det."
    return None


def with_quotes(text: str, flags: list[rd.QuoteFlag], texts: dict[str, str]) -> str:
    """The rules text with each answered quote rewritten or removed (kept ones untouched)."""
    if not texts:
        return text
    doc = rules_doc.load(text)
    for flag in flags:
        if flag.id in texts:
            rules_doc.set_quote(doc, flag.path, flag.key, texts[flag.id])
    return rules_doc.dump(doc)


def review(store: Session, tab: str, source: str | None = None) -> None:
    """The review of the session's draft, if it came from ``tab`` (and from ``source``, when given); saves it
    when everything is answered."""
    draft: Draft | None = st.session_state.get(DRAFT)
    if draft is None or draft.tab != tab or (source is not None and draft.source_id != source):
        return
    after = load_rules(draft.text)
    before = store.rounds.round_document(draft.source_id) if draft.source_id else None
    k = f"nr_rv_{draft.key}"
    with st.container(border=True, key="nr_review"):  # one review a run; its widgets keyed by the draft
        st.subheader("Granska innan du sparar")
        st.caption("Granskningen gäller det du skickade med Granska. Ändrar du något ovanför: tryck Granska igen.")
        _changes(store, draft, before, after)
        _origins(store, draft, after)
        _conventions(store, after)
        dates = rd.date_flags(after, before)
        quotes = rd.stale_quotes(after, before)
        open_dates = _date_checks(dates, k)
        open_quotes, texts, problems = _quote_checks(quotes, k)
        if problems:
            st.error(bullets(problems))
        waiting = _waiting(open_dates, open_quotes)
        if waiting:
            st.caption(plain(waiting))
        elif not dates and not quotes:
            st.caption("Inga datum eller citat att bekräfta.")
        if st.button(SAVE_LABEL, type="primary", disabled=bool(waiting or problems), key=f"{k}_save"):
            save(store, with_quotes(draft.text, quotes, texts), draft.planned, draft.reason)


def _waiting(dates: int, quotes: int) -> str:
    parts = []
    if dates:
        parts.append(f"bekräfta {dates} datum")
    if quotes:
        parts.append(f"välj vad som ska hända med {quotes} citat")
    return f"Innan du kan spara: {' och '.join(parts)}." if parts else ""


def save(store: Session, text: str, planned: dict[str, str] | None, reason: str) -> bool:
    """Save through the store (validated there with the rules readers); Swedish message either way."""
    if not store.principal.name:
        st.error("Ange ditt namn i sidofältet innan du sparar: det skrivs i granskningsloggen.")
        return False
    try:
        round_id, version = store.rounds.save_round(reason or "Ny bidragsomgång", text, planned)
    except WriteRefused as exc:
        st.error(f"Omgången sparades inte. {plain(exc.message_sv)}")
        return False
    st.session_state.pop(DRAFT, None)
    st.session_state[PENDING_ROUND] = round_id  # the sidebar shows the new round on the next run
    title = load_rules(text).get("short_title") or round_id
    st.session_state[SAVED] = f"Sparad: {plain(title)} version {plain(version)}. Den är vald i sidofältet."
    st.rerun()  # the sidebar (drawn before the save) and the footer follow the new round
    return True


def saved_message() -> None:
    """The message of a save that just happened (shown after the rerun that chose the new round)."""
    if message := st.session_state.pop(SAVED, None):
        st.success(message)
