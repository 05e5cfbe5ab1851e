"""Running the pipeline at scale: all local cores (`parallel`), feeds kept current (`watch`).

Every runner stores documents through one `DocumentWriter`, so a document is stored the
same way, with the same near-duplicate links, whichever runner processed it.
"""
