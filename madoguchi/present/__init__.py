"""Presenters: turn calculator results into Replies. User-facing reply wording lives here."""
