"""The analyze commands on the real `accord` app: stance, actor, timeline, targets, align, review, export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from accord.cli import app
from accord.records import Article, CleanDocument, Event, Extraction, Relevance, Target
from accord.store.database import Store

PARIS = Target("Paris AI Declaration", "declaration", key="paris-ai-declaration")
SEOUL = Target("Seoul Declaration", "declaration", key="seoul-declaration")

DOCS = {
    "k1": ("2025-02-12", [("FRA", "sign", PARIS, "2025-02-11", "France signed the declaration."),
                          ("USA", "refuse", PARIS, "2025-02-11", "The United States declined to sign."),
                          ("FRA", "sign", SEOUL, "2024-05-21", "France signed in Seoul."),
                          ("DEU", "sign", SEOUL, "2024-05-21", "Germany signed in Seoul.")]),
    "k2": ("2025-02-13", [("USA", "sign", PARIS, "2025-02-11", "Reports said Washington signed."),
                          ("DEU", "sign", PARIS, "2025-02-11", "Germany signed too.")]),
}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with Store(path) as store:
        for doc_id, (published, events) in DOCS.items():
            text = " ".join(e[4] for e in events)
            clean = CleanDocument(id=doc_id, doc=f"doc-{doc_id}", source=f"/tmp/{doc_id}.txt",
                                  articles=(Article("T", text, True),), relevance=Relevance(True, 2.0),
                                  published=published)
            evs = tuple(Event(a, act, t, d, ev, 0, len(ev), 0.9, "test.v1") for a, act, t, d, ev in events)
            store.add(clean, Extraction(events=evs))
    return str(path)


def test_stance_json_and_table_show_conflicts(runner, db):
    result = runner.invoke(app, ["stance", "paris-ai-declaration", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["actor"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"FRA", "USA", "DEU"}
    assert {k: rows["FRA"][k] for k in ("stance", "sources", "first_date", "last_date", "conflict")} == {
        "stance": "signed", "sources": 1, "first_date": "2025-02-11", "last_date": "2025-02-11", "conflict": False}
    assert rows["USA"]["conflict"] is True
    table = runner.invoke(app, ["stance", "Paris AI Declaration", "--db", db])
    assert table.exit_code == 0 and "CONFLICT" in table.output
    assert "The United States declined to sign." in table.output and "Reports said Washington signed." in table.output


def test_unknown_target_or_actor_is_one_line_with_closest_names(runner, db):
    result = runner.invoke(app, ["stance", "Paris Declaraton on AI", "--db", db])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "not found" in line and "Paris AI Declaration" in line
    result = runner.invoke(app, ["actor", "FRAA", "--db", db])
    assert result.exit_code == 2 and "not found" in result.output and "FRA" in result.output
    result = runner.invoke(app, ["timeline", "--actor", "Frnace", "--db", db])
    assert result.exit_code == 2 and "France (FRA)" in result.output


def test_actor_timeline_and_targets(runner, db):
    profile = json.loads(runner.invoke(app, ["actor", "fra", "--db", db, "--json"]).stdout)
    assert profile["actor"] == "FRA"
    assert [f["target_key"] for f in profile["facts"]] == ["seoul-declaration", "paris-ai-declaration"]
    assert [s["stance"] for s in profile["stances"]] == ["signed", "signed"]
    entries = json.loads(runner.invoke(app, ["timeline", "--target", "seoul-declaration", "--db", db, "--json"]).stdout)
    assert [(e["actor"], e["date"]) for e in entries] == [("DEU", "2024-05-21"), ("FRA", "2024-05-21")]
    shown = runner.invoke(app, ["timeline", "--actor", "USA", "--db", db])
    assert shown.exit_code == 0 and "refused" in shown.output
    found = {t["key"]: t for t in json.loads(runner.invoke(app, ["targets", "--db", db, "--json"]).stdout)}
    assert found["paris-ai-declaration"]["events"] == 4 and found["seoul-declaration"]["actors"] == 2


def test_align_json(runner, db):
    result = json.loads(runner.invoke(app, ["align", "--db", db, "--json", "--min-shared", "2"]).stdout)
    assert [(p["a"], p["b"], p["shared"], p["agreement"]) for p in result["pairs"]] == [("DEU", "FRA", 2, 1.0)]
    assert result["blocs"][0]["members"] == ["DEU", "FRA"]


def test_review_commands_and_refusal(runner, db):
    ok = runner.invoke(app, ["review", "reject", "USA", "sign", "paris-ai-declaration", "--by", "ana",
                             "--why", "misread", "--db", db])
    assert ok.exit_code == 0, ok.output
    rows = {r["actor"]: r for r in json.loads(runner.invoke(app, ["stance", "paris-ai-declaration", "--db", db,
                                                                   "--json"]).stdout)}
    assert rows["USA"]["stance"] == "refused" and rows["USA"]["conflict"] is False
    edit = runner.invoke(app, ["review", "edit", "DEU", "sign", "seoul-declaration", "--by", "bo", "--why", "w",
                               "--action", "attend", "--db", db])
    assert edit.exit_code == 0, edit.output
    add = runner.invoke(app, ["review", "add", "GBR", "refuse", "Paris AI Declaration", "--by", "cy", "--why",
                              "missed", "--date", "2025-02-11", "--evidence", "Britain did not sign.", "--db", db])
    assert add.exit_code == 0, add.output
    confirm = runner.invoke(app, ["review", "confirm", "FRA", "sign", "paris-ai-declaration", "--by", "ana",
                                  "--why", "ok", "--db", db])
    assert confirm.exit_code == 0
    missing = runner.invoke(app, ["review", "confirm", "CHN", "sign", "paris-ai-declaration", "--by", "ana",
                                  "--why", "x", "--db", db])
    assert missing.exit_code == 2
    (line,) = missing.output.strip().splitlines()
    assert "no fact 'CHN sign paris-ai-declaration'" in line
    log = json.loads(runner.invoke(app, ["review", "log", "--db", db, "--json"]).stdout)
    assert [e["operation"] for e in log] == ["reject", "edit", "add", "confirm", "refused"]
    listed = json.loads(runner.invoke(app, ["review", "list", "--db", db, "--json"]).stdout)
    assert [c["who"] for c in listed] == ["ana", "bo", "cy", "ana"]
    needs_who = runner.invoke(app, ["review", "confirm", "FRA", "sign", "paris-ai-declaration", "--db", db])
    assert needs_who.exit_code == 2


def test_export_formats(runner, db, tmp_path):
    result = runner.invoke(app, ["export", "--what", "facts", "--format", "csv", "--db", db])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6 and {"actor", "action", "target_key", "sources", "first_date"} <= set(rows[0])
    out = tmp_path / "events.jsonl"
    assert runner.invoke(app, ["export", "--what", "events", "--format", "jsonl", "--out", str(out),
                               "--db", db]).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 6
    out = tmp_path / "stances.parquet"
    assert runner.invoke(app, ["export", "--what", "stances", "--format", "parquet", "--out", str(out),
                               "--db", db]).exit_code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows == 5
    assert runner.invoke(app, ["export", "--what", "stances", "--format", "parquet", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["export", "--what", "nothing", "--db", db]).exit_code == 2
