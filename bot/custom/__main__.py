"""Run Rasa's command line with the project's customisations: ``python -m bot.custom <rasa arguments>``.

Checks the Rasa version (refuses any but the pinned one) and applies the fixes of ``bot.custom``
before Rasa parses its arguments, so ``rasa run``, ``train``, ``test`` and ``data validate`` all run
with them.
"""

import sys

from bot.custom import WrongRasaVersion, apply


def main() -> int:
    try:
        apply()
    except WrongRasaVersion as exc:
        sys.stderr.write(f"{exc}\n")
        return 3
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
