"""Run the dashboard: bind, print the address, open the browser, stop on Ctrl-C.

The socket is bound here before uvicorn starts, so port 0 (the default) picks a free
port and the address printed is the one that answers.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import time
import webbrowser
from collections.abc import Callable

import pluggy
import uvicorn

from repetend.config import Config
from repetend.dashboard.app import create_app
from repetend.dashboard.board import Dashboard
from repetend.dashboard.security import Access
from repetend.errors import UsageError


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or `localhost`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_for(host: str, allow_remote: bool) -> Access:
    """No token on loopback; elsewhere only with `allow_remote`, and then a random token."""
    if is_loopback(host):
        return Access()
    if not allow_remote:
        raise UsageError(
            f"--host {host}: not a loopback address; the dashboard can change patterns, so"
            " serving it to other machines needs --allow-remote (an access token is then required)"
        )
    return Access(token=secrets.token_urlsafe(24))


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host:port` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise UsageError(f"--port {port}: cannot listen on {host} ({error.strerror})") from error
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def address(sock: socket.socket, host: str, access: Access) -> str:
    """The URL to open: the bound port, and the access token when one is needed."""
    port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    token = f"?token={access.token}" if access.token else ""
    return f"http://{shown}:{port}/{token}"


def serve(
    config: Config,
    manager: pluggy.PluginManager,
    *,
    host: str,
    port: int,
    allow_remote: bool,
    open_browser: bool,
    say: Callable[[str], None],
) -> None:
    """Serve until interrupted; `say` prints the address (and the stop message)."""
    access = access_for(host, allow_remote)
    sock = bind(host, port)
    app = create_app(Dashboard(config, manager, access))
    settings = uvicorn.Config(
        app, log_level="warning", timeout_graceful_shutdown=1, lifespan="on", access_log=False
    )
    server = uvicorn.Server(settings)
    url = address(sock, host, access)
    say(f"repetend dashboard: {url}  (Ctrl-C stops it)")
    if open_browser:
        threading.Thread(target=_open_when_up, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops first, then passes the signal on
        pass
    finally:
        sock.close()
    say("repetend dashboard stopped.")


def _open_when_up(server: uvicorn.Server, url: str) -> None:
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    webbrowser.open(url)
