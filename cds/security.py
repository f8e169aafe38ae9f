"""CDS Hooks "Trusting CDS Clients": the client's signed JWT, verified on every call.

A request must carry ``Authorization: Bearer <JWT>`` signed by the EHR with an asymmetric key (RS*,
ES*, PS*; ``none`` and HMAC are refused, as the specification requires), whose

- key is the configured public key, or the key of the token's ``kid`` in the configured JWK Set
  (``CDS_JWKS_FILE``, or ``CDS_JWKS_URL`` fetched and cached; a ``jku`` header is never followed);
- ``aud`` is this endpoint's URL (``CDS_BASE_URL`` + the request path);
- ``iss`` is one of ``CDS_JWT_ISSUERS`` when that list is set;
- ``exp``, ``iat`` and ``jti`` are present, the token is not expired, and it lives at most
  ``CDS_JWT_MAX_LIFETIME`` seconds (``exp - iat``; 300 by default);
- ``jti`` has not been seen before while the token is valid (replay); the memory of seen ids is this
  process's own, so several instances behind one address would need a shared store;
- the header has ``kid`` and ``typ: JWT`` (both REQUIRED by CDS Hooks), and ``alg`` is of the key's
  family (an RS* or PS* token is not checked against an EC key, nor ES* against RSA);
- ``exp`` and ``iat`` are numbers (a string is refused, not converted).

Anything else is :class:`Unauthorized` (HTTP 401), whatever the token holds: never a 500. When the
token's key cannot be known because the JWK Set URL cannot be read (it fails or is slower than
``CDS_FHIR_TIMEOUT``), the answer is :class:`KeysUnavailable` (HTTP 503), and a failed fetch is
retried after ``JWKS_RETRY_S``. The reason is logged (no claim values).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any, Dict, Optional

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from .config import Settings

ASYMMETRIC = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
LEEWAY_S = 30  # clock skew allowed on exp and iat
JWKS_REFRESH_S = 60  # an unknown kid refetches the JWK Set at most this often
JWKS_RETRY_S = 5  # after a fetch that failed
MAX_SEEN = 100_000
FAMILY = {"RS": rsa.RSAPublicKey, "PS": rsa.RSAPublicKey, "ES": ec.EllipticCurvePublicKey}
logger = logging.getLogger(__name__)


class Unauthorized(Exception):
    pass


class KeysUnavailable(Exception):
    """The client's JWK Set could not be read, so its token can be neither accepted nor refused (HTTP 503)."""


class ClientAuth:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.public_key = None
        self.jwks: Dict[str, Any] = {}
        self.jwks_fetched = 0.0
        self.jwks_failed: Optional[str] = None
        self.lock = asyncio.Lock()
        self.seen: Dict[str, float] = {}  # iss + jti → when it may be forgotten
        if settings.public_key_file:
            self.public_key = load_pem_public_key(Path(settings.public_key_file).read_bytes())
        if settings.jwks_file:
            self.jwks = self._keys(json.loads(Path(settings.jwks_file).read_text()))

    @staticmethod
    def _keys(jwks: Dict[str, Any]) -> Dict[str, Any]:
        keys = {}
        for k in jwks.get("keys") or []:
            try:
                keys[k["kid"]] = jwt.PyJWK(k)
            except (KeyError, jwt.PyJWKError, jwt.InvalidKeyError):
                continue  # a key without kid or of an unusable type is not a key we can match
        return keys

    async def _fetch_jwks(self, session: aiohttp.ClientSession) -> None:
        async with self.lock:
            if time.monotonic() - self.jwks_fetched < JWKS_RETRY_S:
                return  # another call has just fetched it
            self.jwks_fetched = time.monotonic()
            timeout = aiohttp.ClientTimeout(total=self.settings.fhir_timeout_s)
            try:
                async with session.get(self.settings.jwks_url, timeout=timeout) as resp:
                    if resp.status != 200:
                        raise ValueError(f"HTTP {resp.status}")
                    self.jwks = self._keys(await resp.json(content_type=None))
                self.jwks_failed = None
            except (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError, ValueError, AttributeError) as exc:
                # keep the keys we have; a token whose kid is unknown is then answered 503, not refused
                self.jwks_failed = exc.__class__.__name__ if not isinstance(exc, ValueError) else str(exc)[:60]
                logger.warning("the JWK Set URL could not be read (%s)", self.jwks_failed)

    async def _key(self, header: Dict[str, Any], session: aiohttp.ClientSession) -> Any:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("no kid in the JWT header")
        if self.public_key is not None:
            return self.public_key
        age = time.monotonic() - self.jwks_fetched
        due = age > (JWKS_RETRY_S if self.jwks_failed else JWKS_REFRESH_S) or not self.jwks_fetched
        if self.settings.jwks_url and kid not in self.jwks and due:
            await self._fetch_jwks(session)
        if kid not in self.jwks:
            if self.jwks_failed:
                raise KeysUnavailable(f"the JWK Set URL could not be read ({self.jwks_failed})")
            raise Unauthorized("unknown kid")
        return self.jwks[kid]

    async def verify(self, authorization: Optional[str], path: str, session: aiohttp.ClientSession) -> Dict[str, Any]:
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("not a JWT") from None
        alg = header.get("alg")
        if alg not in ASYMMETRIC:
            raise Unauthorized("unsigned or symmetric JWT")
        if not isinstance(header.get("typ"), str) or header["typ"].upper() != "JWT":
            raise Unauthorized("typ is not JWT")
        key = await self._key(header, session)
        if isinstance(key, jwt.PyJWK):
            if key.algorithm_name != alg:
                raise Unauthorized("alg does not match the key")
        elif not isinstance(key, FAMILY[alg[:2]]):
            raise Unauthorized("alg does not match the key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=f"{self.settings.base_url}{path}",
                leeway=LEEWAY_S,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("expired") from None
        except jwt.InvalidAudienceError:
            raise Unauthorized("wrong audience") from None
        except jwt.PyJWTError as exc:
            raise Unauthorized(exc.__class__.__name__) from None
        except (TypeError, ValueError, KeyError) as exc:  # a key or a claim PyJWT cannot handle
            raise Unauthorized(f"token not verifiable ({exc.__class__.__name__})") from None
        self._check_claims(claims)
        self._once(f"{claims['iss']} {claims['jti']}", claims["exp"])
        return claims

    def _check_claims(self, claims: Dict[str, Any]) -> None:
        """The claims' types, the issuer allowed and the token's lifetime (after PyJWT checked the signature)."""
        if not all(isinstance(claims[c], (int, float)) and not isinstance(claims[c], bool) for c in ("exp", "iat")):
            raise Unauthorized("exp and iat must be numbers")
        if not isinstance(claims["jti"], str) or not isinstance(claims["iss"], str):
            raise Unauthorized("iss and jti must be strings")
        if self.settings.issuers and claims["iss"] not in self.settings.issuers:
            raise Unauthorized("issuer not allowed")
        if claims["exp"] - claims["iat"] > self.settings.max_lifetime_s:
            raise Unauthorized("lifetime longer than allowed")

    def _once(self, jti: str, exp: float) -> None:
        now = time.time()
        if len(self.seen) > MAX_SEEN:
            self.seen = {k: t for k, t in self.seen.items() if t > now}
        if self.seen.get(jti, 0) > now:
            raise Unauthorized("replayed jti")
        self.seen[jti] = exp + LEEWAY_S
