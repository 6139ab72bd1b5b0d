"""Bolt listeners, one callback per module, each with ``register(app)``."""

from __future__ import annotations

from types import ModuleType

from slack_bolt import App

from bot.listeners.actions import feedback, share
from bot.listeners.commands import faq, hpki, madoguchi, prorate, quote
from bot.listeners.events import app_home_opened, app_mention, message_im
from bot.listeners.views import feedback_comment

COMMAND_MODULES: tuple[ModuleType, ...] = (quote, hpki, prorate, faq, madoguchi)
EVENT_MODULES: tuple[ModuleType, ...] = (app_mention, message_im, app_home_opened)
ACTION_MODULES: tuple[ModuleType, ...] = (share, feedback)
VIEW_MODULES: tuple[ModuleType, ...] = (feedback_comment,)


def register_all(app: App) -> None:
    for module in (*COMMAND_MODULES, *EVENT_MODULES, *ACTION_MODULES, *VIEW_MODULES):
        module.register(app)
