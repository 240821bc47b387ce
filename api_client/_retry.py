"""When to try a request again, and how long to wait first. Pure, so both clients share it."""

import email.utils
import random
import time
from dataclasses import dataclass

import httpx

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date); None when absent, bad or over a minute."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    if seconds != seconds or seconds > MAX_RETRY_AFTER:  # NaN or too long: use our own backoff
        return None
    return max(seconds, 0.0)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: 0.5 s doubling to 8 s, up to 25% less, Retry-After first."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            asked = parse_retry_after(response.headers.get("retry-after"))
            if asked is not None:
                return asked
        base = min(self.initial_delay * 2.0**attempt, self.max_delay)
        return base * (1 - 0.25 * random.random())

    def should_retry(self, attempt: int, response: httpx.Response | None) -> bool:
        """`response` None means the transport failed (connect error or timeout)."""
        if attempt >= self.max_retries:
            return False
        if response is None:
            return True
        if response.headers.get("x-should-retry") == "false":
            return False
        return response.status_code in RETRYABLE_STATUS
