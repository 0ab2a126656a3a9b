"""The Atom feed of each language, as an output for the :class:`~ushtil.engine.ledger.Ledger`:
the latest articles that have their own version in the language, each with its lead image.
"""

from __future__ import annotations

from functools import partial
from zoneinfo import ZoneInfo

from ushtil.engine.ledger import File, Output
from ushtil.site.graph import ArticleLinks, Slot, SlotState
from ushtil.site.outputs import FeedEntry, FeedImage, atom_feed
from ushtil.site.pages import Kit


def feed_output(kit: Kit, lang: str) -> Output:
    """``/{lang}/feed.xml``: the latest articles that exist in ``lang`` itself."""
    latest = _latest(kit, lang)
    key = kit.key(
        "feed",
        lang,
        [
            (
                links.article.id,
                slot.version.body_hash if slot.version else None,
                slot.version.digest if slot.version else None,
                links.article.published.isoformat(),
                kit.lead(links, slot),
            )
            for links, slot in latest
        ],
    )
    path = kit.urls.file_for(kit.urls.feed(lang))
    return Output((path,), key, partial(_feed, kit, lang, path))


def _latest(kit: Kit, lang: str) -> list[tuple[ArticleLinks, Slot]]:
    own = [(links, s) for links, s in kit.graph.listed(lang) if s.state == SlotState.OWN]
    return own[: kit.config.feed_size]


def _feed(kit: Kit, lang: str, path: str) -> list[File]:
    zone = ZoneInfo(kit.config.time_zone)
    entries = [
        FeedEntry(
            url=kit.absolute(slot.url),
            lang=lang,
            article_id=links.article.id,
            title=slot.version.title,
            summary=slot.version.summary,
            content_html=str(kit.bodies.html(slot.version)),
            published=links.article.published.astimezone(zone),
            image=_feed_image(kit, links, slot),
        )
        for links, slot in _latest(kit, lang)
        if slot.version is not None
    ]
    site_name = kit.templates.site_name(lang)
    content = atom_feed(
        lang=lang,
        title=f"{site_name}: {kit.templates.text(lang, 'News')}",
        author=site_name,
        feed_url=kit.absolute(kit.urls.feed(lang)),
        home_url=kit.absolute(kit.urls.home(lang)),
        base_url=kit.config.base_url,
        entries=entries,
    )
    return [File(path, content)]


def _feed_image(kit: Kit, links: ArticleLinks, slot: Slot) -> FeedImage | None:
    picture = kit.media.lead(links.article)
    if picture is None or slot.version is None:
        return None
    text = slot.version.image_text(picture.name)
    return FeedImage(
        kit.absolute(picture.src(kit.urls.prefix)),
        picture.mime,
        text.alt if text is not None else "",
    )
