"""A real `repetend dashboard` process on loopback, over a repository with mined candidates."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Three files of one shape hold markup and Jinja in their fixed text: the dashboard must show
# them as text. A second family gives the review page a second candidate.
SENSOR = '''class {name}Sensor:
    """Read the {name} sensor. <script>alert("mined")</script> {{{{ not_a_variable }}}}"""

    name = "{name}"

    def read(self) -> int:
        return 42
'''
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromedriver")
DEVICE = '[device]\nname = "{name}"\nkind = "lamp"\nport = 8{n}\n'


@dataclass
class Served:
    """A running dashboard: its address, its process, its repository."""

    url: str  # e.g. http://127.0.0.1:41234 (no slash)
    process: subprocess.Popen[str]
    root: Path
    token: str = ""
    cookie: str = field(default="", repr=False)
    csrf: str = ""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        session: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """One real HTTP request: (status, headers, body); keeps the session cookie."""
        sent = {**(headers or {})}
        if session and self.cookie:
            sent["Cookie"] = self.cookie
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            sent["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=sent)
        try:
            with _opener.open(request, timeout=30) as response:
                status, got, payload = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, got, payload = error.code, dict(error.headers), error.read()
        cookie = got.get("set-cookie") or got.get("Set-Cookie")
        if session and cookie:
            self.cookie = cookie.split(";")[0]
        return status, got, payload

    def json(self, path: str, status: int = 200) -> Any:
        """GET `path` and return its JSON, checking the status."""
        got, _, payload = self.request("GET", path)
        assert got == status, payload[:500]
        return json.loads(payload)

    def post(self, path: str, body: Any, status: int = 200) -> Any:
        """POST JSON with this session's CSRF token; return the JSON answer."""
        if not self.csrf:
            self.csrf = self.json("/api/session")["csrf_token"]
        got, _, payload = self.request("POST", path, body, {"X-CSRF-Token": self.csrf})
        assert got == status, payload[:500]
        return json.loads(payload)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the tests look at redirects themselves


_opener = urllib.request.build_opener(_NoRedirect)


def start(root: Path, *args: str) -> Served:
    """Run `repetend dashboard ARGS` in `root` and wait for the address it prints."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "dashboard", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise AssertionError(f"no address printed: {line!r} {process.communicate()[1]}")
    address = line.split()[2]
    base, _, query = address.partition("/?")
    return Served(base.rstrip("/"), process, root, token=query.removeprefix("token="))


def stop(served: Served) -> tuple[int, str]:
    """Ctrl-C the server; return its exit code and what it printed after the address."""
    served.process.send_signal(signal.SIGINT)
    out, _ = served.process.communicate(timeout=20)
    return served.process.returncode, out


def make_repository(root: Path) -> None:
    """A git repository that uses repetend, with two families of files mined into drafts."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    for n, name in enumerate(("alpha", "beta", "gamma", "delta")):
        (root / "sensors").mkdir(exist_ok=True)
        (root / "sensors" / f"{name}.py").write_text(SENSOR.format(name=name))
        (root / "devices").mkdir(exist_ok=True)
        (root / "devices" / f"{name}.toml").write_text(DEVICE.format(name=name, n=n))
    repetend(root, "init")
    repetend(root, "mine", ".")


def repetend(root: Path, *args: str) -> str:
    """Run the real CLI in `root`; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "repetend", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def drafts(root: Path) -> list[dict[str, Any]]:
    """The draft candidates, as `repetend candidates list --json` gives them."""
    found: list[dict[str, Any]] = json.loads(
        repetend(root, "candidates", "list", "--status", "draft", "--json")
    )
    return found


@pytest.fixture
def mined(tmp_path: Path) -> Path:
    """A repository with two draft file templates."""
    root = tmp_path / "repo"
    make_repository(root)
    assert len(drafts(root)) == 2
    return root


@pytest.fixture
def served(mined: Path) -> Iterator[Served]:
    """The dashboard of the `mined` repository, stopped after the test."""
    running = start(mined)
    yield running
    if running.process.poll() is None:
        stop(running)


def require_browser() -> None:
    """Go on only where Chromium and its driver are installed (a failure where CI promised)."""
    missing = [path for path in CHROMIUM if shutil.which(path) is None]
    if not missing:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(f"{', '.join(missing)} missing, but REQUIRE_BROWSER_TESTS says it must be")
    pytest.skip(f"{', '.join(missing)} not installed here")


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium that keeps its console log."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--disable-gpu", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMIUM[1]))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
