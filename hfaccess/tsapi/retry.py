"""When to retry a call and how long to wait: pure functions, so tests need no clock.

429 and 5xx answers and lost connections are retried with exponential backoff, honouring
`Retry-After`, within a bounded number of attempts and a bounded total time: a kill must
finish (or fail loudly) in seconds, never hang.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retrying one call."""

    max_attempts: int = 6
    max_total_seconds: float = 30.0
    base_delay: float = 0.2
    max_delay: float = 5.0

    def backoff(self, attempt: int) -> float:
        """Delay after failed attempt number `attempt` (1-based) when the server gave no hint."""
        return float(min(self.max_delay, self.base_delay * (2 ** (attempt - 1))))

    def delay(self, attempt: int, elapsed: float, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up.

        A server's Retry-After wins over backoff; if honouring it would overrun the total
        budget, the call gives up instead of returning late.
        """
        if attempt >= self.max_attempts:
            return None
        wait = retry_after if retry_after is not None else self.backoff(attempt)
        wait = max(0.0, wait)
        if elapsed + wait > self.max_total_seconds:
            return None
        return wait


def retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth another attempt."""
    return status in RETRYABLE_STATUSES or status >= 500


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delay-seconds or an HTTP date; None if absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
