"""interface/markup.py: the strict reader of the HTML in interface strings (well-formed or
refused, with where), what counts as markup, and a translation rebuilt from its msgid's
own tag text with its text escaped once."""

from __future__ import annotations

import pytest

from ushtil.interface.markup import (
    MarkupError,
    construct_at,
    is_markup,
    markup_of,
    parse,
    rebuild,
    references,
    show,
    source_problem,
)


def test_a_fragment_in_pieces() -> None:
    pieces = parse('Read <a href="/kk/" class=x>the <b>news</b></a><br>, &amp; more<!-- c -->')
    assert [(p.kind, p.raw) for p in pieces] == [
        ("text", "Read "),
        ("start", '<a href="/kk/" class=x>'),
        ("text", "the "),
        ("start", "<b>"),
        ("text", "news"),
        ("end", "</b>"),
        ("end", "</a>"),
        ("start", "<br>"),
        ("text", ", &amp; more"),
        ("other", "<!-- c -->"),
    ]
    # a start tag is known by its name and sorted, decoded attributes
    assert pieces[1].key == ("start", "a", (("class", "x"), ("href", "/kk/")))
    assert show(pieces[1]) == '<a class="x" href="/kk/">'
    assert parse("<A HREF='&#47;'>x</a>")[0].key == ("start", "a", (("href", "/"),))


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("<b>bold", 0, "<b> is not closed"),
        ("<b><i>x</b></i>", 7, "</b> closes <i>"),
        ("x</b>", 1, "</b> closes nothing"),
        ("a < b", 2, "a '<' that begins no tag"),
        ('<a href="x>y', 0, "an unterminated or malformed tag"),
        ("<b/>", 0, "'/>' does not close an HTML element"),
        ("<br></br>", 4, "</br>: <br> has no end tag"),
        ('<a href="1" href="2">x</a>', 0, "the attribute 'href' is given twice"),
        ("<!-- open", 0, "an unterminated or malformed comment"),
        ("<!DOCTYPE html>", 0, "a declaration ('<!') that is no comment"),
        ("<![CDATA[ x", 0, "an unterminated CDATA section"),
    ],
)
def test_what_is_not_well_formed_is_refused_with_where(
    text: str, offset: int, message: str
) -> None:
    with pytest.raises(MarkupError) as raised:
        parse(text)
    assert raised.value.offset == offset
    assert message in str(raised.value) and f"at character {offset + 1}" in str(raised.value)


def test_a_msgid_may_hold_a_less_than_sign_as_text() -> None:
    assert [p.kind for p in parse("a < b and <b>c</b>", lenient=True)] == [
        "text",
        "start",
        "text",
        "end",
    ]


def test_what_counts_as_markup() -> None:
    assert not is_markup("Plain text, 5 > 3 and a & b")
    for text in ("<b>x</b>", "&amp;", "&#1179;", "x <!-- y -->", "&nbsp"):
        assert is_markup(text), text
    assert references("a &amp; b &#1179; &bogus; &#x4A;") == [
        (2, "&amp;", "&"),
        (10, "&#1179;", "қ"),
        (26, "&#x4A;", "J"),
    ]


def test_markup_is_compared_as_a_multiset() -> None:
    source = parse('<a href="/x">one</a> and <b>two</b>')
    reordered = parse('<b>екі</b> және <a href="/x">бір</a>')
    assert markup_of(source) == markup_of(reordered)
    assert markup_of(source) != markup_of(parse('<a href="/y">one</a> and <b>two</b>'))
    assert markup_of(source) != markup_of(parse('<a href="/x">one</a> and two'))


def test_an_element_whose_text_cannot_be_escaped_is_a_problem_in_a_msgid() -> None:
    assert source_problem(parse("<b>x</b>")) is None
    for tag in ("script", "style", "textarea", "title"):
        problem = source_problem(parse(f"<{tag}>x</{tag}>"))
        assert problem is not None and f"<{tag}>" in problem


def test_a_translation_is_rebuilt_with_the_source_s_tags_and_its_text_escaped_once() -> None:
    source = parse('<a href="/kk/" title="Home">Home</a> &amp; <b>news</b>')
    translation = parse(
        "<b>жаңалықтар</b> &amp; <A TITLE='Home' HREF=\"/kk/\">Басты &lt;бет&gt;</A>"
    )
    rebuilt = rebuild(translation, source)
    assert rebuilt == ('<b>жаңалықтар</b> &amp; <a href="/kk/" title="Home">Басты &lt;бет&gt;</a>')
    # a quote in the text is escaped again: it cannot end an attribute
    assert rebuild(parse('say "hi"'), parse("say hi")) == "say &#34;hi&#34;"


def test_a_tag_named_in_a_message() -> None:
    text = 'x <a href="y">z</a> <!-- c --> <zz'
    assert construct_at(text, 2) == '<a href="y">'
    assert construct_at(text, 15) == "</a>"
    assert construct_at(text, 20) == "<!-- c -->"
    assert construct_at(text, 31) == "'<zz'"
