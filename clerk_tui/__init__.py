"""clerk-tui: the window clerk's terminal for government service halls."""

__version__ = "0.1.0"
