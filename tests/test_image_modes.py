"""Photos keep their colours whatever kind of pixels their file holds: every mode Pillow reads
from the published types (1, 2/4/8/16-bit grey, with alpha or a transparent grey, palettes
with one transparent entry or an alpha per entry, RGB with a transparent colour, 16-bit
colour, CMYK JPEG, GIF, WebP) comes out of every variant with the same colours and opacity,
compared by their means; what cannot be known is refused with the file's path."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_ok, build_report, make_project, messages
from PIL import Image, ImageChops, ImageStat

from ushtil.site.images import ImageProblem, encode, probe, variants

SIZE = (600, 400)  # variants 480 and 600 px wide; the left half one colour, the right another
HALF = SIZE[0] // 2
TOLERANCE = 3.0  # of 255: JPEG and WebP on flat colours, and 16 bits read as 8

RGBA = tuple[float, float, float, float]


def halves(mode: str, left: object, right: object) -> Image.Image:
    image = Image.new(mode, SIZE, left)  # type: ignore[arg-type]
    image.paste(Image.new(mode, (SIZE[0] - HALF, SIZE[1]), right), (HALF, 0))  # type: ignore[arg-type]
    return image


def png(depth: int, colour_type: int, left: bytes, right: bytes, *chunks: bytes) -> bytes:
    """A PNG written here byte by byte (Pillow writes no 16-bit colour): ``left`` and
    ``right`` are the raw bytes of half a row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", *SIZE, depth, colour_type, 0, 0, 0)
    rows = (b"\x00" + left + right) * SIZE[1]
    extra = b"".join(chunk(c[:4], c[4:]) for c in chunks)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sixteen(*values: int) -> bytes:
    return struct.pack(f">{len(values)}H", *values)


def palette(left: tuple[int, int, int], right: tuple[int, int, int]) -> Image.Image:
    image = Image.new("P", SIZE, 0)
    image.putpalette([*left, *right])
    image.paste(1, (HALF, 0, *SIZE))
    return image


def saved(image: Image.Image, kind: str, **options: object) -> Callable[[Path], None]:
    return lambda path: image.save(path, kind, **options)


def written(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data) and None


def grey(value: float, alpha: float = 255) -> RGBA:
    return (value, value, value, alpha)


RED, BLUE = (200, 60, 30), (20, 90, 220)
G16, G16B = 40000, 10000  # 61 % and 15 % grey, 16 bits: 155.6 and 38.9 of 255

# (name, file, how it is written, the left half's and the right half's colour as sRGB 0–255
# with opacity)
CASES: list[tuple[str, str, Callable[[Path], None], RGBA, RGBA]] = [
    ("1", "x.png", saved(halves("1", 0, 1), "PNG"), grey(0), grey(255)),
    ("L 4-bit", "x.png", written(png(4, 0, b"\xaa" * 150, b"\x33" * 150)), grey(170), grey(51)),
    ("L", "x.png", saved(halves("L", 150, 60), "PNG"), grey(150), grey(60)),
    (
        "L tRNS",
        "x.png",
        saved(halves("L", 150, 60), "PNG", transparency=60),
        grey(150),
        grey(60, 0),
    ),
    ("LA", "x.png", saved(halves("LA", (150, 255), (60, 100)), "PNG"), grey(150), grey(60, 100)),
    ("P", "x.png", saved(palette(RED, BLUE), "PNG"), (*RED, 255), (*BLUE, 255)),
    (
        "P tRNS index",
        "x.png",
        saved(palette(RED, BLUE), "PNG", transparency=1),
        (*RED, 255),
        (*BLUE, 0),
    ),
    (
        "P tRNS alphas",
        "x.png",
        saved(palette(RED, BLUE), "PNG", transparency=b"\xff\x80"),
        (*RED, 255),
        (*BLUE, 128),
    ),
    ("RGB", "x.png", saved(halves("RGB", RED, BLUE), "PNG"), (*RED, 255), (*BLUE, 255)),
    (
        "RGB tRNS",
        "x.png",
        saved(halves("RGB", RED, BLUE), "PNG", transparency=BLUE),
        (*RED, 255),
        (*BLUE, 0),
    ),
    (
        "RGBA",
        "x.png",
        saved(halves("RGBA", (*RED, 255), (*BLUE, 90)), "PNG"),
        (*RED, 255),
        (*BLUE, 90),
    ),
    (
        "I;16",
        "x.png",
        saved(halves("I;16", G16, G16B), "PNG"),
        grey(G16 / 257),
        grey(G16B / 257),
    ),
    (
        "I;16 tRNS",
        "x.png",
        saved(halves("I;16", G16, G16B), "PNG", transparency=G16B),
        grey(G16 / 257),
        grey(G16B / 257, 0),
    ),
    (
        "16-bit grey with alpha",
        "x.png",
        written(png(16, 4, sixteen(G16, 65535) * HALF, sixteen(G16B, 30000) * HALF)),
        grey(G16 / 257),
        grey(G16B / 257, 30000 / 257),
    ),
    (
        "16-bit RGB",
        "x.png",
        written(png(16, 2, sixteen(52000, 16000, 8000) * HALF, sixteen(0, 65535, 30000) * HALF)),
        (52000 / 257, 16000 / 257, 8000 / 257, 255),
        (0, 255, 30000 / 257, 255),
    ),
    (
        "16-bit RGBA",
        "x.png",
        written(png(16, 6, sixteen(52000, 16000, 8000, 65535) * HALF, sixteen(0, 0, 0, 0) * HALF)),
        (52000 / 257, 16000 / 257, 8000 / 257, 255),
        (0, 0, 0, 0),
    ),
    ("JPEG L", "x.jpg", saved(halves("L", 150, 60), "JPEG", quality=95), grey(150), grey(60)),
    (
        "JPEG RGB",
        "x.jpg",
        saved(halves("RGB", RED, BLUE), "JPEG", quality=95),
        (*RED, 255),
        (*BLUE, 255),
    ),
    (
        # Adobe's inverted inks (what Photoshop writes, and browsers assume); no profile, so
        # ink C takes away red, K every colour: these two agree with any plain conversion
        "JPEG CMYK",
        "x.jpg",
        saved(halves("CMYK", (0, 160, 200, 0), (0, 0, 0, 100)), "JPEG", quality=95),
        (255, 95, 55, 255),
        grey(155),
    ),
    ("GIF P", "x.gif", saved(palette(RED, BLUE), "GIF"), (*RED, 255), (*BLUE, 255)),
    (
        "GIF P transparent",
        "x.gif",
        saved(palette(RED, BLUE), "GIF", transparency=1),
        (*RED, 255),
        (*BLUE, 0),
    ),
    ("WebP RGB", "x.webp", saved(halves("RGB", RED, BLUE), "WEBP"), (*RED, 255), (*BLUE, 255)),
    (
        "WebP RGBA",
        "x.webp",
        saved(halves("RGBA", (*RED, 255), (*BLUE, 90)), "WEBP", lossless=True),
        (*RED, 255),
        (*BLUE, 90),
    ),
]


