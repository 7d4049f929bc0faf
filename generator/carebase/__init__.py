"""Carebase: a customer-care help centre generator.

The core package knows nothing of MkDocs: it reads and validates the content of a help
centre, composes the pages that exist only at build time and checks a content tree. The
MkDocs adapters live in ``carebase_mkdocs``.
"""

from __future__ import annotations

__version__ = "0.1.0"
