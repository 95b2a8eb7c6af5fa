"""``kg draft``: propose cited seed records from an article, for a curator to review.

Rules-based and offline: names from the registry of known names, regexes for money, dates and
quantities, word lists from ``rules.yaml``. See docs/draft.md.
"""
