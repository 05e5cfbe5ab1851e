"""The analyze stage: facts merged across documents, stances with conflicts and withdrawals,
timelines, profiles, targets, alignment and blocs, exports, and the plain-SQL views."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from itertools import combinations

import pytest

from accord import analyze
from accord.analyze import NotFound, Pair
from accord.analyze.alignment import pairs_from
from accord.analyze.facts import load_facts
from accord.analyze.stances import rules, stances_from
from accord.records import ACTIONS, Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store.database import Store

PARIS = Target("Paris AI Declaration", "declaration", ("Paris declaration",), key="paris-ai-declaration")
US_RES = Target("US-led UN resolution", "resolution", key="unga-78-265")
CN_RES = Target("China-led UN resolution", "resolution", key="unga-78-311")
CODE = Target("Hiroshima Code of Conduct for Frontier Labs", "framework")  # first named by a document


def put(store: Store, doc_id: str, events: list[tuple], published: str = "2025-02-12",
        duplicate_of: str | None = None) -> None:
    """Store one document with events given as (actor, action, target, date, evidence)."""
    text = " ".join(e[4] for e in events)
    clean = CleanDocument(id=doc_id, doc=f"doc-{doc_id}", source=f"/tmp/{doc_id}.txt",
                          articles=(Article("Story", text, True),), relevance=Relevance(True, 3.0, ("ai",)),
                          title="Story", published=published)
    evs = tuple(Event(a, act, t, d, ev, 0, len(ev), 0.9, "test.v1") for a, act, t, d, ev in events)
    assert store.add(clean, Extraction(countries=tuple({e[0] for e in events}), events=evs),
                     duplicate_of=duplicate_of)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "a.db") as s:
        put(s, "d1", [("FRA", "sign", PARIS, "2025-02-11", "France signed the Paris declaration."),
                      ("USA", "refuse", PARIS, "2025-02-11", "The United States refused to sign it.")])
        put(s, "d2", [("FRA", "sign", Target("Statement on Inclusive AI", "declaration", (), key=PARIS.key),
                       "2025-02-11", "Paris saw France endorse the statement.")], published="2025-02-13")
        put(s, "d2copy", [("FRA", "sign", PARIS, "2025-02-11", "France signed the Paris declaration.")],
            duplicate_of="d2")
        put(s, "d2copy2", [("FRA", "sign", PARIS, "2025-02-11", "France signed the Paris declaration.")],
            duplicate_of="d2")
        put(s, "d3", [("USA", "sign", PARIS, "2025-02", "Officials said the US had signed the declaration.")])
        put(s, "d4", [("USA", "sponsor", US_RES, "2024-03-21", "The US-led resolution was adopted."),
                      ("CHN", "sponsor", CN_RES, "2024-07-01", "China's resolution passed.")])
        put(s, "d5", [("GBR", "sign", CODE, "2023-10", "Britain signed the code."),
                      ("GBR", "withdraw", CODE, "2024-06", "Britain withdrew from the code.")])
        yield s


def test_same_fact_in_several_documents_is_one_fact_with_all_sources(store):
    (fact,) = analyze.facts(store, actor="FRA", action="sign")
    assert fact.target_key == "paris-ai-declaration" and fact.target == "Paris AI Declaration"
    assert fact.documents == 4
    assert fact.sources == 2  # d1, and d2 with its two near-duplicate copies counted once
    assert {s.doc_id for s in fact.evidence} == {"d1", "d2", "d2copy", "d2copy2"}
    assert "Paris saw France endorse the statement." in {s.evidence for s in fact.evidence}
    assert (fact.first_date, fact.last_date) == ("2025-02-11", "2025-02-11")
    assert fact.status == "extracted"


def test_resolutions_with_different_keys_stay_two_targets(store):
    keys = {f.target_key for f in analyze.facts(store, action="sponsor")}
    assert keys == {"unga-78-265", "unga-78-311"}
    assert [s.actor for s in analyze.stances(store, "unga-78-311")] == ["CHN"]


def test_conflicting_sources_are_flagged_with_both_sides(store):
    by_actor = {s.actor: s for s in analyze.stances(store, "paris-ai-declaration")}
    assert by_actor["FRA"].stance == "signed" and not by_actor["FRA"].conflict
    usa = by_actor["USA"]
    assert usa.conflict
    assert {f.action for f in usa.sides} == {"sign", "refuse"}
    sentences = {src.evidence for f in usa.sides for src in f.evidence}
    assert "The United States refused to sign it." in sentences
    assert "Officials said the US had signed the declaration." in sentences


def test_later_withdrawal_supersedes_signature_and_keeps_history(store):
    (gbr,) = analyze.stances(store, CODE.name)  # found by name; key is new:...
    assert gbr.target_key == "new:hiroshima-code-of-conduct-for-frontier-labs"
    assert (gbr.stance, gbr.conflict, gbr.superseded) == ("withdrew", False, ("signed",))
    assert [f.action for f in gbr.history] == ["sign", "withdraw"]
    assert gbr.first_date == "2024-06"


def test_undated_withdrawal_still_follows_a_signature(tmp_path):
    with Store(tmp_path / "w.db") as s:
        put(s, "x1", [("CAN", "sign", PARIS, "2025-02-11", "Canada signed.")])
        put(s, "x2", [("CAN", "withdraw", PARIS, None, "Canada withdrew.")], published=None)
        (can,) = analyze.stances(s, PARIS.key)
        assert can.stance == "withdrew" and not can.conflict


def test_a_signature_years_after_a_refusal_is_a_change_not_a_conflict(tmp_path):
    with Store(tmp_path / "r.db") as s:
        put(s, "y1", [("IND", "refuse", PARIS, "2023", "India declined to sign.")])
        put(s, "y2", [("IND", "sign", PARIS, "2025-02-11", "India signed.")])
        (ind,) = analyze.stances(s, PARIS.key)
        assert (ind.stance, ind.conflict, ind.superseded) == ("signed", False, ("refused",))


def test_unknown_target_and_actor_are_not_found_with_closest_names(store):
    with pytest.raises(NotFound) as e:
        analyze.stances(store, "Paris AI Declaraton")
    assert "Paris AI Declaration" in e.value.closest
    with pytest.raises(NotFound) as e:
        analyze.actor_profile(store, "FRX")
    assert "FRA" in e.value.closest


def test_actor_profile_and_timeline_in_time_order(store):
    profile = analyze.actor_profile(store, "United States")
    assert profile.actor == "USA"
    assert [f.action for f in profile.facts] == ["sponsor", "sign", "refuse"]
    assert {s.target_key: s.stance for s in profile.stances}["unga-78-265"] == "sponsored"
    assert profile.conflicts == 1
    entries = analyze.timeline(store, actor="USA")
    assert [e.date for e in entries] == ["2024-03-21", "2025-02", "2025-02-11"]
    assert [e.stance for e in analyze.timeline(store, target=PARIS.key, actor="FRA")] == ["signed"]


def test_targets_list_catalog_and_document_targets_with_counts(store):
    found = {t.key: t for t in analyze.targets(store)}
    assert found["paris-ai-declaration"].catalog and found["paris-ai-declaration"].events == 6
    assert found["paris-ai-declaration"].actors == 2
    new = found["new:hiroshima-code-of-conduct-for-frontier-labs"]
    assert (new.catalog, new.type, new.events) == (False, "framework", 2)
    assert found["bletchley-declaration"].events == 0  # catalogued, never seen


def test_alignment_pairs_and_blocs(tmp_path):
    targets = [Target(f"Instrument {i}", "declaration", key=f"inst-{i}") for i in range(4)]
    west, east = ("USA", "GBR", "CAN"), ("CHN", "RUS", "IRN")
    with Store(tmp_path / "al.db") as s:
        for n, t in enumerate(targets):
            rows = [(c, "sign" if n % 2 == 0 else "refuse", t, "2024", f"{c} acted.") for c in west]
            rows += [(c, "refuse" if n % 2 == 0 else "sign", t, "2024", f"{c} acted.") for c in east]
            rows += [("EU", "sign", t, "2024", "The EU signed.")]  # a body: not in country pairs
            put(s, f"t{n}", rows)
        result = analyze.alignment(s, min_shared=2)
    pairs = {(p.a, p.b): p for p in result.pairs}
    assert pairs[("CAN", "USA")].agreement == 1.0 and pairs[("CAN", "USA")].shared == 4
    assert pairs[("CHN", "USA")].same == 0 and pairs[("CHN", "USA")].opposed == 4
    assert not any("EU" in k for k in pairs)
    assert sorted(b.members for b in result.blocs) == [("CAN", "GBR", "USA"), ("CHN", "IRN", "RUS")]
    assert len(result.pairs) == 15


def pairs_by_counting(positions: dict[str, dict[str, str]]) -> list[Pair]:
    """Alignment pairs counted pair by pair and target by target (how pairs_from counted them
    before it used matrix products): the reference the matrices must agree with."""
    sides = {a: r.side for a, r in rules().items()}
    tally: dict[tuple[str, str], list[int]] = {}
    for held in positions.values():
        for (a, x), (b, y) in combinations(sorted(held.items()), 2):
            t = tally.setdefault((a, b), [0, 0, 0])
            t[0] += 1
            t[1] += x == y
            t[2] += {sides.get(x), sides.get(y)} == {"+", "-"}
    found = [Pair(a, b, s, m, o, round(m / s, 4)) for (a, b), (s, m, o) in tally.items()]
    return sorted(found, key=lambda p: (-p.shared, -p.agreement, p.a, p.b))


@pytest.mark.parametrize("seed", range(3))
def test_alignment_pairs_are_those_counted_pair_by_pair(tmp_path, seed):
    rng = random.Random(seed)
    countries = ["USA", "GBR", "CAN", "CHN", "RUS", "IRN", "FRA", "DEU", "IND", "BRA", "JPN", "KOR"]
    targets = [Target(f"Instrument {i}", "declaration", key=f"inst-{i}") for i in range(15)]
    with Store(tmp_path / "al.db") as s:
        for n in range(60):  # several facts per country and target: supersessions and conflicts decide
            put(s, f"d{n}", [(rng.choice(countries), rng.choice(ACTIONS), rng.choice(targets),
                              rng.choice(("2023", "2024-05", "2024-06-01", None)), f"Sentence {n}-{i}.")
                             for i in range(5)], published=rng.choice(("2024-01-01", "2025-03-02")))
        result = analyze.alignment(s)
        positions: dict[str, dict[str, str]] = {}
        for stance in stances_from(load_facts(s, evidence=False)):
            positions.setdefault(stance.target_key, {})[stance.actor] = stance.action
    expected = pairs_by_counting(positions)
    assert len(expected) == len(countries) * (len(countries) - 1) // 2 and any(p.opposed for p in expected)
    assert list(result.pairs) == expected
    assert pairs_from(positions) == expected and pairs_from({}) == [] and pairs_from({"x": {"USA": "sign"}}) == []


def test_exports_in_each_format(store, tmp_path):
    counts = {}
    for what in ("events", "facts", "stances", "alignment"):
        out = tmp_path / f"{what}.csv"
        counts[what] = analyze.export(store, what, "csv", out)
        assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == counts[what]
    assert counts["events"] == 10 and counts["facts"] == 7
    lines = (tmp_path / "facts.jsonl")
    analyze.export(store, "facts", "jsonl", lines)
    rows = [json.loads(x) for x in lines.read_text(encoding="utf-8").splitlines()]
    fra = next(r for r in rows if r["actor"] == "FRA")
    assert (fra["sources"], fra["documents"]) == (2, 4)
    import pyarrow.parquet as pq

    analyze.export(store, "stances", "parquet", tmp_path / "s.parquet")
    table = pq.read_table(tmp_path / "s.parquet").to_pylist()
    assert ("GBR", "new:hiroshima-code-of-conduct-for-frontier-labs", "withdrew") in {
        (r["actor"], r["target_key"], r["stance"]) for r in table}
    with pytest.raises(ValueError):
        analyze.export(store, "facts", "xlsx", tmp_path / "x")


def test_frames_and_plain_sql_views(store):
    frame = analyze.facts(store, as_frame=True)
    assert len(frame) == 7 and {"actor", "action", "target_key", "sources"} <= set(frame.columns)
    pairs = analyze.alignment(store, as_frame=True)
    assert list(pairs.columns)[:3] == ["a", "b", "shared"]
    conn = sqlite3.connect(store.path)  # a plain connection: no custom functions needed
    row = conn.execute("SELECT sources, documents FROM extracted_facts WHERE actor='FRA' AND action='sign'").fetchone()
    assert row == (2, 4)
    conn.close()
