"""Spark batch runs: the same events and documents as a local ingest, loaded into a store."""

from __future__ import annotations

import shutil

import pytest

from accord.cli import app
from accord.pipeline import ingest
from accord.store.database import Store
from test_parallel import export, generator

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")


@pytest.mark.slow
def test_spark_local_mode_gives_the_events_of_a_local_run(tmp_path, runner):
    shards = tmp_path / "shards"
    generator().generate(shards, docs=60, shard_size=15, seed=5, ai_share=0.2,
                         formats=("warc.gz", "jsonl", "warc", "jsonl"), copy_share=0.25)
    assert {p.name.split(".", 1)[1] for p in shards.iterdir()} == {"warc.gz", "warc", "jsonl"}
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", "--engine", "spark", str(shards), "--out", str(out), "--master", "local[2]"])
    assert result.exit_code == 0, result.output
    assert "documents 60" in result.output
    assert {p.name for p in out.iterdir()} >= {"documents", "articles", "events"}

    db = tmp_path / "spark.db"
    result = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "new 60" in result.output
    with Store(tmp_path / "local.db") as store:
        local = ingest([str(shards)], store)
    assert local.events > 0 and local.duplicate > 0
    assert export(db) == export(tmp_path / "local.db")

    again = runner.invoke(app, ["load", str(out), "--db", str(db)])  # loading twice changes nothing
    assert "new 0, unchanged 60" in again.output
    assert export(db) == export(tmp_path / "local.db")


def test_unknown_engine_names_the_choices(tmp_path, runner):
    result = runner.invoke(app, ["batch", "--engine", "flink", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "spark" in result.output


def test_load_refuses_a_folder_that_is_not_batch_output(tmp_path, runner):
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2
    assert "not a batch output folder" in result.output

