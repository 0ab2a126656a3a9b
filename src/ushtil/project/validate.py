"""Checks over the loaded model that no single file can see on its own.

Pure: takes the site and the moment of the build, returns diagnostics.
"""

from __future__ import annotations

import datetime as dt

from ushtil.project.freshness import OUTDATED, version_state
from ushtil.project.model import Site
from ushtil.project.pictures import image_text_problems
from ushtil.project.problems import Diagnostic, error, warning


def validate_site(site: Site, now: dt.datetime, *, strict: bool = False) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    config = site.config
    for article in site.articles:
        if article.published > now:
            diagnostics.append(
                warning(
                    article.location,
                    "future",
                    f"published {article.published.isoformat()} is in the future: "
                    "not published until then",
                )
            )
        present = {v.lang for v in article.versions if not v.draft}
        for lang in config.required:
            if lang not in present:
                make = error if strict else warning
                diagnostics.append(
                    make(
                        article.location,
                        "missing-required",
                        f"no published '{lang}' version ({lang} is required)",
                    )
                )
        for version in article.versions:
            if version_state(article, version) != OUTDATED:
                continue
            assert version.translated_from is not None
            make = error if strict and version.lang in config.required else warning
            diagnostics.append(
                make(
                    version.location,
                    "outdated",
                    f"outdated: {version.translated_from.lang}.md changed after this "
                    "translation was made; "
                    f"update it, then run `ushtil translate done {article.id} {version.lang}`",
                )
            )
        diagnostics += image_text_problems(article, strict=strict)
        if article.versions and all(v.translated_from is not None for v in article.versions):
            diagnostics.append(
                error(
                    article.location,
                    "no-original",
                    "every version says it was translated: one must be the original",
                )
            )
    return diagnostics
