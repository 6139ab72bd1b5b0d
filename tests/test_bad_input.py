"""Bad input gets a clear Japanese message saying what was wrong, with a correct example; never a traceback."""

from __future__ import annotations

from datetime import date

import pytest

from madoguchi.router import answer

CASES = [
    ("/quote XX 3", "媒体コード"),
    ("/quote DL 0", "数量"),
    ("/quote DL -2", "数量"),
    ("/quote DL abc", "数量"),
    ("/quote DL 1000000", "数量"),
    ("/quote DL 1 2025-02-30", "28日まで"),
    ("/quote DL 1 2025-13-01", "13月"),
    ("/hpki 病院 abc床", "病床数"),
    ("/hpki 病院 -5床", "病床数"),
    ("/hpki 病院", "病床数"),
    ("/hpki 期限 2025-02-30", "28日まで"),
    ("/prorate ids=0", "ID"),
    ("/prorate ids=abc", "ID数"),
    ("/prorate ids=10 start=2025-09-16 end=2025-09-01", "期間"),
    ("/prorate late amount=100000 due=2025-04-30 paid=2025-04-01", "支払期日"),
    ("/prorate late amount=-5 due=2025-03-31 paid=2025-04-30", "金額"),
    ("/prorate outage ids=10 hours=-3 month=2025-06", "時間"),
    ("/prorate foo=1", "foo"),
    ("/quote", "使い方"),
    ("/hpki", "使い方"),
    ("/prorate", "使い方"),
]


@pytest.mark.parametrize(("text", "says"), CASES)
def test_bad_input_explains_itself(text: str, says: str) -> None:
    reply = answer(text, today=date(2026, 11, 22))
    assert reply.kind == "error", reply.text
    assert reply.error_id is None, "a bad input is not an internal error"
    assert says in reply.text
    assert "例" in reply.text, "a correct example is shown"
    assert "Traceback" not in reply.text
