"""Accord: an observatory of international AI governance.

Reads news pages and keeps the record of who did what, to which instrument, when,
according to which sentence of which source.
"""

__version__ = "0.1.0"
