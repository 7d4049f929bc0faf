"""MkDocs adapters of Carebase: thin plugins that translate MkDocs events into core calls."""
