"""``python -m scimlkit.site.build``: what ``make site`` runs (see :mod:`.driver`)."""

import sys

from .driver import main

sys.exit(main())
