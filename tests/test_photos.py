"""Photos: a lead image and a gallery per article, published in responsive variants with
their alt text, caption and credit in each language; broken images are clear errors."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from conftest import NOW, build_ok, build_report, find, make_project, messages, read
from PIL import Image, ImageOps

from ushtil.site.build import build

A = "articles/p-photos"

TEXTS = {
    "kk": ("Жаңа саябақ", "Саябақтағы субботник", "Фото: әкімдіктің баспасөз қызметі"),
    "ru": ("Новый парк", "Субботник в парке", "Фото: пресс-служба акимата"),
    "en": ("The new park", "Clean-up day in the park", "Photo: the mayor's press office"),
}


def photo(
    path: Path,
    size: tuple[int, int],
    *,
    kind: str = "JPEG",
    mode: str = "RGB",
    orientation: int | None = None,
    gps: bool = False,
) -> None:
    """An image made here: left half red, right half blue (so turning it shows)."""
    image = Image.new(mode, size, (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30))
    right = Image.new(mode, (size[0] // 2, size[1]), (20, 40, 220))
    image.paste(right, (size[0] - size[0] // 2, 0))
    if mode == "RGBA":
        image.putpixel((0, 0), (0, 0, 0, 0))
    options: dict[str, object] = {}
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "Camera maker"
        if orientation is not None:
            exif[0x0112] = orientation
        if gps:
            exif[0x8825] = {1: "N", 2: (51.0, 7.0, 40.0), 3: "E", 4: (71.0, 26.0, 0.0)}
        options = {"exif": exif, "comment": b"secret comment", "quality": 90}
        xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
        options["xmp"] = xmp
    image.save(path, kind, **options)


def version(lang: str, title: str, images: dict[str, tuple[str, str, str]]) -> str:
    tables = "".join(
        f'\n[images."{name}"]\nalt = "{alt}"\ncaption = "{caption}"\ncredit = "{credit}"\n'
        for name, (alt, caption, credit) in images.items()
    )
    return f'+++\ntitle = "{title}"\nsummary = "{title}: summary"\n{tables}+++\nBody {lang}.\n'


def photo_article(project: Path, *, gallery: bool = True, lead: str = "lead.jpg") -> Path:
    folder = project / A
    folder.mkdir(parents=True, exist_ok=True)
    photo(folder / "lead.jpg", (2000, 1200), orientation=6, gps=True)
    photo(folder / "small.png", (300, 200), kind="PNG", mode="RGBA")
    facts = f'published = 2024-04-01T10:00:00+05:00\ncategory = "news"\nimage = "{lead}"\n'
    if gallery:
        facts += 'gallery = ["small.png"]\n'
    (folder / "article.toml").write_text(facts, encoding="utf-8")
    for lang, (alt, caption, credit) in TEXTS.items():
        images = {"lead.jpg": (alt, caption, credit), "small.png": (f"{alt} 2", "", "")}
        (folder / f"{lang}.md").write_text(version(lang, f"Photos {lang}", images), "utf-8")
    return folder


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    project = make_project(tmp_path, "basic")
    photo_article(project)
    return project


def opened(public: Path, url: str) -> Image.Image:
    image = Image.open(public / url.lstrip("/"))
    image.load()
    return image


def test_the_lead_image_in_every_width_as_webp_and_jpeg_upright(photos: Path) -> None:
    public = build_ok(photos)
    html = read(public, "/kk/news/p-photos/")
    source = find(html, "source", type="image/webp")[0]  # the lead image's
    img = find(html, "img")[0]
    # turned by its EXIF orientation: 1200 × 2000; never wider than the original
    assert [w.split()[1] for w in (source.get("srcset") or "").split(", ")] == [
        "480w",
        "960w",
        "1200w",
    ]
    assert (img.get("width"), img.get("height")) == ("1200", "2000")
    assert img.get("alt") == "Жаңа саябақ"
    assert img.get("loading") is None  # the lead image is above the fold
    for entry in (img.get("srcset") or "").split(", "):
        url, width = entry.split()
        assert url.endswith(".jpg")
        made = opened(public, url)
        assert made.format == "JPEG"
        assert made.size == (int(width[:-1]), round(2000 * int(width[:-1]) / 1200))
        assert made.getpixel((made.width // 2, 5))[0] > 150  # top: red, as the EXIF turned it
        assert made.getpixel((made.width // 2, made.height - 5))[2] > 150  # bottom: blue
    for entry in (source.get("srcset") or "").split(", "):
        assert opened(public, entry.split()[0]).format == "WEBP"
    figure = find(html, "figcaption")[0]
    assert "Саябақтағы субботник" in figure.text
    assert "Фото: әкімдіктің баспасөз қызметі" in figure.text


def test_published_files_carry_no_metadata(photos: Path) -> None:
    public = build_ok(photos)
    files = sorted((public / "media/p-photos").iterdir())
    assert files
    for path in files:
        with Image.open(path) as made:
            assert dict(made.getexif()) == {}, path.name  # EXIF, GPS included
            for block in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"):
                assert block not in made.info, (path.name, block)
        data = path.read_bytes()
        assert b"secret comment" not in data and b"Camera maker" not in data
        assert b"xmpmeta" not in data
    # the source did carry them: the test would catch a copy
    source = (photos / A / "lead.jpg").read_bytes()
    assert b"secret comment" in source and b"Camera maker" in source
    with Image.open(photos / A / "lead.jpg") as original:
        assert original.getexif().get_ifd(0x8825)


def test_captions_and_alt_texts_in_each_language_and_the_gallery_lazy(photos: Path) -> None:
    public = build_ok(photos)
    for lang, (alt, caption, credit) in TEXTS.items():
        html = read(public, f"/{lang}/news/p-photos/")
        images = find(html, "img")
        assert [i.get("alt") for i in images][:2] == [alt, f"{alt} 2"]
        figcaption = find(html, "figcaption")[0].text
        assert caption in figcaption and credit in figcaption
        gallery = images[1]
        assert gallery.get("loading") == "lazy"
        # 300 px wide: one width, not upscaled; transparent: PNG, not JPEG
        assert (gallery.get("width"), gallery.get("height")) == ("300", "200")
        assert (gallery.get("src") or "").endswith("-300.png")
        assert opened(public, gallery.get("src") or "").mode == "RGBA"
        assert html.index('class="body"') < html.index('class="gallery"')


def test_a_missing_alt_text_is_a_warning_with_its_line_and_strict_makes_it_an_error(
    photos: Path,
) -> None:
    ru = photos / A / "ru.md"
    ru.write_text(ru.read_text("utf-8").replace('alt = "Новый парк"\n', ""), "utf-8")
    report = build_report(photos)
    assert report.ok
    line = ru.read_text("utf-8").splitlines().index('[images."lead.jpg"]') + 1
    expected = f"{A}/ru.md:{line}: warning: image 'lead.jpg' has no alt text in this language"
    assert any(m.startswith(expected) for m in messages(report)), messages(report)
    strict = build_report(photos, strict=True)
    assert not strict.ok
    assert any(
        m.startswith(f"{A}/ru.md:{line}: image 'lead.jpg' has no alt") for m in messages(strict)
    )
    img = find(read(photos / "public", "/ru/news/p-photos/"), "img")[0]
    assert img.get("alt") == ""


def huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: nothing is written


def bomb(path: Path) -> None:
    Image.new("1", (9000, 5000)).save(path, "PNG")  # 45 megapixels in a few kilobytes


def truncated(path: Path) -> None:
    photo(path, (800, 600))
    path.write_bytes(path.read_bytes()[:3000])


BROKEN = [
    ("corrupt", "lead.jpg", truncated, "cannot be decoded"),
    ("not an image", "lead.jpg", lambda p: p.write_bytes(b"\xff\xd8\xff garbage"), "not an image"),
    ("a decompression bomb", "lead.png", bomb, "too many pixels: 9000 × 5000"),
    ("a file too large", "lead.jpg", huge, "larger than 64 MiB"),
    (
        "a PNG named .jpg",
        "lead.jpg",
        lambda p: photo(p, (50, 50), kind="PNG"),
        "a PNG file named .jpg: its name must end in .png",
    ),
    (
        "an SVG named .png",
        "lead.png",
        lambda p: p.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        "an SVG drawing: not published",
    ),
]


@pytest.mark.parametrize(("name", "file", "make", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_image_is_a_clear_error_and_nothing_is_written(
    photos: Path, name: str, file: str, make: object, message: str
) -> None:
    assert callable(make)
    make(photos / A / file)
    (photos / A / "article.toml").write_text(
        f'published = 2024-04-01T10:00:00+05:00\ncategory = "news"\nimage = "{file}"\n', "utf-8"
    )
    report = build_report(photos)
    assert not report.ok
    assert f"{A}/{file}: {message}" in "\n".join(messages(report)), messages(report)
    assert not (photos / "public").exists()


def test_an_svg_is_refused_where_article_toml_names_it(photos: Path) -> None:
    (photos / A / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    facts = photos / A / "article.toml"
    facts.write_text(facts.read_text("utf-8").replace('"lead.jpg"', '"logo.svg"'), "utf-8")
    report = build_report(photos)
    assert not report.ok
    assert f"{A}/article.toml:3: image 'logo.svg': SVG is not published" in "\n".join(
        messages(report)
    )


def test_lists_show_a_thumbnail_date_category_and_summary(photos: Path) -> None:
    older = photos / "articles/p-older"
    older.mkdir()
    for path in (photos / A).iterdir():
        older.joinpath(path.name).write_bytes(path.read_bytes())
    facts = older / "article.toml"
    facts.write_text(facts.read_text("utf-8").replace("2024-04-01", "2024-03-20"), "utf-8")
    public = build_ok(photos)
    html = read(public, "/ru/")
    teaser = html[html.index("Photos ru") - 2000 : html.index("Photos ru") + 1000]
    assert 'class="thumb"' in teaser and "-480.webp 480w" in teaser
    assert 'href="/ru/category/news/"' in teaser
    assert "Photos ru: summary" in html
    assert "<time datetime=" in teaser
    first, second = find(html, "img")[:2]
    assert first.get("alt") == second.get("alt") == "Новый парк"
    assert (first.get("loading"), second.get("loading")) == (None, "lazy")
    later = read(public, "/ru/page/2/")  # basic: two articles a page
    assert 'class="teaser"' in later and "thumb" not in later  # no photo, no thumbnail


def test_the_feed_carries_the_lead_image(photos: Path) -> None:
    public = build_ok(photos)
    feed = feedparser.parse((public / "en/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entry = next(e for e in feed.entries if e.title == "Photos en")
    [enclosure] = entry.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("https://example.kz/media/p-photos/lead-")
    assert enclosure.href.endswith("-960.jpg")
    assert 'alt="The new park"' in entry.content[0].value
    others = [e for e in feed.entries if e.title != "Photos en"]
    assert others and all(not e.get("enclosures") for e in others)


def test_an_image_edited_replaced_or_removed_gives_what_a_clean_build_gives(
    photos: Path, tmp_path: Path
) -> None:
    from test_incremental import clean_build, tree

    assert build(photos, now=NOW, jobs=1).ok
    folder = photos / A

    def edited() -> None:
        photo(folder / "lead.jpg", (1000, 700))

    def replaced() -> None:
        photo(folder / "other.jpg", (700, 500))
        facts = folder / "article.toml"
        facts.write_text(facts.read_text("utf-8").replace('"lead.jpg"', '"other.jpg"'), "utf-8")
        for lang in TEXTS:
            md = folder / f"{lang}.md"
            md.write_text(md.read_text("utf-8").replace('"lead.jpg"', '"other.jpg"'), "utf-8")

    def removed() -> None:
        facts = folder / "article.toml"
        facts.write_text(facts.read_text("utf-8").replace('gallery = ["small.png"]\n', ""), "utf-8")

    def caption() -> None:
        md = folder / "kk.md"
        md.write_text(md.read_text("utf-8").replace("субботник", "сенбілік"), "utf-8")

    for change in (edited, caption, replaced, removed):
        change()
        report = build(photos, now=NOW, jobs=1)
        assert report.ok, [str(d) for d in report.diagnostics]
        assert tree(photos / "public") == clean_build(photos, tmp_path / "clean"), change.__name__
    assert not list((photos / "public/media/p-photos").glob("small-*"))
    assert not list((photos / "public/media/p-photos").glob("lead-*"))


def test_an_unchanged_image_costs_a_stat_not_a_decode(
    photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ushtil.site.media

    assert build(photos, now=NOW).ok
    calls: list[str] = []
    real_probe, real_encode = ushtil.site.media.probe, ushtil.site.media.encode
    monkeypatch.setattr(
        ushtil.site.media, "probe", lambda p: calls.append("probe") or real_probe(p)
    )
    monkeypatch.setattr(
        ushtil.site.media, "encode", lambda p, pic: calls.append("encode") or real_encode(p, pic)
    )
    md = photos / A / "en.md"
    md.write_text(md.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    assert build(photos, now=NOW).ok
    assert calls == []
    photo(photos / A / "small.png", (320, 200), kind="PNG", mode="RGBA")
    assert build(photos, now=NOW).ok
    assert calls == ["probe", "encode"]


def test_a_colour_profile_is_applied_and_not_kept(photos: Path) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (600, 400), (10, 120, 200)).save(photos / A / "lead.jpg", icc_profile=profile)
    public = build_ok(photos)
    for path in sorted((public / "media/p-photos").glob("lead-*")):
        with Image.open(path) as made:
            assert "icc_profile" not in made.info, path.name
            red, green, blue = made.convert("RGB").getpixel((300, 200))
            assert abs(red - 10) < 8 and abs(green - 120) < 8 and abs(blue - 200) < 8


def test_exif_orientation_is_what_pillow_says(tmp_path: Path) -> None:
    """The probe's size agrees with Pillow's own transpose, for all eight orientations."""
    from ushtil.site.images import probe

    for orientation in range(1, 9):
        path = tmp_path / f"o{orientation}.jpg"
        photo(path, (64, 32), orientation=orientation)
        with Image.open(path) as image:
            expected = ImageOps.exif_transpose(image).size
        found = probe(path)
        assert (found.width, found.height) == expected, orientation


def test_translation_tools_keep_the_photos_texts(photos: Path) -> None:
    """`translate new` starts from the original's texts; `translate import` keeps the
    version's own."""
    from test_translation_po import fill

    from ushtil.cli.main import main

    folder = photos / A
    (folder / "en.md").unlink()
    assert main(["-C", str(photos), "translate", "new", "p-photos", "--to", "en"]) == 0
    md = folder / "en.md"
    new = md.read_text("utf-8")
    assert '[images."lead.jpg"]\nalt = "Жаңа саябақ"\ncaption = "Саябақтағы субботник"' in new
    md.write_text(new.replace('alt = "Жаңа саябақ"', 'alt = "The new park"'), "utf-8")
    assert main(["-C", str(photos), "translate", "export", "p-photos", "--to", "en"]) == 0
    po = photos / "i18n/articles/p-photos.en.po"
    fill(po, {"title": "Photos en", "summary": "Summary", "1": "Body en."})
    assert main(["-C", str(photos), "translate", "import", str(po), "--force"]) == 0
    written = md.read_text("utf-8")
    assert "Body en." in written and "draft" not in written
    assert 'alt = "The new park"' in written and 'alt = "Жаңа саябақ"' not in written


