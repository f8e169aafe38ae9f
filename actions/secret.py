"""The secret shared by the Rasa servers and the action server: the proof that an action call comes from a
Rasa server of this deployment.

- ``ACTIONS_SECRET`` (environment), the same on every machine of a deployment (``make cluster`` across
  machines); otherwise
- the file ``ACTIONS_SECRET_FILE`` (default ``.rasa/actions.secret``), generated on first use with 32 random
  bytes, owner-readable only (0600), ignored by git; every server of one machine reads the same file.

The Rasa server sends it with every action call (``endpoints.yml``: ``Authorization: Bearer
${ACTIONS_SECRET}``; ``scripts/serve_rasa.sh`` puts it in the environment); the action server
(``actions/server.py``) refuses any call without it. ``python -m actions.secret`` prints it (for the start-up
scripts); it exits 2 with a message, and prints nothing, when the secret is unusable.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
from pathlib import Path
from typing import Optional

MIN_LENGTH = 32
_FORM = re.compile(r"[A-Za-z0-9._~+/=-]+")  # what a Bearer token may hold (RFC 6750), nothing to quote


class SecretError(ValueError):
    pass


def default_path() -> Path:
    return Path(os.environ.get("ACTIONS_SECRET_FILE") or ".rasa/actions.secret")


def _checked(value: str, where: str) -> str:
    if len(value) < MIN_LENGTH or not _FORM.fullmatch(value):
        raise SecretError(
            f"{where} must be at least {MIN_LENGTH} characters of A-Z a-z 0-9 . _ ~ + / = - "
            f"(e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return value


def shared_secret(path: Optional[Path] = None) -> str:
    """``ACTIONS_SECRET``, else the secret file (created when missing, atomically: several servers starting
    at once agree on one secret, and none ever reads a half-written file)."""
    env = os.environ.get("ACTIONS_SECRET")
    if env is not None:
        return _checked(env.strip(), "ACTIONS_SECRET")
    path = Path(path) if path else default_path()
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(tmp, path)  # fails if another server made it first: then that one is the secret
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"{path} is readable by others (mode {mode & 0o777:04o}): chmod 600 {path}")
    return _checked(path.read_text(encoding="utf-8", errors="replace").strip(), str(path))


def main() -> int:
    try:
        value = shared_secret()
    except (SecretError, OSError) as exc:
        sys.stderr.write(f"actions secret: {exc}\n")
        return 2
    sys.stdout.write(value + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
