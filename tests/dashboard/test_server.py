"""`repetend dashboard` as a process: address, port, Ctrl-C, remote access and its token."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.dashboard.conftest import Served, start, stop


def test_it_prints_a_loopback_address_on_a_free_port_and_stops_on_ctrl_c(mined: Path) -> None:
    served = start(mined)
    assert served.url.startswith("http://127.0.0.1:")
    assert served.json("/api/patterns/candidates")["total"] == 2
    began = time.monotonic()
    code, out = stop(served)
    assert code == 0 and "stopped" in out
    assert time.monotonic() - began < 10


def test_port_sets_the_port(mined: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = start(mined, "--port", str(port))
    try:
        assert served.url == f"http://127.0.0.1:{port}"
        busy = subprocess.run(
            [sys.executable, "-m", "repetend", "dashboard", "--port", str(port)],
            cwd=mined, capture_output=True, text=True, check=False, timeout=30,
        )  # fmt: skip
        assert busy.returncode == 2
        assert busy.stderr.startswith(f"repetend: error: --port {port}: cannot listen")
    finally:
        stop(served)


def test_a_host_other_machines_reach_is_refused_without_allow_remote(mined: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "dashboard", "--host", "0.0.0.0"],
        cwd=mined, capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--allow-remote" in done.stderr and done.stderr.count("\n") == 1


def test_served_remotely_every_request_needs_the_access_token(mined: Path) -> None:
    remote = start(mined, "--host", "0.0.0.0", "--allow-remote")
    # Only loopback traffic in tests: the server listens on every address, we use 127.0.0.1.
    served = Served(remote.url.replace("0.0.0.0", "127.0.0.1"), remote.process, mined)
    try:
        assert len(remote.token) >= 32
        assert served.request("GET", "/api/patterns/active")[0] == 401
        assert served.request("GET", "/dashboard/overview?token=wrong")[0] == 401
        bearer = {"Authorization": f"Bearer {remote.token}"}
        status, _, _ = served.request("GET", "/api/patterns/active", headers=bearer, session=False)
        assert status == 200
        status, headers, _ = served.request("GET", f"/dashboard/candidates?token={remote.token}")
        assert status == 303 and headers["location"] == "/dashboard/candidates"
        assert served.json("/api/patterns/candidates")["total"] == 2  # the cookie it set
        first = served.json("/api/patterns/candidates")["items"][0]["id"]
        done = served.post(f"/api/patterns/{first}/approve", {"note": "team review"})
        assert done["status"] == "approved"
        status, _, _ = served.request(
            "POST", f"/api/patterns/{first}/reject", {}, bearer, session=False
        )
        assert status == 200  # a script with the token: no cookie, so no CSRF to forge
    finally:
        stop(remote)


def test_open_opens_the_address_in_the_browser(
    mined: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))  # what Python's webbrowser runs
    served = start(mined, "--open")
    try:
        deadline = time.monotonic() + 10
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text().strip() == served.url + "/"
    finally:
        stop(served)


def test_without_the_extra_it_says_what_to_install(mined: Path) -> None:
    # As if FastAPI were not installed: importing it fails, as it would.
    code = (
        "import sys; sys.modules['fastapi'] = None\n"
        "from repetend.cli import main; sys.exit(main(['dashboard']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=mined, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr == (
        "repetend: error: the dashboard needs its extra (fastapi is missing):"
        ' pip install "repetend[dashboard]"\n'
    )


def test_ctrl_c_stops_it_while_a_live_stream_is_open(mined: Path) -> None:
    import http.client
    from urllib.parse import urlsplit

    served = start(mined)
    where = urlsplit(served.url)
    stream = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    stream.request("GET", "/api/events/stream")
    assert stream.getresponse().status == 200
    began = time.monotonic()
    code, out = stop(served)
    stream.close()
    assert code == 0 and "stopped" in out
    assert time.monotonic() - began < 5
