"""The one path every message takes: understand → calculator / FAQ / help → Reply. Never raises."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from datetime import date

from calculators.errors import DomainError
from madoguchi.present import general
from madoguchi.reply import Reply
from madoguchi.understand import requests as rq
from madoguchi.understand.examples import fit_example, request_example
from madoguchi.understand.interpret import interpret

log = logging.getLogger("madoguchi")

_SURROGATE = re.compile("[\ud800-\udfff]")


class _AnswerIds:
    """Unique answer ids without a system call per answer (``uuid4`` asks the OS for randomness,
    and gives up the GIL, on every answer): a random prefix per process and a counter."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self.prefix = os.urandom(8).hex()
        self.counter = itertools.count()

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter):016x}"


_answer_ids = _AnswerIds()


def clean_text(text: str) -> str:
    """``text`` with lone UTF-16 surrogates (which JSON such as ``"\\ud800"`` decodes to, but no
    UTF-8 encoder, tokenizer or database accepts) replaced by U+FFFD; anything else unchanged."""
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def _quote(r: rq.QuoteRequest) -> Reply:
    from calculators.media import quote
    from madoguchi.present.media import present_quote

    return present_quote(quote(r.lines, closing_date=r.closing_date), date_assumed=r.date_assumed)


def _hpki_fee(r: rq.HpkiFeeRequest) -> Reply:
    from calculators.hpki import annual_fee
    from madoguchi.present.hpki import present_fee

    fee = present_fee(annual_fee(r.facility, beds=r.beds, continued=r.continued, fiscal_year=r.fiscal_year))
    if r.application_date is None:
        return fee
    from calculators.hpki_deadlines import payment_schedule
    from madoguchi.present.hpki import present_schedule, with_schedule

    return with_schedule(fee, present_schedule(payment_schedule(r.application_date)))


def _hpki_deadline(r: rq.HpkiDeadlineRequest) -> Reply:
    from calculators.hpki_deadlines import continued_schedule, payment_schedule
    from madoguchi.present.hpki import present_schedule

    if r.application_date is not None:
        return present_schedule(payment_schedule(r.application_date))
    assert r.fiscal_year is not None
    return present_schedule(continued_schedule(r.fiscal_year))


def _monthly(r: rq.MonthlyRequest) -> Reply:
    from calculators.auth_fees import monthly_fee
    from madoguchi.present.auth import present_monthly

    return present_monthly(monthly_fee(r.ids, on=r.on))


def _prorate(r: rq.ProrateRequest) -> Reply:
    from calculators.auth_fees import prorate
    from madoguchi.present.auth import present_proration

    return present_proration(prorate(r.ids, start=r.start, end=r.end, anchor_day=r.anchor_day, on=r.on))


def _change(r: rq.ChangeRequest) -> Reply:
    from calculators.auth_fees import change_ids
    from madoguchi.present.auth import present_proration

    return present_proration(change_ids(r.before, r.after, on=r.on, anchor_day=r.anchor_day))


def _install(r: rq.InstallRequest) -> Reply:
    from calculators.installation import installation_fee
    from madoguchi.present.auth import present_installation

    return present_installation(installation_fee(works=r.works, addon_ids=r.addon_ids, on=r.on))


def _late(r: rq.LateRequest) -> Reply:
    from calculators.late_interest import late_interest
    from madoguchi.present.auth import present_late

    return present_late(late_interest(r.amount, due=r.due, paid=r.paid))


def _outage(r: rq.OutageRequest) -> Reply:
    from calculators.outage import outage_credit
    from madoguchi.present.auth import present_outage

    result = outage_credit(
        r.ids, hours=r.hours, month=r.month, anchor_day=r.anchor_day, gross_negligence=r.gross_negligence
    )
    return present_outage(result)


def _surcharge(r: rq.SurchargeRequest) -> Reply:
    from calculators.surcharge import surcharge
    from madoguchi.present.auth import present_surcharge

    return present_surcharge(surcharge(r.amount, on=r.on))


def _help(r: rq.HelpRequest) -> Reply:
    return general.help_reply(r.topic)


def _faq(r: rq.FaqRequest) -> Reply:
    from calculators.common import Citation
    from faq.documents import lookup
    from faq.search import best_answer, other_reading, part_answers
    from madoguchi.present import faq as present

    section = lookup(r.query) if r.explicit or len(r.query) <= 20 else None
    if section is not None:
        citation = Citation(doc=section.doc, section=section.id, heading=section.heading)
        return present.section_reply(citation, section.text)
    hit, hits = best_answer(r.query)
    # a question asking two things gets an answer to each (faq.search.part_answers)
    parts = part_answers(r.query, hit)
    if parts is None or (hit is None and not parts.answered):
        return present.not_covered(hits)
    if hit is None:
        first, *more = parts.answered
        return present.faq_reply(first, also=tuple(more), uncovered=parts.uncovered)
    return present.faq_reply(
        hit, other=other_reading(r.query, hit, hits), also=parts.answered, uncovered=parts.uncovered
    )


HANDLERS: dict[type[rq.Request], Callable[..., Reply]] = {
    rq.QuoteRequest: _quote,
    rq.HpkiFeeRequest: _hpki_fee,
    rq.HpkiDeadlineRequest: _hpki_deadline,
    rq.MonthlyRequest: _monthly,
    rq.ProrateRequest: _prorate,
    rq.ChangeRequest: _change,
    rq.InstallRequest: _install,
    rq.LateRequest: _late,
    rq.OutageRequest: _outage,
    rq.SurchargeRequest: _surcharge,
    rq.HelpRequest: _help,
    rq.FaqRequest: _faq,
}


def dispatch(request: rq.Request) -> Reply:
    reply = HANDLERS[type(request)](request)
    if request.assumptions:
        reply = reply.model_copy(update={"notes": (*request.assumptions, *reply.notes)})
    return reply


def answer(
    text: str,
    *,
    today: date | None = None,
    entry: str = "ask",
    command: str | None = None,
    user_id: str | None = None,
) -> Reply:
    """Answer one message. Never raises: bad input becomes an ``error`` reply with an example,
    an unexpected fault an apology with an error id (the traceback goes to the log).

    ``entry`` names the door the message came in by (``slash``, ``mention``, ``dm``, ``console``,
    ``ask``), ``command`` the slash command if any; both go to the inquiry log with the reply.
    """
    started = time.perf_counter()
    day = today or date.today()
    text = clean_text(text)
    request: rq.Request | None = None
    try:
        request = interpret(text, today=day)
        reply = dispatch(request)
    except DomainError as error:
        if request is not None:  # a calculator refused it: show an example of the command that answers it
            fit_example(error, request_example(request))
        reply = general.error_reply(error)
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("error %s while answering a message of %d characters", error_id, len(text))
        reply = general.internal_error_reply(error_id)
    reply = reply.model_copy(update={"answer_id": _answer_ids.next()})
    _record(text, reply, entry=entry, command=command, user_id=user_id, seconds=time.perf_counter() - started)
    return reply


def _record(
    text: str, reply: Reply, *, entry: str, command: str | None, user_id: str | None, seconds: float
) -> None:
    """Hand the answer to the inquiry log; a failing log never touches the answer."""
    try:
        from madoguchi.logbook import record_answer
    except ImportError:
        return
    try:
        record_answer(text, reply, entry=entry, command=command, user_id=user_id, seconds=seconds)
    except Exception:
        log.warning("inquiry log: could not record an answer", exc_info=True)
