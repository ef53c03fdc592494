"""The station itself: creating it (init, demo), its identity, the working-day
calendar, the lock PIN, settings written back to the config file, backups and checks.
"""
