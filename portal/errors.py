"""Service errors: one clear message per rejection, with a stable code, in Dutch and English."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service refuses; views show the message, the API returns the code."""

    def __init__(self, code: str, nl: str, en: str, status: int = 400, retry_after: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = {"nl": nl, "en": en}
        self.status = status
        self.retry_after = retry_after  # seconds, for a Retry-After header (rate limits)
