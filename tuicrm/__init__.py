"""tuicrm: keyboard-first business system in a terminal."""

__version__ = "0.1.0"
