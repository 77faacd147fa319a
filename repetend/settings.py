"""The settings table: every configuration key with its type, default, range and meaning.

`config` loads, validates and layers them; `repetend config` and the configuration
reference (docs/configuration.md, checked by a test) list them. A stage that needs
new keys adds its own group below and names it in `SETTINGS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key: its type, default, allowed range and meaning."""

    name: str
    type: type
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None

    @property
    def env_var(self) -> str:
        """The environment variable that overrides this setting."""
        return "REPETEND_" + self.name.upper()

    def expected(self) -> str:
        """Describe the values this setting accepts, for error messages."""
        kind = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}
        text = kind.get(self.type, "a list of strings")
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            text += f" of at least {self.minimum:g}"
        return text


_CORE: tuple[Setting, ...] = (
    Setting("min_examples", int, 3, "Similar examples needed before a candidate is made.", 2),
    Setting("lookback_days", int, 30, "How far back miners look for evidence, in days.", 1),
    Setting("retention_days", int, 90, "Events older than this are removed by `purge`.", 1),
    Setting(
        "auto_approve_threshold",
        float,
        0.75,
        "Confidence at or above which a candidate is approved without review.",
        0,
        1,
    ),
    Setting(
        "max_auto_approve_per_day",
        int,
        5,
        "File templates approved automatically per day at most (the rest wait for review).",
        0,
    ),
    Setting(
        "auto_reject_threshold",
        float,
        0.0,
        "Confidence below which a candidate is rejected without review (0 never rejects).",
        0,
        1,
    ),
    Setting(
        "similarity_threshold",
        float,
        0.75,
        "Signature similarity at or above which two executions or files are alike.",
        0,
        1,
    ),
    Setting(
        "store",
        str,
        "",
        "Event store: a SQLite path (default .repetend/repetend.db) or a postgresql:// address.",
    ),
    Setting(
        "capture_timeout",
        float,
        5.0,
        "Seconds a capture point waits for a locked store before it warns and gives up.",
        0,
    ),
    Setting("seconds_per_step", float, 30.0, "Fallback time a manual step costs.", 0),
    Setting("hourly_rate", float, 100.0, "Cost of a developer hour, for savings estimates.", 0),
    Setting("disable_plugins", list, [], "Plugin names (built-in or installed) not to load."),
    Setting("redact_keys", list, [], "Extra input key names whose values are always redacted."),
    Setting(
        "strict",
        bool,
        False,
        "The pre-commit hook stops a commit whose new file misses what its approved template"
        " requires (otherwise it only warns).",
    ),
    Setting("watch_debounce_ms", int, 50, "Quiet time the watcher waits before acting.", 0, 5000),
    Setting(
        "repeat_threshold",
        int,
        3,
        "Files of one kind created by hand within repeat_window_minutes that earn a"
        " make-a-template suggestion.",
        2,
    ),
    Setting("repeat_window_minutes", int, 30, "The window repeat_threshold counts in.", 1),
    Setting(
        "suggestion_window_minutes",
        int,
        60,
        "A suggestion already shown is not shown again within this many minutes.",
        0,
    ),
    Setting(
        "ignore_commands",
        list,
        [],
        "Shell-style patterns (`ls*`, `*vault*`) of commands that are never recorded.",
    ),
    Setting(
        "sequence_approve_confidence",
        float,
        0.99,
        "A sequence is auto-approved only above this confidence…",
        0,
        1,
    ),
    Setting(
        "sequence_approve_occurrences",
        int,
        200,
        "…and with at least this many occurrences…",
        1,
    ),
    Setting(
        "sequence_approve_savings",
        float,
        5000.0,
        "…and at least these estimated savings (in the hourly_rate's currency).",
        0,
    ),
    Setting(
        "sequence_reject_confidence",
        float,
        0.95,
        "A sequence below this confidence (or with a destructive step) is auto-rejected.",
        0,
        1,
    ),
    Setting(
        "sequence_max_candidates",
        int,
        50,
        "At most this many sequences are proposed per analysis (the most significant).",
        1,
    ),
    Setting(
        "mine_workers",
        int,
        0,
        "Processes that read files and learn file templates at once (0: one per core for large"
        " repositories).",
        0,
    ),
)

