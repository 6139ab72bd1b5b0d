"""Retries of calls to Slack (the Web API and response_url), with backoff.

- A connection that fails before the request is sent (refused, reset, DNS, connect timeout):
  retried after 0.5 s, then 1 s (plus up to 1 s of jitter).
- 429 Too Many Requests: retried after the ``Retry-After`` seconds Slack gives (plus jitter).
- 500 / 503: retried after 0.5 s, then 1 s (plus jitter).

A request that was sent but whose answer did not come within the timeout is NOT retried: Slack may
have done it (posted the reply), and a retry would post it twice. :func:`bot.boundary.guard` logs
such a timeout without an apology, for the same reason.
"""

from __future__ import annotations

from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

RETRIES = 2
"""Retries after the first attempt, per kind of failure."""
BACKOFF_FACTOR = 0.5
"""Seconds before the first retry; doubled for each further one."""


def retry_handlers() -> list[RetryHandler]:
    """Fresh handlers for one WebClient or WebhookClient (Bolt copies the list for each request)."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=BACKOFF_FACTOR)
    return [
        ConnectionErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),
        ServerErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=backoff),
    ]
