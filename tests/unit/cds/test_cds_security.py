"""Trusting CDS clients: with a key source configured, every call needs the EHR's signed JWT (CDS Hooks
2.0.1): unsigned, forged, expired, replayed, mis-addressed or over-long tokens get 401, and so does a
token of another key family, without kid or typ, or with a claim of the wrong type (never 500); a
valid one is accepted once."""

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

import aiohttp
import jwt
import pytest
import requests
from cds_harness import ISSUER, KID, bundle
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cds import demo
from cds.config import ConfigError, Settings
from cds.security import ClientAuth, Unauthorized

PV = "/cds-services/imatinib-patient-view"


def call(s, path, token=None, body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is None and not path.endswith(("patient-view", "feedback")):
        return requests.get(s.url + path, headers=headers, timeout=30)
    return requests.post(s.url + path, json=body or demo.request(bundle("tdm-umol")), headers=headers, timeout=30)


def part(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()


def unsigned(claims):
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def hmac_with_public_key(keys, aud):
    """The algorithm-confusion attack: HS256 keyed with the EHR's public key, which anyone may have."""
    secret = keys.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = part({"alg": "HS256", "typ": "JWT", "kid": KID})
    body = part({"iss": ISSUER, "aud": aud, "exp": 9999999999, "iat": int(time.time()), "jti": "h"})
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def test_discovery_and_services_need_a_valid_client_jwt(secure_service, keys):
    r = call(secure_service, "/cds-services")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = call(secure_service, "/cds-services", keys.token(secure_service.url + "/cds-services"))
    assert r.status_code == 200 and len(r.json()["services"]) == 3
    r = call(secure_service, PV, keys.token(secure_service.url + PV))
    assert r.status_code == 200 and len(r.json()["cards"]) == 2
    assert requests.get(secure_service.url + "/health", timeout=10).status_code == 200  # no data there


def test_a_token_is_accepted_once(secure_service, keys):
    token = keys.token(secure_service.url + PV)
    assert call(secure_service, PV, token).status_code == 200
    assert call(secure_service, PV, token).status_code == 401  # replayed jti


def test_feedback_needs_its_own_token(secure_service, keys):
    body = {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "2026-11-27T10:00:00Z"}]}
    path = PV + "/feedback"
    assert call(secure_service, path, keys.token(secure_service.url + PV), body).status_code == 401  # other aud
    assert call(secure_service, path, keys.token(secure_service.url + path), body).status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda k, aud: None, id="no token"),
        pytest.param(lambda k, aud: "not.a.jwt", id="garbage"),
        pytest.param(
            lambda k, aud: unsigned({"iss": ISSUER, "aud": aud, "exp": 9999999999, "iat": 1, "jti": "u"}), id="unsigned"
        ),
        pytest.param(lambda k, aud: k.token(aud, key=k.stranger), id="forged: another key, same kid"),
        pytest.param(lambda k, aud: k.token(aud, iat_shift=-600), id="expired"),
        pytest.param(lambda k, aud: k.token(aud + "-other"), id="another audience"),
        pytest.param(lambda k, aud: k.token("https://cds.example.org" + PV), id="another host"),
        pytest.param(lambda k, aud: k.token(aud, lifetime=3600), id="lives longer than 5 minutes"),
        pytest.param(lambda k, aud: k.token(aud, iss="https://stranger.example.test"), id="issuer not allowed"),
        pytest.param(lambda k, aud: k.token(aud, drop=("jti",)), id="no jti"),
        pytest.param(lambda k, aud: k.token(aud, drop=("exp",)), id="no exp"),
        pytest.param(lambda k, aud: k.token(aud, kid="unknown-kid"), id="unknown kid"),
        pytest.param(lambda k, aud: k.token(aud, iat_shift=600), id="issued in the future"),
        pytest.param(lambda k, aud: hmac_with_public_key(k, aud), id="HMAC with the public key as secret"),
    ],
)
def test_tokens_that_are_not_trustworthy_are_refused(secure_service, keys, make):
    r = call(secure_service, PV, make(keys, secure_service.url + PV))
    assert r.status_code == 401
    assert r.json() == {"error": "a valid CDS client JWT is required"}


