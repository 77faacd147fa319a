#!/usr/bin/env bash
# Daily pattern analysis for cron: `repetend analyze --report --notify` in one repository,
# appending to .repetend/logs/daily_pattern_analysis.log (rotated by size). The same as
# `repetend_jobs.sh daily REPO`, which also runs the detection, weekly and monthly jobs.
#
#   crontab -e
#   30 6 * * *  /path/to/repo/scripts/cron/daily_pattern_analysis.sh /path/to/repo
#
# Environment: see repetend_jobs.sh (REPETEND_BIN, REPETEND_ANALYZE_HOURS,
# REPETEND_MIN_OCCURRENCES, REPETEND_LOG_MAX_BYTES, REPETEND_LOG_KEEP).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/repetend_jobs.sh" daily "$@"
