"""Every third-party import is declared: each package's imports come from the dependencies of the extras a user
installs to use it (pyproject.toml), not from whatever else happens to be in the development virtualenv."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Which extras a user installs for each part. The facade uses Redis only when it is configured (the `redis` extra);
# the command line loads the emulator and the conformance suite lazily and names the missing extra when they are
# absent.
PARTS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "clio_calendar_api": (ROOT / "generated" / "clio_calendar_api", ()),
    "clio_appointments": (ROOT / "src" / "clio_appointments", ("redis",)),
    "clio_appointments.cli": (ROOT / "src" / "clio_appointments" / "cli", ("cli", "emulator", "conformance")),
    "clio_emulator": (ROOT / "src" / "clio_emulator", ("emulator",)),
    "clio_conformance": (ROOT / "src" / "clio_conformance", ("conformance",)),
}
# Loaded only by pytest itself, through the plugin's entry point.
ALLOWED = {"clio_emulator/pytest_plugin.py": {"pytest"}}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]  # type: ignore[no-any-return]


def declared(extras: tuple[str, ...]) -> set[str]:
    """Distribution names the core dependencies and `extras` bring in, following clio-appointments[...] references."""
    meta = project()
    optional: dict[str, list[str]] = meta["optional-dependencies"]  # type: ignore[assignment]
    names: set[str] = set()
    pending = [*meta["dependencies"], *(req for extra in extras for req in optional[extra])]  # type: ignore[misc]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]*)\])?", requirement)
        assert match, requirement
        name = normalize(match[1])
        if name == "clio-appointments":
            for extra in (match[2] or "").split(","):
                if extra.strip() and extra.strip() not in seen:
                    seen.add(extra.strip())
                    pending += optional[extra.strip()]
        else:
            names.add(name)
    return names


def third_party_imports(folder: Path, skip: Path | None) -> dict[str, set[str]]:
    """Top-level module -> files importing it, for every absolute import that is neither stdlib nor ours."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        if skip is not None and skip in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top.startswith("clio_"):
                    continue
                found.setdefault(top, set()).add(path.relative_to(folder.parent).as_posix())
    return found


def test_every_third_party_import_is_declared_for_its_part() -> None:
    distributions = packages_distributions()
    missing = []
    for part, (folder, extras) in PARTS.items():
        skip = PARTS["clio_appointments.cli"][0] if part == "clio_appointments" else None
        allowed = declared(extras)
        for module, files in sorted(third_party_imports(folder, skip).items()):
            providers = {normalize(name) for name in distributions.get(module, [module])}
            for file in sorted(files):
                if providers & allowed or providers & ALLOWED.get(file, set()):
                    continue
                missing.append(f"{file} imports {module} ({'/'.join(sorted(providers))}), not declared for {part}")
    assert missing == []


def test_the_check_follows_extras_and_self_references() -> None:
    conformance = declared(("conformance",))
    assert {"httpx", "schemathesis", "starlette", "anyio"} <= conformance  # core, its own, and [emulator]'s
    assert "rich" not in conformance and "redis" not in conformance
    assert "redis" in declared(("redis",))
