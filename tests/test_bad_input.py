"""Bad input gets a clear Japanese message saying what was wrong, with a correct example of the same
command (and, for /prorate, the same mode) that itself answers; never a traceback."""

from __future__ import annotations

import re
from datetime import date

import pytest

from madoguchi.router import answer
from madoguchi.understand.examples import Key, example_key

TODAY = date(2026, 11, 22)
EXAMPLE = re.compile(r"^正しい入力の例: (?P<example>.+)$", re.MULTILINE)

SLASH_CASES = [
    ("/quote XX 3", "媒体コード"),
    ("/quote DL 0", "数量"),
    ("/quote DL -2", "数量"),
    ("/quote DL abc", "数量"),
    ("/quote DL 1000000", "数量"),
    ("/quote UT 1万", "「10000」"),
    ("/quote DL 1 2025-02-30", "28日まで"),
    ("/quote DL 1 2025-13-01", "13月"),
    ("/quote UT 3 元年5月1日", "元号"),
    ("/quote CM 5 2017-09-30", "提供されていません"),
    ("/hpki 病院 abc床", "病床数"),
    ("/hpki 病院 -5床", "病床数"),
    ("/hpki 病院 1万床", "「10000」"),
    ("/hpki 病院", "病床数"),
    ("/hpki 病院 500床 10", "「10」"),
    ("/hpki 継続 abc", "年度"),
    ("/hpki 継続 2024", "無償"),
    ("/hpki 期限 2025-02-30", "28日まで"),
    ("/prorate ids=0", "ID"),
    ("/prorate ids=abc", "ID数"),
    ("/prorate ids=10 start=2025-02-30", "28日まで"),
    ("/prorate ids=10 start=2025-09-16 end=2025-09-01", "期間"),
    ("/prorate ids=10 start=2019-01-01", "資料にありません"),
    ("/prorate ids=10->abc on=2025-08-11", "ID"),
    ("/prorate ids=10->20", "変更日"),
    ("/prorate late amount=100000 due=2025-04-30 paid=2025-04-01", "支払期日"),
    ("/prorate late amount=-5 due=2025-03-31 paid=2025-04-30", "金額"),
    ("/prorate late amount=abc due=2025-03-31 paid=2025-04-30", "金額"),
    ("/prorate late amount=100000 due=2025-02-30 paid=2025-04-30", "28日まで"),
    ("/prorate late amount=100000 paid=2025-04-30", "支払期日"),
    ("/prorate outage ids=10 hours=-3 month=2025-06", "時間"),
    ("/prorate outage ids=10 hours=abc month=2025-06", "時間"),
    ("/prorate outage ids=10 hours=53 month=2025-13", "13月"),
    ("/prorate surcharge amount=abc", "金額"),
    ("/prorate install works=abc", "工事数"),
    ("/prorate install", "工事数"),
    ("/prorate foo=1", "foo"),
    ("/quote", "使い方"),
    ("/hpki", "使い方"),
    ("/prorate", "使い方"),
]
FREE_CASES: list[tuple[str, Key, str]] = [
    ("マイナス5床の病院", ("hpki", None), "病床数"),
    ("病床数1万の病院", ("hpki", None), "「10000」"),
    ("2024年度の診療所の利用料は？", ("hpki", None), "無償"),
    ("2025年2月30日に申請した場合の支払期限は？", ("hpki", "期限"), "28日まで"),
    ("USBトークン1万個の見積もり", ("quote", None), "「10000」"),
    ("USBトークン3個を2025年2月30日受付で見積もって", ("quote", None), "28日まで"),
    ("ID数100万で月額は？", ("prorate", None), "「1000000」"),
    ("ID数12で2025年2月30日開始なら月額は？", ("prorate", None), "28日まで"),
    (
        "支払期日が2025年4月30日の100000円を2025年4月1日に支払った場合の延滞利息は？",
        ("prorate", "late"),
        "支払期日",
    ),
    (
        "支払期日が2025年2月30日の100000円を2025年4月1日に支払った場合の延滞利息は？",
        ("prorate", "late"),
        "28日まで",
    ),
    ("ID10個で2025年13月に53時間障害で使えなかった場合の減額は？", ("prorate", "outage"), "13月"),
]
CASES = [(text, example_key(text), says) for text, says in SLASH_CASES] + FREE_CASES


@pytest.mark.parametrize(("text", "command", "says"), CASES)
def test_bad_input_explains_itself_with_an_example_of_the_same_command(
    text: str, command: Key, says: str
) -> None:
    reply = answer(text, today=TODAY)
    assert reply.kind == "error", reply.text
    assert reply.error_id is None, "a bad input is not an internal error"
    assert says in reply.text
    assert "Traceback" not in reply.text
    shown = EXAMPLE.search(reply.text)
    assert shown, f"no example shown: {reply.text}"
    example = shown.group("example")
    assert example_key(example) == command, f"{text!r} shows an example of another command: {example}"
    works = answer(example, today=TODAY)
    assert works.kind not in {"error", "unknown"}, f"the example {example!r} does not answer: {works.text}"


def test_too_long_shows_an_example_of_the_command_typed() -> None:
    reply = answer("/prorate late " + "x" * 4000, today=TODAY)
    assert reply.kind == "error" and "4000" in reply.text
    shown = EXAMPLE.search(reply.text)
    assert shown and example_key(shown.group("example")) == ("prorate", "late")


@pytest.mark.parametrize(
    ("example", "key"),
    [
        ("/quote UT 3", ("quote", None)),
        ("/hpki 病院 399床", ("hpki", None)),
        ("/hpki 継続 2026", ("hpki", None)),
        ("/hpki 期限 2026-01-20", ("hpki", "期限")),
        ("/prorate ids=15 start=2025-07-20", ("prorate", None)),
        ("/prorate ids=10->20 on=2025-08-11", ("prorate", "change")),
        ("/prorate late amount=100000 due=2025-03-31 paid=2025-04-30", ("prorate", "late")),
        ("/prorate amount=100000 late", ("prorate", "late")),
        ("300床の病院の利用料は？", (None, None)),
    ],
)
def test_example_key(example: str, key: Key) -> None:
    assert example_key(example) == key
