"""The ticket queue: issuing tickets, the order a window calls them in, a window's
calls and pauses, and the read-only pictures of the queue for the screen and the board.
"""
