"""Redaction of the inquiry log: realistic inquiries in each category, and what must survive."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.logbook import redact as redact_module
from madoguchi.logbook.redact import LABELS, redact, redact_value

PHONE, EMAIL, MEDICAL, POSTAL, CARD, NAME, NUMBER = (
    LABELS[k] for k in ("phone", "email", "medical", "postal", "card", "name", "number")
)

# (inquiry as a staff member would type it, what must be gone, label that must appear)
REALISTIC = [
    # phone numbers: landline, mobile, free dial, full-width, long-vowel mark as hyphen, +81, brackets
    ("お客様から03-1234-5678に折り返し希望とのこと。HPKIの利用料の件です", ["03-1234-5678"], PHONE),
    ("携帯 090-1234-5678 の方から、病院の利用料はいくらかと問い合わせ", ["090-1234-5678"], PHONE),
    (
        "連絡先は０９０－８７６５－４３２１です。支払期限を知りたいそうです",
        ["０９０－８７６５－４３２１"],
        PHONE,
    ),
    ("０６ー６１２３ー４５６７（大阪の薬局）から請求書の再発行依頼", ["０６ー６１２３ー４５６７"], PHONE),
    ("フリーダイヤル0120-123-456にかけたが繋がらないと言われた", ["0120-123-456"], PHONE),
    ("(03)3123-4567 の医院、USBトークンを2個追加したい", ["(03)3123-4567"], PHONE),
    ("TEL:03(3123)4567 の医院、トークンの再利用はできますか", ["3123", "4567"], PHONE),
    ("電話：０４５（６７８）９０１２、横浜の診療所から延滞利息の問い合わせ", ["６７８", "９０１２"], PHONE),
    ("電話番号 09012345678、ID数を10から20に変えたい", ["09012345678"], PHONE),
    ("海外から +81-90-1234-5678 で問い合わせ。延滞利息について", ["+81-90-1234-5678", "1234-5678"], PHONE),
    ("050 3456 7890 からの電話で、証明書の有効期限を聞かれた", ["050 3456 7890"], PHONE),
    # e-mail addresses
    (
        "taro.yamada@example-clinic.jp 宛に領収書を送ってほしいとのこと",
        ["taro.yamada", "example-clinic"],
        EMAIL,
    ),
    (
        "メールアドレスｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐに請求書が届かない",
        ["ｈａｎａｋｏ", "ｅｘａｍｐｌｅ"],
        EMAIL,
    ),
    (
        "<mailto:info@sakura-yakkyoku.co.jp|info@sakura-yakkyoku.co.jp> から支払方法の質問",
        ["sakura-yakkyoku"],
        EMAIL,
    ),
    # medical institution codes
    ("医療機関コード1312345678の病院、400床以上の利用料はいくら？", ["1312345678"], MEDICAL),
    ("医療機関コード：27 1 2345 678 の薬局で、利用料の請求書が届いていない", ["2345 678"], MEDICAL),
    ("機関コードは0112345678です。継続の支払期限を教えてください", ["0112345678"], MEDICAL),
    ("4712345678 の診療所から、電子署名サービスはいつから有料か", ["4712345678"], MEDICAL),
    # postal codes
    ("〒100-0001 東京都千代田区の病院宛に請求書を再送したい", ["100-0001"], POSTAL),
    ("郵便番号は5300001、送付先を変更したいとのこと", ["5300001"], POSTAL),
    ("送付先 〒５３０－０００１ 大阪市北区 の薬局", ["５３０－０００１"], POSTAL),
    ("住所が 060-0806 札幌市北区 に変わったので請求書の宛先変更", ["060-0806"], POSTAL),
    # card-like digit runs
    ("クレジットカード 4111 1111 1111 1111 で支払えるか聞かれた", ["4111 1111 1111 1111", "1111"], CARD),
    ("カード番号4111-1111-1111-1111の有効期限切れで決済できない", ["4111-1111-1111-1111"], CARD),
    ("アメックス 3782 822463 10005 は使えますか", ["822463"], CARD),
    ("5500000000000004で払ったら二重引き落としになった", ["5500000000000004"], CARD),
    # names before honorifics (person POS, unknown names, katakana, with a space)
    ("山田太郎様から、USBトークンの再利用はできるかとの問い合わせ", ["山田", "太郎"], NAME),
    ("さくら薬局の鈴木　花子様、利用料の支払期限はいつか", ["鈴木", "花子"], NAME),
    ("ヤマダタロウ様の施設でID数を15に増やしたい", ["ヤマダタロウ"], NAME),
    ("佐々木さんから電話、延滞利息の計算方法を知りたいそうです", ["佐々木"], NAME),
    ("事務長の小鳥遊殿より、請求書の宛名変更の依頼", ["小鳥遊"], NAME),
    ("森様（院長）から、400床未満の病院の利用料について", ["森"], NAME),
    ("ジョンソン様からの問い合わせ、CD-Rの一括書き込みの割引", ["ジョンソン"], NAME),
    ("田中 一郎 様の件、HPKIカードの再発行", ["田中", "一郎"], NAME),
    ("契約者名は高橋健一です。名義変更の手続きを知りたい", ["高橋", "健一"], NAME),
    ("山田先生から、電子処方箋の署名サービスの料金を聞かれた", ["山田"], NAME),
    # other long identifiers
    ("マイナンバー123456789012を伝えられたが、手続きに必要か", ["123456789012"], NUMBER),
]


@pytest.mark.parametrize(
    ("text", "gone", "label"), REALISTIC, ids=[r[2] + str(i) for i, r in enumerate(REALISTIC)]
)
def test_realistic_inquiries_are_redacted(text: str, gone: list[str], label: str) -> None:
    out = redact(text)
    assert label in out
    for secret in gone:
        assert secret not in out, out
    # the question itself survives: the words after the personal data are still there
    assert out[-4:] == text[-4:] or text[-4:] in out


KEEP = [
    "/prorate late amount=100000 due=2025-03-31 paid=2025-04-30",
    "延滞利息 100000円 期日2025-03-31 支払2025-04-30",
    "/prorate ids=10->20 on=2025-08-11",
    "/prorate outage ids=10 hours=53 month=2025-06",
    "/quote DL 2 UM 1 2023-03-31",
    "/hpki 病院 399床",
    "1,000,000円 と 10000000円 の差額、2025/3/31 と 令和7年3月31日",
    "2025年10月5日に申請した場合の支払期限は？",
    "期間 2025-04-01 2026-03-31 の利用料",
    "200-399床の病院と 100-1000円",
    "ご利用の施設様、お客様、ご担当者様、中央病院様、薬局さん、皆様へ同様の案内、仕様と様式",
    "USBトークン2個とダウンロード3件の見積もり",
    "ID数12で4月1日開始なら月額は？",
    "HPKIセカンド電子証明書の利用料は20000円（税込22000円）ですか",
    "名義 変更 手続き",
    "氏名変更の届け出は必要ですか",
]


@pytest.mark.parametrize("text", KEEP)
def test_amounts_dates_and_role_words_stay(text: str) -> None:
    assert redact(text) == text


@settings(max_examples=150, deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=999_999_999),
    day=st.dates(min_value=date(1989, 1, 8), max_value=date(2099, 12, 31)),
    unit=st.sampled_from(["円", "", " 円", "床", "件"]),
)
def test_amounts_and_dates_are_never_redacted(amount: int, day: date, unit: str) -> None:
    for text in (
        f"{amount}{unit}",
        f"{amount:,}円",
        f"{day.isoformat()}",
        f"{day:%Y/%m/%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"/prorate late amount={amount} due={day.isoformat()} paid={day.isoformat()}",
    ):
        assert redact(text) == text


@settings(max_examples=100, deadline=None)
@given(
    area=st.sampled_from(["03", "06", "011", "0120", "090", "080", "070", "050", "0466"]),
    sep=st.sampled_from(["-", "－", "ー", "‐", " ", ""]),
    digits=st.integers(min_value=0, max_value=10**8 - 1),
    width=st.sampled_from(["half", "full"]),
)
def test_phone_numbers_in_any_spelling(area: str, sep: str, digits: int, width: str) -> None:
    rest = f"{digits:08d}"[: 10 - len(area)] if area not in {"090", "080", "070", "050"} else f"{digits:08d}"
    middle = len(rest) - 4
    number = f"{area}{sep}{rest[:middle]}{sep}{rest[middle:]}"
    if width == "full":
        number = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    out = redact(f"電話{number}から利用料の問い合わせ")
    assert out == f"電話{PHONE}から利用料の問い合わせ"


def test_names_fall_back_to_a_pattern_without_the_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(mode: str = "C") -> object:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr(redact_module, "tokenizer", broken)
    out = redact("山田 太郎様と森様から。お客様と施設様は同様に、様式どおり")
    assert out == f"{NAME}様と{NAME}様から。お客様と施設様は同様に、様式どおり"


def test_overlong_text_is_cut_without_leaving_half_a_number() -> None:
    text = "あ" * (redact_module.MAX_CHARS - 6) + "090-1234-5678 の件"
    out = redact(text)
    assert "090" not in out and "1234" not in out
    assert len(out) <= redact_module.MAX_CHARS + 1


def test_calculator_inputs_are_redacted_but_figures_kept() -> None:
    inputs = {"amount": 100000, "due": "2025-03-31", "note": "山田様 03-1234-5678", "lines": [["UT", 3]]}
    assert redact_value(inputs) == {
        "amount": 100000,
        "due": "2025-03-31",
        "note": f"{NAME}様 {PHONE}",
        "lines": [["UT", 3]],
    }


def test_slack_mentions_are_hidden() -> None:
    assert (
        redact("<@U012ABCDEF> さん、<!channel> 請求書の件")
        == f"{LABELS['mention']} さん、{LABELS['mention']} 請求書の件"
    )
