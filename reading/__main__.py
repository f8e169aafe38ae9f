"""``python -m reading read "message"``: how the assistant reads one message, as JSON (issue 20).

    {"kind": "case|question|answer|correction|command|out_of_scope|small_talk", "assessment": ..., "topic": ...,
     "values": {FIELD: {"value": V, "text": span} or {"bound": "<|<=|>|>=", "value": N, "text": span}},
     "not_values": [{"text": span, "why": ...}], "series": [...], "ambiguous": [{"field": FIELD, "text": span}]}

FIELD is the decision module's input name, in the spec's canonical units. Exit 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date


def main(argv=None) -> int:
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m reading", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("read", help="print how a message is read, as JSON")
    r.add_argument("message", help="the message, as a clinician would type it")
    r.add_argument("--today", help="the date of the message (YYYY-MM-DD), for 'since 2019'")
    args = parser.parse_args(argv)
    # spaCy's thinc imports TensorFlow and PyTorch when they are installed (Rasa's are): the reader needs
    # neither, and a command that starts in a second is one a person runs
    for heavy in ("tensorflow", "torch"):
        sys.modules.setdefault(heavy, None)
    from .reader import read

    today = date.fromisoformat(args.today) if args.today else None
    sys.stdout.write(json.dumps(read(args.message, today=today).as_json(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
