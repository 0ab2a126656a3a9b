"""Photos as published: each image of an article in responsive variants, made with Pillow.

An image is first *probed*: its bytes hashed, its header read (type, size, orientation),
nothing decoded. What a probe found is remembered in the build cache by the file's size
and modification time, so an unchanged image costs a ``stat``. Its variants are named by
that digest (``media/<id>/<stem>-<digest>-<width>.webp``), so they are made once: an
output whose key is unchanged is taken over from the previous build like any page.

Making the variants decodes the image (a pixel count over :data:`MAX_PIXELS` is refused
before that), applies its EXIF orientation and writes, at each width of :data:`WIDTHS`
no wider than the original (never upscaled), a WebP file and a JPEG one (PNG for an image
with transparency), with no metadata at all: no EXIF (GPS included), no XMP, no comment,
no colour profile (colours are converted to sRGB first).

Every kind of pixel Pillow reads from the published types is brought to 8-bit sRGB with
its colours (:func:`srgb`): Pillow's own ``convert`` clips 16-bit values at 255, so 16-bit
grey (``I;16``, and ``I``) is scaled (``v / 257``, rounded), its transparent grey (``tRNS``)
kept; 16-bit colour and 16-bit grey with alpha are read by Pillow at 8 bits already; palette
transparency (one index or an alpha per entry), ``LA`` and a transparent colour become an
alpha channel; CMYK JPEGs are read with Adobe's inverted inks, as browsers show them.
Refused, with a message, are the pixels whose colours cannot be known: floating-point ones
(``F``, whose white is not defined: 1.0 or 255), ``I`` values outside 0–65535, a 16-bit
colour PNG with a transparent colour (Pillow reads 8 of its 16 bits, so which pixels match
the colour is not known), and any mode not named here.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import cast

import PIL
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from ushtil.project.pictures import EXTENSIONS

MEDIA = "media"  # the output folder of the photos' variants
WIDTHS = (480, 960, 1600)
MAX_SIDE = 16_383  # WebP's limit on either side of an image
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any camera's photo a news site needs
MAX_BYTES = 64 * 1024 * 1024  # a file larger than this is not read
WEBP_QUALITY = 80
WEBP_METHOD = 2  # of 0 (fastest) to 6: half the time of the default 4, about 1 % larger
JPEG_QUALITY = 82
DIGEST_SIZE = 6  # bytes of the content digest in a variant's name (12 hex digits)


def code_version() -> str:
    """What the variants' bytes depend on besides the image: this module and Pillow (with
    the codecs it bundles). Templates, catalogues and the rest of ushtil do not count, so
    editing a template does not make every photo again."""
    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8)
    h.update(PIL.__version__.encode())
    return h.hexdigest()


class ImageProblem(Exception):
    """Why an image cannot be published (the message names no path)."""


@dataclass(frozen=True)
class Probe:
    """What an image's header says, and its content's digest."""

    digest: str
    width: int  # as shown, after its EXIF orientation
    height: int
    kind: str  # Pillow's format name: JPEG, PNG, WEBP, GIF
    alpha: bool  # transparent: its fallback is PNG, not JPEG


@dataclass(frozen=True)
class Variant:
    path: str  # in the output folder
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """One image of an article, published: its variants, WebP and the fallback."""

    name: str  # as article.toml names it
    digest: str
    width: int
    height: int
    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]  # JPEG, or PNG
    mime: str  # the fallback's

    def srcset(self, prefix: str, webp: bool = False) -> str:
        chosen = self.webp if webp else self.fallback
        return ", ".join(f"{prefix}/{v.path} {v.width}w" for v in chosen)

    def src(self, prefix: str, width: int = 960) -> str:
        """The fallback variant closest to ``width`` (a plain ``src``, a feed's image)."""
        best = min(self.fallback, key=lambda v: (abs(v.width - width), v.width))
        return f"{prefix}/{best.path}"

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        """All that its variants follow from (with ushtil's code): for outputs' keys."""
        return self.name, self.digest, self.width, self.height, self.mime

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the largest variant (an ``<img>``'s width and height)."""
        largest = self.fallback[-1]
        return largest.width, largest.height

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(v.path for v in self.webp + self.fallback)


def probe(path: Path) -> Probe:
    """The digest, size and type of the image at ``path``, from its header; raises
    :class:`ImageProblem` for a file that is not one the site publishes."""
    data = _read(path)
    digest = hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()
    with _opened(data) as image:
        kind = image.format or ""
        expected = EXTENSIONS.get(PurePosixPath(path.name).suffix.lower())
        if kind not in EXTENSIONS.values():
            raise ImageProblem(f"a {kind} image: the site publishes JPEG, PNG, WebP and GIF")
        if kind != expected:
            suffix = next(s for s, k in EXTENSIONS.items() if k == kind)
            raise ImageProblem(
                f"a {kind} file named {PurePosixPath(path.name).suffix}: "
                f"its name must end in {suffix}"
            )
        width, height = image.size
        if _turned(image):
            width, height = height, width
        alpha = _transparent(image)
    tallest = round(height * min(width, WIDTHS[-1]) / width)
    if tallest > MAX_SIDE:
        raise ImageProblem(
            f"too tall for its width: {width} × {height} (a variant would be {tallest} pixels "
            f"high, over the {MAX_SIDE:,} a web image may have): crop it or split it"
        )
    return Probe(digest, width, height, kind, alpha)


def variants(article_id: str, name: str, found: Probe) -> Picture:
    """The variants an image will have, from its probe (nothing is decoded)."""
    stem = posixpath.splitext(posixpath.basename(name))[0]
    folder = f"{MEDIA}/{article_id}"
    widths = sorted({w for w in WIDTHS if w < found.width} | {min(found.width, WIDTHS[-1])})
    sizes = [(w, max(1, round(found.height * w / found.width))) for w in widths]
    ext, mime = ("png", "image/png") if found.alpha else ("jpg", "image/jpeg")
    base = f"{folder}/{_safe_stem(stem)}-{found.digest}"
    return Picture(
        name,
        found.digest,
        found.width,
        found.height,
        tuple(Variant(f"{base}-{w}.webp", w, h) for w, h in sizes),
        tuple(Variant(f"{base}-{w}.{ext}", w, h) for w, h in sizes),
        mime,
    )


def encode(path: Path, picture: Picture) -> dict[str, bytes]:
    """Every variant's bytes, by output path; raises :class:`ImageProblem`."""
    data = _read(path)
    with _opened(data) as image:
        try:
            if image.format == "JPEG":  # decoded at 1/2, 1/4 or 1/8 when that is enough
                width, height = picture.size
                image.draft(None, (height, width) if _turned(image) else (width, height))
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = srgb(upright, alpha=picture.mime == "image/png")
        except ImageProblem:
            raise
        except Exception as exc:  # untrusted bytes: any decoder failure is the file's
            raise ImageProblem(f"cannot be decoded (damaged or truncated?): {exc}") from exc
    files: dict[str, bytes] = {}
    for webp, fallback in zip(picture.webp, picture.fallback, strict=True):
        size = (webp.width, webp.height)
        sized = clean if clean.size == size else clean.resize(size, Image.Resampling.LANCZOS)
        sized.info = {}
        files[webp.path] = _save(sized, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        if picture.mime == "image/png":
            files[fallback.path] = _save(sized, "PNG", optimize=True)
        else:
            files[fallback.path] = _save(
                sized, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
            )
    return files


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise ImageProblem(f"larger than {MAX_BYTES // 2**20} MiB: save it smaller")
    return data


class _opened:
    """``Image.open`` over bytes, its failures as :class:`ImageProblem`."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():  # the pixel count is judged below, not warned about
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(self.data))
        except Image.DecompressionBombError as exc:
            raise ImageProblem(f"too many pixels (the limit is {MAX_PIXELS:,})") from exc
        except UnidentifiedImageError as exc:
            if b"<svg" in self.data[:4096]:
                raise ImageProblem(
                    "an SVG drawing: not published (it can carry script); save it as PNG or JPEG"
                ) from exc
            raise ImageProblem("not an image (damaged, or not JPEG, PNG, WebP or GIF)") from exc
        except Exception as exc:  # untrusted bytes: any parser failure is the file's
            raise ImageProblem(f"not readable as an image: {exc}") from exc
        self.image = image
        width, height = image.size
        if width * height > MAX_PIXELS:
            image.close()
            raise ImageProblem(f"too many pixels: {width} × {height} (the limit is {MAX_PIXELS:,})")
        if width < 1 or height < 1:
            image.close()
            raise ImageProblem("no pixels")
        if image.mode == "RGB" and "transparency" in image.info and _rawmode(image) == "RGB;16B":
            image.close()
            raise ImageProblem(
                "a 16-bit colour PNG with a transparent colour (tRNS): save it with an "
                "alpha channel, or with 8 bits per channel"
            )
        return image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()


def _turned(image: Image.Image) -> bool:
    """Whether the EXIF orientation turns the image by a quarter (5 to 8)."""
    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block: the image is shown as stored
        return False
    return orientation in (5, 6, 7, 8)


def srgb(image: Image.Image, *, alpha: bool) -> Image.Image:
    """The image in 8-bit sRGB (RGBA with ``alpha``), with the colours it has: its pixels
    read at their own depth (:func:`_channels`), then its colour profile applied; raises
    :class:`ImageProblem` for pixels whose colours cannot be known."""
    colour, opacity = _channels(image)
    profile = image.info.get("icc_profile")
    converted = None
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(colour, source, target, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, KeyError):
            converted = None  # a profile that cannot be applied: the pixels are taken as sRGB
    if converted is None:
        converted = colour.convert("RGB")  # a copy, also when it is RGB already
    elif converted.mode != "RGB":
        converted = converted.convert("RGB")
    if alpha:
        converted.putalpha(opacity if opacity is not None else 255)
    converted.info = {}
    return converted


_SIXTEEN_BIT_GREY = ("I;16", "I;16L", "I;16B", "I;16N")


def _channels(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """The image's colours, 8 bits per channel in L, RGB or CMYK (the space its profile
    describes), and its opacity (L) or None when it is opaque."""
    mode = image.mode
    transparent = image.info.get("transparency")
    if mode in _SIXTEEN_BIT_GREY or mode == "I":
        wide = image if mode == "I" else image.convert("I")  # exact: I holds 32 bits
        low, high = cast(tuple[int, int], wide.getextrema())
        if low < 0 or high > 65535:
            raise ImageProblem(
                f"integer pixels from {low} to {high}, not 0 to 65535: "
                "save the photo with 8 or 16 bits per channel"
            )
        grey = wide.point([(v + 128) // 257 for v in range(65536)], "L")  # round(v / 257)
        if not isinstance(transparent, int):
            return grey, None
        mask = [255] * 65536
        if 0 <= transparent <= 65535:
            mask[transparent] = 0
        return grey, wide.point(mask, "L")
    if mode == "F":
        raise ImageProblem(
            "floating-point pixels: their white (1.0 or 255?) is not known; "
            "save the photo with 8 or 16 bits per channel"
        )
    if mode in ("1", "L", "LA", "La"):
        if not _transparent(image):
            return image.convert("L"), None
        grey_alpha = image.convert("LA")
        return grey_alpha.getchannel("L"), grey_alpha.getchannel("A")
    if mode in ("P", "PA", "RGB", "RGBX", "RGBA", "RGBa", "YCbCr"):
        if not _transparent(image):
            return image.convert("RGB"), None
        rgba = image.convert("RGBA")
        return rgba.convert("RGB"), rgba.getchannel("A")
    if mode == "CMYK":
        return image, None
    raise ImageProblem(f"pixels of the kind {mode}: save the photo as RGB, 8 bits per channel")


def _transparent(image: Image.Image) -> bool:
    """Whether the image has an alpha channel, a palette with alpha or a transparent colour
    (Pillow's ``has_transparency_data``, which fails on a palette image with no palette)."""
    if image.mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in image.info:
        return True
    return image.mode == "P" and image.palette is not None and image.palette.mode.endswith("A")


def _rawmode(image: ImageFile.ImageFile) -> str | None:
    """How Pillow will decode the image's pixels (before it loads them), if it says."""
    args = image.tile[0].args if image.tile else None
    return args if isinstance(args, str) else None


def _save(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _safe_stem(stem: str) -> str:
    """The file's stem as it goes into a URL: letters, digits, ``-`` and ``_`` only."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem)
    return kept.strip("-") or "image"
