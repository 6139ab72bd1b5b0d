"""Reading (medium, quantity) pairs and a reception-closing date from text (slash or free)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from calculators.errors import UnknownMedium
from madoguchi.errors import BadNumber, MissingArgument, UnknownToken
from madoguchi.present.format import jdate
from madoguchi.understand.dates import DateMention, find_dates
from madoguchi.understand.numbers import parse_int
from madoguchi.understand.requests import QuoteRequest
from madoguchi.understand.vocabulary import MediumCode, medium_code, vocabulary

QUOTE_USAGE = (
    "/quote 媒体コード 数量 [媒体コード 数量 …] [受付締め日]  例: /quote UT 3 、/quote DL 2 UM 1 2023-03-31"
)


@dataclass(frozen=True, slots=True)
class MediaMention:
    code: MediumCode
    quantity: int | None
    start: int
    end: int


_SEPARATOR = r"\s*(?:を|が|は|で|:|=|×|x|X|\*)?\s*"
"""Between a medium's name and its quantity (「UTを3個」, 「UT: 3」, 「UT×3」)."""
_CERTIFICATES = r"(?:(?:クライアント)?証明書\s*(?:を|が|は)?\s*)?"
"""What is counted, named before the quantity: 「CD-Rまとめ書込みで証明書7つ」, 「DLで証明書3件」."""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    vocab = vocabulary()
    media = vocab.alternation([w for ws in vocab.media.values() for w in ws])
    counters = vocab.alternation(list(vocab.counters["quantity"]))
    after = re.compile(
        # a code in brackets after the name is the same medium: 「CD-Rまとめ書込み(CM)で6証明書」; so is
        # a short description in brackets with the quantity after it: 「CD-R(1枚に1証明書)2枚」
        rf"(?P<m>{media})(?![A-Za-z])(?:\s*\(\s*(?:{media})\s*\)|\s*\([^()]{{1,20}}\)(?={_SEPARATOR}\d))?"
        rf"{_SEPARATOR}{_CERTIFICATES}"
        rf"(?:(?P<q>[+-]?\d[\d,]*)(?![\d.]|\s*[-/年月])\s*(?:{counters})?)?",
        re.IGNORECASE,
    )
    before = re.compile(
        rf"(?<![\d,])(?P<q>\d[\d,]*)\s*(?:{counters})\s*(?:の|を|で)?\s*(?P<m>{media})(?![A-Za-z])",
        re.IGNORECASE,
    )
    return after, before


def find_media(text: str) -> list[MediaMention]:
    """Media words with the quantity written right after (or right before, with a counter)."""
    after, before = _patterns()
    found: list[MediaMention] = []
    for match in before.finditer(text):
        code = medium_code(match.group("m"))
        if code:
            found.append(
                MediaMention(code, parse_int(match.group("q"), what="数量"), match.start(), match.end())
            )
    for match in after.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        code = medium_code(match.group("m"))
        if code:
            qty = parse_int(match.group("q"), what="数量") if match.group("q") else None
            found.append(MediaMention(code, qty, match.start(), match.end()))
    return _bulk_writes(text, sorted(found, key=lambda m: m.start))


# CD-R named with bulk writing after it: 「CD-Rのまとめ書込みで12証明書」, 「4証明書をCD1枚にまとめて」.
_BULK_AFTER_CD = re.compile(r"\s*(?:の|で|に|を)?\s*(?:1\s*枚\s*に\s*)?(?:まとめ|一括)")


# Certificates written together onto the CD-R named: 「1枚のCD-Rに証明書を4つまとめて」, 「CD-R1枚に5証明書一括で」.
_CERTS_ONTO_CD = re.compile(
    r"\s*(?:に|へ)\s*(?:(?:クライアント)?証明書\s*(?:を|が)?\s*)?(?P<q>\d[\d,]*)\s*(?:つ|個|件|本|証明書)?"
    r"\s*(?:を|分)?\s*(?:まとめ|一括)"
)


