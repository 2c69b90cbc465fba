"""A frozen decision as the pages show it: its figures, its table per region and block, what has changed in
the store since, the chain of amendments, and its documents (decision and letters as PDF and DOCX).

Everything here reads the snapshot (``allocation.decision``), never a recomputation; only the drift
warning recomputes, to say what today's inputs would change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from itertools import pairwise

import pandas as pd
import streamlit as st

from allocation import decision as d
from present import formats as f
from present.eligibility import key_sv
from store.access import Action
from store.export import export_file_name
from store.session import Session
from ui.downloads import download_pair
from ui.grid import figures_table, money
from ui.tables import signed_kr
from ui.text import bullets, plain

PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
SIGNING_KEYS = ("sign_name", "sign_title", "sign_place", "sign_date", "sign_contact", "sign_appeal")


INPUT_SV = {
    "filled": "tillsatta tjänster",
    "started": "påbörjade tjänster",
    "excluded": "tidigare finansierade",
    "planned": "planerade tjänster",
    "population": "folkmängd",
    "requisitioned": "rekvirerat (kr)",
}


def input_sv(key: str) -> str:
    """An input's Swedish name (a report event: the day the region reported)."""
    return INPUT_SV.get(key) or ("rapportdag" if key.endswith("report") else key_sv(key))


def long_day(iso: str) -> str:
    return f.long_date(date.fromisoformat(iso[:10]))


def moment_sv(when: str | datetime) -> str:
    """``5 december 2026 kl. 19:30``: the same date format as the decision date beside it."""
    moment = when if isinstance(when, datetime) else datetime.fromisoformat(when)
    return f"{f.long_date(moment.date())} kl. {moment:%H:%M}"


def decision_frame(snapshot: d.Snapshot) -> pd.DataFrame:
    """One row per recipient: each block's amount (one block: "Belopp") and the total; headers capitalised as on
    every other page."""
    rows = []
    single = len(snapshot.blocks) == 1
    for line in snapshot.recipients:
        row: dict[str, object] = {"Länskod": line.code, "Region": line.name}
        if not single:
            for block in snapshot.blocks:
                row[f"{block.title} (kr)"] = block.amounts.get(line.code, 0)
        row["Belopp (kr)" if single else "Totalt (kr)"] = line.total
        rows.append(row)
    return pd.DataFrame(rows)


def about_rows(snapshot: d.Snapshot) -> list[tuple[str, str]]:
    kind = "Ändringsbeslut" if snapshot.kind == d.AMENDMENT else "Beslut"
    rows = [
        ("Bidragsomgång", snapshot.round_title),
        (kind, snapshot.reference),
        ("Beslutsdatum (publiceras)", long_day(snapshot.published_on)),
        ("Registrerat", f"{moment_sv(snapshot.decided_at)} svensk tid av {snapshot.decided_by}"),
        ("Regelversion", snapshot.rules_version),
        ("Kontrollsumma (SHA-256)", snapshot.content_hash),
    ]
    if snapshot.supersedes_reference:
        rows.append(("Ändrar beslut", snapshot.supersedes_reference))
    if snapshot.illustrative:
        rows.append(("Illustrativ", "ja: beloppen är exempel, inte officiella siffror"))
    return rows


def decision_summary(snapshot: d.Snapshot) -> None:
    """The decision's head: reference, who and when, the sums, and what kind of snapshot it is."""
    kind = "Ändringsbeslut" if snapshot.kind == d.AMENDMENT else "Beslut"
    if snapshot.illustrative:
        st.warning(
            "Illustrativ omgång: beslutet och breven är exempel, inte officiella belopp.", icon=":material/science:"
        )
    m = st.columns(3)
    m[0].metric(kind, plain(snapshot.reference))
    m[1].metric("Beslutat belopp", f.mnkr(snapshot.paid))
    m[2].metric("Ej fördelat", f.mnkr(snapshot.unallocated))
    changes = f" Ändrar beslut {plain(snapshot.supersedes_reference)}." if snapshot.supersedes_reference else ""
    st.caption(
        f"Beslutsdatum {long_day(snapshot.published_on)} (publiceras då). "
        f"Registrerat {moment_sv(snapshot.decided_at)} svensk tid av {plain(snapshot.decided_by)}; "
        f"pott {f.kr(snapshot.pot)} ({plain(snapshot.pot_reason)}); regelversion {plain(snapshot.rules_version)}; "
        f"kontrollsumma {snapshot.content_hash[:12]}….{changes}"
    )
    if snapshot.migrated:
        st.info(
            "Ögonblicksbilden togs när ett tidigare publicerat beslut migrerades: beloppen är beräknade på "
            "databasens uppgifter vid migreringen.",
            icon=":material/history:",
        )
    if snapshot.warnings:
        with st.expander("Bekräftat vid beslutet"):
            st.markdown(bullets(list(snapshot.warnings)))


