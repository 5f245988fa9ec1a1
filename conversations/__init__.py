"""Channel-agnostic dialog flows: (state, event) -> (new state, replies, effects). No Telegram, no SQLite."""
