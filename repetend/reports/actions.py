"""The weekly report's recommended actions: each one derived from a figure of the report."""

from __future__ import annotations

from repetend.reports.figures import PatternWeek, Underused, WeeklyReport

ARCHIVE_DAYS = 90  # the monthly clean-up archives patterns unused this long
FAILING_SHARE = 0.4  # the seeds' HIGH alert: more than 40% of a pattern's uses failed
FAILING_MIN_USES = 3  # …over at least this many uses in the week


def recommended_actions(report: WeeklyReport) -> list[str]:
    """What to do next, each line from a figure of the report."""
    actions = [_failing(p) for p in report.patterns if _is_failing(p)]
    actions += [_workarounds(p) for p in report.top_by_use if p.workarounds]
    actions += _idle(report)
    if report.pending_review:
        actions.append(
            f"Review the {report.pending_review} candidate(s) waiting: `repetend review`."
        )
    if report.anti_patterns:
        worst = report.anti_patterns[0]
        actions.append(
            f"Look into {len(report.anti_patterns)} anti-pattern(s) seen this week; the most"
            f" frequent: {worst.description} ({worst.occurrences} times)."
        )
    if not report.patterns:
        actions.append(
            "No pattern was used this week: `repetend apply` records each use of a template."
        )
    return actions


def _is_failing(p: PatternWeek) -> bool:
    return p.uses >= FAILING_MIN_USES and p.failures / p.uses > FAILING_SHARE


def _failing(p: PatternWeek) -> str:
    return (
        f"Fix or quarantine {p.pattern_id}: {p.failures} of its {p.uses} uses failed this week"
        f" (`repetend candidates quarantine {p.pattern_id} --note …`)."
    )


def _workarounds(p: PatternWeek) -> str:
    return (
        f"Look at {p.pattern_id}: {p.workarounds} of its {p.uses} uses this week needed edits"
        " to its fixed text; a new version may be due."
    )


def _idle(report: WeeklyReport) -> list[str]:
    now = report.generated_at
    stale = [u for u in report.underused if (u.idle_days(now) or 0) >= ARCHIVE_DAYS]
    recent = [u for u in report.underused if u not in stale]
    actions = []
    if stale:
        actions.append(
            f"Archive the {len(stale)} approved pattern(s) unused for {ARCHIVE_DAYS} days or"
            f" more ({_ids(stale)}): `repetend archive --unused-days {ARCHIVE_DAYS} --apply`."
        )
    if recent:
        actions.append(
            f"{len(recent)} approved pattern(s) were not used this week ({_ids(recent)}):"
            " tell the team they exist, or reject those nobody needs."
        )
    return actions


def _ids(found: list[Underused]) -> str:
    shown = ", ".join(u.pattern_id for u in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")