def decision_table(snapshot: d.Snapshot, short_title: str, key: str) -> None:
    frame = decision_frame(snapshot)
    figures_table(frame)  # "… (kr)" as the text shown, also in the grid's accessible copy
    st.caption(f"Summa {f.kr(snapshot.paid)} av potten {f.kr(snapshot.pot)}; ej fördelat {f.kr(snapshot.unallocated)}.")
    download_pair(
        frame, about_rows(snapshot), sheet="Beslut", name=(short_title, "beslut", snapshot.reference), key=key
    )


def drift_notice(store: Session, snapshot: d.Snapshot) -> None:
    """When the store's inputs have changed since the decision: which, and what they would change."""
    drift = store.decisions.decision_drift(snapshot)
    if not drift.any:
        st.caption("Databasens uppgifter är desamma som när beslutet fattades.")
        return
    names = {r.code: r.name for r in snapshot.recipients}
    st.warning(
        "**Uppgifterna i databasen har ändrats sedan beslutet.** Beslutet gäller som det fattades; en rättelse "
        "görs med ett ändringsbeslut.",
        icon=":material/difference:",
    )
    if drift.inputs:
        st.dataframe(
            pd.DataFrame(
                [
                    {"Region": names.get(c.code, c.code), "Uppgift": input_sv(c.key), "I beslutet": c.before}
                    | {"Nu": c.after}
                    for c in drift.inputs
                ]
            ),
            hide_index=True,
        )
    if drift.amounts:
        st.caption("Med samma pott skulle dagens uppgifter ge:")
        changes_table(drift.amounts, "I beslutet", "Med dagens uppgifter")


def changes_table(changes: Sequence[d.Change], before: str, after: str) -> None:
    frame = pd.DataFrame(
        [{"Region": c.name, before: c.before, after: c.after, "Skillnad": c.delta} for c in changes],
        columns=["Region", before, after, "Skillnad"],
    )
    figures_table(frame, {before: money, after: money, "Skillnad": signed_kr}, width="content")  # a gain with "+"


def decision_chain(store: Session, round_id: str, listed: list) -> None:
    """Every decision of the round, and per amendment what it changed per region."""
    if len(listed) < 2:
        return
    st.subheader("Beslut och ändringsbeslut")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Beslut": s.reference,
                    "Typ": s.kind.capitalize(),
                    "Beslutsdatum (publiceras)": f.long_date(s.published_on),
                    "Registrerat (svensk tid)": moment_sv(s.decided_at),
                    "Av": s.decided_by,
                    "Gäller": "ja" if s is listed[-1] else "nej, ändrat",
                }
                for s in listed
            ]
        ),
        hide_index=True,
    )
    for before, after in pairwise(listed):
        old = store.decisions.decision_snapshot(round_id, before.id)
        new = store.decisions.decision_snapshot(round_id, after.id)
        with st.expander(f"Vad {plain(after.reference)} ändrade i {plain(before.reference)}"):
            changes = d.changes(old, new)
            if changes:
                changes_table(changes, before.reference, after.reference)
            else:
                st.caption("Inga belopp ändrades.")


def registered_bankgiros(store: Session) -> dict[str, str]:
    """Per län code, the bankgiro the agency registered (Betalningsuppgifter), for the letters; {} when the
    user may not read payment details."""
    if not store.may(Action.READ_TABLES):
        return {}
    return {code: bankgiro for code, (_, bankgiro) in store.bank_details.payment_details().items() if bankgiro}


