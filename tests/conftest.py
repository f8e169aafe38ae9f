"""Shared fixtures: the session-scoped model and servers (train once, serve once)."""
from rasa_fixtures import model, servers  # noqa: F401
