"""Staff make a new round (or a new version of one) from a copy of an existing round, or from a rules file.

The form edits a copy of the source round's rules file (title, dnr, year, pots, steps, each block's
recipients, milestones) and keeps every other line, comment and source quote; a changed figure's quote
says staff changed it. A block's recipients (all, or a list) are chosen by name; a rule on data (such as
"at or above the national average") stays as the file has it. The store validates the result with the
same reader as ``data/rounds/*.toml`` and saves it as a version, audited. What the form cannot express
(methods, keys, rules on data) is edited in the file: download it, change it, upload it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from allocation.block_fields import RulesError
from allocation.money import MAX_AMOUNT, within_bound
from allocation.problems import InputError
from allocation.rules_text import FORBIDDEN_IN_LINE, describe
from ingest.inputs import parse_date, read_planned_table
from ingest.spreadsheet import MAX_BYTES
from present import formats as f
from present import round_review as sv
from present.problems import lines_sv
from present.rule_problems import rule_problem_sv
from store.model import fraction_text
from store.session import Session
from ui import rules_doc
from ui.round_review import DRAFT, REVIEW_LABEL, Draft
from ui.rounds import RoundRef
from ui.text import bullets, plain

STEP_COLUMNS = {"min_expansion": "Minst antal tjänster utöver plan", "amount": "Belopp (kr)"}
DATE_COLUMNS = {"start": "Från", "due": "Senast", "after": "Efter"}


@dataclass
class Edits:
    header: dict[str, Any]
    pots: pd.DataFrame
    staircases: list[pd.DataFrame]
    milestones: pd.DataFrame
    recipients: list[list[str]] = field(default_factory=list)  # per editable block, in refs["recipients"] order
    every: list[str] = field(default_factory=list)  # every recipient's code
    problems: list[str] = field(default_factory=list)


def source_planned(store: Session, ref: RoundRef) -> dict[str, str] | None:
    """The source round's planned positions as entered ("28", "1-5"), to copy into the new round; None when
    its rules have no planning document."""
    round_ = store.rounds.block_round(ref.id)
    if not (round_.planned or round_.planned_file):
        return None
    return store.rounds.planned_table(ref.id) or {code: fraction_text(v) for code, v in round_.planned.items()} or None


def _whole(value: Any, where: str, problems: list[str], amount: bool = False) -> int | None:
    """A whole, non-negative number from the form; with ``amount`` at most ``MAX_AMOUNT`` kronor."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        problems.append(f"{where}: värde saknas.")
        return None
    if isinstance(value, float) and not value.is_integer():
        problems.append(f"{where}: ett helt tal behövs, fick {f.number(value, 2)}.")
        return None
    number = int(value)
    if number < 0:
        problems.append(f"{where}: får inte vara negativt ({f.number(number)}).")
        return None
    if amount and not within_bound(number):
        problems.append(f"{where}: högst {f.kr(MAX_AMOUNT)} ({f.kr(number)} angavs).")
        return None
    return number


def _text_problem(value: object, label: str) -> str | None:
    """A form text with a control, invisible or direction-changing character or a line break (Swedish)."""
    found = FORBIDDEN_IN_LINE.search(str(value or ""))
    if found is None:
        return None
    return f"{label}: innehåller ett otillåtet tecken ({describe(found.group())}); skriv utan det."


