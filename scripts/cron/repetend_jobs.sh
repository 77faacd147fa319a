#!/usr/bin/env bash
# repetend's scheduled jobs for cron, one repository each, appending to a log under
# .repetend/logs/ that is rotated by size. One run of a job at a time per repository.
#
#   crontab -e
#   30 6 * * *  /path/to/repo/scripts/cron/repetend_jobs.sh daily   /path/to/repo
#   0 */6 * * * /path/to/repo/scripts/cron/repetend_jobs.sh detect  /path/to/repo
#   0 7 * * 1   /path/to/repo/scripts/cron/repetend_jobs.sh weekly  /path/to/repo
#   0 5 1 * *   /path/to/repo/scripts/cron/repetend_jobs.sh monthly /path/to/repo
#
# Jobs:
#   daily     repetend analyze --report --notify: the command sequences you repeat
#   detect    repetend mine . and repetend detect: new templates and candidates
#   weekly    repetend report --week last: .repetend/reports/weekly/<year>-W<nn>.md
#   monthly   repetend archive --unused-days N --apply, then repetend purge --apply
#
# Environment (all optional):
#   REPETEND_BIN               the command that runs repetend (default: repetend)
#   REPETEND_ANALYZE_HOURS     daily: the window to analyse (default: 24)
#   REPETEND_MIN_OCCURRENCES   daily: how often a sequence must occur (default: 2)
#   REPETEND_UNUSED_DAYS       monthly: archive patterns unused this long (default: 90)
#   REPETEND_LOG_MAX_BYTES     rotate a log once it is this big (default: 1048576)
#   REPETEND_LOG_KEEP          rotated logs to keep (default: 7)
set -euo pipefail

job="${1:-}"
repo="${2:-${REPETEND_REPO:-$PWD}}"
hours="${REPETEND_ANALYZE_HOURS:-24}"
min_occurrences="${REPETEND_MIN_OCCURRENCES:-2}"
unused_days="${REPETEND_UNUSED_DAYS:-90}"
max_bytes="${REPETEND_LOG_MAX_BYTES:-1048576}"
keep="${REPETEND_LOG_KEEP:-7}"
read -r -a repetend <<< "${REPETEND_BIN:-repetend}"

case "$job" in
    daily) name=daily_pattern_analysis ;;
    detect) name=detect ;;
    weekly) name=weekly_report ;;
    monthly) name=monthly_cleanup ;;
    *)
        echo "repetend_jobs: JOB must be daily, detect, weekly or monthly, got '$job'" >&2
        exit 2
        ;;
esac
if [[ ! -d "$repo" ]]; then
    echo "$name: $repo is not a folder" >&2
    exit 2
fi
log_dir="$repo/.repetend/logs"
log="$log_dir/$name.log"
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

# One repetend command, logged with its exit status; the job goes on after a failure.
step() {
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) repetend $*"
    local status=0
    "${repetend[@]}" --root "$repo" "$@" || status=$?
    echo "=== exit status $status"
    if (( status != 0 )); then failed=$status; fi
}

run() {
    failed=0
    case "$job" in
        daily)
            step analyze --hours "$hours" --min-occurrences "$min_occurrences" \
                --report --notify --verbose ;;
        detect)
            step mine "$repo"
            step detect ;;
        weekly)
            step report --week last ;;
        monthly)
            step archive --unused-days "$unused_days" --apply --actor "repetend-cron"
            step purge --apply ;;
    esac
    return "$failed"
}

# A slow run must not overlap the next one of the same job.
exec 9> "$log_dir/.$name.lock"
if command -v flock > /dev/null && ! flock -n 9; then
    echo "$name: another run for $repo is still going" >&2
    exit 75
fi
rotate
run >> "$log" 2>&1
