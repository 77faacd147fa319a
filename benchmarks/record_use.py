"""What recording a use adds to `repetend apply` (target: ≤ 5 ms).

A real repository with an approved template learned by `repetend mine`; then,
alternated in one run, the work of `apply` without recording (plan and write
the file) and with it (the circuit gate, plan and write, and the render kept
in the store for the commit that judges it). Prints the medians, the added
milliseconds and the ratio, and the median of the whole `repetend apply`
command for scale.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 300
SENSOR = (
    '"""The {slug} integration."""\n\nfrom homeauto import Entity, register\n\n'
    'DOMAIN = "{slug}"\n\n\n@register\nclass {pascal}(Entity):\n    name = "{slug}"\n'
)


def repository(root: Path) -> str:
    """A git repository with four sensors mined into an approved template; its id."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".repetend").mkdir()
    (root / "sensors").mkdir()
    for slug in ("air_quality", "door_lock", "motion_sensor", "smart_plug"):
        pascal = "".join(w.capitalize() for w in slug.split("_"))
        (root / "sensors" / f"{slug}.py").write_text(SENSOR.format(slug=slug, pascal=pascal))
    repetend = [sys.executable, "-m", "repetend"]
    mined = subprocess.run([*repetend, "mine", ".", "--json"], cwd=root, capture_output=True)
    [family] = json.loads(mined.stdout)["families"]
    subprocess.run([*repetend, "candidates", "approve", family["id"]], cwd=root, check=True)
    return str(family["id"])


def measure(root: Path, template_id: str) -> tuple[list[float], list[float]]:
    """Seconds per apply without and with recording, alternated."""
    from repetend.config import load_config
    from repetend.store import open_store
    from repetend.templates.apply import plan_rows, write
    from repetend.uses.record import gate, remember_applied

    config = load_config(root)
    store = open_store(config)
    candidate = store.get_candidate(template_id)
    assert candidate is not None
    bare, recorded = [], []
    for n in range(ROUNDS):
        started = time.perf_counter()
        planned = plan_rows(candidate, [{"slug": f"bare_{n}"}], root)
        write(planned, force=False, root=root)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        trial = gate(store, config, candidate, force=False)
        planned = plan_rows(candidate, [{"slug": f"kept_{n}"}], root)
        write(planned, force=False, root=root)
        remember_applied(
            store, candidate, planned, root, source="apply", actor="human", trial=trial
        )
        recorded.append(time.perf_counter() - started)
    store.close()
    return bare, recorded


def whole_command(root: Path, template_id: str) -> float:
    """The median of the whole `repetend apply` command, a fresh interpreter each time."""
    times = []
    for n in range(10):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "repetend", "apply", template_id, "--set", f"slug=cli_{n}"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        template_id = repository(root)
        bare, recorded = measure(root, template_id)
        command = whole_command(root, template_id)
    bare_ms, kept_ms = statistics.median(bare) * 1e3, statistics.median(recorded) * 1e3
    print(f"apply without recording: median {bare_ms:.2f} ms ({ROUNDS} rounds, alternated)")
    print(f"apply with recording:    median {kept_ms:.2f} ms")
    added = kept_ms - bare_ms
    print(f"added by recording: {added:.2f} ms (target <= 5 ms), ratio {kept_ms / bare_ms:.2f}x")
    print(f"the whole `repetend apply` command: median {command * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
