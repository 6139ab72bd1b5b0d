"""Plain-text rendering of a Reply: the console, `madoguchi ask` and Slack's `text` fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.reply import Reply


def render_text(reply: Reply) -> str:
    parts: list[str] = [f"【{reply.title}】"]
    parts.extend(f"{f.label}: {f.value}" for f in reply.figures)
    parts.extend(reply.lines)
    parts.extend(f"※ {note}" for note in reply.notes)
    if reply.suggestions:
        parts.append("もしかして:")
        parts.extend(f"・{s}" for s in reply.suggestions)
    if reply.sources:
        parts.append("出典: " + " / ".join(s.label for s in reply.sources))
    if reply.error_id:
        parts.append(f"エラーID: {reply.error_id}")
    return "\n".join(parts)
