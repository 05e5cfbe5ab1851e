"""Precision, recall and F1 of Accord's records against gold records (FORMAT.md).

The matching rules are those of the shared scorer (shared/eval/score.py), so that
`accord eval` and the scorer print the same figures; a test holds them to it:
- events match on document, actor, action and agreeing targets, one to one, greedily,
  required gold first; optional gold counts for nothing either way;
- targets agree when, after normalising, the smaller word set shares >= 3/4 of its words
  with the larger and >= 2 words when both have two or more;
- only actors that are alpha-3 codes or listed bodies are scored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

BODIES = frozenset({"UN", "UNGA", "UNSC", "UNESCO", "ITU", "EU", "COE", "OECD", "G7", "G20",
                    "AU", "ASEAN", "BRICS", "NATO", "GPAI", "WTO", "WHO"})
SMALL_WORDS = frozenset({"the", "a", "an", "of", "on", "for", "and", "in", "to", "by", "at",
                         "s", "its", "with", "new"})
PHRASES = (("artificial intelligence", "ai"), ("united nations", "un"), ("general assembly", "ga"))


def scored_actor(actor: object) -> bool:
    return isinstance(actor, str) and (bool(re.fullmatch(r"[A-Z]{3}", actor)) or actor in BODIES)


def name_words(name: str) -> set[str]:
    """The normalised content words of a name."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    for phrase, short in PHRASES:
        text = text.replace(phrase, short)
    return {w for w in re.sub(r"[^a-z0-9]+", " ", text).split() if w not in SMALL_WORDS}


def _names(target: object) -> list[str]:
    if target is None:
        return []
    return [target] if isinstance(target, str) else list(target)


def targets_agree(a: object, b: object) -> bool:
    for x in _names(a):
        for y in _names(b):
            wx, wy = name_words(x), name_words(y)
            if not wx or not wy:
                continue
            shared, small = len(wx & wy), min(len(wx), len(wy))
            if shared / small >= 0.75 and (small < 2 or shared >= 2):
                return True
    return False


def _match(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    left = list(range(len(pred)))
    pairs, missed = [], []
    for g in sorted(gold, key=lambda e: bool(e.get("optional"))):
        hit = next((i for i in left if pred[i].get("actor") == g["actor"] and pred[i].get("action") == g["action"]
                    and targets_agree(g.get("target"), pred[i].get("target"))), None)
        if hit is None:
            missed.append(g)
        else:
            left.remove(hit)
            pairs.append((g, pred[hit]))
    return pairs, missed, [pred[i] for i in left]


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _title_key(title: object) -> str | None:
    return " ".join(sorted(name_words(str(title)))) if title else None


def evaluate(gold: dict[str, dict], pred: dict[str, dict]) -> tuple[dict[str, Any], list[tuple[str, str, dict]]]:
    """The figures of `pred` against `gold` (both keyed by doc), and the list of errors."""
    per_action: dict[str, Counter] = defaultdict(Counter)
    dates = Counter()
    docs = Counter()
    countries = Counter()
    errors: list[tuple[str, str, dict]] = []
    for name, g in gold.items():
        p = pred.get(name, {"events": [], "countries": []})
        docs["relevant"] += bool(p.get("relevant")) == bool(g.get("relevant"))
        if "published" in g:
            docs["published_total"] += 1
            docs["published"] += (p.get("published") or None) == (g.get("published") or None)
        if g.get("title"):
            docs["title_total"] += 1
            docs["title"] += _title_key(p.get("title")) == _title_key(g["title"])
        gc, pc = set(g.get("countries") or []), set(p.get("countries") or [])
        countries.update(tp=len(gc & pc), fp=len(pc - gc), fn=len(gc - pc))
        predicted = [e for e in p.get("events") or [] if scored_actor(e.get("actor"))]
        pairs, missed, extra = _match(g.get("events") or [], predicted)
        for ge, pe in pairs:
            if ge.get("optional"):
                continue
            per_action[ge["action"]]["tp"] += 1
            if ge.get("date"):
                dates["total"] += 1
                dates["hits"] += bool(pe.get("date")) and str(pe["date"])[: len(str(ge["date"]))] == str(ge["date"])
        for ge in missed:
            if not ge.get("optional"):
                per_action[ge["action"]]["fn"] += 1
                errors.append(("missed", name, ge))
        for pe in extra:
            per_action[pe.get("action", "?")]["fp"] += 1
            errors.append(("spurious", name, pe))
    total = Counter()
    for c in per_action.values():
        total.update(c)
    n = len(gold)
    return {
        "documents": n,
        "events": _prf(total["tp"], total["fp"], total["fn"]),
        "per_action": {a: _prf(c["tp"], c["fp"], c["fn"]) for a, c in sorted(per_action.items())},
        "event_date_accuracy": round(dates["hits"] / dates["total"], 4) if dates["total"] else None,
        "relevance_accuracy": round(docs["relevant"] / n, 4) if n else None,
        "published_accuracy": round(docs["published"] / docs["published_total"], 4) if docs["published_total"] else None,
        "title_accuracy": round(docs["title"] / docs["title_total"], 4) if docs["title_total"] else None,
        "countries": _prf(countries["tp"], countries["fp"], countries["fn"]),
    }, errors


def report_lines(result: dict[str, Any]) -> list[str]:
    """The figures as the shared scorer prints them."""
    e = result["events"]
    lines = [f"documents          {result['documents']}",
             f"events             P {e['precision']:.3f}  R {e['recall']:.3f}  F1 {e['f1']:.3f}"
             f"  (tp {e['tp']}, fp {e['fp']}, fn {e['fn']})"]
    for action, m in result["per_action"].items():
        lines.append(f"  {action:<16} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                     f"  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    for key in ("event_date_accuracy", "relevance_accuracy", "published_accuracy", "title_accuracy"):
        lines.append(f"{key:<20} {result[key]}")
    lines.append(f"countries          F1 {result['countries']['f1']:.3f}")
    return lines
