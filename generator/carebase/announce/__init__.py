"""Announcing new and changed FAQs, posts and service notices on social networks, exactly once.

The announcer reads the build manifest (what was published), compares it with the ledger (what
was announced), composes one message per network and sends it with that network's own client.
Nothing here imports MkDocs.
"""
