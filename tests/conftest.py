"""Shared fixtures: the session-scoped model and servers (train once, serve once)."""
from rasa_fixtures import fake_slack, model, servers  # noqa: F401
