"""CDS Hooks tests: the service runs as its own process (``python -m cds serve``) once per session: open on
loopback, with client JWTs required, with a short FHIR deadline and CORS, and with a JWK Set URL that
hangs; a small fake FHIR server serves the fixtures (and misbehaves on request)."""

import uuid

import pytest
from cds_harness import CORS_ORIGIN, ISSUER, FakeFHIR, Keys, Service, free_port


@pytest.fixture(scope="session")
def fhir_token():
    return "fhir-token-" + uuid.uuid4().hex


@pytest.fixture(scope="session")
def fake_fhir(fhir_token):
    fake = FakeFHIR(fhir_token)
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    s = Service(tmp_path_factory.mktemp("cds"))
    yield s
    s.stop()


@pytest.fixture(scope="session")
def keys():
    return Keys()


@pytest.fixture(scope="session")
def secure_service(tmp_path_factory, fake_fhir, keys):
    """Client JWTs required: keys from the EHR's JWK Set URL, audience = the URL the service is reached at."""
    fake_fhir.jwks = keys.jwks
    port = free_port()
    env = {
        "CDS_JWKS_URL": f"http://127.0.0.1:{fake_fhir.port}/jwks",
        "CDS_BASE_URL": f"http://127.0.0.1:{port}",
        "CDS_JWT_ISSUERS": ISSUER,
    }
    s = Service(tmp_path_factory.mktemp("cds-jwt"), env, port)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def tuned_service(tmp_path_factory):
    """Open, with a 1 s deadline for all FHIR reads of a call (2 s for one read) and CORS for one origin."""
    env = {"CDS_FHIR_DEADLINE": "1", "CDS_FHIR_TIMEOUT": "2", "CDS_CORS_ORIGINS": CORS_ORIGIN}
    s = Service(tmp_path_factory.mktemp("cds-tuned"), env)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def slow_keys_service(tmp_path_factory, fake_fhir):
    """Client JWTs required, keys from a JWK Set URL that hangs (5 s) while a read may take 1 s."""
    port = free_port()
    env = {
        "CDS_JWKS_URL": f"http://127.0.0.1:{fake_fhir.port}/slow-jwks",
        "CDS_BASE_URL": f"http://127.0.0.1:{port}",
        "CDS_FHIR_TIMEOUT": "1",
    }
    s = Service(tmp_path_factory.mktemp("cds-slow-keys"), env, port)
    yield s
    s.stop()