def apply(doc: Any, edits: Edits, refs: dict[str, Any]) -> list[str]:
    """Write the form's values into the copy; every problem named by field and row (Swedish)."""
    problems = list(edits.problems)
    h = edits.header
    if not rules_doc.ID_PATTERN.match(h["id"] or ""):
        problems.append("Id: små bokstäver a–z, siffror och bindestreck, 2–63 tecken (t.ex. at-2026).")
    for key, label in (
        ("title", "Titel"),
        ("short_title", "Kort titel"),
        ("dnr", "Diarienummer"),
        ("version", "Version"),
    ):
        if not str(h.get(key) or "").strip():
            problems.append(f"{label}: får inte vara tom.")
        elif problem := _text_problem(h.get(key), label):
            problems.append(problem)
    rules_doc.set_header(doc, {k: (v.strip() if isinstance(v, str) else v) for k, v in h.items()})
    for i, ref in enumerate(refs["pots"]):
        amount = _whole(edits.pots.iloc[i]["Belopp (kr)"], f"Pott ”{ref.label}”", problems, amount=True)
        if amount is not None:
            rules_doc.set_amount(doc, ref.path, amount)
    for ref, frame in zip(refs["staircases"], edits.staircases, strict=True):
        steps = []
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            where = f"{ref.label}, rad {row}"
            threshold = _whole(values[0], f"{where}, {STEP_COLUMNS['min_expansion']}", problems)
            amount = _whole(values[1], f"{where}, {STEP_COLUMNS['amount']}", problems, amount=True)
            if threshold is not None and amount is not None:
                if steps and threshold <= steps[-1][0]:
                    problems.append(f"{where}: trappstegen måste öka strikt ({threshold} efter {steps[-1][0]}).")
                if steps and amount < steps[-1][1]:
                    problems.append(
                        f"{where}: ett högre trappsteg får inte ge mindre ({f.kr(amount)} efter {f.kr(steps[-1][1])})."
                    )
                steps.append((threshold, amount))
        if not steps:
            problems.append(f"{ref.label}: trappan behöver minst ett steg.")
        elif not problems:
            rules_doc.set_steps(doc, ref.path, steps)
    editable = [r for r in refs.get("recipients", []) if not r.rule]
    for ref, codes in zip(editable, edits.recipients, strict=True):
        if not codes:
            problems.append(f"{ref.label}, Mottagare: välj minst en mottagare.")
        else:
            rules_doc.set_recipients(doc, ref, codes, edits.every)
    rows = []
    for values in edits.milestones.to_dict("records"):
        dates: dict[str, date | None] = {}
        for key, label in DATE_COLUMNS.items():
            text = str(values.get(key) or "").strip()
            try:
                dates[key] = parse_date(text) if text else None
            except ValueError:
                problems.append(f"Milstolpe ”{values['label']}”, {label}: ”{text}” är inget datum (ÅÅÅÅ-MM-DD).")
                dates[key] = None
        begins = dates["start"] or dates["after"]
        if begins and dates["due"] and begins > dates["due"]:
            problems.append(f"Milstolpe ”{values['label']}”: börjar {begins.isoformat()}, efter sista dag.")
        rows.append({"id": values["id"], "label": values["label"]} | dates)
    rules_doc.set_milestones(doc, rows)
    return problems


def milestone_fields(rows: list[dict[str, Any]], k: str) -> pd.DataFrame:
    """Each milestone's name and dates as plain text fields (a grid cell's edit could be lost on submit; a
    text field is sent with the form as typed, works with the keyboard alone and fits a phone)."""
    values = []
    for i, row in enumerate(rows):
        with st.container(border=True):
            label = st.text_input("Milstolpe", value=row["label"], key=f"{k}_ms{i}_label")
            cols = st.columns(len(DATE_COLUMNS))
            dates = {
                column: cols[j].text_input(
                    DATE_COLUMNS[column],
                    value=row[column].isoformat() if row[column] else "",
                    placeholder="ÅÅÅÅ-MM-DD",
                    key=f"{k}_ms{i}_{column}",
                )
                for j, column in enumerate(DATE_COLUMNS)
            }
        values.append({"id": row["id"], "label": label} | dates)
    return pd.DataFrame(values, columns=["id", "label", *DATE_COLUMNS])


def _header_fields(h: dict[str, Any], k: str) -> dict[str, Any]:
    """The round's id, version, year, titles and dnr, prefilled from the source (the id and version as a copy's)."""
    c1, c2, c3 = st.columns([1.2, 1, 0.6])
    new_id = c1.text_input("Id (i adresser och filnamn)", value=f"{h['id']}-kopia", key=f"{k}_id")
    version = c2.text_input("Version", value="1.0.0", key=f"{k}_version")
    year = c3.number_input("År", min_value=2000, max_value=2100, value=int(h.get("year") or 2024), key=f"{k}_year")
    title = st.text_input("Titel", value=h["title"], key=f"{k}_title")
    c4, c5 = st.columns(2)
    short = c4.text_input("Kort titel (menyer)", value=h.get("short_title") or "", key=f"{k}_short")
    dnr = c5.text_input("Diarienummer", value=h.get("dnr") or "", key=f"{k}_dnr")
    return {"id": new_id, "version": version, "year": int(year), "title": title, "short_title": short, "dnr": dnr}


def _pots_editor(pots: list[Any], k: str) -> pd.DataFrame:
    """One row per pot of the source: its label fixed, its amount in kronor editable."""
    st.markdown("**Pottar**")
    return st.data_editor(
        pd.DataFrame({"Pott": [p.label for p in pots], "Belopp (kr)": [p.amount for p in pots]}),
        column_config={
            "Pott": st.column_config.TextColumn(disabled=True),
            "Belopp (kr)": st.column_config.NumberColumn(min_value=0, step=1, format="localized"),
        },
        hide_index=True,
        num_rows="fixed",
        key=f"{k}_pots",
    )


