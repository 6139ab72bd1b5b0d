"""Remove personal data from a question before the inquiry log keeps it.

What goes (each replaced by a bracketed label, so a lead still sees *that* something was there):

- ``[メールアドレス]`` e-mail addresses, also written in full-width letters or with ＠;
- ``[カード番号]`` card-like digit runs: 13–19 digits, bare or in groups of 4 (or 4-6-4/5);
- ``[電話番号]`` Japanese phone numbers: 10 or 11 digits starting with 0 (landline, mobile, 050,
  0120, 0570, 0800), or +81; hyphens of any kind (‐－―ー…), spaces or parentheses between groups,
  full-width digits;
- ``[郵便番号]`` postal codes: 〒123-4567, 郵便番号1234567, and a bare 123-4567;
- ``[医療機関コード]`` 10-digit medical institution codes, and 7–10 digits after
  「医療機関コード」「機関番号」 and the like (written with separators or not);
- ``[番号]`` any other run of 12 or more digits (My Number, account and contract numbers);
- ``[氏名]`` names before an honorific (様・さま・さん・殿・氏・くん・ちゃん・先生), full names
  (a surname followed by a given name) anywhere, and what follows 「氏名」「お名前は」「名義」;
- ``[メンション]`` Slack user and channel mentions (``<@U…>``, ``<!here>``).

What stays: amounts (100000, 1,000,000円), dates (2025-03-31, 2025/3/31), ID counts, bed counts —
they are what staff ask about. Role words before an honorific stay too (お客様, 施設様, ご担当者様,
中央病院様, 薬局さん): they name no one.

Names are found with SudachiPy (proper-noun / person parts of speech, and any noun before an
honorific that is not a role word); if the tokenizer cannot be used, a pattern over kanji and
katakana runs before an honorific does the same job more bluntly. Each thread gets its own
tokenizer (a SudachiPy tokenizer must not be shared between threads).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["LABELS", "redact", "redact_value", "tokenizer"]

LABELS = {
    "email": "[メールアドレス]",
    "card": "[カード番号]",
    "phone": "[電話番号]",
    "postal": "[郵便番号]",
    "medical": "[医療機関コード]",
    "number": "[番号]",
    "name": "[氏名]",
    "mention": "[メンション]",
}

MAX_CHARS = 4000
"""Longer text is cut before redaction (a question is never this long); the cut never leaves half
a number or address behind."""

_D = r"[0-9０-９]"
_HYPHEN = "\\-‐‑‒–—―−﹣－ｰー"
_SEP = rf"(?:[ \u3000]?[{_HYPHEN}][ \u3000]?|[ \u3000])"
_NOT_DIGIT_BEFORE = r"(?<![0-9０-９])"
_NOT_DIGIT_AFTER = r"(?![0-9０-９])"
# What may follow a number that is a quantity, not an identifier.
_UNIT = r"(?![ \u3000]?(?:円|万|千|億|床|件|個|枚|本|台|名|人|年|月|日|時|分|秒|％|%|ID|ＩＤ|回|通|部|箇所|か所|カ所|ヶ所))"

_MENTION = re.compile(r"<[@!#][A-Za-z0-9^|._\-]+(?:\|[^>]*)?>")
_EMAIL_CHARS = "A-Za-z0-9._%+\\-Ａ-Ｚａ-ｚ０-９．＿％＋－"
_EMAIL = re.compile(
    rf"[{_EMAIL_CHARS}]+[ \u3000]?[@＠][ \u3000]?[A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+(?:[.．][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９－]+)+"
)
_MEDICAL_KEYWORD = re.compile(
    rf"((?:医療機関|保険医療機関|薬局|機関|施設)(?:コード|ｺｰﾄﾞ|番号|No\.?|ＮＯ)[ \u3000]*(?:は|[:：=＝])?[ \u3000]*)"
    rf"({_D}(?:{_SEP}?{_D}){{6,9}}){_NOT_DIGIT_AFTER}"
)
_CARD = re.compile(
    rf"{_NOT_DIGIT_BEFORE}(?:{_D}{{13,19}}"
    rf"|{_D}{{4}}(?:{_SEP}{_D}{{4}}){{2,3}}(?:{_SEP}{_D}{{1,3}})?"
    rf"|{_D}{{4}}{_SEP}{_D}{{6}}{_SEP}{_D}{{4,5}}){_NOT_DIGIT_AFTER}"
)
_OPEN = "(（"
_CLOSE = ")）"
_PHONE = re.compile(
    rf"(?:[+＋][ \u3000]?[8８][1１][ \u3000{_HYPHEN}]?(?:[{_OPEN}][0０][{_CLOSE}])?[{_OPEN}]?{_D}{{1,4}}[{_CLOSE}]?"
    rf"|{_NOT_DIGIT_BEFORE}(?:[{_OPEN}][0０]{_D}{{0,4}}[{_CLOSE}]|[0０]{_D}{{0,4}}))"
    rf"{_SEP}?(?:{_D}{{1,4}}[{_CLOSE}]|[{_OPEN}]{_D}{{1,4}}[{_CLOSE}]|{_D}{{1,4}})"  # 03(1234)5678
    rf"{_SEP}?{_D}{{3,4}}{_NOT_DIGIT_AFTER}"
)
_POSTAL_KEYWORD = re.compile(
    rf"(〒|郵便番号[ \u3000]*(?:は|[:：])?)[ \u3000]*{_D}{{3}}(?:[{_HYPHEN}]?{_D}{{4}})?{_NOT_DIGIT_AFTER}"
)
_POSTAL_BARE = re.compile(
    rf"(?<![0-9０-９{_HYPHEN}.．,，/／]){_D}{{3}}[{_HYPHEN}]{_D}{{4}}(?![0-9０-９{_HYPHEN}/／]){_UNIT}"
)
_MEDICAL_BARE = re.compile(
    rf"{_NOT_DIGIT_BEFORE}(?<![.．,，]){_D}{{10}}{_NOT_DIGIT_AFTER}(?![.．,，]{_D}){_UNIT}"
)
_LONG_NUMBER = re.compile(rf"{_NOT_DIGIT_BEFORE}{_D}{{12,}}{_NOT_DIGIT_AFTER}{_UNIT}")

# --- names ------------------------------------------------------------------------------------

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HONORIFIC_TEXT = "様 さま サマ さん サン 殿 どの 氏 くん 君 ちゃん 先生 センセイ"
_HONORIFICS = frozenset(_HONORIFIC_TEXT.split())
_ROLE_TEXT = (
    "客 お客 顧客 皆 皆さん 各位 方 方々 お方 施設 病院 医院 薬局 診療所 歯科 クリニック "
    "担当 担当者 事務 受付 窓口 営業 業者 会計 経理 総務 先方 本人 ご本人 家族 ご家族 "
    "利用者 契約者 申込者 申請者 相手 相手方 会員 医師 先生 薬剤師 看護師 院長 事務長 "
    "会社 御社 貴社 弊社 当社 同社 貴院 当院 機関 団体 法人 組合 協会 役所 自治体 大家 "
    "管理人 お隣 子 お子 奥 ご主人 主人 旦那 娘 息子 父 母 兄 姉 弟 妹 爺 婆 同 "
    "多 模 仕 一 異 有 文 紋 今 左 上 殿 神 仏 王 お客さま ユーザー ユーザ メーカー "
    "ベンダー クライアント パートナー ドクター スタッフ オーナー ゲスト メンバー サポート "
    "センター ショップ ストア ファーマシー グループ チーム デスク サービス ご利用 利用 各 "
    "貴 御 全員 みなさん みな みんな 誰 どなた そちら こちら あちら"
)
_ROLE_WORDS = frozenset(_ROLE_TEXT.split())
_ROLE_SUFFIXES = tuple("者員長師士院局所社店館科部課係室班会庁省署体人家医官団協組")
_NAME_LABEL = re.compile(
    rf"((?:氏名|お名前|名前|名義|契約者名|担当者名|申込者名|申請者名|患者名|フリガナ|ふりがな)"
    r"[ \u3000]*(?:は|[:：=＝])[ \u3000]*)"
    rf"((?:[{_KANJI}々〆ヵヶ]+|[ァ-ヴー]+)(?:[ \u3000・](?:[{_KANJI}々〆ヵヶ]+|[ァ-ヴー]+))?)"
)
_FALLBACK_NAME = re.compile(
    rf"(?<![{_KANJI}々〆ヵヶァ-ヴー])((?:[{_KANJI}々〆ヵヶ]{{1,6}}|[ァ-ヴー]{{2,12}})(?:[ \u3000・](?:[{_KANJI}々〆ヵヶ]{{1,6}}|[ァ-ヴー]{{2,12}}))?)"
    r"[ \u3000]?(?=(?:様|さま|さん|殿|氏|くん|ちゃん|先生)(?![式子相々態堂名族]))"
)
_HAS_NAME_HINT = re.compile(rf"[{_KANJI}ァ-ヴ]")

_local = threading.local()


def tokenizer(mode: str = "C") -> Any:
    """A SudachiPy tokenizer of this thread (``C``: 山田太郎 → 山田 / 太郎, 中央病院 as one word;
    ``A``: the shortest units). Never share one between threads: SudachiPy refuses concurrent use."""
    cache: dict[str, Any] = _local.__dict__.setdefault("tokenizers", {})
    found = cache.get(mode)
    if found is None:
        from sudachipy import SplitMode

        dictionary = _dictionary()
        make = getattr(dictionary, "tokenizer", None) or dictionary.create
        found = cache[mode] = make(getattr(SplitMode, mode))
    return found


_dictionary_lock = threading.Lock()
_dictionary_cache: list[Any] = []


def _dictionary() -> Any:
    with _dictionary_lock:
        if not _dictionary_cache:
            from sudachipy import Dictionary

            _dictionary_cache.append(Dictionary(dict="core"))
        return _dictionary_cache[0]


def _is_role(surface: str) -> bool:
    word = surface.removeprefix("お").removeprefix("ご").removeprefix("御") or surface
    return surface in _ROLE_WORDS or word in _ROLE_WORDS or surface.endswith(_ROLE_SUFFIXES)


def _is_person(morpheme: Any) -> bool:
    pos = morpheme.part_of_speech()
    return pos[0] == "名詞" and pos[1] == "固有名詞" and pos[2] == "人名"


def _is_nameish(morpheme: Any) -> bool:
    """A token that may be (part of) a name: a noun that is not a plain number, or an unknown word."""
    pos = morpheme.part_of_speech()
    surface = morpheme.surface()
    if "[" in surface or "]" in surface:
        return False
    if pos[1] == "数詞" and any(ch.isdigit() for ch in surface):
        return False
    return pos[0] == "名詞" or morpheme.is_oov()


def _is_blank(morpheme: Any) -> bool:
    return morpheme.part_of_speech()[0] == "空白" or morpheme.surface() == "・"


def _honorific(morpheme: Any) -> bool:
    surface = morpheme.surface()
    if surface not in _HONORIFICS:
        return False
    return surface in {"先生", "センセイ"} or morpheme.part_of_speech()[0] == "接尾辞"


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of names, found with SudachiPy."""
    tokens = list(tokenizer().tokenize(text))
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if _honorific(token):
            last = index - 1
            if last >= 0 and _is_blank(tokens[last]):
                last -= 1
            if last < 0 or not _is_nameish(tokens[last]):
                continue
            if _is_role(tokens[last].surface()) and not _is_person(tokens[last]):
                continue
            first = last
            while first > 0 and last - first < 4:
                before = tokens[first - 1]
                if _is_person(before) or (before.is_oov() and _is_nameish(before)):
                    first -= 1
                elif _is_blank(before) and first >= 2 and _is_person(tokens[first - 2]):
                    first -= 2
                else:
                    break
            spans.append((tokens[first].begin(), tokens[last].end()))
        elif _is_person(token) and token.part_of_speech()[3] == "名":
            # A full name anywhere: surname (+ blank) + given name.
            before = index - 1
            if before >= 0 and _is_blank(tokens[before]):
                before -= 1
            if before >= 0 and _is_person(tokens[before]) and tokens[before].part_of_speech()[3] == "姓":
                spans.append((tokens[before].begin(), token.end()))
    return spans


