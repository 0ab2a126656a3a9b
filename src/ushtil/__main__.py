"""``python -m ushtil``: the command line."""

from __future__ import annotations

import sys

from ushtil.cli.main import main

sys.exit(main())
