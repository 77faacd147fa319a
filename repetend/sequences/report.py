"""How an analysis is told: the printed summary, the Markdown report, the notification log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repetend.events import utcnow
from repetend.fileio import atomic_write
from repetend.sequences.analysis import Analysis, Finding

STATES = {"approved": "auto-approved", "draft": "pending review", "rejected": "auto-rejected"}


def summary(analysis: Analysis, *, verbose: bool = False) -> str:
    """The seeds' summary: what was read, what repeats, what was decided, what it would save."""
    findings = analysis.findings
    savings = sum(f.savings for f in findings)
    hours_saved = sum(f.candidate.occurrences * f.seconds_per_run for f in findings) / 3600
    gapped = sum(bool(f.candidate.spec.get("gapped")) for f in findings)
    lines = [
        f"Pattern analysis of the last {analysis.hours:g} h"
        + (" (dry run: nothing stored)" if analysis.dry_run else ""),
        f"  events analysed:     {analysis.events:,} in {analysis.sessions:,} sessions"
        f" ({analysis.steps:,} distinct steps)",
        f"  repeated sequences:  {len(findings)} ({len(findings) - gapped} contiguous,"
        f" {gapped} gapped)",
        f"  new patterns:        {sum(f.created for f in findings)}"
        f"   updated: {sum(not f.created for f in findings)}",
        f"  auto-approved: {analysis.count('approved')}   pending review:"
        f" {analysis.count('draft')}   auto-rejected: {analysis.count('rejected')}",
        f"  estimated savings:   {savings:,.2f} ({hours_saved:,.1f} h)",
    ]
    if verbose:
        lines += ["", *[_detail(f) for f in findings]]
    return "\n".join(lines)


def _detail(finding: Finding) -> str:
    c = finding.candidate
    reason = f" — {finding.verdict.reason}" if finding.verdict else ""
    suggestion = ", ".join(s["automation"] for s in c.spec.get("suggestions", []))
    return (
        f"  {c.id or '(new)'}  {STATES.get(c.status, c.status)}{reason}\n"
        f"      {c.name}\n"
        f"      {c.occurrences} occurrences, confidence {c.confidence:.4f},"
        f" {finding.seconds_per_run:.0f} s per run, savings {finding.savings:,.2f}"
        + (f"; automate as: {suggestion}" if suggestion else "")
    )


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis for `--json`."""
    return {
        "hours": analysis.hours,
        "dry_run": analysis.dry_run,
        "events": analysis.events,
        "sessions": analysis.sessions,
        "patterns": [
            {
                "id": f.candidate.id,
                "name": f.candidate.name,
                "steps": f.candidate.spec["steps"],
                "gapped": f.candidate.spec["gapped"],
                "status": f.candidate.status,
                "created": f.created,
                "reason": f.verdict.reason if f.verdict else "",
                "occurrences": f.candidate.occurrences,
                "confidence": f.candidate.confidence,
                "seconds_per_run": f.seconds_per_run,
                "estimated_savings": f.savings,
                "destructive": f.candidate.destructive,
                "suggestions": f.candidate.spec["suggestions"],
            }
            for f in analysis.findings
        ],
    }


def write_report(analysis: Analysis, folder: Path) -> Path:
    """Write the Markdown report under `folder` (named by the time); return its path."""
    now = utcnow()
    path = folder / f"sequences-{now:%Y%m%d-%H%M%S}.md"
    lines = [
        f"# Repeated sequences, {now:%Y-%m-%d %H:%M} UTC",
        "",
        "```",
        summary(analysis),
        "```",
        "",
        "| id | status | sequence | occurrences | confidence | s/run | savings | automate as |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for f in analysis.findings:
        c = f.candidate
        automate = ", ".join(s["automation"] for s in c.spec["suggestions"])
        lines.append(
            f"| {c.id or '(new)'} | {STATES.get(c.status, c.status)} | {_cell(c.name)} |"
            f" {c.occurrences} | {c.confidence:.4f} | {f.seconds_per_run:.0f} |"
            f" {f.savings:,.2f} | {automate} |"
        )
    lines += ["", *_snippets(analysis)]
    atomic_write(path, "\n".join(lines) + "\n")
    return path


def _snippets(analysis: Analysis) -> list[str]:
    lines = []
    for f in analysis.findings:
        if f.candidate.status == "rejected":
            continue
        lines += [f"## {f.candidate.id or '(new)'}: {_cell(f.candidate.name)}", ""]
        for suggestion in f.candidate.spec["suggestions"]:
            lines += [f"**{suggestion['automation']}** ({suggestion['why']}):", ""]
            lines += ["```", suggestion["snippet"].rstrip(), "```", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def log_notifications(analysis: Analysis, log: Path) -> int:
    """Append one line per new pending pattern to the notification log; return how many."""
    new = [f for f in analysis.findings if f.created and f.candidate.status == "draft"]
    if not new:
        return 0
    log.parent.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().isoformat(timespec="seconds")
    with log.open("a", encoding="utf-8") as handle:
        for f in new:
            c = f.candidate
            handle.write(
                f"{stamp} new pending pattern {c.id}: {c.name} ({c.occurrences} occurrences,"
                f" confidence {c.confidence:.4f}, savings {f.savings:,.2f}) {c.spec_path}\n"
            )
    return len(new)
