"""Configuration from the environment (documented in ``cds/__init__.py`` and the README)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

from .chat import DEFAULT_CHAT_URL

DEFAULT_PORT = 5070
DEFAULT_MAX_LIFETIME_S = 300  # a client JWT may live at most 5 minutes (exp - iat)
DEFAULT_FHIR_TIMEOUT_S = 3.0  # one read from the FHIR server (or the JWK Set URL)
DEFAULT_FHIR_DEADLINE_S = 3.0  # every read of one call together: well under an EHR's own time-out


class ConfigError(ValueError):
    pass


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    chat_url: str = DEFAULT_CHAT_URL
    base_url: Optional[str] = None  # this service's public URL: the JWT audience is base_url + path
    jwks_url: Optional[str] = None
    jwks_file: Optional[str] = None
    public_key_file: Optional[str] = None
    issuers: Tuple[str, ...] = ()
    max_lifetime_s: float = DEFAULT_MAX_LIFETIME_S
    fhir_timeout_s: float = DEFAULT_FHIR_TIMEOUT_S
    fhir_deadline_s: float = DEFAULT_FHIR_DEADLINE_S
    cors_origins: Tuple[str, ...] = ()  # browser origins allowed to call (CORS); "*" for any; none by default

    @property
    def jwt(self) -> bool:
        """Client JWTs are required (and verified) when a key source is configured."""
        return bool(self.jwks_url or self.jwks_file or self.public_key_file)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        s = cls(
            chat_url=env.get("CDS_CHAT_URL") or DEFAULT_CHAT_URL,
            base_url=(env.get("CDS_BASE_URL") or "").rstrip("/") or None,
            jwks_url=env.get("CDS_JWKS_URL") or None,
            jwks_file=env.get("CDS_JWKS_FILE") or None,
            public_key_file=env.get("CDS_JWT_PUBLIC_KEY_FILE") or None,
            issuers=tuple(i.strip() for i in (env.get("CDS_JWT_ISSUERS") or "").split(",") if i.strip()),
            max_lifetime_s=_positive(env, "CDS_JWT_MAX_LIFETIME", DEFAULT_MAX_LIFETIME_S),
            fhir_timeout_s=_positive(env, "CDS_FHIR_TIMEOUT", DEFAULT_FHIR_TIMEOUT_S),
            fhir_deadline_s=_positive(env, "CDS_FHIR_DEADLINE", DEFAULT_FHIR_DEADLINE_S),
            cors_origins=tuple(
                o.strip().rstrip("/") for o in (env.get("CDS_CORS_ORIGINS") or "").split(",") if o.strip()
            ),
        )
        if s.jwt and not s.base_url:
            raise ConfigError(
                "CDS_BASE_URL is required with client JWTs: the token's audience must be this service's URL"
            )
        for origin in s.cors_origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ConfigError(f"CDS_CORS_ORIGINS holds {origin!r}: give origins such as https://ehr.example.org")
        if sum(bool(x) for x in (s.jwks_url, s.jwks_file, s.public_key_file)) > 1:
            raise ConfigError("give one key source: CDS_JWKS_URL, CDS_JWKS_FILE or CDS_JWT_PUBLIC_KEY_FILE")
        return s
