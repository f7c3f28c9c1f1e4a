"""The emulator's state in SQLite: users, calendars and who may see them, contacts, matters and calendar entries.

One connection behind one lock: every public method runs whole under the lock, and every write is one transaction,
so concurrent requests (threads, event loops) never see or leave a half-written entry. Permission and existence
checks happen inside the same transaction as the write they guard.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import _render as render
from ._errors import ApiError
from ._model import CalendarFilters, EntryChanges, EntryFilters, Page
from ._seed import SEED, SEEDED_AT, Seed
from ._timefmt import now_micros, parse_rfc3339

__all__ = ["MAX_EXTERNAL_PROPERTIES", "Store"]

MAX_EXTERNAL_PROPERTIES = 5
_FIRST_ENTRY_ID = 1000
_FIRST_PROPERTY_ID = 5000

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT,
    token TEXT NOT NULL UNIQUE, default_calendar_id INTEGER,
    created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS calendars (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, color TEXT NOT NULL, light_color TEXT NOT NULL,
    created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL
);
-- `visible` is the web calendar's visibility; `mobile_visible` the mobile app's, NULL when it is the same.
CREATE TABLE IF NOT EXISTS calendar_access (
    user_id INTEGER NOT NULL, calendar_id INTEGER NOT NULL, permission TEXT NOT NULL, visible INTEGER NOT NULL,
    mobile_visible INTEGER,
    PRIMARY KEY (user_id, calendar_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, first_name TEXT, last_name TEXT,
    email TEXT, phone TEXT, created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS matters (
    id INTEGER PRIMARY KEY, display_number TEXT NOT NULL, description TEXT,
    created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS calendar_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, calendar_id INTEGER NOT NULL, summary TEXT NOT NULL,
    description TEXT, location TEXT, start_us INTEGER NOT NULL, end_us INTEGER,
    all_day INTEGER NOT NULL DEFAULT 0, recurrence_rule TEXT, matter_id INTEGER,
    version INTEGER NOT NULL DEFAULT 1, created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_calendar ON calendar_entries (calendar_id, id);
CREATE TABLE IF NOT EXISTS entry_attendees (
    entry_id INTEGER NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL, ref_id INTEGER NOT NULL,
    PRIMARY KEY (entry_id, kind, ref_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS external_properties (
    id INTEGER PRIMARY KEY AUTOINCREMENT, entry_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL, UNIQUE (entry_id, name)
);
-- The facade looks an entry up by its idempotency key after an ambiguous failure: name and value, then the entry.
CREATE INDEX IF NOT EXISTS properties_by_value ON external_properties (name, value, entry_id);
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'calendar_entries', {_FIRST_ENTRY_ID - 1}
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'calendar_entries');
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'external_properties', {_FIRST_PROPERTY_ID - 1}
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'external_properties');
"""

# An entry joined with the current user's access to its calendar; entries on calendars the user cannot see never
# match, which is what makes them 404 for that user.
_VISIBLE_ENTRIES = """
    FROM calendar_entries e
    JOIN calendar_access a ON a.calendar_id = e.calendar_id AND a.user_id = ?
"""

_SOURCES = ("web", "mobile")


def _visible(source: str) -> str:
    """The access row's visibility for a calendar visibility source (Clio's `source`: web or mobile)."""
    assert source in _SOURCES
    return "COALESCE(a.mobile_visible, a.visible)" if source == "mobile" else "a.visible"


def _calendar_columns(source: str = "web") -> str:
    return f"c.*, a.permission AS permission, {_visible(source)} AS visible, '{source}' AS source"


def _id_list(column: str, ids: tuple[int, ...]) -> str:
    # Ids are parsed integers, so they can be part of the statement (SQLite caps bound parameters).
    return f"{column} IN ({','.join(str(int(i)) for i in ids)})" if ids else "0"


