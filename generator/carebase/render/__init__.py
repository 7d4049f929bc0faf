"""Rendering outside MkDocs' page loop: the fast lane for article bodies."""
