"""Channel-agnostic dialog flows: (state, event) -> (state, replies, effects).

No Telegram, no SQLite: the shell in bot/ does all I/O.
"""
