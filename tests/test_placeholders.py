"""One grammar of %-placeholders (`rules.PRINTF`): the rule list, the stray-% check and
the `python-format` flag of the template all read a string the same way, and the way
Python's own `%` operator, with a mapping as ushtil formats, reads it."""

from __future__ import annotations

from pathlib import Path

import polib
from babel.messages.catalog import Catalog as BabelCatalog
from hypothesis import given
from hypothesis import strategies as st

from ushtil.interface import rules, tooling
from ushtil.interface.rules import bare_percent, placeholders, python_format

# pieces a string is made of: named placeholders (some with flags), percent signs, stray
# '%' of each kind, and literal text that begins no conversion
PIECES = (
    "q", " ", "-", ")", "%%", "%(n)s", "%(n)d", "%(n) d", "%(n)#x", "%(n).f", "%(n)a",
    "%(", "%", "%5%", "%*d", "%(n)*d", "%(n).*f", "%(n)%", "% d", "% ", "%.",
)  # fmt: skip


class Anything(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return 1


@given(st.lists(st.sampled_from(PIECES), max_size=6).map("".join))
def test_a_stray_percent_is_what_python_cannot_format(text: str) -> None:
    specs = list(rules.PRINTF.finditer(text))
    unnamed = [m for m in specs if m.group("name") is None and m.group() != "%%"]
    if any(m.group("conv") in ("s", "r", "a") for m in unnamed):
        return  # an unnamed %s takes the mapping itself, so Python cannot tell
    if any(p[:2] != "%(" for p in placeholders(text)[0]):
        return  # an unnamed placeholder: a mapping cannot fill it, stray or not
    try:
        text % Anything()
        formats = True
    except (ValueError, TypeError, KeyError):
        formats = False
    assert bare_percent(text) is not formats, text


def test_the_disputed_cases() -> None:
    # '%*d' needs positional arguments: a stray '%' everywhere, no placeholder anywhere
    for text in ("%*d items", "%(n)*d items", "50% discount", "100%", "%5%", "%(n)%"):
        assert bare_percent(text), text
        assert placeholders(text)[0] == frozenset(), text
        assert not python_format((text,)), text
    assert placeholders("%(n)s of %(total) d, %.2f%%") == (
        frozenset({"%(n)", "%(total)", "%f"}),
        frozenset(),
    )
    assert not bare_percent("%(n)s of %(total) d, %.2f%%")
    assert python_format(("100%%",)) and python_format(("%(n)s",))
    assert not python_format(("plain",))


def test_the_rule_list_judges_by_the_same_grammar() -> None:
    entry = polib.POEntry(msgid="%*d items", msgstr="%*d материал")
    codes = [f.code for f in rules.judge(entry, 2, "kk").findings]
    assert codes == ["bare-percent"]  # not also "placeholder": '%*d' is none
    entry = polib.POEntry(msgid="50% discount", msgstr="50% жеңілдік")
    codes = [f.code for f in rules.judge(entry, 2, "kk").findings]
    assert codes == ["bare-percent"]


def test_the_template_flags_python_format_by_the_same_grammar(tmp_path: Path) -> None:
    catalog = BabelCatalog(fuzzy=False, charset="utf-8")
    for msgid in ("%*d items", "50% discount", "%(n)s items", "100%% sure", "plain"):
        catalog.add(msgid, None, [("templates/x.html", 1)])
    po = polib.pofile(tooling.po_text(catalog, {"Content-Type": "text/plain"}, "test"))
    flagged = {e.msgid for e in po if "python-format" in e.flags}
    assert flagged == {"%(n)s items", "100%% sure"}
