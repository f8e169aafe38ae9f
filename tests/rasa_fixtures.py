"""Session-scoped fixtures: one training and one pair of servers per test run."""
import pytest

from servers import FakeSlack, Servers, train


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
