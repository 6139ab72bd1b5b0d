"""The correct example shown with a bad-input message: always one of the command that failed.

An error carries the example its raiser chose (BadDate's is an /hpki one, NoPriceForDate's a /quote
one). Where the message came in by another command, or by free text that another calculator was
to answer, that example would teach the wrong command; ``fit_example`` replaces it with the
command's own. A command is compared with its mode, since /prorate late and /prorate outage take
different arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from calculators.errors import DomainError
from madoguchi.understand import requests as rq
from madoguchi.understand.hpki_text import DEADLINE_HEADS
from madoguchi.understand.prorate_text import MODES

Key = tuple[str | None, str | None]
"""(command, mode): ("prorate", "late"), ("hpki", "期限"), ("quote", None); (None, None) for free text."""

_COMMAND = re.compile(r"^/([A-Za-z]+)\s*(.*)$", re.DOTALL)
_ID_CHANGE = re.compile(r"\bids?\s*[=:]\s*\S*?(?:->|→|=>|~|から)", re.IGNORECASE)

MODE_EXAMPLES: dict[Key, str] = {
    ("quote", None): "/quote DL 2 UM 1 2023-03-31",
    ("hpki", None): "/hpki 病院 399床",
    ("hpki", "期限"): "/hpki 期限 2026-01-20",
    ("prorate", None): "/prorate ids=15 start=2025-07-20",
    ("prorate", "change"): "/prorate ids=10->20 on=2025-08-11",
    ("prorate", "late"): "/prorate late amount=100000 due=2025-03-31 paid=2025-04-30",
    ("prorate", "outage"): "/prorate outage ids=10 hours=53 month=2025-06",
    ("prorate", "surcharge"): "/prorate surcharge amount=10000",
    ("prorate", "install"): "/prorate install works=1 addon=5",
    ("faq", None): "/faq 第22条",
    ("madoguchi", None): "/madoguchi help",
}
REQUEST_KEYS: dict[type[rq.Request], Key] = {
    rq.QuoteRequest: ("quote", None),
    rq.HpkiFeeRequest: ("hpki", None),
    rq.HpkiDeadlineRequest: ("hpki", "期限"),
    rq.MonthlyRequest: ("prorate", None),
    rq.ProrateRequest: ("prorate", None),
    rq.ChangeRequest: ("prorate", "change"),
    rq.InstallRequest: ("prorate", "install"),
    rq.LateRequest: ("prorate", "late"),
    rq.OutageRequest: ("prorate", "outage"),
    rq.SurchargeRequest: ("prorate", "surcharge"),
    rq.FaqRequest: ("faq", None),
    rq.HelpRequest: ("madoguchi", None),
}


def command_key(command: str, args: str) -> Key:
    """The (command, mode) of a slash command's arguments: ('prorate', 'late amount=abc') -> ('prorate', 'late')."""
    words = [word.casefold() for word in args.split()]
    first = words[0] if words else ""
    if command == "prorate":
        mode = next((MODES[word] for word in words if word in MODES), None)
        return command, mode or ("change" if _ID_CHANGE.search(args) else None)
    if command == "hpki":
        return command, "期限" if first in DEADLINE_HEADS else None
    return command, None


def example_key(example: str) -> Key:
    """The (command, mode) an example is of: '/prorate late amount=…' -> ('prorate', 'late')."""
    match = _COMMAND.match(example.strip())
    if not match:
        return None, None
    return command_key(match.group(1).casefold(), match.group(2))


def request_example(request: rq.Request) -> str:
    """The example of the command that answers ``request`` (a continued user's schedule: /hpki 継続)."""
    if isinstance(request, rq.HpkiDeadlineRequest) and request.application_date is None:
        return "/hpki 継続 2026"
    return MODE_EXAMPLES[REQUEST_KEYS[type(request)]]


def fit_example(error: DomainError, example: str) -> None:
    """Give ``error`` the example ``example`` unless it already has one of the same command and mode."""
    if not error.example or example_key(error.example) != example_key(example):
        error.example = example


@contextmanager
def examples_of(example: str) -> Iterator[None]:
    """Errors raised inside show an example of the same command as ``example``."""
    try:
        yield
    except DomainError as error:
        fit_example(error, example)
        raise
