"""`accord serve`: the web app (JSON API and pages) over a store, under uvicorn."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Annotated

import typer


def serve(
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("accord.db"),
    host: Annotated[str, typer.Option(help="Address to listen on (localhost unless told otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token_file: Annotated[Path | None, typer.Option(
        help="A file only you can read (chmod 600) holding the write token for reviews.")] = None,
    token: Annotated[str | None, typer.Option(
        help="The write token itself (default: $ACCORD_TOKEN); other local users can see a command "
             "line, so prefer --token-file or the variable. With no token the server is read-only.")] = None,
    read_only: Annotated[bool, typer.Option(
        "--read-only", help="Serve with no write token, whatever $ACCORD_TOKEN says: reviews are disabled.")] = False,
    query_budget: Annotated[float | None, typer.Option(
        min=0, help="Seconds a request may run before its SQLite statement is stopped with a 503 "
                    "(default: $ACCORD_QUERY_BUDGET, else 10; 0: no limit).")] = None,
    reindex: Annotated[bool, typer.Option(help="Rebuild the full-text index before serving.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (one per core serves the most requests).")] = 1,
    cache: Annotated[float, typer.Option(
        help="Seconds an anonymous GET answer is reused (0: never; the store changes only on ingest or review).")] = 5.0,
) -> None:
    """Serve the web pages and the JSON API (docs at /api/docs) over a store."""
    import uvicorn

    from accord.web.app import create_app, ready_store
    from accord.web.limits import QUERY_BUDGET_ENV
    from accord.web.security import TOKEN_ENV, checked_token, token_from_file
    from accord.web.shared_answers import ANSWERS_ENV, create_answers_file

    if not db.exists():
        typer.echo(f"error: {db}: no such store (run `accord ingest PATH --db {db}` first)", err=True)
        raise typer.Exit(2)
    if token and token_file:
        typer.echo("error: give the write token once: --token or --token-file, not both", err=True)
        raise typer.Exit(2)
    try:
        if read_only:
            token = None
        elif token_file:
            token = token_from_file(token_file)
        elif token or os.environ.get(TOKEN_ENV):
            token = checked_token(token or os.environ[TOKEN_ENV], "--token" if token else f"${TOKEN_ENV}")
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    if query_budget is not None:
        os.environ[QUERY_BUDGET_ENV] = str(query_budget)  # for this process and any workers
    message = (f"Accord on http://{host}:{port}/  (store {db}; "
               f"{'reviews enabled' if token else 'read-only: no write token configured'})")
    if workers == 1:
        app = create_app(db, token=token, reindex=reindex, cache_seconds=cache)  # also readies the search index
        typer.echo(message, err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    ready_store(db, reindex)  # once, here: each worker makes its own app
    typer.echo(message, err=True)
    with tempfile.TemporaryDirectory(prefix="accord-serve-") as folder:  # private (0700), removed at exit
        os.environ.update(ACCORD_WEB_DB=str(db.resolve()), ACCORD_WEB_CACHE=str(cache),
                          ACCORD_WEB_SALT=secrets.token_hex(16))
        os.environ[ANSWERS_ENV] = str(create_answers_file(Path(folder)))
        if token:
            os.environ[TOKEN_ENV] = token
        else:
            os.environ.pop(TOKEN_ENV, None)
        uvicorn.run("accord.web.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level="warning")


def register(app: typer.Typer) -> None:
    """Add `accord serve` to the main CLI."""
    app.command("serve")(serve)
