"""Shared fixtures: the session-scoped model and servers (train once, serve once)."""

import os

import pytest
from rasa_fixtures import aux_servers, fake_slack, model, servers  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _audit_db_of_this_run(tmp_path_factory):
    """Actions run in-process by the tests write their audit rows here, never into the project's .rasa/."""
    os.environ["AUDIT_DB"] = str(tmp_path_factory.mktemp("audit") / "audit.db")
    yield
