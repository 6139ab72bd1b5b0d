"""From a message (slash command or free Japanese) to a Request."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from madoguchi.errors import EmptyInput, TooLong
from madoguchi.understand import hpki_text, media_text, prorate_text
from madoguchi.understand.dates import find_dates
from madoguchi.understand.examples import MODE_EXAMPLES, command_key, examples_of
from madoguchi.understand.normalize import MAX_INPUT, normalize
from madoguchi.understand.numbers import with_arabic_numerals
from madoguchi.understand.requests import FaqRequest, HelpRequest, HpkiFeeRequest, Request, SurchargeRequest
from madoguchi.understand.vocabulary import has_any

COMMANDS = ("quote", "hpki", "prorate", "faq", "madoguchi")
USAGE = {
    "quote": media_text.QUOTE_USAGE,
    "hpki": hpki_text.HPKI_USAGE,
    "prorate": prorate_text.PRORATE_USAGE,
    "faq": "/faq 質問 または 条項  例: /faq コンビニ払いの手数料 、/faq 第22条",
    "madoguchi": "/madoguchi help",
}
EXAMPLES = {
    "quote": "/quote UT 3",
    "hpki": "/hpki 病院 399床",
    "prorate": "/prorate ids=15 start=2025-07-20",
    "faq": "/faq 第22条",
    "madoguchi": "/madoguchi help",
}
_HELP_WORDS = {"help", "ヘルプ", "使い方", "つかいかた", "?", "？", "usage", "h", "-h", "--help"}
_COMMAND = re.compile(r"^/([A-Za-z]+)\s*(.*)$", re.DOTALL)


def split_command(text: str) -> tuple[str | None, str]:
    """('/quote UT 3') -> ('quote', 'UT 3'); free text -> (None, text)."""
    match = _COMMAND.match(text)
    if match and match.group(1).casefold() in COMMANDS:
        return match.group(1).casefold(), match.group(2).strip()
    return None, text


def interpret(raw: str, *, today: date) -> Request:
    """Understand one message. Raises a DomainError subclass when the message is malformed."""
    if len(raw) > MAX_INPUT:
        command, args = split_command(normalize(raw[:100]))
        example = MODE_EXAMPLES[command_key(command, args)] if command else TooLong.example
        raise TooLong(length=len(raw), limit=MAX_INPUT, example=example)
    text = normalize(raw)
    command, args = split_command(text)
    if command is not None:
        return interpret_command(command, args, today=today)
    if not text or text.casefold() in _HELP_WORDS:
        return HelpRequest()
    return interpret_free(text, today=today)


def interpret_command(command: str, args: str, *, today: date) -> Request:
    if command == "madoguchi" or args.casefold() in _HELP_WORDS:
        return HelpRequest(topic=None if command == "madoguchi" else command)
    if not args:
        raise EmptyInput(command=f"/{command}", usage=USAGE[command], example=EXAMPLES[command])
    if command == "faq":
        return FaqRequest(args, explicit=True)
    args = with_arabic_numerals(args)
    parsers = {
        "quote": media_text.parse_quote_args,
        "hpki": hpki_text.parse_hpki_args,
        "prorate": prorate_text.parse_prorate_args,
    }
    with examples_of(MODE_EXAMPLES[command_key(command, args)]):
        return parsers[command](args, today=today)


def interpret_free(text: str, *, today: date) -> Request:
    """Route free text to a calculator only when it carries the figures that calculator needs;
    everything else is a FAQ question (asked in the staff member's own words). A bad figure is
    refused with an example of the command that answers what the text is about."""
    question, text = text, with_arabic_numerals(text)
    with examples_of(MODE_EXAMPLES["quote", None]):
        mentions = media_text.find_media(text)
        if (
            mentions
            and not _asks_how_many(text)
            and not _asks_choice(text)
            and (any(m.quantity is not None for m in mentions) or (has_any(text, "quote") and "見積" in text))
        ):
            return media_text.build_quote(mentions, find_dates(text, today=today), today)
    for intent, read in _FREE_READERS:
        if has_any(text, intent):
            with examples_of(MODE_EXAMPLES["prorate", intent]):
                if request := read(text, today):
                    return request
    with examples_of(MODE_EXAMPLES["prorate", None]):
        ids = prorate_text.find_ids(text)
    with examples_of(MODE_EXAMPLES["hpki", None]):
        facility = hpki_text.find_facility(text)
        beds, _ = hpki_text.find_beds(text)
    with examples_of(MODE_EXAMPLES[("prorate", None) if ids is not None else ("hpki", "期限")]):
        dates = find_dates(text, today=today)
    fiscal = hpki_text.fiscal_year_in(text)
    continued = hpki_text.is_continued(text)
    # a fee asked with its facility and beds (「120床の病院が10月に新規申込。今年度の支払額は？」) is the
    # fee, even with an application date beside it
    fee_asked = _ASKS_AMOUNT.search(text) is not None and (
        beds is not None or facility in {"clinic", "pharmacy"}
    )
    if (
        (dates or (fiscal is not None and continued and not _asks_fee(text)))
        and has_any(text, "deadline")
        and not mentions
        and ids is None
        and not fee_asked
    ):
        return hpki_text.deadline_request(dates, today, text=text)
    if beds is not None and facility is None and _asks_fee(text):
        facility = "hospital"
    if (
        (facility == "hospital" and beds is not None)
        or (facility in {"clinic", "pharmacy"} and _asks_fee(text))
    ) and (not _EXTRA_CHARGE.search(text)):
        if dates and not continued and _ASKS_DEADLINE.search(text):  # the fee and the deadline both asked
            schedule = hpki_text.deadline_request(dates, today, text=text)
            return HpkiFeeRequest(
                facility,
                beds,
                fiscal_year=fiscal,
                application_date=schedule.application_date,
                assumptions=schedule.assumptions,
            )
        return HpkiFeeRequest(facility, beds, continued=continued, fiscal_year=fiscal)
    if has_any(text, "proration"):
        with examples_of(MODE_EXAMPLES["prorate", None]):
            if proration := prorate_text.free_proration(text, today):
                return proration
    return FaqRequest(question)


def _free_surcharge(text: str, today: date) -> Request | None:
    amount = prorate_text.find_amount(text)
    return SurchargeRequest(amount, today) if amount is not None else None


_FREE_READERS: tuple[tuple[str, Callable[[str, date], Request | None]], ...] = (
    ("late", prorate_text.free_late),
    ("outage", prorate_text.free_outage),
    ("surcharge", _free_surcharge),
)


def _asks_how_many(text: str) -> bool:
    """「1枚に何個入る？」 asks for a count the documents state, not for a price."""
    return bool(re.search(r"何\s*(?:個|枚|件|本|つ|証明書)|いくつ", text))


def _asks_choice(text: str) -> bool:
    """「依頼書の媒体種別は何を選べばいい？」 asks which option to take (a rule), not a price, even
    when it names a medium and a quantity; 「CD-R 2枚を選んだらいくら？」 still asks a price."""
    asks = re.search(r"選[べぶびん]|種別|(?:何|どう)て?書|どれに|いつから|いつまで", text)
    return bool(asks) and not has_any(text, "quote")


def _asks_fee(text: str) -> bool:
    return bool(re.search(r"利用料|料金|いくら|年額|費用|金額|区分|年間|支払額|支払い額", text))


# Whether something costs extra (「コードが変わる薬局、手続きと追加料金は？」) asks a rule of the FAQ,
# not the annual fee of the facility named.
_EXTRA_CHARGE = re.compile(r"追加(?:の|で)?(?:料金|利用料|費用|請求|負担)|別途(?:料金|費用)|追加料")

# An amount asked for, not only named (「利用料の支払期限」 names the fee and asks a date).
_ASKS_AMOUNT = re.compile(r"いくら|支払額|支払い額|金額|何円|年額|(?:費用|料金|利用料)(?:は|って|と|、)")

# A deadline asked for, not only an application named (「10月に新規申込。支払額は？」 asks the fee alone).
_ASKS_DEADLINE = re.compile(
    r"期限|いつまで|支払期日|支払い期日|締め?切り?|停止|止ま|使えなくな|利用できなくな"
)
