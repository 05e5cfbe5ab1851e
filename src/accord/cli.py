"""The `accord` command: a thin front end over the library; each command calls one function.

Errors reach the user as one line naming the input and the reason, never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from accord.records import ACTIONS, ReadFailure
from accord.sources.errors import one_line

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Accord: who did what to which AI-governance instrument, when, and according to which sentence.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store.")]
RefOption = Annotated[str | None, typer.Option("--reference-date", help="Date (YYYY-MM-DD) that relative stamps such as '1 day ago' count back from.")]


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def _reference(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--reference-date: '{value}' is not a date of the form YYYY-MM-DD")
    return None


def _store(db: Path, must_exist: bool = True):
    from accord.store.database import Store

    if must_exist and not db.exists():
        _fail(f"{db}: no such store (run `accord ingest PATH --db {db}` first)")
    try:
        return Store(db)
    except Exception as e:  # noqa: BLE001 - a corrupt or foreign file gets one line
        _fail(f"{db}: not an Accord store ({e})")


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for standard input.")],
    db: DbOption = Path("accord.db"),
    reference_date: RefOption = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero when any input failed.")] = False,
    workers: Annotated[int, typer.Option(min=0, help="Processes to clean and extract on (0: all cores).")] = 0,
    prefilter: Annotated[bool, typer.Option(help="Store pages with no AI term, or too few governance terms to "
                                                 "be relevant, as not relevant, uncleaned (title and date "
                                                 "kept): fast on general news.")] = False,
    max_seconds_per_doc: Annotated[float, typer.Option(min=0, help="Time one document may take to clean and "
                                                                   "extract before it fails (0: no limit).")] = 30.0,
    max_mb_per_doc: Annotated[float, typer.Option(min=0.001, help="Largest page, WARC record or JSONL line read, "
                                                                 "in MB.")] = 50.0,
    max_records_per_input: Annotated[int, typer.Option(min=1, help="WARC records, JSONL lines or feed items "
                                                                   "read from one input.")] = 1_000_000,
    max_gb_unpacked: Annotated[float, typer.Option(min=0.001, help="Bytes one gzip input may decompress to, "
                                                                  "in GB.")] = 8.0,
) -> None:
    """Read inputs, clean and extract them, and store the result (re-running changes nothing)."""
    from accord.pipeline import ingest as run
    from accord.run.parallel import default_workers
    from accord.sources.limits import DEFAULT_LIMITS, MIB

    ref = _reference(reference_date)
    limits = replace(DEFAULT_LIMITS, max_bytes=round(max_mb_per_doc * MIB), max_records=max_records_per_input,
                     max_expanded=round(max_gb_unpacked * 1024 * MIB))
    try:
        with _store(db, must_exist=False) as store, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("ingesting", total=None)
            summary = run(inputs, store, reference_date=ref, workers=workers or default_workers(),
                          prefilter=prefilter, max_seconds=max_seconds_per_doc or None, limits=limits,
                          tick=lambda source: progress.update(task, advance=1, description=Path(source).name[:40]))
            counts = store.counts()
    except (sqlite3.Error, OSError) as e:
        _fail(f"{db}: cannot write the store: {one_line(e)} (documents stored before this are kept; "
              "make room and run the same command again to resume)")
    for failure in summary.failures:
        err.print(f"[yellow]skipped[/yellow] {escape(str(failure))}", highlight=False)
    out.print(f"read {summary.read}, new {summary.new}, unchanged {summary.unchanged}, "
              f"near-duplicate {summary.duplicate}, failed {summary.failed}, events {summary.events}"
              f"  (store {db}: {counts['documents']} documents, {counts['events']} events)", highlight=False)
    if strict and summary.failed:
        raise typer.Exit(1)


@app.command()
def docs(db: DbOption = Path("accord.db"),
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False) -> None:
    """List stored documents: title, published date, relevance, duplicate-of."""
    with _store(db) as store:
        rows = store.documents()
    if as_json:
        for r in rows:
            out.print(json.dumps(r.__dict__, ensure_ascii=False), highlight=False, markup=False)
        return
    table = Table("id", "doc", "published", "relevant", "events", "duplicate of", "title")
    for r in rows:
        table.add_row(r.id[:10], r.doc, r.published or "", "yes" if r.relevant else "no", str(r.events),
                      (r.duplicate_of or "")[:10], (r.title or "")[:70])
    out.print(table)


@app.command()
def show(ref: Annotated[str, typer.Argument(help="Document id (or prefix) or name.")],
         db: DbOption = Path("accord.db"),
         removed: Annotated[bool, typer.Option("--removed", help="Also print the boilerplate removed.")] = False,
         all_articles: Annotated[bool, typer.Option("--all", help="Print every article of the page.")] = False) -> None:
    """Print a document's cleaned principal article (and, on request, what cleaning removed)."""
    with _store(db) as store:
        row = store.document(ref)
        if row is None:
            _fail(f"{ref}: no such document in {db}")
        articles = store.articles(row["id"])
        events = store.events(doc_id=row["id"])
    out.print(f"[bold]{row['title'] or '(no title)'}[/bold]\n{row['doc']}  {row['published'] or 'no date'}"
              f"  relevant={bool(row['relevant'])}  {row['source']}\n")
    for a in articles:
        if a["principal"] or all_articles:
            out.print(a["text"], highlight=False, markup=False)
            out.print()
    for e in events:
        out.print(f"  {e.actor} {e.action} {e.target} ({e.date or 'no date'})", highlight=False, markup=False)
    if removed:
        out.print("\n[dim]removed:[/dim]")
        for line in json.loads(row["removed"]):
            out.print(f"  - {line}", highlight=False, markup=False)


