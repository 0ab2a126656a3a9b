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
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import PIL
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ushtil.project.pictures import EXTENSIONS

MEDIA = "media"  # the output folder of the photos' variants
WIDTHS = (480, 960, 1600)
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
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
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
            clean = _srgb(upright, alpha=picture.mime == "image/png")
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


def _srgb(image: Image.Image, *, alpha: bool) -> Image.Image:
    """The image in 8-bit sRGB (RGBA with ``alpha``), its colour profile applied."""
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    converted = None
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
            converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, KeyError):
            converted = None  # a profile that cannot be applied: the pixels are taken as sRGB
    if converted is None:
        converted = image.convert(mode) if image.mode != mode else image.copy()
    elif converted.mode != mode:
        converted = converted.convert(mode)
    converted.info = {}
    return converted


def _save(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _safe_stem(stem: str) -> str:
    """The file's stem as it goes into a URL: letters, digits, ``-`` and ``_`` only."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem)
    return kept.strip("-") or "image"
