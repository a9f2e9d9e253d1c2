"""The terminal the app runs in: a link that drops, keys that old terminals send, colour that
may be absent. Textual-aware, database-free."""