@app.command("extract")
def extract_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for standard input.")],
    fmt: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    reference_date: RefOption = None,
) -> None:
    """Print one FORMAT.md record per input document (JSON lines), without storing anything."""
    from accord.formats import document_record
    from accord.pipeline import processed_stream

    if fmt != "jsonl":
        _fail(f"--format: '{fmt}' is not supported (choose: jsonl)")
    for item in processed_stream(inputs, _reference(reference_date)):
        if isinstance(item, ReadFailure):
            err.print(f"skipped {item}", highlight=False, markup=False)
            continue
        sys.stdout.write(json.dumps(document_record(item.clean, item.extraction), ensure_ascii=False) + "\n")


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold records (FORMAT.md JSONL).")],
    inputs: Annotated[list[str], typer.Argument(help="The documents the gold describes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List missed and spurious events.")] = False,
    reference_date: RefOption = None,
) -> None:
    """Extract from the inputs and print precision, recall and F1 against the gold."""
    from accord.evaluation import evaluate, report_lines
    from accord.formats import document_record
    from accord.pipeline import processed_stream

    try:
        lines = gold.read_text(encoding="utf-8").splitlines()
        gold_docs = {}
        for line in lines:
            if line.strip():
                record = json.loads(line)
                gold_docs[record["doc"]] = record
    except (OSError, ValueError, KeyError) as e:
        _fail(f"{gold}: not readable gold records ({type(e).__name__}: {e})")
    pred = {}
    for item in processed_stream(inputs, _reference(reference_date)):
        if isinstance(item, ReadFailure):
            err.print(f"skipped {item}", highlight=False, markup=False)
            continue
        pred[item.clean.doc] = document_record(item.clean, item.extraction)
    result, errors = evaluate(gold_docs, pred)
    if as_json:
        out.print(json.dumps(result, indent=2), highlight=False, markup=False)
    else:
        for line in report_lines(result):
            out.print(line, highlight=False, markup=False)
    if show_errors:
        for kind, doc, ev in errors:
            err.print(f"{kind:<9} {doc}: {ev.get('actor')} {ev.get('action')} {ev.get('target')}",
                      highlight=False, markup=False)


@app.command()
def events(
    db: DbOption = Path("accord.db"),
    actor: Annotated[str | None, typer.Option(help="Actor code, e.g. USA or UNGA.")] = None,
    action: Annotated[str | None, typer.Option(help=f"One of: {', '.join(ACTIONS)}.")] = None,
    target: Annotated[str | None, typer.Option(help="Target key or words of its name.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List stored events, filtered by actor, action or target."""
    if action and action.lower() not in ACTIONS:
        _fail(f"--action: '{action}' is not an action (choose: {', '.join(ACTIONS)})")
    with _store(db) as store:
        rows = store.events(actor=actor, action=action, target=target)
    if as_json:
        for r in rows:
            out.print(json.dumps(r.__dict__, ensure_ascii=False), highlight=False, markup=False)
        return
    table = Table("date", "actor", "action", "target", "doc", "evidence")
    for r in rows:
        table.add_row(r.date or "", r.actor, r.action, r.target[:50], r.doc[:24], r.evidence[:80])
    out.print(table)


def _register_more_commands() -> None:
    """Commands of later stages live in their own modules and register themselves on `app`."""
    import importlib

    for name in ("accord.commands.knowledge", "accord.commands.batch", "accord.commands.web",
                 "accord.commands.patterns"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        module.register(app)


_register_more_commands()


def main() -> None:
    from accord.extract.patterns import PatternError
    from accord.knowledge import KnowledgeError

    try:
        app()
    except (PatternError, KnowledgeError) as e:  # a bad data file: one line naming it, never a traceback
        err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
