"""``python -m scimlkit.site.claims_check [lectures/X.md ...]``: the command lecture authors type.

The check itself is :mod:`scimlkit.site.appendix.claims_check`, which also fills the
appendix's Claims page; this module only keeps the command where CONTRIBUTING.md says it is.
"""

import sys

from .appendix.claims_check import main

if __name__ == "__main__":
    sys.exit(main())
