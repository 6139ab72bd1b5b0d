"""Local stand-ins for Slack, on loopback only: the Web API, a Socket Mode WebSocket server, and
a request signer that signs exactly as Slack does."""

from slack_fakes.signing import sign, signed_headers
from slack_fakes.web_api import Call, FakeSlackApi

__all__ = ["Call", "FakeSlackApi", "sign", "signed_headers"]