# The use loop: what the measures of a pattern's uses do (quarantine, circuit, alerts, versions).
_LOOP: tuple[Setting, ...] = (
    Setting("quarantine_uses", int, 10, "A pattern's first uses (since approval) watched.", 1),
    Setting(
        "quarantine_failure_rate",
        float,
        0.4,
        "More failures than this share of quarantine_uses quarantines the pattern.",
        0,
        1,
    ),
    Setting("circuit_failures", int, 3, "Failures in a row that open a pattern's circuit.", 1),
    Setting(
        "circuit_half_open_seconds",
        float,
        60.0,
        "Seconds an open circuit waits before its next use is a trial (half-open).",
        0,
    ),
    Setting(
        "alert_critical_rate",
        float,
        0.5,
        "Failure rate of the last quarantine_uses uses above which a CRITICAL alert"
        " quarantines the pattern.",
        0,
        1,
    ),
    Setting(
        "alert_high_rate",
        float,
        0.4,
        "Failure rate of the last quarantine_uses uses above which a HIGH alert is sent.",
        0,
        1,
    ),
    Setting("unused_alert_days", int, 7, "An approved pattern unused this long: MEDIUM alert.", 1),
    Setting(
        "alert_anti_pattern_rise",
        float,
        1.5,
        "Failures of active anti-patterns this week over the week before at or above which a"
        " LOW alert is sent.",
        1,
    ),
    Setting(
        "evolution_success_rate",
        float,
        0.8,
        "A pattern whose success rate is below this is flagged by the evolution tracker.",
        0,
        1,
    ),
    Setting(
        "edge_cases_for_version",
        int,
        5,
        "Edge cases (hand edits of fixed text, members the template misses) that propose"
        " the next version.",
        1,
    ),
)

# The team store (docs/teams.md): where `repetend sync` and the post-commit drain push events.
_TEAM = (
    Setting(
        "team_store",
        str,
        "",
        "The team's PostgreSQL store (postgresql://…) that sync pushes events to ('' keeps"
        " everything on this machine).",
    ),
    Setting(
        "team_identity",
        str,
        "hashed",
        "How synced events name who made them: hashed (a digest of user and machine) or named.",
    ),
    Setting(
        "team_share_commands",
        bool,
        True,
        "Whether sync shares the commands the shell captured (false keeps them on this machine).",
    ),
)

# Learning from failures (docs/failures.md): evidence, anti-patterns, flaky tests, recovery rules.
_FAILURES = (
    Setting(
        "failure_evidence",
        bool,
        True,
        "Whether `repetend run` keeps the signature of a failed command's last stderr lines.",
    ),
    Setting(
        "learn_in_background",
        bool,
        True,
        "Whether a failed command that passes when tried again starts `repetend heal --learn`"
        " in the background.",
    ),
    Setting(
        "min_recovery_examples",
        int,
        3,
        "Times the same generalised fix must have ended the same failure (and never failed to)"
        " before it becomes a recovery rule; 5 for caution.",
        2,
    ),
    Setting(
        "recovery_window_minutes",
        int,
        30,
        "How long after a failure a fix and the retry that succeeds may come, in minutes.",
        1,
    ),
    Setting(
        "anti_pattern_occurrences",
        int,
        3,
        "Times a failure signature must recur within anti_pattern_days to be an anti-pattern.",
        2,
    ),
    Setting("anti_pattern_days", int, 7, "The window anti_pattern_occurrences counts in.", 1),
    Setting(
        "anti_pattern_resolved_days",
        int,
        14,
        "An anti-pattern not seen for this many days after a fix is resolved.",
        1,
    ),
    Setting(
        "heal_timeout",
        int,
        600,
        "Seconds `repetend heal` lets a fix or the verifying run take in the sandbox.",
        1,
    ),
    Setting(
        "failure_hint_seconds",
        int,
        300,
        "The shell's next prompt says a known fix at most once in this many seconds (the"
        " shell reads the variable, not the config file).",
        0,
    ),
)

SETTINGS: tuple[Setting, ...] = (*_CORE, *_LOOP, *_TEAM, *_FAILURES)
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}
