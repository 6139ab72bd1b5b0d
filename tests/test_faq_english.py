"""English, typed whole or mixed into Japanese: covered topics get the document's answer (in
Japanese), everything else ``unknown`` — never a wrong answer (issue 3)."""

from __future__ import annotations

from datetime import date

import pytest

from faq.text import canonical_text, terms
from madoguchi.router import answer

TODAY = date(2026, 11, 22)


def test_a_variant_in_latin_letters_matches_whole_words_only() -> None:
    assert "ダウンロード" not in canonical_text("HPKI payment deadline")  # not the dl of deadline
    assert "usbトークン" not in canonical_text("but output")
    assert "ダウンロード" in canonical_text("DLの価格") and "usbトークン" in canonical_text("UT3個")


def test_english_function_words_are_not_search_terms() -> None:
    assert set(terms("What is the fee for a clinic?")) == set(terms("診療所の料金"))


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What does the download certificate cost?", "5,000円"),
        ("How much is a CD-R certificate?", "5,100円"),
        ("What was the old USB token price?", "9,600円"),
        ("What is the current USB token price?", "10,500円"),
        ("How long is a client certificate valid?", "2年"),
        ("What is the HPKI fee for a pharmacy?", "1万円"),
        ("Can I pay by credit card for HPKI?", "手数料は発生いたしません"),
        ("What is the late payment interest rate?", "14.5"),
        ("IDのproration", "利用者識別符号"),
    ],
)
def test_an_english_question_on_a_covered_topic_gets_the_documents_answer(question: str, figure: str) -> None:
    reply = answer(question, today=TODAY)
    assert reply.kind == "faq" and figure in reply.text and reply.sources


@pytest.mark.parametrize(
    "question",
    [
        "What is the shipping cost for a CD-R?",
        "Do you sell SSL certificates?",
        "What are your office hours?",
        "Who won the baseball game yesterday?",
        "Hello, how are you?",
        "How much per ID above 10 IDs?",  # the add-on rule, not the monthly fee of 10 IDs
    ],
)
def test_an_english_question_off_the_documents_is_not_answered_wrongly(question: str) -> None:
    reply = answer(question, today=TODAY)
    assert reply.kind == "unknown", reply.text
