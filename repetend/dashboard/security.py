"""Who may talk to the dashboard, and how: host check, access token, session, CSRF, headers.

One ASGI middleware in front of every route:

- On loopback the `Host` header must name a loopback address, so a web page elsewhere
  cannot reach the server through a rebound DNS name.
- Served to other machines (`--allow-remote`), every request needs the access token:
  once as `?token=` (which turns into a session cookie), or as `Authorization: Bearer`.
- Every browser gets an HTTP-only, SameSite=Strict session cookie; every state-changing
  request must carry the CSRF token derived from it in `X-CSRF-Token` (a bearer-token
  client sends no cookie, so it cannot be forged across sites and needs none).
- Every response carries a strict Content-Security-Policy: scripts, styles and data
  come from the server itself, nothing inline, no frames.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "repetend_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass
class Access:
    """The server's secrets: the key sessions are signed with and, when remote, the token."""

    token: str | None = None  # None: loopback only, no token asked
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def sign(self, text: str) -> str:
        """An HMAC of `text` under the server's key (hex)."""
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def new_session(self, *, authorised: bool) -> str:
        """A fresh signed session value: nonce, whether the token was shown, signature."""
        body = f"{secrets.token_urlsafe(18)}.{int(authorised)}"
        return f"{body}.{self.sign(body)}"

    def session(self, value: str) -> tuple[str, bool] | None:
        """(value, authorised) for a session this server signed, else None."""
        body, _, signature = value.rpartition(".")
        if not body or not hmac.compare_digest(self.sign(body), signature):
            return None
        return value, body.endswith(".1")

    def csrf(self, session: str) -> str:
        """The CSRF token that goes with one session."""
        return self.sign(f"csrf:{session}")

    def token_matches(self, given: str) -> bool:
        """Whether `given` is the access token (in constant time)."""
        return self.token is not None and hmac.compare_digest(given, self.token)


class Guard:
    """The ASGI middleware that applies `Access` to every HTTP request (see the module)."""

    def __init__(self, app: App, access: Access) -> None:
        self.app, self.access = app, access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with the session and security headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        await self._pass(scope, receive, send, headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, list[Any]] | None:
        if self.access.token is None and _host_name(headers.get("host", "")) not in LOOPBACK_NAMES:
            return 403, "this dashboard answers only on a loopback address", []
        if self.access.token is None or _bearer(self.access, headers):
            return None
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if self.access.token_matches(query.pop("token", "")):
            cookie = _cookie(self.access.new_session(authorised=True))
            target = scope["path"] + (f"?{urlencode(query)}" if query else "")
            return 303, "signed in", [(b"location", target.encode()), cookie]
        found = self.access.session(_cookies(headers).get(COOKIE, ""))
        if found is None or not found[1]:
            return 401, "an access token is required: open the address the server printed", []
        return None

    async def _pass(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        bearer = self.access.token is not None and _bearer(self.access, headers)
        found = self.access.session(_cookies(headers).get(COOKIE, ""))
        if scope["method"] not in SAFE_METHODS and not bearer:
            given = headers.get(CSRF_HEADER, "")
            if found is None or not hmac.compare_digest(given, self.access.csrf(found[0])):
                await _plain(send, 403, "CSRF token missing or wrong (send X-CSRF-Token)", [])
                return
        session = found[0] if found else self.access.new_session(authorised=bool(bearer))
        scope.setdefault("state", {})["csrf"] = self.access.csrf(session)
        fresh = None if found else _cookie(session)
        began = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # How long the server took to answer (a browser's devtools show it too).
                spent = f"app;dur={(time.perf_counter() - began) * 1000:.1f}".encode()
                message["headers"] = [*message.get("headers", []), *HEADERS]
                message["headers"].append((b"server-timing", spent))
                if fresh is not None:
                    message["headers"].append(fresh)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _bearer(access: Access, headers: dict[str, str]) -> bool:
    scheme, _, given = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and access.token_matches(given.strip())


def _host_name(host: str) -> str:
    """The name part of a Host header (`[::1]:8000` -> `[::1]`, `localhost:80` -> `localhost`)."""
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no session, not an error page
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _cookie(session: str) -> tuple[bytes, bytes]:
    value = f"{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/"
    return b"set-cookie", value.encode()


async def _plain(send: Send, status: int, message: str, extra: list[Any]) -> None:
    body = json.dumps({"detail": message}).encode()
    start = [(b"content-type", b"application/json"), *HEADERS, *extra]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})
