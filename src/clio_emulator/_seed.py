"""The records a fresh emulator starts with, exported as `SEED` so tests can name them instead of repeating ids."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PALETTE", "SEED", "Seed", "SeedCalendar", "SeedContact", "SeedMatter", "SeedUser"]

# Every seeded record carries this creation time, so ETags and `created_since` filters are reproducible.
SEEDED_AT = "2024-01-02T09:00:00.000Z"


@dataclass(frozen=True)
class SeedUser:
    """A seeded Clio user, signed in with `token`."""

    id: int
    name: str
    first_name: str
    last_name: str
    email: str
    token: str
    default_calendar_id: int


@dataclass(frozen=True)
class SeedCalendar:
    """A seeded calendar; `color` and `light_color` are a pair from Clio's palette."""

    id: int
    name: str
    type: str
    color: str
    light_color: str
    # (user id, permission, visible) for every user who can see the calendar; `visible` is for the web calendar.
    access: tuple[tuple[int, str, bool], ...]
    # (user id, visible) where the mobile app's visibility differs from the web calendar's.
    mobile: tuple[tuple[int, bool], ...] = ()


@dataclass(frozen=True)
class SeedContact:
    """A seeded contact (`type` is Clio's: `Person` or `Company`)."""

    id: int
    name: str
    type: str
    first_name: str | None
    last_name: str | None
    email: str | None


@dataclass(frozen=True)
class SeedMatter:
    """A seeded matter."""

    id: int
    display_number: str
    description: str


@dataclass(frozen=True)
class Seed:
    """Named seed records; `users`, `calendars`, `contacts` and `matters` list them all."""

    ada: SeedUser
    grace: SeedUser
    own_calendar: SeedCalendar
    viewer_calendar: SeedCalendar
    team_calendar: SeedCalendar
    jane: SeedContact
    john: SeedContact
    acme: SeedContact
    maria: SeedContact
    chen: SeedContact
    smith_matter: SeedMatter
    acme_matter: SeedMatter

    @property
    def token(self) -> str:
        """The first user's (Ada's) access token."""
        return self.ada.token

    @property
    def second_token(self) -> str:
        """The second user's (Grace's) access token."""
        return self.grace.token

    @property
    def users(self) -> tuple[SeedUser, ...]:
        return (self.ada, self.grace)

    @property
    def calendars(self) -> tuple[SeedCalendar, ...]:
        return (self.own_calendar, self.viewer_calendar, self.team_calendar)

    @property
    def contacts(self) -> tuple[SeedContact, ...]:
        return (self.jane, self.john, self.acme, self.maria, self.chen)

    @property
    def matters(self) -> tuple[SeedMatter, ...]:
        return (self.smith_matter, self.acme_matter)


ADA = 1
GRACE = 2

# Calendar colours come from Clio's 20-colour palette: `Calendar.color` and `Calendar.light_color` in Clio's published
# spec list them in the same order, each light colour the accent of the colour at its position.
PALETTE = (
    ("#367B9C", "#5DA5C7"),
    ("#FFA5A4", "#F95957"),
    ("#83D17F", "#209412"),
    ("#FFAC7B", "#FF7715"),
    ("#8E3F64", "#DE649D"),
    ("#C75300", "#FF6B02"),
    ("#009CEC", "#56C4FC"),
    ("#62D6B1", "#00B177"),
    ("#9EEDCB", "#50D19B"),
    ("#F9A2C4", "#F14A8C"),
    ("#616161", "#A3A2A2"),
    ("#BBDA81", "#84AB3B"),
    ("#DFD3F8", "#B091EE"),
    ("#D6C4A5", "#BD9E69"),
    ("#FFD478", "#F2A000"),
    ("#6AC9DE", "#00A5CA"),
    ("#EABBB0", "#CB5A3D"),
    ("#BFC2E1", "#959CD0"),
    ("#DADADA", "#B0B0B0"),
    ("#CDE2F5", "#7BA6CD"),
)

SEED = Seed(
    ada=SeedUser(1, "Ada Lovelace", "Ada", "Lovelace", "ada@example.com", "emulator-token", 101),
    grace=SeedUser(2, "Grace Hopper", "Grace", "Hopper", "grace@example.com", "emulator-token-2", 102),
    own_calendar=SeedCalendar(101, "Ada Lovelace", "UserCalendar", *PALETTE[0], ((ADA, "owner", True),)),
    # Grace's own calendar, shared with Ada read-only: hidden in Ada's web calendar, shown in her mobile app.
    viewer_calendar=SeedCalendar(
        102,
        "Grace Hopper",
        "UserCalendar",
        *PALETTE[1],
        ((GRACE, "owner", True), (ADA, "viewer", False)),
        mobile=((ADA, True),),
    ),
    # Shown in Ada's web calendar, hidden in her mobile app.
    team_calendar=SeedCalendar(
        103,
        "Litigation Team",
        "AdhocCalendar",
        *PALETTE[2],
        ((GRACE, "owner", True), (ADA, "editor", True)),
        mobile=((ADA, False),),
    ),
    jane=SeedContact(201, "Jane Smith", "Person", "Jane", "Smith", "jane@example.com"),
    john=SeedContact(202, "John Doe", "Person", "John", "Doe", "john@example.com"),
    acme=SeedContact(203, "Acme Legal LLP", "Company", None, None, "office@acme-legal.example.com"),
    maria=SeedContact(204, "María José García", "Person", "María José", "García", None),
    chen=SeedContact(205, "Chen Wei", "Person", "Wei", "Chen", "chen.wei@example.com"),
    smith_matter=SeedMatter(301, "00001-Smith", "Smith v. Jones"),
    acme_matter=SeedMatter(302, "00002-Acme", "Acme Legal LLP retainer"),
)
"""The records every seeded emulator starts with (see the emulator docs' "Seed data" table)."""
