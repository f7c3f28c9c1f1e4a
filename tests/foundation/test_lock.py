"""The lock (requirements/constraints.txt) covers pyproject.toml: every dependency of the package and of every extra is
pinned there, at a version its range allows. A dependency added without `scripts/lock` would otherwise be installed
unpinned by CI and the bootstrap, at whatever version is newest that day."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "constraints.txt"


def pins() -> dict[str, list[tuple[Version, str]]]:
    """name -> [(version, environment marker)], from the lock's `name==version ; marker` lines."""
    found: dict[str, list[tuple[Version, str]]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)\s*(?:;\s*(.*))?", line.strip())
        if match:
            found.setdefault(canonicalize_name(match[1]), []).append((Version(match[2]), match[3] or ""))
    return found


def requirements() -> list[Requirement]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    listed = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return [r for r in map(Requirement, listed) if canonicalize_name(r.name) != "clio-appointments"]


def test_every_dependency_is_pinned_within_its_range() -> None:
    locked = pins()
    problems = []
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement}: not in the lock (run scripts/lock)")
            continue
        for version, _marker in locked[name]:
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{requirement}: the lock pins {version} (run scripts/lock)")
    assert problems == []


def test_the_lock_is_scripts_locks_and_covers_the_redis_extra_and_its_test_double() -> None:
    assert LOCK.read_text(encoding="utf-8").splitlines()[1].strip() == "#    scripts/lock"
    assert {"redis", "fakeredis", "uv"} <= set(pins())
