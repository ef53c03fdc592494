"""Offline sync: the bundle format, a station's export, the centre's merge, receipts,
the USB stick, and the files that come back from the centre (appointments among them).
"""
