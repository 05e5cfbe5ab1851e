"""Accord on the web: a JSON API and server-rendered pages over a store (see accord.web.app)."""
