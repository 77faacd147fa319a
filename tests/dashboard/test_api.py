"""The dashboard's API over real HTTP on loopback, against the real store of a mined repository."""

from __future__ import annotations

import http.client
import json
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from repetend.store import PatternUse, SQLiteStore
from repetend.store.rows import to_text
from tests.dashboard.conftest import Served, drafts, repetend


def test_a_decision_goes_through_the_lifecycle_and_the_audit_log(served: Served) -> None:
    first, second = (d["id"] for d in drafts(served.root))
    done = served.post(f"/api/patterns/{first}/approve", {"note": "reviewed in the browser"})
    assert done["status"] == "approved"
    assert done["spec_path"].startswith(".repetend/patterns/approved/")
    assert (served.root / done["spec_path"]).is_file()
    shown = json.loads(repetend(served.root, "candidates", "show", first, "--json"))
    assert shown["status"] == "approved"
    assert shown["history"][-1]["note"] == "reviewed in the browser"
    assert shown["history"][-1]["actor"].endswith("(dashboard)")
    served.post(f"/api/patterns/{second}/quarantine", {"note": "", "actor": "alice"})
    assert served.json(f"/api/patterns/{second}/history")["items"][-1]["actor"] == "alice"
    active = served.json("/api/patterns/active")
    assert [p["id"] for p in active["items"]] == [first]
    assert served.json("/api/patterns/candidates")["total"] == 0


def test_a_refused_decision_says_why(served: Served) -> None:
    first = drafts(served.root)[0]["id"]
    served.post(f"/api/patterns/{first}/reject", {"note": "one-off"})
    again = served.post(f"/api/patterns/{first}/reject", {}, status=409)
    assert again["detail"] == f"{first} is already rejected"
    missing = served.post("/api/patterns/AUTO-19990101-999/approve", {}, status=404)
    assert "AUTO-19990101-999" in missing["detail"]
    too_long = served.post(f"/api/patterns/{first}/approve", {"note": "x" * 2001}, status=422)
    assert too_long["detail"][0]["loc"] == ["body", "note"]


def test_a_post_without_the_csrf_token_changes_nothing(served: Served) -> None:
    first = drafts(served.root)[0]["id"]
    served.json("/api/session")  # a session cookie, but no token sent
    status, _, body = served.request("POST", f"/api/patterns/{first}/approve", {"note": "x"})
    assert status == 403 and b"CSRF" in body
    wrong = {"X-CSRF-Token": "0" * 64}
    status, _, _ = served.request("POST", f"/api/patterns/{first}/approve", {}, wrong)
    assert status == 403
    token = {"X-CSRF-Token": served.json("/api/session")["csrf_token"]}
    status, _, _ = served.request(
        "POST", f"/api/patterns/{first}/approve", {}, token, session=False
    )
    assert status == 403  # a token without its cookie is someone else's
    assert drafts(served.root)[0]["status"] == "draft"


def test_every_response_is_locked_down(served: Served) -> None:
    for path in ("/dashboard/overview", "/api/patterns/active", "/static/dashboard.js"):
        status, headers, _ = served.request("GET", path, session=False)
        assert status == 200
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, _, _ = served.request("GET", "/api/patterns/active", headers={"Host": "evil.test"})
    assert status == 403  # a rebound DNS name does not reach a loopback dashboard


def test_uses_over_time(served: Served) -> None:
    pattern_id = drafts(served.root)[0]["id"]
    store = SQLiteStore(served.root / ".repetend" / "repetend.db")
    monday = datetime(2026, 11, 2, 10, tzinfo=timezone.utc)
    outcomes = [("success", 0), ("success", 1), ("failure", 2), ("workaround", 8), ("success", 9)]
    for outcome, days in outcomes:
        at = monday + timedelta(days=days)
        store.record_use(PatternUse(pattern_id, outcome, seconds_saved=60.0, at=at))
    store.close()
    stats = served.json(f"/api/patterns/{pattern_id}/stats")
    assert stats["totals"]["uses"] == 5 and stats["totals"]["successes"] == 3
    assert stats["totals"]["success_rate"] == 0.6
    weeks = [
        (w["start"], w["uses"], w["successes"], w["failures"], w["workarounds"])
        for w in stats["series"]
    ]
    assert weeks == [("2026-11-02", 3, 2, 1, 0), ("2026-11-09", 2, 1, 0, 1)]
    assert stats["series"][0]["seconds_saved"] == 180.0
    days = served.json(f"/api/patterns/{pattern_id}/stats?bucket=day&since=2026-11-10T00:00:00Z")
    assert [d["start"] for d in days["series"]] == ["2026-11-10", "2026-11-11"]
    served.json("/api/patterns/NOPE/stats", status=404)


def test_every_list_is_paged(served: Served) -> None:
    first = served.json("/api/patterns/candidates?limit=1")
    assert first["total"] == 2 and len(first["items"]) == 1 and first["next_offset"] == 1
    last = served.json("/api/patterns/candidates?limit=1&offset=1")
    assert last["next_offset"] is None and last["items"][0]["id"] != first["items"][0]["id"]
    assert last["items"][0]["evidence"] and last["items"][0]["spec"]["members"]
    for path in (
        "/api/patterns/active",
        "/api/patterns/anti-patterns",
        "/api/audit",
        "/api/events",
    ):
        assert served.json(f"{path}?limit=1")["limit"] == 1
        served.json(f"{path}?limit=0", status=422)
        served.json(f"{path}?limit=501", status=422)