def signing_fields() -> object:
    """The fields the agency fills itself, shown openly above the downloads; kept in the session. Until
    signatory, title, place and date are filled every page of the documents says UTKAST."""
    from documents import Signing  # Typst and python-docx load only when documents are made

    st.markdown("**Underskrift och kontakt** (fylls i av myndigheten innan dokumenten skrivs ut)")
    c = st.columns(4)
    c[0].text_input("Undertecknare", key="sign_name")
    c[1].text_input("Titel", key="sign_title")
    c[2].text_input("Ort", key="sign_place")
    c[3].date_input("Datum för underskrift", value=None, format="YYYY-MM-DD", key="sign_date")
    st.text_input(
        "Kontaktperson i breven",
        key="sign_contact",
        placeholder="t.ex. namn, telefon och e-post",
        help="Skrivs i varje brev under Frågor om beslutet; lämnas den tom blir det en rad att fylla i.",
    )
    with st.expander("Överklagandehänvisning (valfri)"):
        st.text_area(
            "Överklagandehänvisning",
            key="sign_appeal",
            help="Skrivs i beslutet och breven bara om den fylls i; verktyget hittar inte på någon juridisk text.",
        )
    s = st.session_state
    day = s.get("sign_date")
    signing = Signing(
        signatory=s.get("sign_name") or "",
        title=s.get("sign_title") or "",
        date=day.isoformat() if day else "",
        place=s.get("sign_place") or "",
        appeal=s.get("sign_appeal") or "",
        contact=s.get("sign_contact") or "",
    )
    if missing := signing.missing():
        names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} och {missing[-1]}"
        st.warning(
            f"Dokumenten märks UTKAST på varje sida tills underskriftsuppgifterna är ifyllda: {names} saknas.",
            icon=":material/edit_document:",
        )
    return signing


def documents_panel(
    snapshot: d.Snapshot,
    short_title: str,
    codes: Sequence[str] | None = None,
    bankgiros: Mapping[str, str] | None = None,
) -> None:
    """The fields the agency signs (staff), then the downloads: the decision, one region's letter (PDF and
    DOCX), and all of them as one ZIP.

    ``codes``: the recipients whose letters may be offered (a region user: its own); None: all.
    ``bankgiros``: per län code, the bankgiro the agency registered (a letter names it), or None.
    """
    import documents

    # Only the agency fills the signature fields; a region's copy of its letter has them blank.
    signing = signing_fields() if codes is None else documents.Signing()
    giro = dict(bankgiros or {})
    lines = [r for r in snapshot.recipients if codes is None or r.code in codes]
    ref = snapshot.reference
    if codes is None:
        offers = (
            ("Beslutet (PDF)", "beslut", "pdf", PDF, lambda: documents.decision_pdf(snapshot, signing)),
            ("Beslutet (DOCX)", "beslut", "docx", DOCX, lambda: documents.decision_docx(snapshot, signing)),
            ("Alla brev (ZIP)", "beslut-och-brev", "zip", ZIP, lambda: documents.letters_zip(snapshot, signing, giro)),
        )
        for column, (label, what, ext, mime, make) in zip(st.columns(3), offers, strict=True):
            column.download_button(
                label,
                make,
                file_name=export_file_name(short_title, what, ref, ext=ext),
                mime=mime,
                on_click="ignore",
                key=f"doc_{what}_{ext}",
            )
    if not lines:
        return
    names = {r.code: r.name for r in lines}
    code = lines[0].code
    if len(lines) > 1:
        code = st.selectbox("Brev till", list(names), format_func=names.get, key="doc_letter_code")
    c = st.columns(2)
    for column, (ext, mime, make) in zip(
        c, (("pdf", PDF, documents.letter_pdf), ("docx", DOCX, documents.letter_docx)), strict=True
    ):
        column.download_button(
            f"Brev till {plain(names[code])} ({ext.upper()})",
            lambda make=make: make(snapshot, code, signing, giro.get(code, "")),
            file_name=export_file_name(short_title, "brev", names[code], ref, ext=ext),
            mime=mime,
            on_click="ignore",
            key=f"doc_letter_{ext}",
        )
