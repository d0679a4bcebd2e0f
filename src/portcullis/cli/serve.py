"""`portcullis serve`: the HTTP API and web pages (not built yet)."""

from __future__ import annotations

from portcullis.cli.common import HomeOption, fail


def serve(home: HomeOption = None) -> None:
    """Serve the HTTP API and web UI (not available yet: exits non-zero)."""
    fail("'serve' is not available yet: the HTTP API and web pages have not been built")
