"""The manager's overview (AppTest): before and after the deadlines, which regions need attention and why,
figures that are not due yet, money that can no longer be paid, and the estimate said once, calmly."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from allocation.fixed import Requisition
from ingest.data_folder import load_regions
from store.model import Actor
from store.paths import DATA_ENV
from tests.markdown_text import shown
from tests.report_helpers import positions
from ui.attention_text import NOTHING_DUE_SV, SETTLED_SV
from ui.state import get_store

ANNA = Actor("Anna Andersson")
N = len(load_regions())


def overview(as_of: date) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["as_of"] = as_of
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> list[str]:
    kinds = ("title", "subheader", "markdown", "caption", "info", "warning", "success", "error")
    return [shown(e.value) for kind in kinds for e in at.get(kind)]


def metric(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(m for m in at.metric if m.label == label)


@dataclass
class Table:
    value: pd.DataFrame  # by column key; money as whole kronor
    labels: dict[str, str]  # the headers as shown, by column key


def attention_table(at: AppTest) -> Table:
    """The attention table (HTML) read back: each column by its key (``data-key``), money by ``data-value``."""
    (body,) = [h.proto.body for h in at.html if 'class="ovtable"' in h.proto.body]
    keys = re.findall(r'<th [^>]*data-key="([^"]*)"', body)
    heads = [unescape(t) for t in re.findall(r"<th [^>]*>([^<]*)</th>", body)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", re.split(r"<tbody[^>]*>", body)[1]):
        cells = re.findall(r"<td([^>]*)>([^<]*)</td>", row)
        rows.append(
            [
                int(m.group(1)) if (m := re.search(r'data-value="(-?\d+)"', attrs)) else unescape(text)
                for attrs, text in cells
            ]
        )
    return Table(pd.DataFrame(rows, columns=keys), dict(zip(keys, heads, strict=True)))


def has_attention_table(at: AppTest) -> bool:
    return any('class="ovtable"' in h.proto.body for h in at.html)


def labels(table: Table) -> dict[str, str]:
    """The table's column labels as shown, by column."""
    return table.labels


def chart_title(at: AppTest) -> str:
    """The attention chart's title and subtitle (HTML bars: the overview draws no Plotly chart)."""
    assert not at.get("plotly_chart")
    (chart,) = [h for h in at.html if 'class="ovbars"' in h.proto.body]
    title = re.search(r'<div class="title">([^<]*)</div>', chart.proto.body)
    sub = re.search(r'<div class="sub">([^<]*)</div>', chart.proto.body)
    assert title is not None
    return title.group(1) + (f" / {sub.group(1)}" if sub else "")


def record_some(path: Path) -> None:
    """Stockholm did everything in time; Gotland requisitioned only part; Uppsala reported but did not
    requisition; the others did nothing."""
    store = get_store(str(path))
    maximum = {code: amount for code, (amount, _, _) in store.rounds.fixed_amounts("elderly-2023").items()}
    for code in ("01", "09"):
        store.followup.record_ombud(ANNA, "ombud", code, date(2023, 2, 1))
    store.followup.record_requisition(
        ANNA, "e-tjänsten", "elderly-2023", Requisition("01", date(2023, 5, 2), maximum["01"])
    )
    store.followup.record_requisition(ANNA, "e-tjänsten", "elderly-2023", Requisition("09", date(2023, 5, 2), 100_000))
    for code in ("01", "03", "09"):
        store.reports.record_report(ANNA, "e-tjänsten", "at-2023", positions(code, 5, 5, received=date(2023, 10, 20)))


def test_before_the_deadlines_nothing_looks_like_a_problem(isolated_database: Path) -> None:
    at = overview(date(2023, 6, 1))
    shown_texts = texts(at)
    assert "Inga tidsfrister är försenade eller nära" in " ".join(s.value for s in at.success)
    reports = metric(at, "Återrapporter inkomna")
    assert reports.value == f"0 av {N}" and reports.delta == "öppnar 1 februari 2024"  # grey, not a problem
    assert metric(at, "Ej rekvirerat").delta == "sista dag 31 oktober 2023"
    assert metric(at, "Rapporter inkomna").delta == "sista dag 1 november 2023"
    assert not [t for t in shown_texts if "saknas" in t or "Försenad" in t]
    # The amounts per region are an estimate: said once, without capitals.
    estimate = [t for t in shown_texts if "uppskatt" in t.lower()]
    assert len(estimate) == 1 and "uppskattade efter befolkningsandel" in estimate[0]
    assert not [t for t in shown_texts if "UPPSKATTNING" in t or "INTE" in t]
    # With no region to attend to, every region is listed with its status per round, nothing to do now.
    frame = attention_table(at).value
    assert (
        len(frame) == N and set(frame["läge"]) == {"Inget att åtgärda nu"} and set(frame["varför"]) == {NOTHING_DUE_SV}
    )
    assert set(frame["omgång 1"]) == {"Öppen, 152 dagar kvar"}
    at.toggle(key="ov_alla_regioner").set_value(False).run()
    assert not has_attention_table(at)


