"""The packages use each other's public names only: no module imports another package's `_private` module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("clio_appointments", "clio_emulator", "clio_conformance", "clio_calendar_api")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module name `path` imports (also inside functions), with its line; names imported from a
    module count as submodules, since `from pkg import _mod` reaches a private module too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_no_package_imports_another_packages_private_modules() -> None:
    offences = []
    for package in ("clio_appointments", "clio_emulator", "clio_conformance"):
        for path in sorted((ROOT / "src" / package).rglob("*.py")):
            for line, module in imported_modules(path):
                parts = module.split(".")
                if parts[0] in PACKAGES and parts[0] != package and any(p.startswith("_") for p in parts[1:]):
                    offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offences == []


def test_the_check_sees_private_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from clio_emulator._server import bind\n    from clio_appointments import _config\n"
    )
    assert [m for _, m in imported_modules(sample)] == [
        "clio_emulator._server",
        "clio_emulator._server.bind",
        "clio_appointments",
        "clio_appointments._config",
    ]
