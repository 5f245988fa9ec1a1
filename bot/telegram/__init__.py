"""The Telegram channel: ``app`` (the Application and its handler order), ``handlers``,
``render`` (replies as messages), ``limits`` (send budget, retries, flood gate)."""
