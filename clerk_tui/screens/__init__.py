"""Screens, one per module. `HELP_SECTIONS` orders them for the help screen and palette."""
