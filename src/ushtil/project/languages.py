"""What ushtil knows of each language without configuration: the one definition.

Its native name and locale (the switcher, Babel, Open Graph), its plural rule (the
``Plural-Forms`` a catalogue must have), its script and alphabet (look-alike Latin
letters, and which look-alike has a twin in it), the vowels and voicing consonants that
stems are cut at (the glossary), and the form of a date on its pages and in search
results. Every module takes these facts from here; a language not here is configured in
``site.toml`` (``[language.<code>]``, name and locale) and gets the general rules.
"""

from __future__ import annotations

from dataclasses import dataclass

RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH_LETTERS = RUSSIAN_LETTERS + "әғқңөұүһі"


@dataclass(frozen=True)
class Facts:
    code: str  # ISO 639-1
    name: str  # its own name, shown in the language switcher
    locale: str  # Babel's and Open Graph's
    nplurals: int  # the Plural-Forms header ushtil vouches for
    plural: str  # ... and its expression, in C
    script: str  # ISO 15924: Cyrl, Latn
    letters: str  # the lowercase alphabet
    vowels: str  # what a stem loses at its end
    voicing: str = ""  # final consonants voiced before a suffix (Kazakh к → г): cut too
    date_format: str = "long"  # Babel's form of a date on pages and in search results

    @property
    def cyrillic(self) -> bool:
        return self.script == "Cyrl"


KAZAKH = Facts(
    "kk", "Қазақша", "kk_KZ", 2, "(n != 1)", "Cyrl", KAZAKH_LETTERS,
    vowels="аәеёиіоөуұүыэюя", voicing="кқп",
)  # fmt: skip
RUSSIAN = Facts(
    "ru", "Русский", "ru_RU", 3,
    "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    "Cyrl", RUSSIAN_LETTERS, vowels="аеёиоуыэюя",
)  # fmt: skip
ENGLISH = Facts(
    "en", "English", "en_US", 2, "(n != 1)", "Latn", "abcdefghijklmnopqrstuvwxyz",
    vowels="aeiouy",
)  # fmt: skip
KNOWN = {facts.code: facts for facts in (KAZAKH, RUSSIAN, ENGLISH)}
# the languages written in Cyrillic, whose words are checked for Latin look-alikes
CYRILLIC = tuple(code for code, facts in KNOWN.items() if facts.cyrillic)
DATE_FORMAT = "long"  # for a language ushtil does not know


def date_format(code: str) -> str:
    known = KNOWN.get(code)
    return known.date_format if known else DATE_FORMAT
