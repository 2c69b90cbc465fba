"""Who may log in, with which role (and region): validated, and never without an active staff user."""

from __future__ import annotations

from store.access import Action, Role
from store.access_rules import reads, writes
from store.core import StoreCore
from store.model import Actor, User, WriteRefused
from store.rounds import Rounds
from store.sql import upsert


class Users:
    """The user table (``store.access`` decides what each role may do)."""

    def __init__(self, core: StoreCore, rounds: Rounds) -> None:
        self._core = core
        self._rounds = rounds

    @reads(Action.READ_USERS)
    def users(self) -> list[User]:
        rows = self._core.query("SELECT login, name, role, region, active FROM users ORDER BY role, name, login")
        return [User(login, name, role, region, bool(active)) for login, name, role, region, active in rows]

    def user(self, login: str) -> User | None:
        """The user with this login (compared in lower case, as stored)."""

        def compute() -> tuple[User, ...]:
            return tuple(self.users())

        wanted = login.strip().lower()
        return next((u for u in self._core.cached(("users",), compute) if u.login == wanted), None)

    @writes(Action.MANAGE_USERS)
    def save_user(self, actor: Actor, reason: str, user: User) -> bool:
        """Add or change a user (validated); returns whether anything changed."""
        login = user.login.strip().lower()
        name = user.name.strip()
        if not login:
            raise WriteRefused("Ange användarens inloggning (e-postadress).", "a login is required")
        if " " in login or len(login) > 254:
            raise WriteRefused(
                f"Inloggningen ”{user.login}” är inte giltig: ange e-postadressen utan mellanslag.",
                f"invalid login {user.login!r}",
            )
        if not name:
            raise WriteRefused("Ange användarens namn.", "a name is required")
        try:
            role = Role(user.role)
        except ValueError:
            raise WriteRefused(
                f"Okänd roll ”{user.role}”: välj handläggare, chef eller region.", f"unknown role {user.role!r}"
            ) from None
        region = user.region if role is Role.REGION else None
        if role is Role.REGION:
            if not region:
                raise WriteRefused("En regionanvändare måste kopplas till en region.", "a region user needs a region")
            self._rounds.check_code(region)
        after = {"name": name, "role": role.value, "region": region, "active": user.active}
        with self._core.transaction(actor, reason) as tx:
            rows = tx.execute("SELECT name, role, region, active FROM users WHERE login = ?", [login]).fetchall()
            before = dict(zip(("name", "role", "region", "active"), rows[0], strict=True)) if rows else None
            if before == after:
                return False
            demoted = role is not Role.STAFF or not user.active
            if before and before["role"] == Role.STAFF and before["active"] and demoted:
                (staff,) = tx.execute(
                    "SELECT count(*) FROM users WHERE role = 'handläggare' AND active AND login <> ?", [login]
                ).fetchone()
                if staff == 0:
                    raise WriteRefused(
                        "Det måste finnas minst en aktiv handläggare: lägg till en annan innan du ändrar den sista.",
                        "the last active staff user cannot be removed",
                    )
            tx.execute(
                upsert("users", ("login", "name", "role", "region", "active", "updated_at"), ("login",)),
                [login, name, role.value, region, user.active, tx.at],
            )
            tx.audit("update" if before else "insert", "users", login, before, after)
            return True
