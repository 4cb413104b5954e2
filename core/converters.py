"""URL converters shared by the apps."""

from __future__ import annotations


class TokenConverter:
    """A secret token in an address (secrets.token_urlsafe): URL-safe base64
    characters only, at most 128. Anything else is not an address of ours
    and answers 404 before a view runs; `str` would let a NUL byte through
    to PostgreSQL, which refuses it with a server error."""

    regex = "[A-Za-z0-9_-]{1,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