def test_after_the_deadlines_one_row_per_region_ranked_with_the_reason(isolated_database: Path) -> None:
    record_some(isolated_database)
    at = overview(date(2023, 11, 15))
    assert not at.exception
    table = attention_table(at)
    frame = table.value
    assert len(frame) == N - 1  # one row per region (not per milestone); Stockholm has nothing to attend to
    assert "Stockholm" not in set(frame["region"])
    # Overdue first (requisition 15 days before report 14 days), then money that is lost.
    assert list(frame["läge"]) == ["Försenad"] * (N - 2) + ["Medel förlorade"]
    assert frame["region"].iloc[-1] == "Gotland"
    assert frame["varför"].iloc[0] == "Rekvisition saknas, sista dag 31 oktober 2023 passerad"
    assert frame["varför"].iloc[-1].startswith("Ej rekvirerat ") and frame["varför"].iloc[-1].endswith(
        "kan inte längre betalas ut"
    )
    money = frame["förlorat"].tolist()
    overdue_both = frame[frame["region"] != "Uppsala"].iloc[: N - 3]
    assert list(overdue_both["förlorat"]) == sorted(overdue_both["förlorat"], reverse=True)  # most money first
    assert all(m > 0 for m in money)
    uppsala = frame[frame["region"] == "Uppsala"].iloc[0]
    assert uppsala["omgång 0"] == "Klar i tid" and uppsala["omgång 1"] == "Försenad 15 dagar"
    # Swedish labels; the round columns are named by the rounds' titles; no column of money that is all zero.
    shown_labels = labels(table)
    assert shown_labels["region"] == "Region" and shown_labels["förlorat"] == "Kan inte betalas ut"
    assert {shown_labels["omgång 0"], shown_labels["omgång 1"]} == {"AT-tjänster 2023", "Läkare i äldreomsorgen 2023"}
    assert "ej rekvirerat" not in shown_labels  # after the deadline nothing can still be requisitioned
    headline = next(t for t in texts(at) if "behöver uppmärksamhet" in t)
    assert (
        f"{N - 1} av {N} regioner behöver uppmärksamhet: {N - 2} försenade, 1 med medel som inte längre kan betalas ut."
        in headline
    )
    lost = metric(at, "Ej rekvirerat")
    assert lost.delta == "kan inte längre betalas ut"
    assert metric(at, "Rapporter inkomna").delta == f"{N - 3} försenade"
    assert metric(at, "Återrapporter inkomna").delta == "öppnar 1 februari 2024"
    estimate = [t for t in texts(at) if "uppskatt" in t.lower()]
    assert len(estimate) == 1
    # One chart at a time: days to the last day, or the money; each title states its result.
    assert chart_title(at) == f"{N - 2} regioner försenade, som mest 15 dagar"
    at.segmented_control(key="ov_diagram").set_value("Ej rekvirerat").run()
    assert chart_title(at).endswith(f"kan inte längre betalas ut / {N - 1} regioner")
    # The deadline counts stay (per milestone).
    assert metric(at, "Försenad").value == str((N - 3) + (N - 2))


def test_a_near_deadline_says_when_it_falls_due(isolated_database: Path) -> None:
    record_some(isolated_database)
    later = positions("12", 9, 9, received=date(2023, 11, 5))
    get_store(str(isolated_database)).reports.record_report(ANNA, "e-tjänsten", "at-2023", later)
    at = overview(date(2023, 10, 25))
    assert metric(at, "Rapporter inkomna").value == f"3 av {N}"  # Skåne's report of 5 November: not yet
    frame = attention_table(at).value
    assert set(frame["läge"]) == {"Sista dag nära"}
    assert frame["varför"].iloc[0] == "Rekvisition ej inkommen, förfaller om 6 dagar"
    assert {"Stockholm", "Gotland"}.isdisjoint(frame["region"])  # both have done what is due now
    money = dict(zip(frame["region"], frame["ej rekvirerat"], strict=True))
    assert money["Uppsala"] > 0 and "förlorat" not in labels(attention_table(at))  # nothing lost before the day


