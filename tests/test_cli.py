"""The `accord` command end to end on the seeds and on bad input: a real SQLite file, real files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from accord.cli import app
from conftest import SCORER, SEEDS_GOLD


def test_ingest_twice_changes_nothing_the_second_time(runner, seeds, tmp_path):
    db = tmp_path / "a.db"
    first = runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "read 5, new 5, unchanged 0" in first.output
    before = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
    second = runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    assert "read 5, new 0, unchanged 5" in second.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] == before > 0


def test_docs_and_events_list_what_was_stored(runner, seeds, tmp_path):
    db = tmp_path / "a.db"
    runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    docs = [json.loads(line) for line in runner.invoke(app, ["docs", "--db", str(db), "--json"]).output.splitlines()]
    assert len(docs) == 5 and all(d["relevant"] for d in docs)
    events = runner.invoke(app, ["events", "--db", str(db), "--actor", "USA", "--action", "refuse", "--json"])
    rows = [json.loads(line) for line in events.output.splitlines()]
    assert rows and all(r["actor"] == "USA" and r["action"] == "refuse" for r in rows)
    bad = runner.invoke(app, ["events", "--db", str(db), "--action", "sings"])
    assert bad.exit_code == 2 and "not an action" in bad.output


def test_show_prints_the_principal_article_and_removed_lines(runner, seeds, tmp_path):
    db = tmp_path / "a.db"
    runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    shown = runner.invoke(app, ["show", "004_ebc3f4a99e943904", "--db", str(db), "--removed"])
    assert shown.exit_code == 0
    assert "General Assembly adopted" in shown.output and "removed:" in shown.output
    missing = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert missing.exit_code == 2 and "no such document" in missing.output


def test_bad_inputs_get_one_line_each_and_spare_the_store(runner, seeds, tmp_path):
    db = tmp_path / "a.db"
    runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    dump = "\n".join(sqlite3.connect(db).iterdump())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), str(tmp_path / "blob.txt"),
                                 str(tmp_path / "missing.html"), "--db", str(db)])
    assert result.exit_code == 0
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 3 and all("Traceback" not in line for line in skipped)
    assert any("empty.txt" in line for line in skipped) and any("blob.txt" in line for line in skipped)
    strict = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), "--db", str(db), "--strict"])
    assert strict.exit_code == 1
    assert "\n".join(sqlite3.connect(db).iterdump()) == dump


def test_extract_document_fields_match_the_seed_gold(runner, seeds):
    result = runner.invoke(app, ["extract", str(seeds), "--format", "jsonl"])
    records = {r["doc"]: r for r in map(json.loads, result.stdout.splitlines())}
    gold = {g["doc"]: g for g in map(json.loads, SEEDS_GOLD.read_text().splitlines())}
    assert set(records) == set(gold)
    for name, g in gold.items():
        assert records[name]["relevant"] == g["relevant"], name
        assert records[name]["published"] == g["published"], name


def test_eval_prints_the_figures_of_the_shared_scorer(runner, seeds, tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(runner.invoke(app, ["extract", str(seeds)]).stdout)
    shared = json.loads(subprocess.run([sys.executable, str(SCORER), str(SEEDS_GOLD), str(pred), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    ours = json.loads(runner.invoke(app, ["eval", str(SEEDS_GOLD), str(seeds), "--json"]).stdout)
    assert ours == shared


def test_the_installed_command_runs_as_a_process(seeds, tmp_path):
    result = subprocess.run([sys.executable, "-m", "accord.cli", "extract", str(seeds / "004_ebc3f4a99e943904.txt")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["doc"] == "004_ebc3f4a99e943904"
