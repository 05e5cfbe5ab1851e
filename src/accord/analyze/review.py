"""Corrections: an analyst confirms, rejects or edits a fact, or adds a missing one.

Corrections are stored apart from extracted data (table `corrections`, see
accord.store.corrections) with who, when and why, and keyed by the fact they name,
(actor, action, target_key), never by event row ids: they keep applying after documents are
re-ingested or re-extracted. Each is written to the audit log, and so is each refused one.
A correction naming a fact that does not exist is refused with FactNotFound, whose message
is one line naming the fact and the closest existing ones.

The functions take the fact positionally and its new values by keyword, so that
`edit(db, "USA", "sign", "x", who=..., why=..., action="refuse")` reads as it should.
"""

from __future__ import annotations

import difflib

from accord.analyze.db import DB, opened
from accord.analyze.facts import FactKey, fact_drafts
from accord.analyze.names import NotFound, resolve_target
from accord.records import ACTIONS
from accord.store import corrections as table
from accord.store.corrections import AuditEntry, Correction
from accord.store.database import Store


class FactNotFound(NotFound):
    """A correction names a fact that is not in the store."""

    def __init__(self, key: FactKey, closest: list[str]):
        LookupError.__init__(self, f"no fact '{' '.join(key)}' in the store"
                             + (f" (closest: {'; '.join(closest)})" if closest else ""))
        self.what, self.text, self.closest = "fact", " ".join(key), closest


def _action(value: str) -> str:
    action = value.strip().lower()
    if action not in ACTIONS:
        raise ValueError(f"'{value}' is not an action (choose: {', '.join(ACTIONS)})")
    return action


def _target(store: Store, text: str, new_allowed: bool) -> str:
    try:
        return resolve_target(store, text)
    except NotFound:
        if new_allowed and text.startswith("new:") and len(text) > 4:
            return text
        raise


def _existing(store: Store, key: FactKey) -> tuple[bool, bool]:
    """(exists, rejected) for a fact, corrections applied."""
    draft = fact_drafts(store, *key, evidence=False).get(key)
    return draft is not None, draft is not None and draft.status == "rejected"


def _closest(store: Store, key: FactKey) -> list[str]:
    near = fact_drafts(store, actor=key[0], evidence=False) | fact_drafts(store, target=key[2], evidence=False)
    names = {" ".join(k): k for k in near}
    return difflib.get_close_matches(" ".join(key), list(names), n=3, cutoff=0.3)


def _checked(store: Store, kind: str, actor: str, action: str, target: str, who: str, why: str) -> FactKey:
    """The fact key a correction names, checked; refusals are logged before they are raised."""
    if not who or not who.strip():
        raise ValueError("a correction needs the name of who makes it (--by)")
    raw = (actor.strip().upper(), action, target)
    try:
        key = (raw[0], _action(action), _target(store, target, new_allowed=kind == "add"))
        exists, rejected = _existing(store, key)
        if kind == "add" and exists and not rejected:
            raise ValueError(f"fact '{' '.join(key)}' already exists: confirm or edit it instead")
        if kind != "add" and not exists:
            raise FactNotFound(key, _closest(store, key))
    except (ValueError, LookupError) as e:
        table.log_refusal(store.conn, kind, *raw, who=who, why=why, reason=str(e))
        raise
    return key


def confirm(db: DB, actor: str, action: str, target_key: str, /, *, who: str, why: str = "") -> Correction:
    """Record that an analyst confirmed the fact (actor, action, target)."""
    with opened(db) as store:
        key = _checked(store, "confirm", actor, action, target_key, who, why)
        return table.add_correction(store.conn, "confirm", *key, who=who, why=why)


def reject(db: DB, actor: str, action: str, target_key: str, /, *, who: str, why: str = "") -> Correction:
    """Record that an analyst rejected the fact: it no longer appears in facts, stances or exports."""
    with opened(db) as store:
        key = _checked(store, "reject", actor, action, target_key, who, why)
        return table.add_correction(store.conn, "reject", *key, who=who, why=why)


def edit(db: DB, actor: str, action: str, target_key: str, /, *, who: str, why: str = "",
         **changes: str | None) -> Correction:
    """Record an analyst's edit of the fact: new `actor`, `action`, `target_key` and/or `date`.
    The fact's sources move with it (merging into the new fact if that exists)."""
    values = {k: v.strip() for k, v in changes.items() if v and v.strip()}
    with opened(db) as store:
        key = _checked(store, "edit", actor, action, target_key, who, why)
        try:
            unknown = set(changes) - {"actor", "action", "target_key", "target", "date"}
            if unknown:
                raise ValueError(f"cannot edit {', '.join(sorted(unknown))} (choose: actor, action, target_key, date)")
            if not values:
                raise ValueError("an edit needs at least one new value (actor, action, target or date)")
            new_action = _action(values["action"]) if "action" in values else None
            new_target = values.get("target_key") or values.get("target")
            new_target = _target(store, new_target, new_allowed=True) if new_target else None
        except (ValueError, LookupError) as e:
            table.log_refusal(store.conn, "edit", *key, who=who, why=why, reason=str(e))
            raise
        return table.add_correction(store.conn, "edit", *key, who=who, why=why,
                                    new_actor=values["actor"].upper() if "actor" in values else None,
                                    new_action=new_action, new_target_key=new_target, date=values.get("date"))


def add(db: DB, actor: str, action: str, target_key: str, /, *, who: str, why: str = "", date: str | None = None,
        evidence: str | None = None, doc_id: str | None = None) -> Correction:
    """Record a fact the extraction missed, with its date, the sentence stating it and its document.
    The target is a known key or name, or "new:<slug>" for a target no document has named yet."""
    with opened(db) as store:
        key = _checked(store, "add", actor, action, target_key, who, why)
        if doc_id:
            row = store.document(doc_id)
            if row is None:
                table.log_refusal(store.conn, "add", *key, who=who, why=why, reason=f"no document '{doc_id}'")
                raise LookupError(f"no document '{doc_id}' in the store")
            doc_id = row["id"]
        return table.add_correction(store.conn, "add", *key, who=who, why=why, date=date or None,
                                    evidence=evidence or None, doc_id=doc_id)


def corrections(db: DB) -> list[Correction]:
    """Every correction, oldest first."""
    with opened(db) as store:
        return table.corrections(store.conn)


def audit_log(db: DB, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, oldest first (only the last `limit` entries when given)."""
    with opened(db) as store:
        return table.audit_log(store.conn, limit)
