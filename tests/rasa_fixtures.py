"""Session-scoped fixtures: one training and one pair of servers per test run."""

import pytest

from harness.servers import FakeSlack, Servers, train


@pytest.fixture(scope="session")
def model():
    return train()


@pytest.fixture(scope="session")
def fake_slack():
    fake = FakeSlack()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def servers(model, fake_slack, tmp_path_factory):
    s = Servers(model, tmp_path_factory.mktemp("servers"), slack=fake_slack).start()
    yield s
    s.stop()


API_TOKEN = "test-api-token-not-real"
OTHER_ORIGIN = "https://intranet.example.org"
AUX_HOST = "127.0.0.2"  # another loopback address: RASA_HOST and ACTIONS_HOST are obeyed, nothing is opened
AUX_SECRET = "aux-servers-shared-secret-" + "0" * 16  # from the environment, as make cluster takes it


@pytest.fixture(scope="session")
def aux_servers(model, tmp_path_factory):
    """A second pair of servers for the tests that kill and restart servers, with the HTTP API on
    (token), one extra web chat origin allowed, listening on another loopback address (RASA_HOST,
    ACTIONS_HOST) and sharing a secret given in the environment (ACTIONS_SECRET)."""
    s = Servers(
        model,
        tmp_path_factory.mktemp("aux"),
        env={
            "RASA_ENABLE_API": "true",
            "RASA_API_TOKEN": API_TOKEN,
            "WEBCHAT_ORIGINS": OTHER_ORIGIN,
            "RASA_HOST": AUX_HOST,
            "ACTIONS_HOST": AUX_HOST,
            "ACTIONS_SECRET": AUX_SECRET,
        },
    ).start()
    yield s
    s.stop()
