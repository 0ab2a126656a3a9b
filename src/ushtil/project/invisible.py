"""Invisible characters, as Unicode defines them (generated: do not edit).

Written by ``tools/invisible_table.py`` from the Unicode Character Database
17.0, as the ``regex`` package 2026.12.2 carries it.

The code points of the properties Default_Ignorable_Code_Point (shown as nothing
unless a font chooses otherwise: zero-width spaces and joiners, the BOM, variation
selectors, tag characters, fillers) and Bidi_Control (marks, embeddings, overrides
and isolates that reorder what is shown), as (first, last) ranges. What ushtil does
with them is :mod:`ushtil.project.lookalikes`.
"""

from __future__ import annotations

DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
BIDI_CONTROL = (
    (0x061C, 0x061C),
    (0x200E, 0x200F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
)
