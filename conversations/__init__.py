"""Channel-agnostic dialog flows: (state, event) -> (state, replies, effects); no Telegram, no SQLite."""
