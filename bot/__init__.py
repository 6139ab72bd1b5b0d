"""The Slack app of madoguchi: a thin skin over ``madoguchi.router``.

Listeners parse a Slack payload, hand the text to the router and render its Reply as Block Kit;
no business rule lives here. Serving: Socket Mode (``madoguchi serve``) or HTTP on a WSGI server
(``madoguchi serve --http``).
"""
