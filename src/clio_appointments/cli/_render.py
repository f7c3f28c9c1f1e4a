"""How the command line shows App Connect's results to a person: rich tables and panels on a terminal, plain ASCII
tables and indented JSON when the output goes to a file or a pipe (no colours, no box-drawing characters)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.json import JSON
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

__all__ = ["Output", "describe_duration", "describe_start"]

_PLAIN_WIDTH = 160
_MARKS = {"success": ("✓", "OK:", "green"), "warning": ("!", "Warning:", "yellow"), "danger": ("✗", "Error:", "red")}


def describe_start(start: object, minutes: object) -> str:
    """`Fri 15 Mar 2024, 14:00-15:00 UTC` from App Connect's startTimeUtc and durationMinutes."""
    if not isinstance(start, str):
        return "(no start time)"
    try:
        begins = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return start
    text = begins.strftime("%a %d %b %Y, %H:%M")
    if isinstance(minutes, int) and minutes > 0:
        ends = begins + timedelta(minutes=minutes)
        text += ends.strftime("-%H:%M") if ends.date() == begins.date() else ends.strftime(" to %a %d %b %Y, %H:%M")
    return f"{text} UTC"


def describe_duration(minutes: object) -> str:
    if not isinstance(minutes, int):
        return "?"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _attendees(attendees: object) -> str:
    if not isinstance(attendees, list) or not attendees:
        return "(none)"
    people = (a for a in attendees if isinstance(a, dict))
    return ", ".join(f"{a.get('name') or '?'} ({a.get('type')} {a.get('id')})" for a in people)


class Output:
    """One place for everything the command line prints, so every command looks the same."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.console = Console(file=stream or sys.stdout, highlight=False)
        # Colours, panels and unicode marks only on a terminal; a pipe or a log file gets plain ASCII, and no
        # terminal width to fit in, so lines and tables are not folded at rich's default of 80 columns.
        self.fancy = self.console.is_terminal
        if not self.fancy:
            self.console.width = _PLAIN_WIDTH
        self._box = box.ROUNDED if self.fancy else box.ASCII

    def _table(self, **kwargs: Any) -> Table:
        return Table(box=self._box, header_style="bold" if self.fancy else "", **kwargs)

    def line(self, text: str = "", style: str = "") -> None:
        self.console.print(Text(text, style=style), soft_wrap=not self.fancy)

    def heading(self, title: str, subtitle: str = "") -> None:
        if self.fancy:
            self.console.print()
            self.console.print(Rule(Text(title, style="bold cyan"), align="left", style="cyan"))
            if subtitle:
                self.console.print(Text(subtitle, style="dim"))
        else:
            self.console.print()
            self.line(f"== {title} ==")
            if subtitle:
                self.line(subtitle)

    def data(self, title: str, value: object) -> None:
        """A JSON document (a payload, a patch) as it is sent."""
        text = json.dumps(value, indent=2, ensure_ascii=False)
        if self.fancy:
            self.console.print(Panel(JSON(text), title=title, title_align="left", box=box.ROUNDED, expand=False))
        else:
            self.line(f"{title}:")
            for row in text.splitlines():
                self.line(f"  {row}")

    def message(self, message: Mapping[str, Any]) -> None:
        """App Connect's returnMessage: {message, messageType, ttl}."""
        mark, word, colour = _MARKS.get(str(message.get("messageType")), ("-", "Note:", "default"))
        prefix = mark if self.fancy else word
        self.line(f"{prefix} {message.get('message', '')}", style=f"bold {colour}")

    def appointment(self, appointment: Mapping[str, Any], title: str = "Appointment") -> None:
        self.line(title, style="bold")
        table = self._table(show_header=False)
        table.add_column("field", style="bold" if self.fancy else "")
        table.add_column("value")
        rows = (
            ("ID", str(appointment.get("id", ""))),
            ("Title", str(appointment.get("title", ""))),
            ("Description", str(appointment.get("description", "")) or "(none)"),
            ("When", describe_start(appointment.get("startTimeUtc"), appointment.get("durationMinutes"))),
            ("Duration", describe_duration(appointment.get("durationMinutes"))),
            ("Status", str(appointment.get("status", ""))),
            ("Attendees", _attendees(appointment.get("attendees"))),
        )
        for name, value in rows:
            table.add_row(name, Text(value))
        self.console.print(table)

    def appointments(self, appointments: Sequence[Mapping[str, Any]], title: str) -> None:
        if not appointments:
            self.line(f"{title}: no appointments.")
            return
        count = len(appointments)
        self.line(f"{title}: {count} appointment{'s' if count != 1 else ''}", style="bold")
        table = self._table()
        for column in ("ID", "When", "Title", "Attendees"):
            table.add_column(column)
        for item in appointments:
            table.add_row(
                Text(str(item.get("id", ""))),
                Text(describe_start(item.get("startTimeUtc"), item.get("durationMinutes"))),
                Text(str(item.get("title", ""))),
                Text(_attendees(item.get("attendees"))),
            )
        self.console.print(table)