def _staircase_editors(staircases: list[Any], k: str) -> list[pd.DataFrame]:
    """Each staircase block's steps (rows may be added or removed)."""
    tables = []
    for i, stair in enumerate(staircases):
        st.markdown(f"**{plain(stair.label)}: trappsteg**")
        tables.append(
            st.data_editor(
                pd.DataFrame(stair.steps, columns=list(STEP_COLUMNS.values())),
                column_config={
                    c: st.column_config.NumberColumn(min_value=0, step=1, format="localized")
                    for c in STEP_COLUMNS.values()
                },
                hide_index=True,
                num_rows="dynamic",
                key=f"{k}_steps_{i}",
            )
        )
    return tables


def _recipient_fields(blocks: list[Any], names: dict[str, str], k: str) -> list[list[str]]:
    """Each block's recipients chosen by name; a block whose recipients follow a rule on data says so instead."""
    chosen = []
    if blocks:
        st.markdown("**Mottagare per block**")
    for i, who in enumerate(blocks):
        if who.rule:
            st.caption(f"{plain(who.label)}: mottagare enligt en regel ({plain(who.rule)}); ändras i regelfilen.")
            continue
        chosen.append(
            st.multiselect(
                f"{plain(who.label)}: mottagare",
                options=list(names),
                default=list(who.codes if who.codes is not None else names),
                format_func=lambda code: names.get(code, code),
                placeholder="Välj mottagare",
                key=f"{k}_recipients_{i}",
            )
        )
    return chosen


def _planned(store: Session, ref: RoundRef, upload: Any, problems: list[str]) -> tuple[dict[str, str] | None, str]:
    """The new round's planned positions and where they come from: the uploaded table, else the source's.
    A table that cannot be read adds its problems to ``problems``."""
    planned = source_planned(store, ref)
    note = sv.planned_origin(len(planned or {}), source=f"{ref.short_title} version {ref.version}", on=store.today())
    if upload is None:
        return planned, note
    try:
        table = read_planned_table(upload.getvalue(), store.rounds.region_index())
    except InputError as exc:
        problems += [f"Planeringsunderlaget: {line}" for line in lines_sv(exc)]
        return planned, note
    return table, sv.planned_origin(len(table), upload=upload.name)


def edit_form(store: Session, ref: RoundRef) -> Draft | None:
    """The form over a copy of ``ref``'s rules; on submit the draft to review (new rules, planned table, reason)."""
    try:
        doc = rules_doc.load(store.rounds.round_toml(ref.id))
    except RulesError as exc:  # a text saved before today's bounds: it cannot be copied in the form
        problems = [rule_problem_sv(p) for p in exc.problems]
        st.error("Källomgångens regelfil kan inte redigeras här:\n\n" + bullets(problems))
        return None
    refs = {
        "pots": rules_doc.pots(doc),
        "staircases": rules_doc.staircases(doc),
        "recipients": rules_doc.recipients(doc),
    }
    names = {r.code: r.name for r in store.rounds.region_index().regions}
    k = f"nr_{ref.id}"
    with st.form(f"{k}_form", border=True):
        header = _header_fields(rules_doc.header(doc), k)
        pots = _pots_editor(refs["pots"], k)
        staircases = _staircase_editors(refs["staircases"], k)
        recipients = _recipient_fields(refs["recipients"], names, k)
        st.markdown("**Milstolpar**")
        st.caption("Datum skrivs ÅÅÅÅ-MM-DD; ett tomt fält betyder inget datum.")
        milestones = milestone_fields(rules_doc.milestones(doc), k)
        upload = st.file_uploader(
            "Planeringsunderlag (valfritt, CSV eller XLSX med kolumnerna region och planned; annars kopieras "
            f"källomgångens), högst {MAX_BYTES // (1024 * 1024)} MB",
            type=["csv", "xlsx"],
            key=f"{k}_planned",
        )
        reason = st.text_input("Anledning (skrivs i granskningsloggen)", key=f"{k}_reason")
        submitted = st.form_submit_button(REVIEW_LABEL, type="primary")
    if not submitted:
        return None
    st.session_state.pop(DRAFT, None)  # the review shows only what this submission gives
    problems = apply(doc, Edits(header, pots, staircases, milestones, recipients, list(names)), refs)
    planned, note = _planned(store, ref, upload, problems)
    if problems:
        st.error("Omgången kan inte granskas än. Rätta detta:\n\n" + bullets(problems))
        return None
    return Draft(rules_doc.dump(doc), planned, reason, "copy", ref.id, note)
