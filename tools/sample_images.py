"""Draws the illustrations of the sample site's articles (articles/<id>/*.jpg) with Pillow.

Each picture is a simple scene of the city: a sky, a skyline with the tower in the middle,
and what the article is about in front. The same script always draws the same pictures
(fixed seeds), small enough to commit (JPEG, 800 x 450, well under 60 KB each).

    .venv/bin/python tools/sample_images.py          # writes the files
    .venv/bin/python tools/sample_images.py --check  # only says which files differ
"""

from __future__ import annotations

import argparse
import functools
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
W, H = 800, 450
Colour = tuple[int, int, int]
Draw = ImageDraw.ImageDraw


def sky(draw: Draw, top: Colour, bottom: Colour) -> None:
    for y in range(H):
        t = y / H
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (W, y)], fill=colour)


def skyline(draw: Draw, rng: random.Random, colour: Colour, base: int = 330) -> None:
    x = 0
    while x < W:
        width = rng.randint(30, 70)
        height = rng.randint(60, 170)
        draw.rectangle([x, base - height, x + width, base], fill=colour)
        for wy in range(base - height + 10, base - 10, 18):
            for wx in range(x + 6, x + width - 8, 14):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 6, wy + 8], fill=(250, 226, 150))
        x += width + rng.randint(2, 12)
    # the tower with its golden sphere
    draw.polygon([(392, base), (396, 120), (404, 120), (408, base)], fill=(236, 240, 244))
    draw.ellipse([378, 88, 422, 132], fill=(238, 190, 40))


def ground(draw: Draw, colour: Colour, base: int = 330) -> None:
    draw.rectangle([0, base, W, H], fill=colour)


def bus(draw: Draw, x: int, y: int, colour: Colour) -> None:
    draw.rounded_rectangle([x, y, x + 260, y + 80], radius=14, fill=colour)
    for i in range(6):
        draw.rectangle([x + 14 + i * 40, y + 12, x + 44 + i * 40, y + 40], fill=(200, 230, 250))
    for wx in (x + 45, x + 215):
        draw.ellipse([wx - 16, y + 66, wx + 16, y + 98], fill=(30, 30, 30))


def snow(draw: Draw, rng: random.Random, count: int) -> None:
    for _ in range(count):
        x, y, r = rng.randint(0, W), rng.randint(0, H), rng.randint(2, 5)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255))


def fireworks(draw: Draw, rng: random.Random) -> None:
    for _ in range(5):
        cx, cy = rng.randint(80, 720), rng.randint(40, 170)
        colour = rng.choice([(255, 90, 90), (255, 220, 80), (120, 220, 255), (190, 140, 255)])
        for k in range(16):
            dx = [1, 0.92, 0.71, 0.38, 0, -0.38, -0.71, -0.92][k % 8] * (1 if k < 8 else -1)
            dy = [0, 0.38, 0.71, 0.92, 1, 0.92, 0.71, 0.38][k % 8] * (1 if k < 8 else -1)
            draw.line([cx, cy, cx + dx * 45, cy + dy * 45], fill=colour, width=3)


