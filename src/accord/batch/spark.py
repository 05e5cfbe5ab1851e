"""The pipeline on Spark: one partition per shard, the stage functions inside it, Parquet out.

The Spark session is started once per run, never per record. Each partition reads its
shard with `accord.sources.read_inputs`, loads the spaCy pipeline once (cached for the
life of the Python worker), and runs `accord.pipeline.process` on every document, as a
local ingest does (with the prefilter on, the pipeline is loaded at the first page that
passes it). The per-document results are kept (persisted, on disk) once and written as
the tables `documents`, `articles`, `events` and `failures`, each sorted by input place.
Shard paths must be readable by every executor: local files in local mode, a shared
file system on a cluster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from accord.batch.rows import article_rows, document_row, event_rows
from accord.batch.shards import shard_paths

TABLES = ("documents", "articles", "events", "failures")
"""The Parquet tables of a batch run's output folder, one sub-folder each."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run produced: shards read, documents, events, failures."""

    shards: int
    documents: int
    events: int
    failures: int


def processed_partition(shards: Iterable[tuple[int, str]], reference_date: date | None, prefilter: bool = False,
                        max_seconds: float | None = None) -> Iterator[dict]:
    """Every document of the given shards as one nested row (document, articles, events),
    or a failure row; the spaCy pipeline is loaded once for the partition (if a page needs
    it). `prefilter` and `max_seconds` (the time limit of one document) work as in a local
    ingest."""
    from accord.extract.nlp import load_pipeline
    from accord.records import ReadFailure
    from accord.sources import read_inputs

    if not prefilter:  # with it, `processed` loads the pipeline for the first page that passes
        load_pipeline()
    for shard, path in shards:
        items = enumerate(read_inputs([path], reference_date=reference_date))
        for position, result in _processed_in_chunks(items, prefilter, max_seconds):
            if isinstance(result, ReadFailure):
                yield {"shard": shard, "position": position, "failure": {"source": result.source,
                                                                          "reason": result.reason}}
                continue
            done, signature = result
            yield {"shard": shard, "position": position, "document": document_row(done, shard, position, signature),
                   "articles": article_rows(done, shard, position), "events": event_rows(done, shard, position),
                   "failure": None}


def _processed_in_chunks(items: Iterable[tuple[int, Any]], prefilter: bool,
                         max_seconds: float | None) -> Iterator[tuple[int, Any]]:
    """(position, result) for every item of a shard, in order: a read failure is its own
    result, a page the prefilter drops is settled at once, and the documents to process go
    CHUNK_DOCS at a time to `processed_chunk`, which parses their sentences together."""
    from accord.records import ReadFailure
    from accord.run.parallel import CHUNK_DOCS, processed_chunk, settled_here

    held: list[tuple[int, Any, Any]] = []

    def flushed() -> Iterator[tuple[int, Any]]:
        done = iter(processed_chunk([item for _, item, result in held if result is None], False, max_seconds))
        yield from ((position, next(done) if result is None else result) for position, _, result in held)
        held.clear()

    waiting = 0
    for position, item in items:
        result = item if isinstance(item, ReadFailure) else settled_here(item, max_seconds) if prefilter else None
        held.append((position, item, result))
        waiting += result is None
        if waiting >= CHUNK_DOCS:
            yield from flushed()
            waiting = 0
    yield from flushed()


