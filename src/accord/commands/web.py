"""`accord serve`: the web app (JSON API and pages) over a store, under uvicorn."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer


def serve(
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("accord.db"),
    host: Annotated[str, typer.Option(help="Address to listen on (localhost unless told otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Write token for reviews (default: $ACCORD_TOKEN; with neither, the server is read-only).")] = None,
    reindex: Annotated[bool, typer.Option(help="Rebuild the full-text index before serving.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (one per core serves the most requests).")] = 1,
    cache: Annotated[float, typer.Option(
        help="Seconds an anonymous GET answer is reused (0: never; the store changes only on ingest or review).")] = 5.0,
) -> None:
    """Serve the web pages and the JSON API (docs at /api/docs) over a store."""
    import uvicorn

    from accord.web.app import create_app

    if not db.exists():
        typer.echo(f"error: {db}: no such store (run `accord ingest PATH --db {db}` first)", err=True)
        raise typer.Exit(2)
    token = token or os.environ.get("ACCORD_TOKEN") or None
    app = create_app(db, token=token, reindex=reindex, cache_seconds=cache)  # also readies the search index
    typer.echo(f"Accord on http://{host}:{port}/  (store {db}; "
               f"{'reviews enabled' if token else 'read-only: no write token configured'})", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    os.environ.update(ACCORD_WEB_DB=str(db.resolve()), ACCORD_WEB_CACHE=str(cache),
                      ACCORD_WEB_SALT=secrets.token_hex(16))
    if token:
        os.environ["ACCORD_TOKEN"] = token
    uvicorn.run("accord.web.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


def register(app: typer.Typer) -> None:
    """Add `accord serve` to the main CLI."""
    app.command("serve")(serve)