def test_pages_rendered_by_worker_processes_show_the_same_photos(
    photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_incremental import clean_build, tree

    import ushtil.site.render

    monkeypatch.setattr(ushtil.site.render, "PARALLEL_FROM", 2)
    assert build(photos, now=NOW, jobs=2).ok
    assert tree(photos / "public") == clean_build(photos, tmp_path / "clean")


def test_an_image_removed_or_made_a_link_after_a_build_is_an_error(
    photos: Path, tmp_path: Path
) -> None:
    """article.toml's parse is remembered; the image is still checked on every build."""
    assert build(photos, now=NOW).ok
    lead = photos / A / "lead.jpg"
    secret = tmp_path / "secret.jpg"
    photo(secret, (100, 100))
    lead.unlink()
    report = build_report(photos)
    assert not report.ok
    assert f"{A}/lead.jpg: missing: article.toml names it" in messages(report)
    lead.symlink_to(secret)
    report = build_report(photos)
    assert not report.ok
    assert (
        f"{A}/lead.jpg: a link or not a file: put the image file itself in the article's folder"
        in messages(report)
    )


def test_editing_a_template_makes_no_photo_again(
    photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_incremental import clean_build, tree

    import ushtil.site.media

    assert build(photos, now=NOW).ok
    calls: list[str] = []
    real = ushtil.site.media.encode
    monkeypatch.setattr(
        ushtil.site.media, "encode", lambda p, pic: calls.append(p.name) or real(p, pic)
    )
    template = photos / "templates/_figure.html"
    template.write_text(template.read_text("utf-8").replace("photo", "photo wide"), "utf-8")
    assert build(photos, now=NOW).ok
    assert calls == []
    assert 'class="photo wide"' in read(photos / "public", "/kk/news/p-photos/")
    assert tree(photos / "public") == clean_build(photos, tmp_path / "clean")


def test_check_reports_a_broken_photo_and_a_missing_alt_text(
    photos: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ushtil.cli.main import main

    truncated(photos / A / "lead.jpg")
    ru = photos / A / "ru.md"
    ru.write_text(ru.read_text("utf-8").replace('alt = "Новый парк"\n', ""), "utf-8")
    assert main(["-C", str(photos), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{A}/lead.jpg: cannot be decoded (damaged or truncated?)" in err
    assert f"{A}/ru.md:" in err and "image 'lead.jpg' has no alt text" in err
    assert "Traceback" not in err
    assert not (photos / "public").exists()


def test_a_large_photo_is_made_in_the_right_sizes_and_the_right_way_up(photos: Path) -> None:
    """A camera-sized JPEG, turned by its EXIF (it may be decoded at a reduced scale)."""
    photo(photos / A / "lead.jpg", (5000, 3000), orientation=8)
    public = build_ok(photos)
    img = find(read(public, "/en/news/p-photos/"), "img")[0]
    assert (img.get("width"), img.get("height")) == ("1600", "2667")
    for entry in (img.get("srcset") or "").split(", "):
        url, width = entry.split()
        made = opened(public, url)
        assert made.size == (int(width[:-1]), round(5000 * int(width[:-1]) / 3000))
        # orientation 8 turns the picture a quarter anticlockwise: the right half (blue)
        # comes on top
        assert made.getpixel((made.width // 2, 5))[2] > 150
        assert made.getpixel((made.width // 2, made.height - 5))[0] > 150
