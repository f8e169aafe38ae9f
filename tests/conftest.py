"""Shared fixtures live in rasa_fixtures.py (session: train once, serve once)."""
