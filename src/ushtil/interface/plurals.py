"""The ``Plural-Forms`` header: parsed as GNU gettext parses it, and tried before it is
trusted (a division by zero or a form out of range is refused, as msgfmt refuses it)."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable

from ushtil.project.languages import KNOWN

# Plural rules ushtil vouches for (project/languages.py); a catalogue whose header
# disagrees is reported.
PLURAL_FORMS = {code: (facts.nplurals, facts.plural) for code, facts in KNOWN.items()}
PLURAL_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
# n for which a plural expression is evaluated before it is trusted (msgfmt tries 0…1000)
PLURAL_SAMPLES = (*range(1001), 10**4, 10**5, 10**6, 10**9, 2**31 - 1)

PluralRule = tuple[int, Callable[[int], int]]


def plural_forms(header: str | None) -> tuple[PluralRule | None, str | None]:
    """A ``Plural-Forms`` header as (nplurals, function of n), or why it cannot be used.

    The expression is parsed as gettext does (C syntax) and evaluated for every n in
    :data:`PLURAL_SAMPLES`: it must not fail (division by zero) and must give a form
    between 0 and nplurals - 1.
    """
    if not header:
        return None, "the header has no Plural-Forms"
    m = PLURAL_HEADER.match(header)
    if not m:
        return None, f"Plural-Forms must read 'nplurals=N; plural=EXPRESSION;', not {header!r}"
    nplurals, expression = int(m.group(1)), m.group(2)
    if nplurals < 1:
        return None, "Plural-Forms: nplurals must be at least 1"
    try:
        function = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError, MemoryError) as exc:
        return None, f"Plural-Forms: plural={expression} is not a valid expression ({exc})"
    for n in PLURAL_SAMPLES:
        try:
            index = function(n)
        except ZeroDivisionError:
            return None, f"Plural-Forms: plural={expression} divides by zero for n={n}"
        except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as exc:
            return None, f"Plural-Forms: plural={expression} fails for n={n} ({exc})"
        if not isinstance(index, int) or not 0 <= index < nplurals:
            return None, (
                f"Plural-Forms: plural={expression} gives {index} for n={n}, "
                f"but nplurals={nplurals} allows only 0 to {nplurals - 1}"
            )
    return (nplurals, function), None


def parse_plural_forms(header: str | None) -> PluralRule | None:
    return plural_forms(header)[0]
