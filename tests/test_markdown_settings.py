"""The Markdown dialect's settings are one definition (`project/markdown.py`), and the
sanitiser's fuzz test renders through the very function the build uses."""

from __future__ import annotations

from pathlib import Path

from conftest import build_ok, edit

from ushtil.project import markdown as dialect
from ushtil.site import markdown as bodies


def test_the_build_renders_with_the_one_dialect() -> None:
    assert not hasattr(bodies, "markdown_renderer")
    assert not hasattr(bodies, "MarkdownIt")
    renderer = dialect.BodyRenderer(raw_html=True)
    text = "| a |\n| - |\n| b |\n\n<p onclick='x()'>hi</p><script>x()</script>\n"
    html = bodies.body_html(renderer, text)
    assert "<table>" in html and "<script" not in html and "onclick" not in html
    assert bodies.body_html(dialect.BodyRenderer(), text).count("&lt;script&gt;") == 1


def test_a_page_shows_what_body_html_makes(basic: Path) -> None:
    config = basic / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[markdown]\nraw_html = true\n")
    ru = basic / "articles/a-full/ru.md"
    edit(ru, "В парке есть", "<b onclick='x()'>Да</b>\n\nВ парке есть")
    page = (build_ok(basic) / "ru/news/a-full/index.html").read_text(encoding="utf-8")
    body = ru.read_text(encoding="utf-8").split("+++\n", 2)[2]
    assert bodies.body_html(dialect.BodyRenderer(raw_html=True), body) in page
