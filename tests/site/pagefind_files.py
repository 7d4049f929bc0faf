"""What a built Pagefind bundle holds, read from its files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any


def fragments(bundle: Path) -> list[dict[str, Any]]:
    """The pages a bundle holds (Pagefind's fragments: gzip, ``pagefind_dcd`` then JSON)."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return pages
