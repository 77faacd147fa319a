"""Benchmark: what the pytest plugin adds to a test run (budgets: 3% real suite, 5% trivial).

Builds a throw-away virtual environment with this repetend, pytest-xdist, and
marshmallow 3.23.0 from its source distribution (which carries its test
suite), plus a generated suite of 5,000 trivial tests, both made git
repositories so reading HEAD is part of the cost. The plugin stores its events
(and works out the working-tree state) in a background process after the run;
the benchmark waits for it between runs (untimed), so it never slows the next.

`--instructions` counts, for each suite's serial run, the instructions the
pytest process executes under valgrind's callgrind (about 50 times slower),
with the plugin and with `-p no:repetend` (the baseline), and the baseline
again: no other load on the machine changes these counts, and the second
baseline shows what is left of run-to-run variation.

The wall-clock part (`--wall all|xdist|none`) runs each suite serially and
with `-n 2`, rotating runs with the plugin, the baseline and the baseline
again ("noise"), and compares medians: the noise ratio is how far this
machine alone moves a figure, so a plugin ratio inside it is not resolved.
The CPU ratio (user + system of pytest, its workers and the plugin's
background store, which usually outlives pytest: the benchmark makes itself a
child subreaper on Linux, so the orphaned store is handed to it, waited for
untimed, and its CPU time counted) and the plugin's own time
(`REPETEND_PYTEST_TIMING=1`, the time spent inside its hooks, as a share of the
baseline) are printed beside it. Every ratio has its same-vs-same twin beside
it: the baseline's second run against its first.

    python benchmarks/pytest_overhead.py [--runs 9] [--only marshmallow|trivial]
                                         [--instructions] [--wall all|xdist|none]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARSHMALLOW = "marshmallow==3.23.0"
TRIVIAL_TESTS = 5000
BUDGETS = {"marshmallow": 0.03, "5,000 trivial tests": 0.05}


def sh(*args: str | Path, cwd: Path | None = None) -> None:
    """Run a set-up step quietly; stop with its output if it fails."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}")