def means(image: Image.Image) -> RGBA:
    """Each channel's mean weighted by opacity (what shows over a background), and the
    opacity's mean: the colour under a transparent pixel does not count."""
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    shown = [ImageStat.Stat(ImageChops.multiply(rgba.getchannel(c), alpha)).mean[0] for c in "RGB"]
    return (*shown, ImageStat.Stat(alpha).mean[0])  # type: ignore[return-value]


def expected(left: RGBA, right: RGBA) -> RGBA:
    def shown(c: int) -> float:
        return (left[c] * left[3] + right[c] * right[3]) / 255 / 2

    return (shown(0), shown(1), shown(2), (left[3] + right[3]) / 2)


def assert_close(found: RGBA, wanted: RGBA, what: str) -> None:
    assert all(abs(f - w) <= TOLERANCE for f, w in zip(found, wanted, strict=True)), (
        f"{what}: means {tuple(round(f, 1) for f in found)}, "
        f"expected {tuple(round(w, 1) for w in wanted)}"
    )


@pytest.mark.parametrize(
    ("name", "file", "write", "left", "right"), CASES, ids=[c[0] for c in CASES]
)
def test_every_variant_has_the_colours_of_the_source(
    tmp_path: Path,
    name: str,
    file: str,
    write: Callable[[Path], None],
    left: RGBA,
    right: RGBA,
) -> None:
    path = tmp_path / file
    write(path)
    found = probe(path)
    picture = variants("a", file, found)
    transparent = min(left[3], right[3]) < 255
    assert picture.mime == ("image/png" if transparent else "image/jpeg"), name
    made = encode(path, picture)
    assert sorted(made) == sorted(picture.paths)
    wanted = expected(left, right)
    for variant_path, data in made.items():
        target = tmp_path / "v" / variant_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        with Image.open(target) as variant:
            assert variant.mode in (("RGBA",) if transparent else ("RGB", "L")), variant_path
            assert_close(means(variant), wanted, f"{name} {variant_path}")