def _fallback_name_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _FALLBACK_NAME.finditer(text):
        words = re.split(r"[ \u3000・]", match.group(1))
        if not _is_role(words[-1]):
            spans.append(match.span(1))
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]], label: str) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + label + text[end:]
    return text


def _redact_names(text: str) -> str:
    def labelled(match: re.Match[str]) -> str:
        words = re.split(r"[ \u3000・]", match.group(2))
        return match.group(1) + (match.group(2) if _is_role(words[-1]) else LABELS["name"])

    text = _NAME_LABEL.sub(labelled, text)
    if not _HAS_NAME_HINT.search(text):
        return text
    try:
        spans = _name_spans(text)
    except Exception:  # no dictionary, or a tokenizer error: the blunt pattern still runs
        spans = _fallback_name_spans(text)
    return _replace_spans(text, spans, LABELS["name"])


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _phone(match: re.Match[str]) -> str:
    number = match.group(0)
    count = _digits(number)
    international = number.lstrip(" \u3000").startswith(("+", "＋"))
    ok = 11 <= count <= 13 if international else count in (10, 11)
    return LABELS["phone"] if ok else number


def _cut(text: str) -> str:
    """Cut overlong text so that no half of a number, address or word is left at the end."""
    if len(text) <= MAX_CHARS:
        return text
    return re.sub(rf"[{_EMAIL_CHARS}@＠ \u3000{_HYPHEN}()（）]+$", "", text[:MAX_CHARS]) + "…"


_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_MENTION, lambda m: LABELS["mention"]),
    (_EMAIL, lambda m: LABELS["email"]),
    (_MEDICAL_KEYWORD, lambda m: m.group(1) + LABELS["medical"]),
    (_CARD, lambda m: LABELS["card"] if 13 <= _digits(m.group(0)) <= 19 else m.group(0)),
    (_PHONE, _phone),
    (_POSTAL_KEYWORD, lambda m: m.group(1) + LABELS["postal"]),
    (_POSTAL_BARE, lambda m: LABELS["postal"]),
    (_MEDICAL_BARE, lambda m: LABELS["medical"]),
    (_LONG_NUMBER, lambda m: LABELS["number"]),
)


def redact(text: str) -> str:
    """``text`` with personal data replaced by labels (see the module docstring). Never raises."""
    text = _cut(text)
    for pattern, replace in _STEPS:
        text = pattern.sub(replace, text)
    return _redact_names(text)


def redact_value(value: Any) -> Any:
    """Redact every string inside a JSON-like value (calculator inputs); other values stay as they are."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {str(k): redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value
