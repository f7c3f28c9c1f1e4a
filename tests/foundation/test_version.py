"""The version policy (docs/versioning.md): the package version is the spec's `info.version` (Clio minor version and
our revision) in PEP 440 form, written once in pyproject.toml and read from the package metadata."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import clio_appointments

ROOT = Path(__file__).resolve().parents[2]
SPEC_VERSION = re.compile(r"(?P<clio>[0-9]+\.[0-9]+\.[0-9]+)-ca\.(?P<revision>[1-9][0-9]*)")
# <Clio minor>.<revision>, then at most a pre-release and a development suffix (4.0.9.6rc1, 4.0.9.6.dev0).
PACKAGE_VERSION = re.compile(
    r"(?P<clio>[0-9]+\.[0-9]+\.[0-9]+)\.(?P<revision>[1-9][0-9]*)(?:(?:a|b|rc)[0-9]+)?(?:\.dev[0-9]+)?"
)


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def test_package_version_is_the_specs_clio_minor_and_revision(spec: dict[str, Any]) -> None:
    spec_version = SPEC_VERSION.fullmatch(spec["info"]["version"])
    assert spec_version, f"info.version {spec['info']['version']!r} is not <Clio minor>-ca.<revision>"
    package = PACKAGE_VERSION.fullmatch(pyproject_version())
    assert package, f"pyproject.toml's version {pyproject_version()!r} is not <Clio minor>.<revision>"
    expected = f"{spec_version['clio']}.{spec_version['revision']}"
    assert (package["clio"], package["revision"]) == (spec_version["clio"], spec_version["revision"]), (
        f"the spec says {spec['info']['version']}, so pyproject.toml's version must be {expected} "
        f"(docs/versioning.md: raise both together)"
    )


def test_spec_description_names_the_same_clio_minor_version(spec: dict[str, Any]) -> None:
    clio = SPEC_VERSION.fullmatch(spec["info"]["version"])
    assert clio
    assert f"(minor version {clio['clio']})" in spec["info"]["description"]


def test_dunder_version_is_the_installed_metadata_and_pyproject() -> None:
    # An editable install keeps the metadata of its last install: scripts/bootstrap reinstalls when pyproject changes.
    assert clio_appointments.__version__ == version("clio-appointments") == pyproject_version()
    assert "__version__" in clio_appointments.__all__


def test_changelog_headings_follow_the_scheme() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", text, re.M)
    assert headings and headings[0][0] == "Unreleased", "CHANGELOG.md starts with ## [Unreleased]"
    for name, rest in headings[1:]:
        assert PACKAGE_VERSION.fullmatch(name), f"CHANGELOG.md: {name!r} is not <Clio minor>.<revision>"
        assert re.fullmatch(r" - [0-9]{4}-[0-9]{2}-[0-9]{2}", rest), f"CHANGELOG.md: [{name}] needs ' - YYYY-MM-DD'"
