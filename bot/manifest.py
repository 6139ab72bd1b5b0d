"""What ``manifest.yml`` must say about the slash commands, derived from the router's usage text."""

from __future__ import annotations

import re

from bot import strings


def usage_hint(command: str) -> str:
    """The composer hint for ``/command``: the router's usage without the examples and the command name.
    e.g. ``/quote`` → ``媒体コード 数量 [媒体コード 数量 …] [受付締め日]``."""
    from madoguchi.understand.interpret import USAGE

    forms = []
    for line in USAGE[command].splitlines():
        form = re.split(r"\s+例[:：]", line, maxsplit=1)[0]
        forms.append(" ".join(re.sub(rf"/{command}\s*", "", form).split()))
    return " | ".join(f for f in forms if f)


def description(command: str) -> str:
    return strings.COMMAND_SUMMARIES[command]
