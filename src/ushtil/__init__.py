"""ushtil: a trilingual publishing pipeline (Kazakh, Russian, English).

The library API lives in :mod:`ushtil.site.build`; the command line in :mod:`ushtil.cli.main`.
"""

from __future__ import annotations

__version__ = "0.1.0"