def test_years_later_nothing_asks_for_attention(isolated_database: Path) -> None:
    at = overview(date(2026, 11, 23))
    assert any("Inga tidsfrister är försenade eller nära" in s.value for s in at.success)
    assert metric(at, "Återrapporter inkomna").delta == f"{N} kom aldrig in"
    assert not any(re.search(r"\d+ försenade", t) for t in texts(at))
    # "Aldrig" and money that can no longer be paid stand beside words that say why nothing is to be done
    frame = attention_table(at).value
    assert set(frame["läge"]) == {SETTLED_SV}
    assert all(w.startswith("Aldrig gjort före omgångens slut i ") for w in frame["varför"])
    assert all(w.endswith("rekvirerades aldrig och kan inte betalas ut.") for w in frame["varför"])
    assert "–" not in set(frame["varför"]) and (frame["förlorat"] > 0).all()
    assert chart_title(at).endswith(f"{N} regioner; omgången är avslutad, inget att åtgärda")


def test_a_card_states_the_decision_and_the_money_paid_and_left(isolated_database: Path) -> None:
    from ingest.payment_details import luhn_ok

    def valid(body: str) -> str:
        return next(body + d for d in "0123456789" if luhn_ok(body + d))

    store = get_store(str(isolated_database))
    at = overview(date(2023, 12, 20))
    page = "\n".join(texts(at))
    assert "Inte beslutad." in page and metric(at, "Beräknat att betala ut")
    for code, more in (("01", 5), ("03", 2)):
        planned = int(float(store.rounds.planned_table("at-2023")[code]))
        store.reports.record_report(
            ANNA, "test", "at-2023", positions(code, planned + more, 0, received=date(2023, 10, 20))
        )
    snapshot = store.decisions.decide_round(ANNA, "beslut", "at-2023", "S2023/77", date(2023, 12, 1), confirmed=True)
    store.bank_details.save_payment_details(ANNA, "test", "01", valid("232100000"), valid("5550000"))
    store.followup.record_payout(ANNA, "del", "at-2023", "01", date(2023, 12, 15), 1_000_000)
    at = overview(date(2023, 12, 20))
    page = "\n".join(texts(at))
    assert "Beslut S2023/77, 1 december 2023 (publicerat)" in page
    from present.formats import mnkr

    assert metric(at, "Beslutat").value == mnkr(snapshot.paid)
    assert metric(at, "Utbetalt").value == mnkr(1_000_000)
    assert metric(at, "Kvar att betala ut").value == mnkr(snapshot.paid - 1_000_000)
    assert not any(m.label == "Beräknat att betala ut" for m in at.metric)  # a decided round shows no estimate
    # what had not come in by the decision is never done, not overdue beside "Beslutad"
    assert metric(at, "Rapporter inkomna").delta == f"{N - 2} kom aldrig in"
    frame = attention_table(at).value
    assert not any(str(v).startswith("Försenad") for v in frame["omgång 0"])
    assert "Aldrig" in set(frame["omgång 0"])
    before = overview(date(2023, 11, 20))  # the decision is dated later: not yet published on that day
    assert "Beslut S2023/77, 1 december 2023 (ännu inte publicerat)" in "\n".join(texts(before))


def test_an_illustrative_round_not_chosen_adds_no_reason_status_or_count(
    isolated_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its reports are overdue on this day, yet the manager's view (real rounds only) says nothing about it."""
    root = Path(__file__).resolve().parents[1]
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    shutil.copy(root / "tests" / "rounds" / "at-2024-illustrative.toml", data / "rounds")
    monkeypatch.setenv(DATA_ENV, str(data))
    at = overview(date(2024, 11, 20))  # after the illustrative round's report deadline (1 November 2024)
    page = "\n".join(texts(at))
    assert "illustrativ" not in page and not any(re.search(r"\d+ försenade", t) for t in texts(at))
    frame = attention_table(at).value
    assert not any("illustrativ" in str(v) for v in frame.to_numpy().ravel())
    assert metric(at, "Försenad").value == "0"