def make_venv(folder: Path) -> Path:
    """A virtual environment with repetend, pytest-xdist and marshmallow's test needs."""
    venv = folder / "venv"
    sh(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    sh(python, "-m", "pip", "install", "-q", str(REPO), "pytest-xdist", "simplejson")
    return python


def marshmallow_suite(folder: Path, python: Path) -> Path:
    """marshmallow's sdist unpacked and installed, as a git repository."""
    downloads = folder / "downloads"
    sh(python, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
       MARSHMALLOW, "-d", downloads)  # fmt: skip
    (archive,) = downloads.glob("marshmallow-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    source = folder / archive.name.removesuffix(".tar.gz")
    sh(python, "-m", "pip", "install", "-q", source)
    return git_repository(source)


def trivial_suite(folder: Path) -> Path:
    """5,000 one-line tests in 50 modules."""
    suite = folder / "trivial"
    (suite / "tests").mkdir(parents=True)
    per_module = TRIVIAL_TESTS // 50
    for module in range(50):
        body = "".join(f"def test_{n}():\n    assert {n} == {n}\n\n" for n in range(per_module))
        (suite / "tests" / f"test_m{module}.py").write_text(body)
    (suite / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    return git_repository(suite)


def git_repository(folder: Path) -> Path:
    """Commit the folder, so HEAD and the tree state are real; opt it in to repetend.

    Without `.repetend/` the plugin records nothing (capture writes only where a
    repository chose repetend), and the benchmark would time a plugin that does nothing.
    """
    (folder / ".repetend").mkdir(exist_ok=True)
    sh("git", "init", "-q", cwd=folder)
    sh("git", "add", "-A", cwd=folder)
    sh("git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench", cwd=folder)
    return folder


def become_subreaper() -> bool:
    """Have orphaned descendants (the plugin's detached store) handed to this process."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    pr_set_child_subreaper = 36
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0)


def reap() -> None:
    """Wait for every child left (the store, once pytest exited), so its CPU time counts."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def timed_run(python: Path, suite: Path, extra: list[str]) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system, the store's too) and the plugin's own time."""
    reap()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
        cwd=suite,
        capture_output=True,
        text=True,
        env={**os.environ, "REPETEND_PYTEST_TIMING": "1"},
    )
    elapsed = time.perf_counter() - started
    reap()  # untimed: the store that outlived pytest ends, and its CPU time is ours to read
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"pytest failed in {suite}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    drain(suite)
    own = re.search(r"repetend: the plugin took ([0-9.]+) ms", done.stderr)
    return elapsed, cpu, float(own.group(1)) / 1000 if own else 0.0


def instructions(python: Path, suite: Path, extra: list[str]) -> int:
    """Instructions the pytest process executes, counted by valgrind's callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
        cwd=suite, capture_output=True, text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the same set and dict orders each run
    )  # fmt: skip
    drain(suite)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if counted is None:
        sys.exit(f"valgrind did not report a count:\n{done.stderr[-2000:]}")
    return int(counted.group(1))


def drain(suite: Path) -> None:
    """Wait (untimed) for the plugin's background store, so it never overlaps the next run."""
    spool = suite / ".repetend" / "spool" / "pytest"  # the pytest spool's own folder
    deadline = time.monotonic() + 120
    while any(spool.glob("*.jsonl")) or any(spool.glob("*.storing.*")):
        if time.monotonic() > deadline:
            sys.exit(f"the background store did not finish in {spool}")
        time.sleep(0.02)


def compare(python: Path, suite: Path, extra: list[str], runs: int) -> dict[str, float]:
    """Median wall and CPU times with the plugin, with `-p no:repetend`, and that again.

    Runs alternate, and which goes first rotates too, so a machine that gets
    busier or quieter during the benchmark favours none of them. The second
    baseline ("noise") is the same command as the first: its ratio to the
    baseline is how much this machine alone moves the figures.
    """
    timed_run(python, suite, extra)  # warm the file cache and create the store
    baseline = [*extra, "-p", "no:repetend"]
    variants = {"plugin": extra, "baseline": baseline, "noise": baseline}
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    names = list(variants)
    for number in range(runs):
        for name in names[number % 3 :] + names[: number % 3]:
            times[name].append(timed_run(python, suite, variants[name]))
    # Medians: one run slowed (or sped up) by the rest of the machine moves neither.
    return {
        f"{name} {measure}": statistics.median(t[index] for t in runs_)
        for name, runs_ in times.items()
        for index, measure in enumerate(("wall", "cpu", "own"))
    }


MODES = {"serial": [], "-n 2": ["-n", "2"]}


def main() -> int:
    """Set up, measure, print one line per suite and mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--only", choices=("marshmallow", "trivial"), help="One suite only.")
    parser.add_argument("--instructions", action="store_true", help="Count with callgrind too.")
    parser.add_argument(
        "--wall",
        choices=("all", "xdist", "none"),
        default="all",
        help="Which modes to time by the clock (xdist: only -n 2).",
    )
    options = parser.parse_args()
    if not become_subreaper():
        print("not Linux: the CPU of a store that outlives pytest is not counted", flush=True)
    with tempfile.TemporaryDirectory(prefix="repetend-bench-") as name:
        folder = Path(name)
        python = make_venv(folder)
        suites: dict[str, Path] = {}
        if options.only != "trivial":
            suites["marshmallow"] = marshmallow_suite(folder, python)
        if options.only != "marshmallow":
            suites["5,000 trivial tests"] = trivial_suite(folder)
        if options.instructions:
            for label, suite in suites.items():
                print_instructions(label, python, suite)
        modes = {"all": MODES, "xdist": {"-n 2": MODES["-n 2"]}, "none": {}}[options.wall]
        failures = sum(
            print_times(label, mode, compare(python, suite, extra, options.runs))
            for label, suite in suites.items()
            for mode, extra in modes.items()
        )
    return 1 if failures else 0


def print_times(label: str, mode: str, medians: dict[str, float]) -> bool:
    """One line of wall and CPU ratios; True when the wall ratio is over budget."""
    wall = medians["plugin wall"] / medians["baseline wall"]
    noise = medians["noise wall"] / medians["baseline wall"]
    cpu = medians["plugin cpu"] / medians["baseline cpu"]
    cpu_noise = medians["noise cpu"] / medians["baseline cpu"]
    budget = BUDGETS[label]
    resolved = "" if abs(wall - 1) > abs(noise - 1) else " (inside the noise: not resolved)"
    print(
        f"{label:20} {mode:6}  wall: plugin {medians['plugin wall']:6.2f} s,"
        f" baseline {medians['baseline wall']:6.2f} s, ratio {wall:.3f}"
        f" ({wall - 1:+.1%}, budget {budget:.0%}), same-vs-same {noise:.3f}{resolved};"
        f"  CPU with the store: ratio {cpu:.3f} ({cpu - 1:+.1%}), same-vs-same {cpu_noise:.3f};"
        f"  the plugin's own time: {medians['plugin own'] * 1000:.0f} ms"
        f" = {medians['plugin own'] / medians['baseline wall']:.1%} of the baseline",
        flush=True,
    )
    return wall - 1 > budget


def print_instructions(label: str, python: Path, suite: Path) -> None:
    """The serial run's instruction ratio against `-p no:repetend`, and that run's own spread.

    Under callgrind a large suite takes many minutes a run: the ratio is printed
    as soon as both sides are counted, the baseline's spread after that.
    """
    timed_run(python, suite, [])  # creates the store: the counted runs all find one
    plugin = instructions(python, suite, [])
    baseline = instructions(python, suite, ["-p", "no:repetend"])
    ratio = plugin / baseline
    print(
        f"{label:20} serial  instructions: plugin {plugin / 1e9:.3f} G,"
        f" baseline {baseline / 1e9:.3f} G, ratio {ratio:.4f} ({ratio - 1:+.2%},"
        f" budget {BUDGETS[label]:.0%})",
        flush=True,
    )
    noise = instructions(python, suite, ["-p", "no:repetend"]) / baseline
    print(
        f"{label:20} serial  instructions: baseline against itself {noise:.4f} ({noise - 1:+.2%})",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
