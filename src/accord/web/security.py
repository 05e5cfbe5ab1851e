"""Who may write, and protection of the browser's forms against cross-site requests.

Reads are public. Writes (fact reviews) need the write token, which the operator gives
`accord serve` in a file only they can read (`--token-file`), in $ACCORD_TOKEN or with
`--token`; there is no default token, and without one the server is read-only, with no
way to write. A browser proves it knows the token once, at /login, and then holds a
signed session cookie (HttpOnly, SameSite=Strict); every form carries a CSRF token
derived from that session, and a request whose Origin, Sec-Fetch-Site or Referer says it
comes from another site is refused with 403, with or without the token. An API client
sends the token itself: `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

SESSION_COOKIE = "accord_session"
TOKEN_ENV = "ACCORD_TOKEN"
MIN_TOKEN = 12
"""Shortest write token accepted (`python -c 'import secrets; print(secrets.token_urlsafe(32))'` makes a good one)."""
SAME_ORIGIN_FETCH = ("same-origin", "none")
"""Sec-Fetch-Site values of a request this site's own pages (or the user) made."""
NO_TOKEN = ("writes are disabled: this server was started without a write token "
            "(give `accord serve` --token-file, or set ACCORD_TOKEN)")


@dataclass(frozen=True)
class Session:
    """A browser session: its random id and whether it has shown the write token."""

    sid: str
    authed: bool
    who: str = ""


class Guard:
    """Checks write tokens, signs session cookies and issues CSRF tokens for one running server."""

    def __init__(self, token: str | None, salt: str | None = None):
        self.token = token or None
        if salt and self.token:  # worker processes of one server share the key; nobody without the token has it
            self._key = hashlib.sha256(f"{salt}:{self.token}".encode()).digest()
        else:
            self._key = secrets.token_bytes(32)  # sessions last as long as the server process

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None

    def token_valid(self, given: str | None) -> bool:
        """Whether `given` is the configured token (constant-time; always False with no token)."""
        if self.token is None or not given:
            return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    def bearer_valid(self, request: Request) -> bool:
        """Whether the request carries `Authorization: Bearer <the token>`."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_valid(value.strip())

    def _sign(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def new_session(self, authed: bool = False, who: str = "") -> tuple[Session, str]:
        """A fresh session (of reviewer `who` when authed) and the cookie value that carries it."""
        session = Session(secrets.token_urlsafe(18), authed, who.strip()[:100])
        name = base64.urlsafe_b64encode(session.who.encode()).decode().rstrip("=")
        body = f"{session.sid}.{int(authed)}.{name}"
        return session, f"{body}.{self._sign(body)}"

    def session(self, request: Request) -> Session | None:
        """The request's session if its cookie is one this server signed."""
        value = request.cookies.get(SESSION_COOKIE, "")
        body, _, sig = value.rpartition(".")
        sid, flag, name = (body.split(".") + ["", "", ""])[:3]
        if not sid or not hmac.compare_digest(sig, self._sign(body)):
            return None
        try:
            who = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        return Session(sid, flag == "1" and self.writes_enabled, who)

    def csrf_token(self, session: Session) -> str:
        """The CSRF token a form must send back in this session."""
        return self._sign("csrf:" + session.sid)

    def csrf_valid(self, session: Session | None, given: str | None) -> bool:
        return session is not None and bool(given) and hmac.compare_digest(given, self.csrf_token(session))


def checked_token(token: str, source: str) -> str:
    """`token` if it is long enough to be a secret; ValueError naming `source` otherwise."""
    if len(token) < MIN_TOKEN:
        raise ValueError(f"{source}: a write token needs at least {MIN_TOKEN} characters")
    return token


def token_from_file(path: Path) -> str:
    """The write token held in `path`, a file only its owner may read; ValueError with the reason otherwise.

    A token in a file stays out of the process list (where a command-line --token shows) and
    out of shell history.
    """
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read the token file ({getattr(e, 'strerror', None) or e})") from e
    if mode & 0o077:
        raise ValueError(f"{path}: other users may read this token file (mode {mode & 0o777:04o}); "
                         f"chmod 600 it")
    return checked_token(text.strip(), str(path))


def same_origin(request: Request) -> bool:
    """False if the request says it comes from another site (Sec-Fetch-Site, Origin, else Referer)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in SAME_ORIGIN_FETCH:
        return False  # cross-site, or same-site from another origin (a sibling subdomain)
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin == own
    if origin == "null":
        return False
    referer = request.headers.get("referer")
    if referer:
        return referer == own or referer.startswith(own + "/")
    return True


def safe_next(path: str | None, default: str = "/") -> str:
    """A local path to go back to after a form (never another site)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return default
