"""The documentation: the README stays a landing page whose links work on GitHub, every page is in the site's nav,
every public name is in the API reference, and every Python example at least compiles. (`mkdocs build --strict` in
.ci/run checks the rest: broken links and anchors, docstrings mkdocstrings cannot read.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import clio_appointments
import clio_emulator

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = sorted(DOCS.rglob("*.md"))
# Markdown links and images to a relative target: ](target) or ](target#anchor).
LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s#]+)(#[^)\s]*)?\)")
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def nav_pages(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return set().union(*(nav_pages(item) for item in nav))
    if isinstance(nav, dict):
        return set().union(*(nav_pages(value) for value in nav.values()))
    return set()


def test_the_readme_is_a_landing_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    for command in ("scripts/demo", "scripts/test"):
        assert command in text
        assert (ROOT / command).is_file()


def test_the_readmes_links_work_on_github() -> None:
    targets = LINK.findall(README.read_text(encoding="utf-8"))
    assert any(target.startswith("docs/") for target, _ in targets)
    for target, _ in targets:
        assert (ROOT / target).exists(), f"README.md links to {target}, which does not exist"


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = nav_pages(config["nav"])
    written = {page.relative_to(DOCS).as_posix() for page in PAGES}
    assert written - listed == set(), "pages missing from mkdocs.yml's nav"
    # changelog.md is made from CHANGELOG.md by docs/hooks/repository_files.py.
    assert listed - written == {"changelog.md"}


@pytest.mark.parametrize(
    ("package", "page"),
    [(clio_appointments, "clio_appointments.md"), (clio_emulator, "clio_emulator.md")],
    ids=["clio_appointments", "clio_emulator"],
)
def test_every_public_name_is_in_the_api_reference(package: ModuleType, page: str) -> None:
    text = (DOCS / "reference" / page).read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: \w+\.(\w+)$", text, re.M))
    assert set(package.__all__) - documented == set()


def test_the_conformance_entry_points_are_in_the_api_reference() -> None:
    text = (DOCS / "reference" / "clio_conformance.md").read_text(encoding="utf-8")
    for name in ("run_conformance", "ConformanceOptions", "ConformanceReport", "TestResult", "Outcome", "write_junit"):
        assert f"::: clio_conformance.{name}\n" in text


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_python_example_compiles(page: Path) -> None:
    for block in PYTHON_BLOCK.findall(page.read_text(encoding="utf-8")):
        compile(block, str(page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