def _bulk_writes(text: str, found: list[MediaMention]) -> list[MediaMention]:
    """``found`` with each CD-R mention that bulk writing follows read as one CM mention (its
    quantity, or else that of the CM words right after it): CD and CM differ only in that."""
    out: list[MediaMention] = []
    skip_until = -1
    for i, mention in enumerate(found):
        if mention.start < skip_until:
            continue
        # only right after the name: in 「CD-R 2 まとめ書込み 5」 (a quantity after CD-R) they are two
        # media. The names of CD-R have no digits; a mention with the quantity before starts with it.
        span = text[mention.start : mention.end]
        quantity_after = not span[0].isdigit() and any(c.isdigit() for c in span)
        onto = _CERTS_ONTO_CD.match(text, mention.end) if mention.code == "CD" else None
        if onto is not None:  # 「1枚のCD-Rに証明書を4つまとめて」: the certificates are the quantity
            out.append(MediaMention("CM", parse_int(onto.group("q"), what="数量"), mention.start, onto.end()))
            continue
        bulk = (
            _BULK_AFTER_CD.match(text, mention.end) if mention.code == "CD" and not quantity_after else None
        )
        if bulk is None:
            out.append(mention)
            continue
        end, quantity = bulk.end(), mention.quantity
        following = found[i + 1] if i + 1 < len(found) else None
        if following is not None and following.code == "CM" and following.start < bulk.end():
            end, skip_until = following.end, following.end
            quantity = quantity if quantity is not None else following.quantity
        out.append(MediaMention("CM", quantity, mention.start, end))
    return out


def closing_date(dates: list[DateMention], today: date) -> tuple[date, bool, tuple[str, ...]]:
    """The reception-closing date: the one date given, else today (said in the reply)."""
    if not dates:
        return today, True, ()
    mention = dates[-1]
    notes: list[str] = []
    if mention.precision == "month":
        notes.append(
            f"「{mention.text}」は受付締め日をその月の末日（{jdate(mention.last_day)}）として計算しました。"
        )
    if mention.year_assumed:
        notes.append(f"年の指定がないため{mention.value.year}年として計算しました。")
    return mention.last_day, False, tuple(notes)


def build_quote(mentions: list[MediaMention], dates: list[DateMention], today: date) -> QuoteRequest:
    if not mentions:
        raise MissingArgument(what="媒体（DL・CD・CM・UM・UT）", example="/quote UT 3")
    assumptions: list[str] = []
    lines: list[tuple[MediumCode, int]] = []
    for mention in mentions:
        if mention.quantity is None:
            assumptions.append(f"{mention.code} の数量の指定がないため 1 として計算しました。")
        lines.append((mention.code, 1 if mention.quantity is None else mention.quantity))
    day, assumed, notes = closing_date(dates, today)
    return QuoteRequest(tuple(lines), day, assumed, assumptions=(*assumptions, *notes))


def parse_quote_args(text: str, *, today: date) -> QuoteRequest:
    """`/quote UT 3`, `/quote DL 2 UM 1 2023-03-31`, `/quote USBトークン3個` — strict: nothing left over."""
    dates = find_dates(text, today=today)
    mentions = find_media(text)
    leftover = list(text)
    for span in [*((d.start, d.end) for d in dates), *((m.start, m.end) for m in mentions)]:
        for i in range(*span):
            leftover[i] = " "
    for token in "".join(leftover).split():
        if re.fullmatch(r"[+-]?\d[\d,]*", token):
            parse_int(token, what="数量")
            raise UnknownToken(
                value=token, hint="数量は媒体コードの直後に書いてください。", example="/quote UT 3"
            )
        if mentions and _follows_medium(text, token, mentions):
            raise BadNumber(value=token, what="数量", example="/quote DL 2")
        if re.fullmatch(r"[A-Za-z]{1,4}", token):
            raise UnknownMedium(code=token)
        raise UnknownToken(
            value=token,
            hint="媒体コード（DL・CD・CM・UM・UT）と数量、受付締め日を指定してください。",
            example="/quote DL 2 UM 1 2023-03-31",
        )
    return build_quote(mentions, dates, today)


def _follows_medium(text: str, token: str, mentions: list[MediaMention]) -> bool:
    at = text.find(token)
    return any(0 <= at - m.end <= 1 for m in mentions)
