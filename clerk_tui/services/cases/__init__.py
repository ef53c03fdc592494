"""Cases (办件): recording one, changing it afterwards, the form's data, finding and
reading cases, returning applicants, and 好差评 ratings with their follow-ups.
"""
