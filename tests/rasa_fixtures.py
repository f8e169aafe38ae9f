"""Session-scoped fixtures: one training and one pair of servers per test run."""
import pytest

from servers import Servers, train


@pytest.fixture(scope="session")
def model():
    return train()


@pytest.fixture(scope="session")
def servers(model, tmp_path_factory):
    s = Servers(model, tmp_path_factory.mktemp("servers")).start()
    yield s
    s.stop()
