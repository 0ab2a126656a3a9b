"""How the site presents itself, from ``site.toml``: ``emblem``, ``accent`` and
``[contacts]`` → :class:`~ushtil.project.model.Identity`.

The accent colour is the colour of links and of the header's band (white text on it),
so it must stand out against white and the light grey of the footer by at least
WCAG's 4.5:1. A colour that does not is darkened, in equal steps towards black, until
it does, and a warning names both colours.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ushtil.project import layout
from ushtil.project.model import DEFAULT_ACCENT, Contacts, Identity
from ushtil.project.problems import warning
from ushtil.project.tomlfields import Fields

COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+\Z")
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{3,30}\Z")
EMBLEM_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
# The light surfaces the accent colour is used on, as text or behind white text: the
# page (white) and the footer's grey (static/site.css, --surface).
SURFACES = ("#ffffff", "#f2f4f7")
MIN_CONTRAST = 4.5
CONTACT_KEYS = ("address", "phone", "email")


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def legible(colour: str) -> str:
    """``colour`` (lowercase ``#rrggbb``), or the first colour on the way from it to black
    whose contrast with every surface is at least 4.5:1."""
    colour = colour.lower()
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    steps = 64
    for step in range(steps + 1):
        keep = 1 - step / steps
        candidate = "#" + "".join(f"{round(c * keep):02x}" for c in (red, green, blue))
        if min(contrast(candidate, s) for s in SURFACES) >= MIN_CONTRAST:
            return candidate
    return "#000000"


def read_identity(f: Fields, root: Path) -> Identity:
    """``emblem``, ``accent`` and ``[contacts]`` of ``site.toml``; problems go to ``f``."""
    emblem = _emblem(f, root)
    accent = DEFAULT_ACCENT
    given = f.string("accent", nonempty=True)
    if given is not None and not COLOUR.fullmatch(given):
        f.fail("accent", "colour", f"'accent' must be a colour written #rrggbb, not '{given}'")
    elif given is not None:
        accent = legible(given)
        if accent != given.lower():
            worst = min(contrast(given, s) for s in SURFACES)
            f.diagnostics.append(
                warning(
                    f.where("accent"),
                    "contrast",
                    f"accent colour {given} has a contrast of {worst:.1f}:1 with the page's "
                    f"light backgrounds, less than the {MIN_CONTRAST}:1 text needs; the site "
                    f"uses {accent} instead (write that, or a darker colour, to silence this)",
                )
            )
    return Identity(emblem=emblem, accent=accent, contacts=_contacts(f))


def _emblem(f: Fields, root: Path) -> str | None:
    name = f.string("emblem", nonempty=True)
    if name is None:
        return None
    where = f"{layout.STATIC}/"
    parts = PurePosixPath(name).parts
    if (
        name.startswith("/")
        or "\\" in name
        or not parts
        or any(part in ("", ".", "..") for part in parts)
        or re.search(r"[\x00-\x20\x7f-\x9f\"'<>?#%]", name)
    ):
        f.fail("emblem", "unsafe-path", f"'emblem' must name a file inside {where}, not '{name}'")
        return None
    if PurePosixPath(name).suffix.lower() not in EMBLEM_TYPES:
        kinds = ", ".join(EMBLEM_TYPES)
        f.fail("emblem", "emblem", f"'emblem' must be an image file ({kinds}), not '{name}'")
        return None
    path = root / layout.STATIC
    for part in parts:
        path = path / part
        if path.is_symlink():
            f.fail("emblem", "unsafe-path", f"emblem '{name}' is a link; put the file in {where}")
            return None
    if not path.is_file():
        f.fail("emblem", "no-emblem", f"emblem '{name}' does not exist in {where}")
        return None
    return name


def _contacts(f: Fields) -> Contacts:
    table = f.sub("contacts")
    if table is None:
        return Contacts()
    table.unknown(CONTACT_KEYS)
    address = table.string("address", nonempty=True)
    phone = table.string("phone", nonempty=True)
    if phone is not None and not PHONE.fullmatch(phone):
        table.fail("phone", "phone", f"'contacts.phone' is not a phone number: '{phone}'")
        phone = None
    email = table.string("email", nonempty=True)
    if email is not None and not EMAIL.fullmatch(email):
        table.fail("email", "email", f"'contacts.email' is not an e-mail address: '{email}'")
        email = None
    return Contacts(address=address, phone=phone, email=email)