def tree(draw: Draw, x: int, base: int, height: int, colour: Colour) -> None:
    for i in range(4):
        top = base - height + i * height // 5
        half = 30 + i * 22
        draw.polygon(
            [(x, top), (x - half, top + height // 3), (x + half, top + height // 3)], fill=colour
        )
    draw.rectangle([x - 8, base - 30, x + 8, base], fill=(90, 60, 30))


def columns(draw: Draw, x: int, base: int) -> None:
    draw.polygon(
        [(x - 20, base - 190), (x + 300, base - 190), (x + 140, base - 250)], fill=(245, 238, 220)
    )
    draw.rectangle([x - 20, base - 190, x + 300, base - 175], fill=(230, 220, 200))
    for i in range(7):
        cx = x + i * 46
        draw.rectangle([cx, base - 175, cx + 18, base - 10], fill=(250, 246, 236))
    draw.rectangle([x - 30, base - 10, x + 310, base], fill=(220, 210, 190))


def books(draw: Draw, rng: random.Random, x: int, base: int) -> None:
    for _ in range(3):
        cx = x
        for _ in range(14):
            width = rng.randint(14, 26)
            height = rng.randint(60, 90)
            colour = (rng.randint(60, 200), rng.randint(40, 140), rng.randint(40, 120))
            draw.rectangle([cx, base - height, cx + width, base], fill=colour)
            cx += width + 2
        base -= 100


def runners(draw: Draw, rng: random.Random) -> None:
    for i in range(7):
        x, y = 80 + i * 100 + rng.randint(-15, 15), 350 + rng.randint(-10, 10)
        colour = rng.choice([(230, 70, 60), (40, 120, 200), (250, 190, 40), (60, 170, 90)])
        draw.ellipse([x - 9, y - 70, x + 9, y - 52], fill=(90, 60, 40))
        draw.line([x, y - 52, x, y - 20], fill=colour, width=10)
        draw.line([x, y - 20, x - 14, y + 10], fill=(40, 40, 60), width=6)
        draw.line([x, y - 20, x + 16, y + 6], fill=(40, 40, 60), width=6)
        draw.line([x, y - 45, x - 16, y - 30], fill=colour, width=5)
        draw.line([x, y - 45, x + 16, y - 58], fill=colour, width=5)


def pipe(draw: Draw) -> None:
    draw.rectangle([0, 360, W, 392], fill=(70, 110, 150))
    for x in range(60, W, 160):
        draw.rectangle([x, 350, x + 24, 402], fill=(50, 80, 110))
    draw.rectangle([300, 300, 330, 360], fill=(240, 140, 30))
    draw.rectangle([470, 290, 500, 360], fill=(240, 140, 30))


def plough(draw: Draw) -> None:
    draw.rectangle([260, 300, 470, 360], fill=(245, 160, 20))
    draw.rectangle([440, 270, 520, 360], fill=(245, 160, 20))
    draw.rectangle([455, 282, 505, 315], fill=(200, 230, 250))
    draw.polygon([(200, 370), (260, 320), (260, 370)], fill=(120, 120, 130))
    for wx in (300, 460):
        draw.ellipse([wx - 24, 340, wx + 24, 388], fill=(30, 30, 30))


def phone(draw: Draw) -> None:
    draw.rounded_rectangle([320, 120, 480, 420], radius=22, fill=(30, 36, 48))
    draw.rectangle([334, 150, 466, 390], fill=(235, 245, 255))
    for i in range(5):
        draw.rounded_rectangle(
            [346, 165 + i * 44, 454, 197 + i * 44],
            radius=6,
            fill=[(0, 98, 155), (60, 170, 90), (240, 140, 30)][i % 3],
        )


def bicycle(draw: Draw, x: int, y: int) -> None:
    for wx in (x, x + 110):
        draw.ellipse([wx - 40, y - 40, wx + 40, y + 40], outline=(20, 20, 20), width=6)
    draw.line([x, y, x + 45, y - 50, x + 110, y, x + 55, y, x, y], fill=(200, 40, 40), width=6)
    draw.line([x + 45, y - 50, x + 40, y - 70], fill=(20, 20, 20), width=6)
    draw.line([x + 90, y - 60, x + 110, y], fill=(200, 40, 40), width=6)


def stage(draw: Draw, rng: random.Random) -> None:
    draw.rectangle([0, 0, W, H], fill=(60, 10, 20))
    draw.rectangle([80, 60, 720, 330], fill=(30, 30, 60))
    for x in range(0, 80, 16):
        draw.rectangle([x, 0, x + 12, H], fill=(150, 20, 40))
        draw.rectangle([W - x - 12, 0, W - x, H], fill=(150, 20, 40))
    draw.polygon([(300, 60), (500, 60), (560, 330), (240, 330)], fill=(250, 240, 200))
    for i in range(4):
        x = 320 + i * 50
        draw.ellipse([x, 220, x + 24, 244], fill=(60, 40, 40))
        draw.rectangle([x + 4, 244, x + 20, 310], fill=rng.choice([(200, 30, 60), (30, 90, 160)]))
    draw.rectangle([0, 330, W, H], fill=(90, 40, 20))


def foyer(draw: Draw) -> None:
    draw.rectangle([0, 0, W, H], fill=(245, 236, 215))
    for x in range(40, W, 120):
        draw.rectangle([x, 40, x + 30, 400], fill=(250, 250, 245))
    draw.ellipse([300, 20, 500, 110], fill=(250, 210, 100))
    draw.rectangle([0, 400, W, H], fill=(150, 60, 50))
    for x in range(0, W, 40):
        draw.line([x, 400, x + 20, H], fill=(130, 50, 40), width=3)


def museum(draw: Draw, rng: random.Random) -> None:
    draw.rectangle([0, 0, W, H], fill=(232, 228, 222))
    for i, x in enumerate((70, 300, 530)):
        draw.rectangle([x, 80, x + 200, 260], fill=(120, 90, 60))
        colour = [(60, 120, 160), (200, 150, 60), (90, 140, 80)][i]
        draw.rectangle([x + 12, 92, x + 188, 248], fill=colour)
        draw.ellipse([x + 60, 130, x + 140, 210], fill=(240, 230, 200))
    draw.rectangle([0, 360, W, H], fill=(160, 130, 100))


NIGHT = ("2026-night-buses", "2026-city-day", "2026-new-year-tree", "2026-library-night")
SNOW = ("2026-snow-removal", "2026-new-year-tree")


def foreground(article: str, draw: Draw, rng: random.Random) -> None:
    """What the article is about, in front of the city."""
    if article == "2026-brt-line":
        bus(draw, 270, 300, (0, 98, 155))
    elif article == "2026-night-buses":
        bus(draw, 80, 300, (40, 40, 120))
    elif article == "2026-bike-lanes":
        bicycle(draw, 330, 380)
    elif article == "2026-library-night":
        books(draw, rng, 430, 320)
    elif article == "2026-snow-removal":
        plough(draw)
        snow(draw, rng, 120)
    elif article in ("2026-city-app", "site-languages"):
        phone(draw)
    elif article == "2026-water-works":
        pipe(draw)
    elif article == "2026-city-day":
        fireworks(draw, rng)
    elif article == "2026-new-year-tree":
        tree(draw, 400, 380, 260, (20, 110, 60))
        snow(draw, rng, 80)
    elif article == "2026-marathon":
        runners(draw, rng)
    elif article == "10888":
        columns(draw, 260, 380)
    else:
        raise ValueError(article)


def scene(article: str, rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    if article in NIGHT:
        sky(draw, (12, 20, 50), (40, 60, 110))
    else:
        sky(draw, (90, 160, 220), (200, 228, 245))
    skyline(draw, rng, (40, 50, 70) if article in NIGHT else (120, 140, 165))
    ground(draw, (235, 240, 245) if article in SNOW else (80, 90, 100))
    foreground(article, draw, rng)
    return image


LEADS = (
    "2026-brt-line",
    "2026-night-buses",
    "2026-bike-lanes",
    "2026-library-night",
    "2026-snow-removal",
    "2026-city-app",
    "2026-water-works",
    "2026-city-day",
    "2026-new-year-tree",
    "2026-marathon",
    "10888",
    "site-languages",
)
# (article, file): how to draw it, given the picture's own random numbers
PICTURES: dict[tuple[str, str], Callable[[random.Random], Image.Image]] = {
    (article, "lead.jpg"): functools.partial(scene, article) for article in LEADS
}


def _opera(kind: str, rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    if kind == "stage":
        stage(draw, rng)
    elif kind == "foyer":
        foyer(draw)
    else:
        sky(draw, (250, 170, 110), (250, 225, 190))
        skyline(draw, rng, (110, 100, 120))
        ground(draw, (150, 140, 130))
        columns(draw, 250, 390)
    return image


PICTURES[("2026-opera-season", "lead.jpg")] = lambda rng: _opera("front", rng)
PICTURES[("2026-opera-season", "stage.jpg")] = lambda rng: _opera("stage", rng)
PICTURES[("2026-opera-season", "foyer.jpg")] = lambda rng: _opera("foyer", rng)
PICTURES[("2026-museum-day", "lead.jpg")] = lambda rng: _museum(rng)


def _museum(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (W, H))
    museum(ImageDraw.Draw(image), rng)
    return image


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=72, optimize=True, progressive=True)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list differences")
    args = parser.parse_args()
    differ = 0
    for (article, name), draw in sorted(PICTURES.items()):
        data = jpeg(draw(random.Random(f"{article}/{name}")))
        path = ROOT / "articles" / article / name
        if path.exists() and path.read_bytes() == data:
            continue
        differ += 1
        if args.check:
            print(f"differs: {path.relative_to(ROOT)}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)} ({len(data) // 1024} KB)")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
