"""Media names match across a space (ASCII or full-width), so a spaced synonym is one medium."""

from datetime import date

import pytest

from madoguchi.router import answer
from madoguchi.understand import requests as rq
from madoguchi.understand.interpret import interpret

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text",
    [
        "CD-R まとめ書込み 5枚",
        "CD-R　まとめ書込み　5枚",
        "/quote CD-R まとめ書込み 5",
        "/quote CD-R 一括 5",
        "CD-R 一括 5件",
        "/quote CD-Rまとめ書込み 5",
        "/quote CD まとめ 5",
        "/quote CM 5",
    ],
)
def test_spaced_bulk_write_is_one_medium(text: str) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest), request
    assert request.lines == (("CM", 5),)


def test_spaced_bulk_write_is_priced_with_the_discount() -> None:
    reply = answer("CD-R まとめ書込み 5枚", today=TODAY)
    assert reply.kind == "quote" and "24,500円" in reply.text and "5,100円 × 1枚" not in reply.text


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("/quote CD-R 5", (("CD", 5),)),
        ("/quote CD 5 DL 2", (("CD", 5), ("DL", 2))),
        ("/quote USB トークン 2", (("UT", 2),)),
        ("/quote USB メモリ 2", (("UM", 2),)),
        ("/quote CD-R 2 まとめ書込み 5", (("CD", 2), ("CM", 5))),
    ],
)
def test_other_media_are_unchanged(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("CD-Rのまとめ書込みで12証明書を申し込みたい", (("CM", 12),)),
        ("お客様が4証明書をCD1枚にまとめて書込みしたいそうです", (("CM", 4),)),
        ("CDで一括書込み 6証明書", (("CM", 6),)),
        ("CD-R 3枚とまとめ書込み 5証明書", (("CD", 3), ("CM", 5))),
        ("CD-R 3枚", (("CD", 3),)),
    ],
)
def test_cd_r_named_before_bulk_writing_is_bulk_writing(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines


def test_a_quote_says_when_the_bulk_discount_does_not_apply() -> None:
    four = answer("/quote CM 4", today=TODAY).text
    assert "割引は適用されません" in four and "あと1証明書" in four
    assert "割引は適用されません" not in answer("/quote CM 5", today=TODAY).text
    five_cds = answer("/quote CD 5", today=TODAY).text
    assert "1枚に1証明書のため、5証明書以上の割引は適用されません" in five_cds


def test_a_code_in_brackets_after_the_name_is_the_same_medium() -> None:
    request = interpret("CD-Rまとめ書込み(CM)で6証明書と、USBトークン2個", today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == (("CM", 6), ("UT", 2))


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("ダウンロード3本とCD-R（1枚に1証明書）2枚の合計", (("DL", 3), ("CD", 2))),
        ("USBトークン(ePass2003)を2個", (("UT", 2),)),
    ],
)
def test_a_description_in_brackets_before_the_quantity_keeps_the_quantity(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("1枚のCD-Rに証明書を4つまとめて入れた場合の金額", (("CM", 4),)),
        ("CD-R1枚に5証明書まとめてお願いしたい", (("CM", 5),)),
        ("CD-R1枚にクライアント証明書7件を一括で", (("CM", 7),)),
    ],
)
def test_certificates_written_together_onto_the_cd_named_are_bulk_writing(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("CD-Rまとめ書込みで証明書7つ、見積もりいくらになる？", (("CM", 7),)),
        ("DLで証明書3件", (("DL", 3),)),
        ("CD-Rで証明書は2つ", (("CD", 2),)),
        ("USBトークンを3個", (("UT", 3),)),
    ],
)
def test_certificates_named_before_the_quantity_keep_the_quantity(text: str, lines: tuple) -> None:
    request = interpret(text, today=TODAY)
    assert isinstance(request, rq.QuoteRequest) and request.lines == lines
