"""The recipients' payment details: organisation number and bankgiro, entered or imported by staff.

Checked by ``ingest.payment_details`` (form, Luhn); nothing is ever filled in by the program. Two recipients
with the same organisation number or bankgiro are refused unless staff confirm it (``confirm_shared``): one
region's money must not reach another's account by a typing error.
"""

from __future__ import annotations

from ingest import payment_details as numbers
from store.access import Action
from store.access_rules import reads, writes
from store.core import StoreCore, Tx
from store.model import Actor, ImportResult, WriteRefused
from store.rounds import Rounds
from store.sql import upsert

_KIND_SV = {numbers.ORG: "organisationsnummer", numbers.BANKGIRO: "bankgiro"}
_KIND_EN = {numbers.ORG: "organisation number", numbers.BANKGIRO: "bankgiro"}


class BankDetails:
    """Payment details per recipient (a service of its own: ``store.payments`` reads them)."""

    def __init__(self, core: StoreCore, rounds: Rounds) -> None:
        self._core = core
        self._rounds = rounds

    @reads(Action.READ_TABLES)
    def payment_details(self) -> dict[str, tuple[str, str]]:
        """Per län code: (organisation number, bankgiro), as entered (``NNNNNN-NNNN``, ``NNN-NNNN``)."""

        def compute() -> dict[str, tuple[str, str]]:
            rows = self._core.query("SELECT code, org_number, bankgiro FROM payment_details ORDER BY code")
            return {code: (org, bg) for code, org, bg in rows}

        return dict(self._core.cached(("payment_details",), compute))

    def _check_shared(self, tx: Tx, changed: dict[str, tuple[str, str]], confirm_shared: bool) -> None:
        """Refuse numbers that another recipient has too, unless staff confirmed it; read under the lock."""
        after = self._current_details(tx) | changed
        shared = numbers.shared_numbers(after, set(changed))
        if shared and not confirm_shared:
            names = self._names()
            sv = "; ".join(
                f"{_KIND_SV[kind]} {number} för {', '.join(names.get(c, c) for c in codes)}"
                for kind, number, codes in shared
            )
            en = "; ".join(f"{_KIND_EN[kind]} {number} for {', '.join(codes)}" for kind, number, codes in shared)
            raise WriteRefused(
                f"Samma nummer för flera mottagare: {sv}. Kontrollera uppgifterna; är de riktiga, bekräfta att "
                "mottagarna delar numret och spara igen.",
                f"the same number for several recipients: {en}; check them, or confirm that they share it "
                "(--confirm-shared)",
            )

    def _names(self) -> dict[str, str]:
        return {r.code: r.name for r in self._rounds.regions(self._rounds.latest_population_date())}

    def _write_details(self, tx: Tx, code: str, org: str, bg: str, before: tuple[str, str] | None) -> bool:
        if before == (org, bg):
            return False
        tx.execute(
            upsert("payment_details", ("code", "org_number", "bankgiro", "updated_at"), ("code",)),
            [code, org, bg, tx.at],
        )
        old = None if before is None else {"org_number": before[0], "bankgiro": before[1]}
        tx.audit(
            "insert" if before is None else "update", "payment_details", code, old, {"org_number": org, "bankgiro": bg}
        )
        return True

    def _current_details(self, tx: Tx) -> dict[str, tuple[str, str]]:
        rows = tx.execute("SELECT code, org_number, bankgiro FROM payment_details").fetchall()
        return {code: (org, bg) for code, org, bg in rows}

    @writes(Action.WRITE_FOLLOWUP, region="code")
    def save_payment_details(
        self, actor: Actor, reason: str, code: str, org_number: str, bankgiro: str, confirm_shared: bool = False
    ) -> bool:
        """Enter or change one recipient's details (checked); False when they were already these."""
        self._rounds.check_no_example_data()
        self._rounds.check_code(code)
        try:
            org, bg = numbers.org_number(org_number), numbers.bankgiro(bankgiro)
        except numbers.InvalidNumber as exc:
            raise WriteRefused(exc.message_sv[:1].upper() + exc.message_sv[1:] + ".", exc.message_en) from None
        with self._core.transaction(actor, reason) as tx:
            current = self._current_details(tx)
            if current.get(code) == (org, bg):
                return False
            self._check_shared(tx, {code: (org, bg)}, confirm_shared)
            return self._write_details(tx, code, org, bg, current.get(code))

    @writes(Action.IMPORT)
    def import_payment_details(
        self,
        actor: Actor,
        reason: str,
        data: bytes,
        filename: str,
        dry_run: bool = False,
        confirm_shared: bool = False,
    ) -> ImportResult:
        """A file of details (region, organisationsnummer, bankgiro), every row checked first; all or nothing."""
        self._rounds.check_no_example_data()
        items = numbers.read_payment_details(data, self._rounds.region_index())
        current = self.payment_details()
        changed = sum(1 for i in items if current.get(i.code) != (i.org_number, i.bankgiro))
        if dry_run or not changed:
            return ImportResult(len(items), changed, len(items) - changed)
        with self._core.transaction(actor, f"{reason.strip()} (fil: {filename})" if reason.strip() else reason) as tx:
            current = self._current_details(tx)
            new = {
                i.code: (i.org_number, i.bankgiro) for i in items if current.get(i.code) != (i.org_number, i.bankgiro)
            }
            self._check_shared(tx, new, confirm_shared)
            written = sum(self._write_details(tx, code, org, bg, current.get(code)) for code, (org, bg) in new.items())
        return ImportResult(len(items), written, len(items) - written)
