"""Domain logic. Nothing here imports Textual: the CLI, the app and the tests share it."""
