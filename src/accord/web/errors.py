"""Clear answers, never tracebacks, for what a request can run into below the routes.

- a statement stopped by the query budget: 503 with Retry-After (the aggregate may be
  ready on the next try, see `Web.cached`);
- SQLite saying the store is busy or locked: 503 with Retry-After (in WAL mode readers
  should never see it; should it happen, the client is told to retry, not shown a 500);
- something the analyze stage does not know (an actor or target code): 404.

Under /api the answer is JSON `{"detail": ...}`; elsewhere it is the HTML error page.
Anything else stays a plain 500 "Internal Server Error" (FastAPI runs without debug).
"""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from accord.web.limits import QUERY_BUDGET_ENV, is_busy, is_interrupted


def _answer(request: Request, status: int, heading: str, message: str, retry_after: int | None = None) -> Response:
    headers = {"retry-after": str(retry_after)} if retry_after else None
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    from accord.web.pages import render

    response = render(request, "error.html", status, message=message, heading=heading)
    if headers:
        response.headers.update(headers)
    return response


async def sqlite_error(request: Request, exc: Exception) -> Response:
    """503 for a statement past its budget or a busy store; any other SQLite error is re-raised (500)."""
    if is_interrupted(exc):
        budget = getattr(request.app.state.web, "query_budget", 0)
        return _answer(request, 503, "Too slow", f"the query ran past its time budget of {budget:g} s "
                       f"({QUERY_BUDGET_ENV}); narrow the filters, or try again shortly", retry_after=5)
    if is_busy(exc):
        return _answer(request, 503, "Busy", "the store is busy; try again shortly", retry_after=1)
    raise exc


async def not_known(request: Request, exc: Exception) -> Response:
    """404 for the analyze stage's NotFound (a LookupError with `closest`); other LookupErrors are bugs (500)."""
    if getattr(exc, "closest", None) is None:
        raise exc
    return _answer(request, 404, "Not found", str(exc))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    app.add_exception_handler(sqlite3.OperationalError, sqlite_error)
    app.add_exception_handler(LookupError, not_known)
