"""Reading and writing analysts' corrections and the audit log (tables of migration 0005_analyze).

Corrections live in their own table, apart from what extraction stored, and name the fact
they correct by (actor, action, target_key); re-ingesting or re-extracting documents
rewrites events but never touches them. Every write, and every refused attempt, is also
appended to `audit_log` with who, when and why.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

KINDS: tuple[str, ...] = ("confirm", "reject", "edit", "add")
"""The kinds of correction an analyst can make."""


@dataclass(frozen=True)
class Correction:
    """One analyst's decision on the fact (actor, action, target_key)."""

    id: int
    kind: str
    actor: str
    action: str
    target_key: str
    who: str
    why: str
    at: str
    new_actor: str | None = None
    new_action: str | None = None
    new_target_key: str | None = None
    date: str | None = None
    evidence: str | None = None
    doc_id: str | None = None

    @property
    def fact(self) -> tuple[str, str, str]:
        """The fact this correction names."""
        return (self.actor, self.action, self.target_key)

    @property
    def result(self) -> tuple[str, str, str]:
        """The fact as it stands after this correction (an edit may rename it)."""
        return (self.new_actor or self.actor, self.new_action or self.action, self.new_target_key or self.target_key)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    who: str
    operation: str
    actor: str | None
    action: str | None
    target_key: str | None
    why: str | None
    detail: dict


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_correction(conn: sqlite3.Connection, kind: str, actor: str, action: str, target_key: str, *,
                   who: str, why: str, new_actor: str | None = None, new_action: str | None = None,
                   new_target_key: str | None = None, date: str | None = None, evidence: str | None = None,
                   doc_id: str | None = None) -> Correction:
    """Store a correction and its audit line in one transaction; return it."""
    if kind not in KINDS:
        raise ValueError(f"'{kind}' is not a correction (choose: {', '.join(KINDS)})")
    at = _now()
    with conn:
        cur = conn.execute(
            "INSERT INTO corrections (kind, actor, action, target_key, new_actor, new_action, new_target_key,"
            " date, evidence, doc_id, who, why, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (kind, actor, action, target_key, new_actor, new_action, new_target_key, date, evidence, doc_id,
             who, why, at))
        correction = Correction(cur.lastrowid or 0, kind, actor, action, target_key, who, why, at, new_actor,
                                new_action, new_target_key, date, evidence, doc_id)
        _log(conn, at, who, kind, actor, action, target_key, why, asdict(correction))
    return correction


def log_refusal(conn: sqlite3.Connection, kind: str, actor: str, action: str, target_key: str, *,
                who: str, why: str, reason: str) -> None:
    """Record in the audit log a correction that was refused, and why it was."""
    with conn:
        _log(conn, _now(), who, "refused", actor, action, target_key, why, {"kind": kind, "reason": reason})


def _log(conn: sqlite3.Connection, at: str, who: str, operation: str, actor: str | None, action: str | None,
         target_key: str | None, why: str | None, detail: dict) -> None:
    conn.execute("INSERT INTO audit_log (at, who, operation, actor, action, target_key, why, detail)"
                 " VALUES (?,?,?,?,?,?,?,?)",
                 (at, who, operation, actor, action, target_key, why, json.dumps(detail, ensure_ascii=False)))


def corrections(conn: sqlite3.Connection) -> list[Correction]:
    """Every correction, oldest first (the order they apply in)."""
    rows = conn.execute("SELECT id, kind, actor, action, target_key, who, why, at, new_actor, new_action,"
                        " new_target_key, date, evidence, doc_id FROM corrections ORDER BY id")
    return [Correction(*tuple(r)) for r in rows]


def audit_log(conn: sqlite3.Connection, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, oldest first (the last `limit` entries when given)."""
    sql = "SELECT id, at, who, operation, actor, action, target_key, why, detail FROM audit_log ORDER BY id DESC"
    rows = conn.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ()).fetchall()
    return [AuditEntry(*tuple(r)[:8], json.loads(r[8])) for r in reversed(rows)]
