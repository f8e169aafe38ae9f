"""Shared fixtures: the session-scoped model and servers (train once, serve once)."""

import os

import pytest
from rasa_fixtures import aux_servers, fake_slack, model, servers  # noqa: F401

from harness.servers import start_training, stop_training


def pytest_collection_modifyitems(config, items):
    """The modules that need the trained model run last, and the training starts now, in the background:
    the tests that need no model (about two minutes of them) run while it trains."""
    needs_model = {item.module for item in items if "model" in item.fixturenames}
    if needs_model:
        items[:] = [i for i in items if i.module not in needs_model] + [i for i in items if i.module in needs_model]
        start_training()


def pytest_unconfigure(config):
    stop_training()


@pytest.fixture(autouse=True, scope="session")
def _audit_db_of_this_run(tmp_path_factory):
    """Actions run in-process by the tests write their audit rows here, never into the project's .rasa/."""
    os.environ["AUDIT_DB"] = str(tmp_path_factory.mktemp("audit") / "audit.db")
    yield