def _schema() -> Any:
    from pyspark.sql import types as T

    def s(*fields: tuple[str, Any]) -> T.StructType:
        return T.StructType([T.StructField(n, t, True) for n, t in fields])

    text, strings, long = T.StringType(), T.ArrayType(T.StringType()), T.LongType()
    document = s(("shard", long), ("position", long), ("id", text), ("doc", text), ("source", text), ("url", text),
                 ("title", text), ("published", text), ("date_note", text), ("publisher", text), ("author", text),
                 ("language", text), ("relevant", T.BooleanType()), ("relevance_score", T.DoubleType()),
                 ("relevance_terms", strings), ("removed", strings), ("reference_date", text),
                 ("countries", strings), ("entities", T.ArrayType(strings)), ("signature", T.BinaryType()))
    article = s(("shard", long), ("position", long), ("doc_id", text), ("article", long), ("title", text),
                ("text", text), ("principal", T.BooleanType()))
    event = s(("shard", long), ("position", long), ("doc_id", text), ("event", long), ("actor", text),
              ("action", text), ("target_name", text), ("target_type", text), ("target_aliases", strings),
              ("target_key", text), ("date", text), ("evidence", text), ("start", long), ("end", long),
              ("confidence", T.DoubleType()), ("rule", text), ("actor_text", text), ("amount", text))
    failure = s(("source", text), ("reason", text))
    return s(("shard", long), ("position", long), ("document", document), ("articles", T.ArrayType(article)),
             ("events", T.ArrayType(event)), ("failure", failure))


LOCAL_JAVA_OPTIONS = ("-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -Xss512k -Xms32m"
                      " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=25")
"""JVM options of a local run (ACCORD_SPARK_JAVA_OPTIONS replaces them): in local mode the JVM
only moves rows, and its footprint is what counts: the serial collector (no parallel GC
threads and their bookkeeping) with a heap that starts small and gives back what it frees,
the quick compiler only and a small code cache, smaller thread stacks. On the benchmark
this takes the JVM from about 500 to under 400 MB resident."""


def spark_session(master: str = "local[*]", app_name: str = "accord-batch") -> Any:
    """A Spark session whose Python workers run this interpreter (so they see Accord)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):  # the JVM only moves rows: a small heap keeps the whole run under 1.5 GiB
        builder = (builder
                   .config("spark.driver.memory", os.environ.get("ACCORD_SPARK_DRIVER_MEMORY", "512m"))
                   .config("spark.driver.extraJavaOptions",
                           os.environ.get("ACCORD_SPARK_JAVA_OPTIONS", LOCAL_JAVA_OPTIONS)))
    spark = (builder
             .config("spark.pyspark.python", sys.executable)
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.python.worker.reuse", "true")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(inputs: Iterable[str], out: str | Path, master: str = "local[*]",
              reference_date: date | None = None, spark: Any = None, prefilter: bool = False,
              max_seconds: float | None = None) -> BatchSummary:
    """Process every shard of `inputs` on Spark and write the Parquet tables into `out`.

    `spark` may be a session to reuse; otherwise one is started for `master` and stopped.
    `prefilter` and `max_seconds` work as in a local ingest (accord.pipeline.processed).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    shards = [(i, str(p.resolve())) for i, p in enumerate(shard_paths(inputs))]
    out = Path(out)
    own = spark is None
    spark = spark or spark_session(master)
    try:
        sc = spark.sparkContext
        rdd = sc.parallelize(shards, max(1, len(shards))).mapPartitions(
            lambda part: processed_partition(part, reference_date, prefilter, max_seconds))
        # kept on disk, not in the JVM's heap: read back five times, it costs little, and
        # memory stays flat however large the input
        nested = spark.createDataFrame(rdd, _schema()).persist(StorageLevel.DISK_ONLY)
        order = ["shard", "position"]
        documents = nested.where(F.col("failure").isNull())
        documents.select("document.*").orderBy(*order).write.mode("overwrite").parquet(str(out / "documents"))
        (documents.select(F.explode("articles").alias("a")).select("a.*")
         .orderBy(*order, "article").write.mode("overwrite").parquet(str(out / "articles")))
        (documents.select(F.explode("events").alias("e")).select("e.*")
         .orderBy(*order, "event").write.mode("overwrite").parquet(str(out / "events")))
        (nested.where(F.col("failure").isNotNull()).select(*order, "failure.*")
         .orderBy(*order).write.mode("overwrite").parquet(str(out / "failures")))
        counts = documents.agg(F.count("*").alias("d"), F.sum(F.size("events")).alias("e")).first()
        failures = nested.where(F.col("failure").isNotNull()).count()
        nested.unpersist()
        return BatchSummary(len(shards), counts["d"] or 0, counts["e"] or 0, failures)
    finally:
        if own:
            spark.stop()
