"""CDS Hooks tests: the service runs as its own process (``python -m cds serve``) once per session, twice:
open on loopback, and with client JWTs required; a small fake FHIR server serves the fixtures."""

import uuid

import pytest
from cds_harness import ISSUER, FakeFHIR, Keys, Service, free_port


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
