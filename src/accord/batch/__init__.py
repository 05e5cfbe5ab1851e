"""Batch runs over WARC, WARC.gz and JSONL shards on Spark, written as Parquet, then loaded.

`accord batch --engine spark` runs the same stage functions as a local ingest
(`accord.pipeline.process`) inside Spark partitions (`spark`), one partition per shard,
and writes three Parquet tables (`documents`, `articles`, `events`, plus `failures`)
whose rows are the records of `accord.records` laid flat (`rows`). `accord load` reads
them back in input order and stores them with the same writer as a local ingest
(`load`), so the store ends up the same as if the input had been ingested locally.
"""
