"""The ``carebase/search`` MkDocs plugin."""
