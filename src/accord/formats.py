"""Accord's records in the JSONL format of FORMAT.md (shared/eval), one object per document."""

from __future__ import annotations

from typing import Any

from accord.records import CleanDocument, Event, Extraction


def event_record(event: Event) -> dict[str, Any]:
    """One event as FORMAT.md writes it, plus the span, confidence and rule Accord keeps."""
    record: dict[str, Any] = {
        "actor": event.actor,
        "action": event.action,
        "target": event.target.names,
        "date": event.date,
        "evidence": event.evidence,
        "start": event.start,
        "end": event.end,
        "confidence": round(event.confidence, 3),
        "rule": event.rule,
    }
    if event.amount:
        record["amount"] = event.amount
    return record


def document_record(clean: CleanDocument, extraction: Extraction) -> dict[str, Any]:
    """The FORMAT.md record of one document: its fields, countries and events."""
    return {
        "doc": clean.doc,
        "relevant": clean.relevant,
        "published": clean.published,
        "title": clean.title,
        "countries": list(extraction.countries),
        "events": [event_record(e) for e in extraction.events],
    }
