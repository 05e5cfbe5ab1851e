"""Fetching URLs politely: the `Fetcher` interface and its default, built on httpx.

A Fetcher is any callable taking a URL and returning a `Fetched` page, raising
`FetchError` with a one-line reason otherwise, so callers (e.g. `accord watch`) can pass
their own. The default `HttpFetcher` sends a User-Agent, follows at most 5 redirects,
times out after 10 s, stops reading past a size cap, and waits between requests to the
same host.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from accord.sources.errors import SourceError, size_text

USER_AGENT = "Accord/0.1 (+https://example.org/accord)"
TIMEOUT = 10.0
MAX_FETCH_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
MIN_INTERVAL = 1.0
"""Seconds between two requests to the same host."""


class FetchError(SourceError):
    """A URL that could not be fetched; the message is the one-line reason."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page: its final URL, body, media type (lower case, no parameters), charset, day."""

    url: str
    content: bytes
    content_type: str | None = None
    charset: str | None = None
    fetched_on: date = field(default_factory=date.today)


class Fetcher(Protocol):
    """Anything that fetches a URL: returns a Fetched page or raises FetchError."""

    def __call__(self, url: str) -> Fetched: ...


def media_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header value."""
    if not header:
        return None, None
    kind, *params = (part.strip() for part in header.split(";"))
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in params if p.lower().startswith("charset=")), None)
    return kind.lower() or None, charset or None


def page_kind(fetched: Fetched) -> str:
    """The RawDocument kind of a fetched page: "text" for text/plain, else "html"."""
    return "text" if fetched.content_type == "text/plain" else "html"


class HttpFetcher:
    """The default Fetcher: httpx with a timeout, a size cap, a User-Agent and per-host pauses.

    The client is made on first use; `close()` (or a `with` block) releases it.
    """

    def __init__(self, *, timeout: float = TIMEOUT, max_bytes: int = MAX_FETCH_BYTES,
                 max_redirects: int = MAX_REDIRECTS, user_agent: str = USER_AGENT,
                 min_interval: float = MIN_INTERVAL) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.min_interval = min_interval
        self._client: httpx.Client | None = None
        self._last_request: dict[str, float] = {}

    def _pause_for(self, url: str) -> None:
        """Wait until `min_interval` seconds have passed since the last request to the URL's host."""
        host = urlsplit(url).netloc.lower()
        wait = self._last_request.get(host, -1e9) + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _client_in_use(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True,
                                        max_redirects=self.max_redirects,
                                        headers={"User-Agent": self.user_agent})
        return self._client

    def __call__(self, url: str) -> Fetched:
        """The page at `url`; FetchError for HTTP errors, timeouts, redirect loops, oversized bodies."""
        self._pause_for(url)
        try:
            with self._client_in_use().stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                return Fetched(str(response.url), self._body(response),
                               *media_type(response.headers.get("content-type")))
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {self.max_redirects})") from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except httpx.ConnectError as err:
            raise FetchError(f"could not connect: {err}") from None
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            raise FetchError(f"could not be fetched: {type(err).__name__}: {err}") from None

    def _body(self, response: httpx.Response) -> bytes:
        """The response body, refusing to read past `max_bytes` (checked before and while reading)."""
        too_big = FetchError(f"larger than {size_text(self.max_bytes)} (download limit)")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_big
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
