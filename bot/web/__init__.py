"""The browser's Progress View: signed links, the session they open, the pages and their buttons."""

from __future__ import annotations

__all__ = ["WebError"]


class WebError(Exception):
    """Root of the web page's own errors."""
