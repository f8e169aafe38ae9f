"""Command-line parsing for the project's tools: argparse, with errors as JSON on stderr and exit 2.

Every command of the project answers bad arguments the same way as bad input:
``{"errors": [{"field": ..., "message": ...}]}`` on stderr, nothing on stdout, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Dict, List, NoReturn


def fail(errors: List[Dict[str, str]], code: int = 2) -> int:
    sys.stderr.write(json.dumps({"errors": errors}) + "\n")
    return code


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors name the offending option (or ``arguments``) as JSON."""

    def error(self, message: str) -> NoReturn:
        m = re.search(r"(--[a-z][a-z-]*)", message)
        fail([{"field": m.group(1) if m else "arguments", "message": message}])
        sys.exit(2)


def number_of_days(text: str) -> float:
    """``--days`` values: a number of days, 0 or more (argparse ``type``)."""
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number of days, 0 or more") from None
    if not 0 <= days < 100000:
        raise argparse.ArgumentTypeError("expected a number of days, 0 or more")
    return days
