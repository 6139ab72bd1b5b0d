"""Understanding text: turns slash arguments and free Japanese into calculator inputs or a FAQ query."""
