"""View submissions (modals)."""
