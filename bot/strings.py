"""Every user-facing string that only the Slack app shows (Japanese). Replies themselves come from the router."""

from __future__ import annotations

SHARE_BUTTON = "チャンネルに共有"
SHARED_BY = "<@{user}> さんが共有しました"
SHARE_TOO_LONG = "質問が長すぎるため、チャンネルに共有できません。"
FEEDBACK_PROMPT = "この回答は役に立ちましたか？"
FEEDBACK_UP = "👍 役に立った"
FEEDBACK_DOWN = "👎 役に立たなかった"
FEEDBACK_THANKS = "フィードバックありがとうございます"
FEEDBACK_MODAL_TITLE = "フィードバック"
FEEDBACK_MODAL_SUBMIT = "送信"
FEEDBACK_MODAL_CLOSE = "閉じる"
FEEDBACK_MODAL_LABEL = "コメント（任意）"
FEEDBACK_MODAL_HINT = "どこが分かりにくかったか、何が足りなかったかをお書きください。FAQの改善に使います。"
NOT_ADMIN = "この操作は madoguchi の管理者（MADOGUCHI_ADMINS）だけが行えます。"
STATS_USAGE = "使い方: /madoguchi stats [開始日]  例: /madoguchi stats 2026-11-01"
APOLOGY = "申し訳ありません。処理中に問題が発生しました。お手数ですが、もう一度お試しください。解決しない場合はエラーID {error_id} を添えて管理者へご連絡ください。"
ERROR_ID = "エラーID: {error_id}"
SOURCES = "出典"
SUGGESTIONS = "もしかして:"
TRUNCATED = "（長いため一部を省略しました。全文は通知テキストをご覧ください。）"
NOTIFICATION_FALLBACK = "madoguchi からの回答です"

HOME_TITLE = "madoguchi（窓口）"
HOME_INTRO = (
    "お客さまからの料金・証明書のお問い合わせに、資料にもとづいてすぐ回答します。"
    "金額・日付・根拠となる規定と出典を示します。資料に記載がないことは「記載が見つかりません」とお答えします。"
)
HOME_HOW = (
    "*使い方*\n"
    "・スラッシュコマンド（下記）: 回答はあなただけに表示され、「チャンネルに共有」で共有できます。\n"
    "・チャンネルで @madoguchi にメンション、またはこのアプリにダイレクトメッセージ: スレッドで回答します。\n"
    "・普通の日本語でも質問できます。"
)
HOME_COMMANDS = "*コマンドと例*"
HOME_DOCUMENTS = "*参照している資料*"
HOME_DOCUMENT_LINE = "・{title}（{date}）"
HOME_DOCUMENT_UNDATED = "・{title}"
HOME_FOOTER = (
    "資料に記載のない内容は、担当リーダーまたは各サービスのお問い合わせ窓口へエスカレーションしてください。"
)

COMMAND_SUMMARIES = {
    "quote": "OCCTO クライアント証明書の媒体の見積もり（単価・消費税・合計）",
    "hpki": "HPKIセカンド電子証明書の年間利用料と支払期限",
    "prorate": "利用者認証サービスの月額・日割・延滞利息・障害時の減額・割増金・工事費",
    "faq": "資料にもとづくよくある質問への回答と条項の表示",
    "madoguchi": "madoguchi の使い方",
}

# The date each source document speaks from, and the passage of the document that says so
# (a test checks the passage is in the document).
DOCUMENT_DATES: dict[str, tuple[str, str]] = {
    "occto": ("2023年4月1日以降の受付締め分の価格改定", "2023年4月１日以降の受付締め分以降に適用"),
    "hpki": ("2025年1月現在のご案内", "2025年1月現在"),
    "auth": ("令和2年3月2日実施の改正まで", "この改正規定は、令和２年３月２日から実施します"),
}
