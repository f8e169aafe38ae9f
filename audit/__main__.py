"""``python -m audit export|purge``: the audit trail's commands (see ``audit/__init__.py``)."""

import sys

from . import main

sys.exit(main())
