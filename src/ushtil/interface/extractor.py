"""The Babel extractor for the names declared in ``site.toml``: the site's name, the
footer's address, and category and tag names with their contexts (entry point ``ushtil_site`` in
``i18n/babel.cfg``)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

from ushtil.project.tomlfields import key_line

SITE_NAME_COMMENT = (
    "Translators: the site's name, shown at the top of every page and in the browser tab"
)
CONTACT_COMMENT = "Translators: the address in the contact block at the foot of every page"
LABEL_TABLES = {
    "categories": (
        "category",
        "Translators: the name of a news category, shown in the menu and on articles",
    ),
    "tags": ("tag", "Translators: a rubric (tag) name shown on articles"),
}


def extract_site_config(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Babel extractor: the site's name, the contact address, and category and tag names
    of ``site.toml`` with their contexts.
    (Babel's extractor interface passes ``keywords``, ``comment_tags`` and ``options``
    untyped; they are not used.)"""
    text = fileobj.read().decode("utf-8-sig")
    data = tomllib.loads(text)
    name = data.get("name")
    if isinstance(name, str) and name:
        yield key_line(text, "name"), "gettext", name, [SITE_NAME_COMMENT]
    address = data.get("contacts", {}).get("address")
    if isinstance(address, str) and address:
        line = key_line(text, "address", "contacts")
        yield line, "pgettext", ("contact", address), [CONTACT_COMMENT]
    for table, (context, comment) in LABEL_TABLES.items():
        for slug, msgid in data.get(table, {}).items():
            if isinstance(msgid, str) and msgid:
                yield key_line(text, slug, table), "pgettext", (context, msgid), [comment]