def test_a_16_bit_grey_photo_is_published_grey_not_white(tmp_path: Path) -> None:
    """The whole build: one article whose lead photo is a 61 % grey 16-bit PNG."""
    project = make_project(tmp_path, "basic")
    folder = project / "articles/p-modes"
    folder.mkdir()
    Image.new("I;16", SIZE, G16).save(folder / "x.png")
    (folder / "article.toml").write_text(
        'published = 2024-04-01T10:00:00+05:00\ncategory = "news"\nimage = "x.png"\n', "utf-8"
    )
    for lang in ("kk", "ru", "en"):
        (folder / f"{lang}.md").write_text(
            f'+++\ntitle = "Grey {lang}"\nsummary = "Grey"\n[images."x.png"]\nalt = "Grey"\n'
            f"+++\nBody {lang}.\n",
            "utf-8",
        )
    public = build_ok(project)
    made = sorted((public / "media/p-modes").glob("x-*"))
    assert len(made) == 4  # 480 and 600 px, WebP and JPEG
    for path in made:
        with Image.open(path) as variant:
            assert_close(means(variant), grey(G16 / 257), path.name)

    # a 16-bit colour PNG with a transparent colour: Pillow reads 8 of its 16 bits, so which
    # pixels are transparent cannot be known; refused, with the file's path
    (folder / "x.png").write_bytes(
        png(
            16,
            2,
            sixteen(52000, 16000, 8000) * HALF,
            sixteen(0, 0, 0) * HALF,
            b"tRNS" + sixteen(0, 0, 0),
        )
    )
    report = build_report(project)
    assert not report.ok
    assert (
        "articles/p-modes/x.png: a 16-bit colour PNG with a transparent colour (tRNS): "
        "save it with an alpha channel, or with 8 bits per channel"
    ) in messages(report)


# Modes no published type gives Pillow today, but its readers may: made in memory
MEMORY: list[tuple[str, Callable[[], Image.Image], RGBA, RGBA]] = [
    ("I", lambda: halves("I", G16, G16B), grey(G16 / 257), grey(G16B / 257)),
    ("I;16B", lambda: halves("I;16B", G16, G16B), grey(G16 / 257), grey(G16B / 257)),
    ("I;16L", lambda: halves("I;16L", G16, G16B), grey(G16 / 257), grey(G16B / 257)),
    ("PA", lambda: palette(RED, BLUE).convert("PA"), (*RED, 255), (*BLUE, 255)),
    (
        "RGBa",
        lambda: halves("RGBA", (*RED, 255), (*BLUE, 102)).convert("RGBa"),
        (*RED, 255),
        (*BLUE, 102),
    ),
    ("La", lambda: halves("LA", (150, 255), (60, 102)).convert("La"), grey(150), grey(60, 102)),
    ("RGBX", lambda: halves("RGB", RED, BLUE).convert("RGBX"), (*RED, 255), (*BLUE, 255)),
    ("YCbCr", lambda: halves("RGB", RED, BLUE).convert("YCbCr"), (*RED, 255), (*BLUE, 255)),
]


@pytest.mark.parametrize(("name", "make", "left", "right"), MEMORY, ids=[c[0] for c in MEMORY])
def test_other_modes_pillow_has_come_out_in_their_colours(
    name: str, make: Callable[[], Image.Image], left: RGBA, right: RGBA
) -> None:
    from ushtil.site.images import srgb

    for alpha in (True, False):
        made = srgb(make(), alpha=alpha)
        assert made.mode == ("RGBA" if alpha else "RGB"), name
        if alpha:
            assert_close(means(made), expected(left, right), name)
        elif left[3] == right[3] == 255:
            assert_close(means(made), expected(left, right), name)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: halves("F", 0.6, 0.2),
            "floating-point pixels: their white (1.0 or 255?) is not known; "
            "save the photo with 8 or 16 bits per channel",
        ),
        (
            lambda: halves("I", -5, 70000),
            "integer pixels from -5 to 70000, not 0 to 65535: "
            "save the photo with 8 or 16 bits per channel",
        ),
        (
            lambda: Image.new("LAB", SIZE, (60, 0, 0)),
            "pixels of the kind LAB: save the photo as RGB, 8 bits per channel",
        ),
        (
            lambda: halves("RGB", RED, BLUE).convert("HSV"),
            "pixels of the kind HSV: save the photo as RGB, 8 bits per channel",
        ),
    ],
    ids=["F", "I out of range", "LAB", "HSV"],
)
def test_pixels_whose_colours_cannot_be_known_are_refused(
    make: Callable[[], Image.Image], message: str
) -> None:
    from ushtil.site.images import srgb

    with pytest.raises(ImageProblem) as raised:
        srgb(make(), alpha=False)
    assert str(raised.value) == message


def test_a_palette_png_without_its_palette_is_no_internal_error(tmp_path: Path) -> None:
    """Pillow's own ``has_transparency_data`` fails on it (an assertion)."""
    path = tmp_path / "x.png"
    path.write_bytes(png(8, 3, b"\x00" * HALF, b"\x01" * HALF))
    try:
        found = probe(path)
        encode(path, variants("a", "x.png", found))
    except ImageProblem:
        pass  # refused with a message is as good as published


def test_a_photo_too_tall_for_webp_is_refused_with_its_path(tmp_path: Path) -> None:
    """A 1000 × 20000 infographic would need a 960 × 19200 variant, over WebP's 16,383."""
    path = tmp_path / "tall.png"
    Image.new("RGB", (1000, 20000), (200, 30, 30)).save(path)
    with pytest.raises(ImageProblem, match="too tall for its width: 1000 × 20000"):
        probe(path)
    Image.new("RGB", (1000, 16000), (200, 30, 30)).save(path)
    picture = variants("x", path.name, probe(path))
    assert max(v.height for v in picture.webp) <= 16_383
