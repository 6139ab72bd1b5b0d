"""Replies that are not calculations: help, unknown, errors."""

from __future__ import annotations

from calculators.errors import DomainError
from madoguchi.reply import Reply
from madoguchi.understand.interpret import USAGE

ESCALATION = "資料に記載のない内容は、担当リーダーまたは各サービスのお問い合わせ窓口（HPKIは「お問い合わせフォーム」）へエスカレーションしてください。"

HELP_LINES = (
    "媒体の見積もり（OCCTO クライアント証明書）: " + USAGE["quote"],
    "HPKI 利用料・支払期限: " + USAGE["hpki"],
    "　病床数は「300床」のように床を付けて指定してください。床の付いた数が病床数で、ほかに4桁の数があれば年度として読みます"
    "（/hpki 病院 300床 2026 は2026年度）。",
    "利用者認証サービスの料金計算:\n" + USAGE["prorate"],
    "資料の質問・条項の表示: " + USAGE["faq"],
    "日付は 2025-07-20、2025年7月20日、令和7年7月20日 のように書けます。「元年」は元号を付けて「令和元年」と書いてください。",
    "普通の文章でも質問できます。例: 「USBトークン2個とダウンロード3件の見積もり」「300床の病院の利用料は？」"
    "「2025年10月5日に申請した場合の支払期限は？」「ID数12で4月1日開始なら月額は？」",
)


def help_reply(topic: str | None = None) -> Reply:
    if topic in USAGE:
        return Reply(kind="help", title=f"/{topic} の使い方", lines=(USAGE[topic],))
    return Reply(kind="help", title="madoguchi の使い方", lines=HELP_LINES)


def error_reply(error: DomainError) -> Reply:
    lines = [error.message]
    if error.example:
        lines.append(f"正しい入力の例: {error.example}")
    return Reply(kind="error", title="入力を確認してください", lines=tuple(lines))


def internal_error_reply(error_id: str) -> Reply:
    return Reply(
        kind="error",
        title="申し訳ありません",
        lines=(
            "回答の作成中に問題が発生しました。お手数ですが、もう一度お試しください。解決しない場合はエラーIDを添えて管理者へご連絡ください。",
        ),
        error_id=error_id,
    )


def unknown_reply(suggestions: tuple[str, ...] = ()) -> Reply:
    return Reply(
        kind="unknown",
        title="資料に記載が見つかりません",
        lines=(
            "ご質問の内容は、madoguchi が参照している3つの資料（OCCTO クライアント証明書、HPKIセカンド電子証明書サービス利用料、"
            "利用者認証サービス利用規約）では確認できませんでした。",
            ESCALATION,
        ),
        suggestions=suggestions,
    )
