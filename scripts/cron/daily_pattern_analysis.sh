#!/usr/bin/env bash
# Daily pattern analysis for cron: `repetend analyze --report --notify` in one repository,
# appending to a log under .repetend/logs/ that is rotated by size.
#
#   crontab -e
#   30 6 * * *  /path/to/repo/scripts/cron/daily_pattern_analysis.sh /path/to/repo
#
# Environment (all optional):
#   REPETEND_BIN               the command that runs repetend (default: repetend)
#   REPETEND_ANALYZE_HOURS     the window to analyse (default: 24)
#   REPETEND_MIN_OCCURRENCES   how often a sequence must occur (default: 2)
#   REPETEND_LOG_MAX_BYTES     rotate the log once it is this big (default: 1048576)
#   REPETEND_LOG_KEEP          rotated logs to keep (default: 7)
set -euo pipefail

repo="${1:-${REPETEND_REPO:-$PWD}}"
hours="${REPETEND_ANALYZE_HOURS:-24}"
min_occurrences="${REPETEND_MIN_OCCURRENCES:-2}"
max_bytes="${REPETEND_LOG_MAX_BYTES:-1048576}"
keep="${REPETEND_LOG_KEEP:-7}"
read -r -a repetend <<< "${REPETEND_BIN:-repetend}"

if [[ ! -d "$repo" ]]; then
    echo "daily_pattern_analysis: $repo is not a folder" >&2
    exit 2
fi
log_dir="$repo/.repetend/logs"
log="$log_dir/daily_pattern_analysis.log"
mkdir -p "$log_dir"

rotate() {
    [[ -f "$log" ]] || return 0
    (( $(wc -c < "$log") >= max_bytes )) || return 0
    rm -f "$log.$keep"
    for (( i = keep - 1; i >= 1; i-- )); do
        if [[ -f "$log.$i" ]]; then mv "$log.$i" "$log.$((i + 1))"; fi
    done
    mv "$log" "$log.1"
}

run() {
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) repetend analyze --hours $hours --min-occurrences $min_occurrences"
    status=0
    "${repetend[@]}" --root "$repo" analyze --hours "$hours" \
        --min-occurrences "$min_occurrences" --report --notify --verbose || status=$?
    echo "=== exit status $status"
    return "$status"
}

# One analysis at a time per repository: a slow run must not overlap the next day's.
exec 9> "$log_dir/.daily_pattern_analysis.lock"
if command -v flock > /dev/null && ! flock -n 9; then
    echo "daily_pattern_analysis: another analysis of $repo is still running" >&2
    exit 75
fi
rotate
run >> "$log" 2>&1
