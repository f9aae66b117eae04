"""The pure core of vaxl: money, records, checks and billing.

Nothing in this package opens a file, reads the clock or imports an I/O
library; today's date always arrives as an argument (tests/core enforce it).
"""
