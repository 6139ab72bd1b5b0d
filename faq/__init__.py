"""The curated FAQ: entries built from the three documents, a Japanese-aware index, search."""