def test_anti_patterns_explain_an_empty_list_then_list_what_the_learner_stored(
    served: Served,
) -> None:
    empty = served.json("/api/patterns/anti-patterns")
    assert empty["items"] == [] and "failure" in empty["empty_reason"]
    seen = to_text(datetime(2026, 11, 3, tzinfo=timezone.utc))
    with sqlite3.connect(served.root / ".repetend" / "repetend.db") as db:
        db.execute(
            "INSERT INTO anti_patterns (signature, kind, description, occurrences, evidence,"
            " status, first_seen, last_seen) VALUES ('s1', 'command', 'make fails without"
            " venv', 3, '[1, 2]', 'active', ?, ?)",
            (seen, seen),
        )
    found = served.json("/api/patterns/anti-patterns")
    assert found["empty_reason"] == "" and found["items"][0]["description"] == (
        "make fails without venv"
    )


def test_an_anti_pattern_the_learner_found_is_listed_with_its_id_and_cause(served: Served) -> None:
    import subprocess
    import sys

    failing = ["sh", "-c", "echo 'error: No module named yaml' >&2; exit 3"]
    for session in ("a", "b", "c"):  # three failures with one signature: an anti-pattern
        subprocess.run(
            [sys.executable, "-m", "repetend", "run", "--session", session, "--", *failing],
            cwd=served.root,
            capture_output=True,
            check=False,
        )
    learned = subprocess.run(
        [sys.executable, "-m", "repetend", "heal", "--learn"],
        cwd=served.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert learned.returncode == 0, learned.stderr
    [item] = served.json("/api/patterns/anti-patterns")["items"]
    assert (item["pattern_id"], item["kind"], item["occurrences"]) == ("ANTI-PAT-001", "command", 3)
    assert item["cause"] == "missing_dependency"


def test_the_stream_delivers_an_event_captured_by_another_process(served: Served) -> None:
    where = urlsplit(served.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.request("GET", "/api/events/stream", headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("content-type", "").startswith(
        "text/event-stream"
    )
    assert response.readline() == b"retry: 1000\n"
    time.sleep(0.3)  # the poller has started after the newest stored event
    captured = capture(served.root, "streamed-subject")
    data = read_event(response, "streamed-subject")
    delay = time.monotonic() - captured
    connection.close()
    assert data["source"] == "git" and data["kind"] == "commit"
    assert delay < 2.0


def capture(root: Path, subject: str) -> float:
    """Record one event from another process; return when it had stored it."""
    payload = {"subject": subject}
    code = f"import repetend; assert repetend.record_event('git', 'commit', {payload!r})"
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
    return time.monotonic()


def read_event(response: http.client.HTTPResponse, text: str) -> dict[str, object]:
    """Read server-sent events until one whose data holds `text`."""
    while True:
        line = response.readline().decode()
        assert line, "the stream closed"
        if line.startswith("data: ") and text in line:
            found: dict[str, object] = json.loads(line.removeprefix("data: "))
            return found


def test_a_hundred_concurrent_requests_are_all_served(served: Served) -> None:
    paths = ["/api/patterns/active", "/api/patterns/candidates", "/dashboard/overview",
             "/dashboard/candidates", "/api/events", "/dashboard/library"]  # fmt: skip

    def fetch(n: int) -> int:
        return served.request("GET", paths[n % len(paths)], session=False)[0]

    with ThreadPoolExecutor(100) as pool:
        statuses = list(pool.map(fetch, range(100)))
    assert statuses == [200] * 100


def test_the_preview_is_what_apply_dry_run_writes(served: Served) -> None:
    sensor = next(d["id"] for d in drafts(served.root) if d["name"].startswith("sensors"))
    values = {"slug": "omega", "classes": "class omega"}
    files = served.post(f"/api/patterns/{sensor}/preview", {"values": values})
    sets = [f"--set={name}={value}" for name, value in values.items()]
    dry = repetend(served.root, "apply", sensor, *sets, "--dry-run", "--json")
    assert [f["path"] for f in files] == ["sensors/omega.py"]
    assert [f["path"] for f in json.loads(dry)["files"]] == ["sensors/omega.py"]
    assert 'name = "omega"' in files[0]["text"] and not (served.root / "sensors/omega.py").exists()
    refused = served.post(f"/api/patterns/{sensor}/preview", {"values": {}}, status=400)
    assert "missing 2 required variables" in refused["detail"]


def test_the_openapi_schema_lists_the_endpoints(served: Served) -> None:
    paths = served.json("/api/openapi.json")["paths"]
    for path in ("/api/patterns/active", "/api/patterns/{pattern_id}/stats",
                 "/api/patterns/candidates", "/api/patterns/{pattern_id}/approve",
                 "/api/patterns/{pattern_id}/reject", "/api/patterns/{pattern_id}/quarantine",
                 "/api/patterns/anti-patterns", "/api/events/stream"):  # fmt: skip
        assert path in paths, path
    assert not any(p.startswith("/dashboard") for p in paths)
