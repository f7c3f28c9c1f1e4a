"""MkDocs hook: links from the docs to the rest of the repository, and the changelog as a page.

The pages in docs/ link to files elsewhere in the repository the way GitHub shows them (`../examples/x.yml`,
`../openapi/clio-v4-calendar.yaml`), so the same Markdown reads right in both places. MkDocs only knows docs/, so
here each such file is published with the site under `repository/` and the link is pointed there. A link to a file
that does not exist is left as written, and `mkdocs build --strict` fails on it as on any other broken link.

CHANGELOG.md (at the top, where Keep a Changelog puts it) becomes the page `changelog.md`, its links to `docs/...`
made relative to docs/ and its other links treated as above; a docs page links it as `../CHANGELOG.md`, which works
on GitHub too and is pointed at that page here.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

PUBLISHED = "repository"
CHANGELOG = "changelog.md"

# A Markdown link or image target that climbs out of its folder: ](../path) or ](../path#anchor).
_OUTWARD = re.compile(r"\]\((?P<target>(?:\.\./)+[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")
# Any relative Markdown link in the changelog: ](path) or ](path#anchor), not a URL and not an anchor alone.
_RELATIVE = re.compile(r"\]\((?P<target>(?![a-z][a-z0-9+.-]*:|#|/)[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


def _root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def _docs(config: Any) -> Path:
    return Path(config["docs_dir"]).resolve()


def _changelog_markdown(config: Any) -> str:
    """CHANGELOG.md with its links made relative to docs/ (docs/x.md is x.md; anything else climbs out)."""
    text = (_root(config) / "CHANGELOG.md").read_text(encoding="utf-8")

    def rewrite(match: re.Match[str]) -> str:
        target, anchor = match["target"], match["anchor"] or ""
        inside = target.removeprefix("docs/") if target.startswith("docs/") else f"../{target}"
        return f"]({inside}{anchor})"

    return _RELATIVE.sub(rewrite, text)


def _resolve(config: Any, page_src_uri: str, target: str) -> Path:
    return (_docs(config) / posixpath.dirname(page_src_uri) / target).resolve()


def _outside_target(config: Any, page_src_uri: str, target: str) -> str | None:
    """The repository path of a link target outside docs/ that exists as a file there; None for anything else."""
    root, docs = _root(config), _docs(config)
    resolved = _resolve(config, page_src_uri, target)
    if resolved.is_relative_to(docs) or not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    if resolved.suffix == ".md":  # would become a page whose own links break: link docs pages instead
        return None
    return resolved.relative_to(root).as_posix()


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, CHANGELOG, content=_changelog_markdown(config)))
    sources = {f.src_uri: f for f in files if f.src_uri.endswith(".md")}
    for src_uri, file in sources.items():
        text = file.content_string
        for match in _OUTWARD.finditer(text):
            path = _outside_target(config, src_uri, match["target"])
            published = f"{PUBLISHED}/{path}"
            if path is not None and files.get_file_from_path(published) is None:
                files.append(File.generated(config, published, abs_src_path=str(_root(config) / path)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    src_uri = page.file.src_uri

    def rewrite(match: re.Match[str]) -> str:
        here = posixpath.dirname(src_uri) or "."
        if _resolve(config, src_uri, match["target"]) == _root(config) / "CHANGELOG.md":
            return f"]({posixpath.relpath(CHANGELOG, here)}{match['anchor'] or ''})"
        path = _outside_target(config, src_uri, match["target"])
        if path is None:
            return match[0]
        return f"]({posixpath.relpath(f'{PUBLISHED}/{path}', here)}{match['anchor'] or ''})"

    return _OUTWARD.sub(rewrite, markdown)
