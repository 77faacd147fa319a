"""The weekly report as a Markdown page, written to `.repetend/reports/weekly/<year>-W<nn>.md`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from repetend.fileio import atomic_write
from repetend.reports.figures import TEAM, PatternWeek, WeeklyReport, value

ANTI_PATTERNS_EMPTY = (
    "None seen this week. Anti-patterns are failures that recur (the same error signature"
    " again and again); repetend records them as it learns from failed commands and tests, and"
    " none was recorded between these dates."
)


def write_weekly(report: WeeklyReport, reports_dir: Path) -> Path:
    """Write the page atomically (a reader sees the old page or the new one); its path."""
    suffix = "" if report.scope == TEAM else "-" + re.sub(r"[^A-Za-z0-9._-]+", "-", report.scope)
    path = reports_dir / "weekly" / f"{report.week.label}{suffix}.md"
    atomic_write(path, weekly_markdown(report))
    return path


def weekly_markdown(report: WeeklyReport) -> str:
    """The whole page."""
    sections = [
        _heading(report),
        _summary(report),
        _ranking("Top patterns by use", report.top_by_use, "No pattern was used this week."),
        _ranking("Top patterns by time saved", report.top_by_time, "No use this week saved time."),
        _underused(report),
        _new_candidates(report),
        _anti_patterns(report),
        _actions(report),
    ]
    return "\n\n".join(sections) + "\n"


def _heading(report: WeeklyReport) -> str:
    week = report.week
    last_day = (week.end - timedelta(days=1)).date()
    return (
        f"# repetend weekly report: {week.label}\n\n"
        f"{week.start.date()} to {last_day} (UTC); generated"
        f" {report.generated_at.isoformat(timespec='seconds')} from the store."
        + ("" if report.scope == TEAM else f" The view of {report.scope}.")
    )


def _summary(report: WeeklyReport) -> str:
    t = report.totals
    money = value(t["seconds_saved"], report.hourly_rate)
    return (
        "## Summary\n\n"
        f"- uses: {t['uses']:.0f} of {t['patterns_used']:.0f} pattern(s):"
        f" {t['successes']:.0f} succeeded, {t['workarounds']:.0f} with workarounds,"
        f" {t['failures']:.0f} failed\n"
        f"- time saved: {_duration(t['seconds_saved'])} (≈ {money:,.2f} at hourly_rate"
        f" {report.hourly_rate:g})\n"
        f"- new candidates: {len(report.new_candidates)}; waiting for review:"
        f" {report.pending_review}"
    )


def _ranking(title: str, rows: Sequence[PatternWeek], empty: str) -> str:
    if not rows:
        return f"## {title}\n\n{empty}"
    lines = _table(
        ["pattern", "name", "uses", "succeeded", "workarounds", "failed", "time saved"],
        [
            [
                p.pattern_id,
                p.name,
                str(p.uses),
                str(p.successes),
                str(p.workarounds),
                str(p.failures),
                _duration(p.seconds_saved),
            ]
            for p in rows
        ],
    )
    return f"## {title}\n\n{lines}"


def _underused(report: WeeklyReport) -> str:
    if not report.underused:
        return "## Underused patterns\n\nEvery approved pattern was used this week."
    now = report.generated_at
    rows = [
        [
            u.pattern_id,
            u.name,
            u.last_used_at.date().isoformat() if u.last_used_at else "never",
            str(u.uses_to_date),
            "-" if u.idle_days(now) is None else str(u.idle_days(now)),
        ]
        for u in report.underused
    ]
    table = _table(["pattern", "name", "last used", "uses to date", "idle days"], rows)
    return f"## Underused patterns\n\nApproved, and not used this week.\n\n{table}"


def _new_candidates(report: WeeklyReport) -> str:
    if not report.new_candidates:
        return "## New candidates\n\nNo candidate was proposed this week."
    rows = [
        [c.id, c.kind, c.name, c.status, f"{c.confidence:.2f}", str(c.occurrences)]
        for c in report.new_candidates
    ]
    table = _table(["id", "kind", "name", "status", "confidence", "seen"], rows)
    return f"## New candidates\n\n{table}"


def _anti_patterns(report: WeeklyReport) -> str:
    if not report.anti_patterns:
        return f"## Anti-patterns\n\n{ANTI_PATTERNS_EMPTY}"
    rows = [
        [a.description, a.kind, str(a.occurrences), a.status, a.last_seen.date().isoformat()]
        for a in report.anti_patterns
    ]
    table = _table(["anti-pattern", "kind", "occurrences", "status", "last seen"], rows)
    return f"## Anti-patterns\n\n{table}"


def _actions(report: WeeklyReport) -> str:
    if not report.actions:
        return "## Recommended actions\n\nNone: every pattern did its work this week."
    return "## Recommended actions\n\n" + "\n".join(f"- {a}" for a in report.actions)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = [_row(headers), _row(["---"] * len(headers))]
    return "\n".join(lines + [_row(row) for row in rows])


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


def _duration(seconds: float) -> str:
    """`1 h 05 min`, `4 min 10 s`, `12 s`: a time people read at a glance."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