def test_the_log_names_the_refusal_not_the_token(secure_service, keys):
    token = keys.token(secure_service.url + PV, lifetime=3600)
    call(secure_service, PV, token)
    log = secure_service.log.read_text()
    assert "refused: lifetime longer than allowed" in log and token not in log


def test_a_configured_pem_public_key(tmp_path, keys):
    pem = tmp_path / "ehr.pem"
    pem.write_bytes(
        keys.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    auth = ClientAuth(Settings(base_url="https://cds.example.org", public_key_file=str(pem)))

    async def verify(token):
        async with aiohttp.ClientSession() as session:
            return await auth.verify(f"Bearer {token}", PV, session)

    claims = asyncio.run(verify(keys.token("https://cds.example.org" + PV)))
    assert claims["iss"] == ISSUER
    with pytest.raises(Unauthorized):
        asyncio.run(verify(keys.token("https://cds.example.org" + PV, key=keys.stranger)))


def test_configuration_that_cannot_be_verified_is_refused():
    with pytest.raises(ConfigError, match="CDS_BASE_URL"):
        Settings.from_env({"CDS_JWKS_URL": "https://ehr.example.test/jwks"})
    with pytest.raises(ConfigError, match="one key source"):
        Settings.from_env({"CDS_JWKS_URL": "x", "CDS_JWKS_FILE": "y", "CDS_BASE_URL": "https://c"})
    with pytest.raises(ConfigError, match="CDS_JWT_MAX_LIFETIME"):
        Settings.from_env({"CDS_JWT_MAX_LIFETIME": "-1"})
    assert Settings.from_env({}).jwt is False


# --- every token error is 401, never 500 (conformance report, defect 7) ------------------------------


def pem_auth(tmp_path, keys):
    pem = tmp_path / "ehr.pem"
    pem.write_bytes(
        keys.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return ClientAuth(Settings(base_url="https://cds.example.org", public_key_file=str(pem)))


def verify_with(auth, authorization):
    async def run():
        async with aiohttp.ClientSession() as session:
            return await auth.verify(authorization, PV, session)

    return asyncio.run(run())


def claims(aud, **over):
    now = int(time.time())
    return {"iss": ISSUER, "aud": aud, "iat": now, "exp": now + 120, "jti": str(uuid.uuid4()), **over}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda k, aud: jwt.encode(claims(aud), rsa.generate_private_key(65537, 2048), "RS384", {"kid": KID}),
            id="RS384 from an attacker's RSA key against the EHR's EC key",
        ),
        pytest.param(
            lambda k, aud: jwt.encode(claims(aud), k.private, "ES384", {"typ": None, "kid": KID}), id="no typ"
        ),
        pytest.param(lambda k, aud: jwt.encode(claims(aud), k.private, "ES384", {"typ": "JWT"}), id="no kid"),
        pytest.param(
            lambda k, aud: k.token(aud, exp=str(int(time.time()) + 60)),
            id="exp as a numeric string",
        ),
        pytest.param(lambda k, aud: k.token(aud, iat=str(int(time.time()))), id="iat as a numeric string"),
        pytest.param(lambda k, aud: k.token(aud, jti=17), id="jti a number"),
    ],
)
def test_token_errors_of_every_kind_are_401_with_a_pem_key(tmp_path, keys, make):
    auth = pem_auth(tmp_path, keys)
    with pytest.raises(Unauthorized):
        verify_with(auth, f"Bearer {make(keys, 'https://cds.example.org' + PV)}")


def test_a_numeric_string_exp_is_401_over_http(secure_service, keys):
    token = keys.token(secure_service.url + PV, exp=str(int(time.time()) + 60))
    r = call(secure_service, PV, token)
    assert r.status_code == 401 and r.json() == {"error": "a valid CDS client JWT is required"}
    assert "exp and iat must be numbers" in secure_service.log.read_text()


def test_the_bearer_scheme_is_case_insensitive(tmp_path, keys):
    auth = pem_auth(tmp_path, keys)
    assert verify_with(auth, f"bearer {keys.token('https://cds.example.org' + PV)}")["iss"] == ISSUER