def _paged(page: Page, id_column: str, order: str) -> tuple[str, str, list[Any]]:
    """The extra condition, ORDER BY/LIMIT/OFFSET clause and parameters that select `page` (one row more than the
    page, to tell whether more follow)."""
    if page.after_id is not None:
        return f" AND {id_column} > ?", f" ORDER BY {id_column} LIMIT ?", [page.after_id, page.limit + 1]
    return "", f" ORDER BY {order} LIMIT ? OFFSET ?", [page.limit + 1, page.offset]


def _contains(haystack: object, needle: object) -> bool:
    # Case-insensitive beyond ASCII (SQLite's LIKE folds ASCII only), for names like "María José".
    return isinstance(haystack, str) and isinstance(needle, str) and needle.casefold() in haystack.casefold()


class Store:
    """SQLite-backed state; `path` is a file name or ":memory:"."""

    def __init__(self, path: str = ":memory:", *, seed: bool = True) -> None:
        self._lock = threading.RLock()
        # One connection shared by every thread, always used under the lock.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10.0)
        self._db.row_factory = sqlite3.Row
        self._db.create_function("clio_contains", 2, _contains, deterministic=True)
        with self._lock:
            self._db.execute("PRAGMA foreign_keys = OFF")
            self._db.executescript(_SCHEMA)
            columns = {row["name"] for row in self._db.execute("PRAGMA table_info(calendar_access)")}
            if "mobile_visible" not in columns:  # a file written before mobile visibility was kept
                self._db.execute("ALTER TABLE calendar_access ADD COLUMN mobile_visible INTEGER")
            if seed:
                self._seed(SEED)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _seed(self, seed: Seed) -> None:
        at = parse_rfc3339(SEEDED_AT)
        with self._transaction() as db:
            # INSERT OR IGNORE: reopening a seeded file keeps what it has.
            for u in seed.users:
                db.execute(
                    "INSERT OR IGNORE INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (u.id, u.name, u.first_name, u.last_name, u.email, u.token, u.default_calendar_id, at, at),
                )
            for c in seed.calendars:
                db.execute(
                    "INSERT OR IGNORE INTO calendars VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (c.id, c.name, c.type, c.color, c.light_color, at, at),
                )
                mobile = dict(c.mobile)
                for user_id, permission, visible in c.access:
                    on_mobile = mobile.get(user_id)
                    db.execute(
                        "INSERT OR IGNORE INTO calendar_access VALUES (?, ?, ?, ?, ?)",
                        (user_id, c.id, permission, int(visible), None if on_mobile is None else int(on_mobile)),
                    )
            for p in seed.contacts:
                db.execute(
                    "INSERT OR IGNORE INTO contacts VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                    (p.id, p.name, p.type, p.first_name, p.last_name, p.email, at, at),
                )
            for m in seed.matters:
                db.execute(
                    "INSERT OR IGNORE INTO matters VALUES (?, ?, ?, ?, ?)",
                    (m.id, m.display_number, m.description, at, at),
                )

    # ---- users, contacts, counts ---------------------------------------------------------------------------------

    def user_id_for_token(self, token: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT id FROM users WHERE token = ?", (token,)).fetchone()
        return None if row is None else int(row["id"])

    def user(self, user_id: int) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise ApiError(401, "The access token's user no longer exists.")
        return render.user(row)

    def contact(self, contact_id: int) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        if row is None:
            raise ApiError(404, f"Contact {contact_id} was not found.")
        return render.contact(row)

    def entry_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM calendar_entries").fetchone()[0])

    def entries_by_property(self, name: str) -> dict[str, list[str]]:
        """Each value of the external property `name` -> the ids of the entries carrying it, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT value, entry_id FROM external_properties WHERE name = ? ORDER BY entry_id", (name,)
            ).fetchall()
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row["value"], []).append(str(row["entry_id"]))
        return found

    # ---- calendars -----------------------------------------------------------------------------------------------

    def calendar(self, user_id: int, calendar_id: int) -> dict[str, Any]:
        with self._lock:
            row = self._calendar_row(user_id, calendar_id)
        if row is None:
            raise ApiError(404, f"Calendar {calendar_id} was not found.")
        return render.calendar(row)

    def _calendar_row(self, user_id: int, calendar_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            f"SELECT {_calendar_columns()} FROM calendars c"
            " JOIN calendar_access a ON a.calendar_id = c.id AND a.user_id = ? AND a.permission != 'none'"
            " WHERE c.id = ?",
            (user_id, calendar_id),
        ).fetchone()
        return row

    def calendars(self, user_id: int, filters: CalendarFilters, page: Page) -> tuple[list[dict[str, Any]], int, bool]:
        """One page of the calendars `user_id` can see, how many match in all, and whether more follow."""
        where = ["a.permission != 'none'"]
        params: list[Any] = [user_id]
        if filters.ids is not None:
            where.append(_id_list("c.id", filters.ids))
        if filters.owner is not None:
            where.append("a.permission = 'owner'" if filters.owner else "a.permission != 'owner'")
        if filters.writeable is not None:
            op = "IN" if filters.writeable else "NOT IN"
            where.append(f"a.permission {op} {render.WRITEABLE!r}")
        if filters.visible is not None:
            where.append(f"{_visible(filters.source)} = ?")
            params.append(int(filters.visible))
        if filters.type is not None:
            where.append("c.type = ?")
            params.append(filters.type)
        if filters.created_since_us is not None:
            where.append("c.created_us > ?")
            params.append(filters.created_since_us)
        if filters.updated_since_us is not None:
            where.append("c.updated_us > ?")
            params.append(filters.updated_since_us)
        column, direction = filters.order[:-1].split("(")
        order = f"c.{column} {direction.upper()}, c.id {direction.upper()}"
        base = (
            " FROM calendars c JOIN calendar_access a ON a.calendar_id = c.id AND a.user_id = ?"
            f" WHERE {' AND '.join(where)}"
        )
        condition, clause, extra = _paged(page, "c.id", order)
        with self._lock:
            total = int(self._db.execute("SELECT COUNT(*)" + base, params).fetchone()[0])
            rows = self._db.execute(
                f"SELECT {_calendar_columns(filters.source)}{base}{condition}{clause}", [*params, *extra]
            ).fetchall()
        more = len(rows) > page.limit
        return [render.calendar(row) for row in rows[: page.limit]], total, more

    # ---- calendar entries: reads ---------------------------------------------------------------------------------

    def entry(self, user_id: int, entry_id: int, nested: frozenset[str] = frozenset()) -> dict[str, Any]:
        with self._lock:
            row = self._entry_row(user_id, entry_id)
            if row is None:
                raise ApiError(404, f"Calendar entry {entry_id} was not found.")
            return self._render_entries(user_id, [row], nested)[0]

    def _entry_row(self, user_id: int, entry_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT e.*, a.permission AS permission" + _VISIBLE_ENTRIES + " WHERE e.id = ? AND a.permission != 'none'",
            (user_id, entry_id),
        ).fetchone()
        return row

    def entries(
        self, user_id: int, filters: EntryFilters, page: Page, nested: frozenset[str] = frozenset()
    ) -> tuple[list[dict[str, Any]], int, bool]:
        """One page of entries by id ascending, how many match in all, and whether more follow."""
        where = ["a.permission != 'none'"]
        params: list[Any] = [user_id]
        if filters.ids is not None:
            where.append(_id_list("e.id", filters.ids))
        if filters.calendar_id is not None:
            where.append("e.calendar_id = ?")
            params.append(filters.calendar_id)
        if filters.from_us is not None:
            # Clio: entries that end at or after `from`; one without an end ends at its start.
            where.append("COALESCE(e.end_us, e.start_us) >= ?")
            params.append(filters.from_us)
        if filters.to_us is not None:
            where.append("e.start_us <= ?")
            params.append(filters.to_us)
        if filters.query is not None:
            where.append(
                "(clio_contains(e.summary, ?) OR clio_contains(e.description, ?) OR clio_contains(e.location, ?))"
            )
            params.extend([filters.query] * 3)
        if filters.is_all_day is not None:
            where.append("e.all_day = ?")
            params.append(int(filters.is_all_day))
        if filters.visible is not None:
            where.append(f"{_visible(filters.source)} = ?")
            params.append(int(filters.visible))
        if filters.matter_id is not None:
            where.append("e.matter_id = ?")
            params.append(filters.matter_id)
        if filters.without_matter:
            where.append("e.matter_id IS NULL")
        if filters.has_court_rule:
            # Entries made by a court rule come from Clio's court rules service, which the emulator has not.
            where.append("0")
        if filters.property_name is not None:
            if filters.property_value is None:
                where.append("EXISTS (SELECT 1 FROM external_properties p WHERE p.entry_id = e.id AND p.name = ?)")
                params.append(filters.property_name)
            else:
                where.append("e.id IN (SELECT p.entry_id FROM external_properties p WHERE p.name = ? AND p.value = ?)")
                params.extend([filters.property_name, filters.property_value])
        if filters.created_since_us is not None:
            where.append("e.created_us > ?")
            params.append(filters.created_since_us)
        if filters.updated_since_us is not None:
            where.append("e.updated_us > ?")
            params.append(filters.updated_since_us)
        condition = " WHERE " + " AND ".join(where)
        paging, clause, extra = _paged(page, "e.id", "e.id")
        with self._lock:
            total = int(self._db.execute("SELECT COUNT(*)" + _VISIBLE_ENTRIES + condition, params).fetchone()[0])
            rows = self._db.execute(
                "SELECT e.*, a.permission AS permission" + _VISIBLE_ENTRIES + condition + paging + clause,
                [*params, *extra],
            ).fetchall()
            more = len(rows) > page.limit
            return self._render_entries(user_id, rows[: page.limit], nested), total, more

    def _render_entries(
        self, user_id: int, rows: Sequence[sqlite3.Row], nested: frozenset[str]
    ) -> list[dict[str, Any]]:
        """Entries with the nested records `nested` names loaded (a query per kind, not per entry)."""
        ids = [row["id"] for row in rows]
        calendars: dict[int, dict[str, Any]] = {}
        matters: dict[int, dict[str, Any]] = {}
        attendees: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        properties: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        if "calendar_owner" in nested:
            for calendar_id in {row["calendar_id"] for row in rows}:
                found = self._calendar_row(user_id, calendar_id)
                if found is not None:
                    calendars[calendar_id] = render.calendar(found)
        if "matter" in nested:
            for matter_id in {row["matter_id"] for row in rows if row["matter_id"] is not None}:
                found = self._db.execute("SELECT * FROM matters WHERE id = ?", (matter_id,)).fetchone()
                if found is not None:
                    matters[matter_id] = render.matter(found)
        if "attendees" in nested and ids:
            for row in self._attendee_rows(ids):
                attendees[row["entry_id"]].append(render.attendee(row))
        if "external_properties" in nested and ids:
            marks = ",".join("?" * len(ids))
            for row in self._db.execute(
                f"SELECT * FROM external_properties WHERE entry_id IN ({marks}) ORDER BY id", ids
            ).fetchall():
                properties[row["entry_id"]].append(render.external_property(row))
        return [
            render.entry(
                row,
                calendars.get(row["calendar_id"]),
                matters.get(row["matter_id"]) if row["matter_id"] is not None else None,
                attendees[row["id"]],
                properties[row["id"]],
            )
            for row in rows
        ]

    def _attendee_rows(self, entry_ids: Sequence[int]) -> list[sqlite3.Row]:
        marks = ",".join("?" * len(entry_ids))
        # A calendar attendee's email is its owner's, when a user owns it (UserCalendar).
        rows: list[sqlite3.Row] = self._db.execute(
            f"""
            SELECT t.entry_id, t.kind, t.ref_id, t.position, p.name, p.email, p.created_us, p.updated_us
            FROM entry_attendees t JOIN contacts p ON t.kind = 'Contact' AND p.id = t.ref_id
            WHERE t.entry_id IN ({marks})
            UNION ALL
            SELECT t.entry_id, t.kind, t.ref_id, t.position, c.name,
                   (SELECT u.email FROM calendar_access o JOIN users u ON u.id = o.user_id
                    WHERE o.calendar_id = c.id AND o.permission = 'owner' AND c.type = 'UserCalendar'),
                   c.created_us, c.updated_us
            FROM entry_attendees t JOIN calendars c ON t.kind = 'Calendar' AND c.id = t.ref_id
            WHERE t.entry_id IN ({marks})
            ORDER BY entry_id, position
            """,
            [*entry_ids, *entry_ids],
        ).fetchall()
        return rows

    # ---- calendar entries: writes --------------------------------------------------------------------------------

    def create_entry(self, user_id: int, changes: EntryChanges) -> int:
        """Store a new entry (`changes` has every required field) and return its id."""
        assert changes.calendar_id is not None and changes.summary is not None and changes.start_us is not None
        now = now_micros()
        with self._transaction() as db:
            self._check_calendar_writeable(db, user_id, changes.calendar_id)
            self._check_matter(db, changes.matter_id)
            cursor = db.execute(
                "INSERT INTO calendar_entries (calendar_id, summary, description, location, start_us, end_us,"
                " all_day, recurrence_rule, matter_id, version, created_us, updated_us)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (
                    changes.calendar_id,
                    changes.summary,
                    changes.description,
                    changes.location,
                    changes.start_us,
                    changes.end_us,
                    int(bool(changes.all_day)),
                    changes.recurrence_rule or None,
                    changes.matter_id,
                    now,
                    now,
                ),
            )
            entry_id = int(cursor.lastrowid or 0)
            self._apply_attendees(db, entry_id, changes)
            self._apply_properties(db, entry_id, changes, now)
        return entry_id

    def update_entry(self, user_id: int, entry_id: int, changes: EntryChanges, if_match: str | None) -> None:
        now = now_micros()
        with self._transaction() as db:
            row = self._entry_row(user_id, entry_id)
            if row is None:
                raise ApiError(404, f"Calendar entry {entry_id} was not found.")
            if row["permission"] not in render.WRITEABLE:
                raise ApiError(403, f"You may not change entries on calendar {row['calendar_id']}.")
            if if_match is not None and not etag_matches(if_match, render.entry_etag(row["id"], row["version"])):
                raise ApiError(412, "The calendar entry has changed since the ETag given in IF-MATCH.")
            if changes.calendar_id is not None and changes.calendar_id != row["calendar_id"]:
                self._check_calendar_writeable(db, user_id, changes.calendar_id)
            self._check_matter(db, changes.matter_id)
            start = row["start_us"] if changes.start_us is None else changes.start_us
            end = row["end_us"] if changes.end_us is None else changes.end_us
            if end is not None and end < start:
                raise ApiError(422, "Validation failed: End at must not be before start at.")
            columns: dict[str, Any] = {
                "summary": changes.summary,
                "description": changes.description,
                "location": changes.location,
                "start_us": changes.start_us,
                "end_us": changes.end_us,
                "all_day": None if changes.all_day is None else int(changes.all_day),
                "recurrence_rule": changes.recurrence_rule or None,
                "calendar_id": changes.calendar_id,
                "matter_id": changes.matter_id,
            }
            sets = {k: v for k, v in columns.items() if v is not None}
            if changes.clear_recurrence:
                sets["recurrence_rule"] = None
            if changes.clear_matter:
                sets["matter_id"] = None
            assignments = "".join(f"{name} = ?, " for name in sets)
            db.execute(
                f"UPDATE calendar_entries SET {assignments}version = version + 1, updated_us = ? WHERE id = ?",
                [*sets.values(), now, entry_id],
            )
            self._apply_attendees(db, entry_id, changes)
            self._apply_properties(db, entry_id, changes, now)

    def delete_entry(self, user_id: int, entry_id: int) -> None:
        with self._transaction() as db:
            row = self._entry_row(user_id, entry_id)
            if row is None:
                raise ApiError(404, f"Calendar entry {entry_id} was not found.")
            if row["permission"] not in render.WRITEABLE:
                raise ApiError(403, f"You may not delete entries on calendar {row['calendar_id']}.")
            for table, column in (
                ("entry_attendees", "entry_id"),
                ("external_properties", "entry_id"),
                ("calendar_entries", "id"),
            ):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (entry_id,))

    def _check_calendar_writeable(self, db: sqlite3.Connection, user_id: int, calendar_id: int) -> None:
        row = self._calendar_row(user_id, calendar_id)
        if row is None:
            raise ApiError(404, f"Calendar {calendar_id} was not found.")
        if row["permission"] not in render.WRITEABLE:
            raise ApiError(403, f"You may not write to calendar {calendar_id} ({row['permission']} permission).")

    @staticmethod
    def _check_matter(db: sqlite3.Connection, matter_id: int | None) -> None:
        if matter_id is not None and db.execute("SELECT 1 FROM matters WHERE id = ?", (matter_id,)).fetchone() is None:
            raise ApiError(422, f"Validation failed: Matter {matter_id} does not exist.")

    @staticmethod
    def _apply_attendees(db: sqlite3.Connection, entry_id: int, changes: EntryChanges) -> None:
        for change in changes.attendees or ():
            if change.destroy:
                db.execute(
                    "DELETE FROM entry_attendees WHERE entry_id = ? AND kind = ? AND ref_id = ?",
                    (entry_id, change.kind, change.id),
                )
                continue
            table = "contacts" if change.kind == "Contact" else "calendars"
            if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (change.id,)).fetchone() is None:
                raise ApiError(422, f"Validation failed: Attendees: {change.kind} {change.id} does not exist.")
            # Adding an attendee already there keeps it where it is.
            db.execute(
                "INSERT OR IGNORE INTO entry_attendees (entry_id, position, kind, ref_id)"
                " SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ? FROM entry_attendees WHERE entry_id = ?",
                (entry_id, change.kind, change.id, entry_id),
            )

    @staticmethod
    def _apply_properties(db: sqlite3.Connection, entry_id: int, changes: EntryChanges, now: int) -> None:
        for change in changes.properties or ():
            if change.id is not None and change.destroy:
                Store._owned_property(db, entry_id, change.id)
                db.execute("DELETE FROM external_properties WHERE id = ?", (change.id,))
                continue
            if change.name is not None:
                taken = db.execute(
                    "SELECT id FROM external_properties WHERE entry_id = ? AND name = ?", (entry_id, change.name)
                ).fetchone()
                if taken is not None and taken["id"] != change.id:
                    raise ApiError(
                        422, f"Validation failed: External properties: {change.name!r} is already on this entry."
                    )
            if change.id is not None:
                Store._owned_property(db, entry_id, change.id)
                db.execute(
                    "UPDATE external_properties SET name = COALESCE(?, name), value = COALESCE(?, value),"
                    " updated_us = ? WHERE id = ?",
                    (change.name, change.value, now, change.id),
                )
            elif change.name is None:
                raise ApiError(422, "Validation failed: External properties: a new property needs a name.")
            else:
                db.execute(
                    "INSERT INTO external_properties (entry_id, name, value, created_us, updated_us)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (entry_id, change.name, change.value or "", now, now),
                )
        if changes.properties:
            count = db.execute("SELECT COUNT(*) FROM external_properties WHERE entry_id = ?", (entry_id,)).fetchone()
            if count[0] > MAX_EXTERNAL_PROPERTIES:
                raise ApiError(
                    422,
                    f"Validation failed: External properties: an entry holds at most {MAX_EXTERNAL_PROPERTIES}.",
                )

    @staticmethod
    def _owned_property(db: sqlite3.Connection, entry_id: int, property_id: int) -> None:
        owned = db.execute(
            "SELECT 1 FROM external_properties WHERE id = ? AND entry_id = ?", (property_id, entry_id)
        ).fetchone()
        if owned is None:
            raise ApiError(422, f"Validation failed: External property {property_id} does not belong to this entry.")


def etag_matches(header: str, current: str) -> bool:
    """Whether an IF-MATCH / IF-NONE-MATCH header names `current` (or is `*`); weak tags compare by value."""
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == current or f'"{tag}"' == current:
            return True
    return False
