"""The commands for runs at scale: `batch` (Spark over shards), `load` (its output into a store),
and `watch` (keep a store current from feeds)."""

import time
from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store.")]
RefOption = Annotated[str | None, typer.Option("--reference-date", help="Date (YYYY-MM-DD) that relative stamps such as '1 day ago' count back from.")]

ENGINES = ("spark",)
"""The engines `accord batch` can run on."""


def register(app: typer.Typer) -> None:
    """Add `batch`, `load` and `watch` to the `accord` command."""
    from accord import cli

    @app.command()
    def batch(
        inputs: Annotated[list[str], typer.Argument(help="WARC, WARC.gz or JSONL shards, or folders of them.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for the Parquet tables (documents, articles, events).")],
        engine: Annotated[str, typer.Option(help=f"Where to run: {', '.join(ENGINES)}.")] = "spark",
        master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[*]",
        reference_date: RefOption = None,
        prefilter: Annotated[bool, typer.Option(help="Store pages with no AI term, or too few governance "
                                                     "terms, as not relevant, uncleaned (as `accord ingest "
                                                     "--prefilter`).")] = False,
        max_seconds_per_doc: Annotated[float, typer.Option(min=0, help="Time one document may take before it "
                                                                       "fails (0: no limit).")] = 30.0,
    ) -> None:
        """Clean and extract shards on Spark and write Parquet; `accord load` stores the result."""
        if engine not in ENGINES:
            cli._fail(f"--engine: '{engine}' is not an engine (choose: {', '.join(ENGINES)})")
        try:
            from accord.batch.spark import run_spark
        except ModuleNotFoundError as e:
            cli._fail(f"--engine spark needs PySpark ({e}); install it with `pip install pyspark`")
        ref = cli._reference(reference_date)
        started = time.monotonic()
        try:
            summary = run_spark(inputs, out, master=master, reference_date=ref, prefilter=prefilter,
                                max_seconds=max_seconds_per_doc or None)
        except FileNotFoundError as e:
            cli._fail(str(e))
        cli.out.print(f"shards {summary.shards}, documents {summary.documents}, events {summary.events}, "
                      f"failed {summary.failures} in {time.monotonic() - started:.1f}s  (Parquet in {out}; "
                      f"store it with `accord load {out}`)", highlight=False)

    @app.command()
    def load(
        folder: Annotated[Path, typer.Argument(help="The --out folder of `accord batch`.")],
        db: DbOption = Path("accord.db"),
    ) -> None:
        """Store the output of `accord batch` (re-running changes nothing)."""
        from accord.batch.load import load_batch

        with cli._store(db, must_exist=False) as store:
            try:
                summary = load_batch(folder, store)
            except (FileNotFoundError, ValueError) as e:
                cli._fail(str(e))
            counts = store.counts()
        for failure in summary.failures:
            cli.err.print(f"[yellow]skipped[/yellow] {failure}", highlight=False)
        cli.out.print(f"read {summary.read}, new {summary.new}, unchanged {summary.unchanged}, "
                      f"near-duplicate {summary.duplicate}, failed {summary.failed}, events {summary.events}"
                      f"  (store {db}: {counts['documents']} documents, {counts['events']} events)", highlight=False)

    @app.command()
    def watch(
        sources: Annotated[list[str], typer.Argument(help="Feed (RSS/Atom) or page URLs to keep up with.")],
        every: Annotated[str, typer.Option(help="Time between passes: 30s, 15m, 1h, 1d.")] = "15m",
        db: DbOption = Path("accord.db"),
        once: Annotated[bool, typer.Option("--once", help="Run one pass and exit.")] = False,
        reference_date: RefOption = None,
    ) -> None:
        """Keep a store current from feeds: each pass stores only pages not seen before."""
        from accord.run.watch import WatchSummary, interval_seconds
        from accord.run.watch import watch as run

        try:
            seconds = interval_seconds(every)
        except ValueError as e:
            cli._fail(f"--every: {e}")

        def report(s: WatchSummary) -> None:
            for failure in s.failures:
                cli.err.print(f"[yellow]skipped[/yellow] {failure}", highlight=False)
            cli.out.print(f"{time.strftime('%H:%M:%S')} feeds {s.feeds}, links {s.links}, already seen {s.seen}, "
                          f"fetched {s.read}, new {s.new}, unchanged {s.unchanged}, near-duplicate {s.duplicate}, "
                          f"failed {s.failed}, events {s.events}", highlight=False)

        with cli._store(db, must_exist=False) as store:
            try:
                run(sources, store, seconds, once=once, reference_date=cli._reference(reference_date), report=report)
            except KeyboardInterrupt:
                cli.err.print("stopped", highlight=False)
