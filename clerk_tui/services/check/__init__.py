"""Checking an applicant's documents against a matter (收件核对), the one-time notice
built from a check (一次性告知), and the walk-in hand-offs between a check, a ticket
and a case.
"""
