"""Fake HTTP services that tests drive with the real clients: one module per service."""
