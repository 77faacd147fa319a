"""The shell integration scripts `repetend shell-init` prints, one per shell.

Each hook does only shell built-ins at a prompt (no Python, no waiting): the
command line, its start time, duration, exit status, folder and session are
appended as one tab-separated line to a spool file of this shell's own. Every
`FLUSH_EVERY` commands a background `repetend shell-flush` moves the spooled
lines into the store of the repository each command ran in. The line format:
start (µs since the epoch) TAB duration (µs) TAB exit status TAB folder it ran in TAB
session TAB command (backslash, tab and newline escaped as \\\\, \\t, \\n). bash writes the
command as `history 1` prints it (`  42  git status`, further lines of a multi-line
command following as they are), because capturing it would fork at every prompt.
"""

from __future__ import annotations

import shlex

from repetend.launch import BOOTSTRAP

# Started from whatever folder the shell is in: never `python -m`, which would put that
# folder first on sys.path (see repetend.launch).
FLUSH_MODULE = "repetend.capture.shell"

FLUSH_EVERY = 20

BASH = r"""# repetend shell integration for bash (eval "$(repetend shell-init bash)")
# Safe to source again: the hooks are added once. A DEBUG trap already set keeps running
# after ours (which hands on $?). bash-preexec, when loaded first, is used instead.
if [[ -z "${EPOCHREALTIME:-}" ]]; then
    # EPOCHREALTIME came with bash 5.0: without a clock no command can be timed.
    [[ -n "${__repetend_said_too_old:-}" ]] || echo "repetend: shell integration needs" \
        "bash 5 or later (this is bash $BASH_VERSION): commands are not recorded" >&2
    __repetend_said_too_old=1
else
__repetend_spool_dir="${REPETEND_SPOOL_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/repetend/spool}"
[[ -d "$__repetend_spool_dir" ]] || mkdir -p -m 700 "$__repetend_spool_dir"
__repetend_spool="$__repetend_spool_dir/bash-$$.tsv"
export REPETEND_SESSION="${REPETEND_SESSION:-bash-$$-${EPOCHSECONDS:-0}}"
__repetend_started=
__repetend_count=${__repetend_count:-0}
__repetend_histcmd=$HISTCMD

__repetend_preexec() {
    local status=$?
    [[ -n "$__repetend_ready" && -z "$COMP_LINE" ]] || return $status
    __repetend_ready=
    __repetend_cwd=$PWD
    __repetend_line=${1:-$BASH_COMMAND}
    __repetend_started=${EPOCHREALTIME/[.,]/}
    return $status
}

# After a failure only: one line when learning wrote a fix for this very command (no Python).
__repetend_hint() {
    local now=${EPOCHSECONDS:-0} dir=$PWD file= cmd id fix
    (( now - ${__repetend_hinted:-0} >= ${REPETEND_FAILURE_HINT_SECONDS:-300} )) || return 0
    while [[ -n "$dir" ]]; do
        [[ -f "$dir/__HINTS__" ]] && { file="$dir/__HINTS__"; break; }
        dir=${dir%/*}
    done
    [[ -n "$file" ]] || return 0
    while IFS=$'\t' read -r cmd id fix; do
        if [[ "$cmd" == "$1" ]]; then
            __repetend_hinted=$now
            printf 'repetend: a fix is known (%s): %s — repetend heal --command %q\n' \
                "$id" "$fix" "$1" >&2
            return 0
        fi
    done < "$file"
}

__repetend_precmd() {
    local status=$? end=${EPOCHREALTIME/[.,]/}
    # HISTCMD moves only when bash saved the command (HISTCONTROL=ignorespace is honoured);
    # `history 1` is redirected, not captured, so no subshell is forked at the prompt.
    if [[ -n "$__repetend_started" && "$HISTCMD" != "$__repetend_histcmd" ]]; then
        __repetend_histcmd=$HISTCMD
        # One redirection for both writes: a flush renaming the file between them cannot
        # split the record across two files.
        {
            printf '%s\t%s\t%s\t%s\t%s\t' "$__repetend_started" \
                "$((end - __repetend_started))" "$status" "$__repetend_cwd" "$REPETEND_SESSION"
            HISTTIMEFORMAT= builtin history 1
        } >> "$__repetend_spool"
        (( ++__repetend_count % __FLUSH_EVERY__ )) || __repetend_flush
        (( status == 0 )) || __repetend_hint "$__repetend_line"
    fi
    __repetend_started=
    [[ -z "${bash_preexec_imported:-}" ]] || __repetend_ready=1
    return $status
}

__repetend_flush() { ( __FLUSH__ >/dev/null 2>&1 & ) ; }

if [[ -n "${bash_preexec_imported:-}" ]]; then
    __repetend_ready=1
    [[ " ${preexec_functions[*]} " == *" __repetend_preexec "* ]] ||
        preexec_functions+=(__repetend_preexec)
    [[ " ${precmd_functions[*]} " == *" __repetend_precmd "* ]] ||
        precmd_functions=(__repetend_precmd "${precmd_functions[@]}")
elif [[ "${PROMPT_COMMAND[*]}" != *__repetend_precmd* ]]; then
    # The DEBUG trap is chained at the first prompt, at the top level: inside `source` and
    # inside functions bash hides the trap in force (bash-preexec waits for the same reason).
    __repetend_chain_trap='__repetend_trap_set=1; __repetend_trap=$(trap -p DEBUG)
        if [[ "$__repetend_trap" != *__repetend_preexec* ]]; then
            eval "__repetend_trap=($__repetend_trap)"  # trap -- COMMAND DEBUG
            trap "__repetend_preexec${__repetend_trap[2]:+; ${__repetend_trap[2]}}" DEBUG
        fi; unset __repetend_trap'
    # Ours comes first (it needs the command's $?) and the prompt is armed last, so the
    # commands that PROMPT_COMMAND runs itself are never taken for the user's.
    PROMPT_COMMAND="__repetend_precmd${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
    PROMPT_COMMAND+='; [[ -n "$__repetend_trap_set" ]] || eval "$__repetend_chain_trap"'
    PROMPT_COMMAND+='; __repetend_ready=1'
fi
fi
"""

ZSH = r"""# repetend shell integration for zsh (eval "$(repetend shell-init zsh)")
zmodload zsh/datetime zsh/mathfunc
autoload -Uz add-zsh-hook
typeset -g __repetend_spool_dir="${REPETEND_SPOOL_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}}"
[[ -n "$REPETEND_SPOOL_DIR" ]] || __repetend_spool_dir="$__repetend_spool_dir/repetend/spool"
[[ -d "$__repetend_spool_dir" ]] || mkdir -p -m 700 "$__repetend_spool_dir"
typeset -g __repetend_spool="$__repetend_spool_dir/zsh-$$.tsv"
export REPETEND_SESSION="${REPETEND_SESSION:-zsh-$$-$EPOCHSECONDS}"
typeset -g __repetend_started= __repetend_command= __repetend_count=0

__repetend_preexec() {
    # A leading space keeps a command out, as bash's HISTCONTROL=ignorespace does.
    [[ "$1" == [[:space:]]* ]] && { __repetend_started=; return 0 }
    __repetend_command="$1"
    __repetend_cwd=$PWD
    __repetend_started=$(( int(EPOCHREALTIME * 1000000) ))
}

__repetend_precmd() {
    local exit_status=$? end=$(( int(EPOCHREALTIME * 1000000) )) line
    [[ -n "$__repetend_started" ]] || return 0
    line=${__repetend_command//\\/\\\\}; line=${line//$'\t'/\\t}; line=${line//$'\n'/\\n}
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$__repetend_started" "$((end - __repetend_started))" \
        "$exit_status" "$__repetend_cwd" "$REPETEND_SESSION" "$line" >> "$__repetend_spool"
    __repetend_started=
    (( ++__repetend_count % __FLUSH_EVERY__ )) || { __FLUSH__ >/dev/null 2>&1 &! }
    (( exit_status == 0 )) || __repetend_hint "$__repetend_command"
}

# After a failure only: one line when learning wrote a fix for this very command (no Python).
__repetend_hint() {
    local now=$EPOCHSECONDS dir=$PWD file= cmd id fix
    (( now - ${__repetend_hinted:-0} >= ${REPETEND_FAILURE_HINT_SECONDS:-300} )) || return 0
    while [[ -n "$dir" ]]; do
        [[ -f "$dir/__HINTS__" ]] && { file="$dir/__HINTS__"; break }
        dir=${dir%/*}
    done
    [[ -n "$file" ]] || return 0
    while IFS=$'\t' read -r cmd id fix; do
        if [[ "$cmd" == "$1" ]]; then
            typeset -g __repetend_hinted=$now
            print -ru2 -- "repetend: a fix is known ($id): $fix — repetend heal --command ${(q)1}"
            return 0
        fi
    done < "$file"
}

add-zsh-hook preexec __repetend_preexec
add-zsh-hook precmd __repetend_precmd
"""

FISH = r"""# repetend shell integration for fish (__REPETEND__ shell-init fish | source)
if set -q REPETEND_SPOOL_DIR
    set -g __repetend_spool_dir $REPETEND_SPOOL_DIR
else if set -q XDG_STATE_HOME
    set -g __repetend_spool_dir $XDG_STATE_HOME/repetend/spool
else
    set -g __repetend_spool_dir $HOME/.local/state/repetend/spool
end
test -d $__repetend_spool_dir; or mkdir -p -m 700 $__repetend_spool_dir
set -g __repetend_spool $__repetend_spool_dir/fish-$fish_pid.tsv
set -q REPETEND_SESSION; or set -gx REPETEND_SESSION fish-$fish_pid
set -g __repetend_count 0
# fish has no clock of its own and `date` would fork at every prompt (~5 ms): on Linux the
# time is the boot time, worked out once here, plus /proc/uptime, read by a built-in.
if test -r /proc/uptime; and read -l __repetend_uptime __repetend_idle < /proc/uptime
    set -l __repetend_ns (date +%s%N)
    string match -qr '^[0-9]+$' -- $__repetend_ns
    and set -g __repetend_boot_us \
        (math --scale 0 "$__repetend_ns / 1000 - $__repetend_uptime * 1000000")
end

function __repetend_preexec --on-event fish_preexec
    set -g __repetend_cwd $PWD
end

function __repetend_postexec --on-event fish_postexec
    set -l exit_status $status
    string match -qr '^\s' -- $argv[1]; and return  # a leading space keeps it out
    set -l line (string replace -a '\\' '\\\\' -- $argv[1] \
        | string replace -a \t '\\t' | string join '\\n')
    set -l end
    if set -q __repetend_boot_us; and read -l uptime idle < /proc/uptime
        set end (math --scale 0 "$__repetend_boot_us + $uptime * 1000000")
    else
        set end (date +%s)000000
    end
    set -l duration (math --scale 0 "$CMD_DURATION * 1000")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' (math "$end - $duration") $duration $exit_status \
        $__repetend_cwd $REPETEND_SESSION "$line" >> $__repetend_spool
    test $exit_status -eq 0; or __repetend_hint $argv[1]
    set -g __repetend_count (math $__repetend_count + 1)
    if test (math "$__repetend_count % __FLUSH_EVERY__") -eq 0
        __FLUSH__ >/dev/null 2>&1 &
        disown 2>/dev/null
    end
end
"""

FISH_HINT = r"""
# After a failure only: one line when learning wrote a fix for this very command (no Python).
function __repetend_hint
    set -l limit 300
    set -q REPETEND_FAILURE_HINT_SECONDS; and set limit $REPETEND_FAILURE_HINT_SECONDS
    set -q __repetend_hinted; or set -g __repetend_hinted 0
    set -l now (date +%s)
    test (math "$now - $__repetend_hinted") -ge $limit; or return 0
    set -l dir $PWD
    set -l file
    while test -n "$dir"
        if test -f "$dir/__HINTS__"
            set file "$dir/__HINTS__"
            break
        end
        set dir (string replace -r '/[^/]*$' '' -- $dir)
    end
    test -n "$file"; or return 0
    while read -l line
        set -l parts (string split \t -- $line)
        if test "$parts[1]" = "$argv[1]"
            set -g __repetend_hinted $now
            echo "repetend: a fix is known ($parts[2]): $parts[3] — repetend heal --command"\
                (string escape -- $argv[1]) >&2
            return 0
        end
    end < $file
end
"""

HINTS = ".repetend/failures/shell-hints.tsv"  # written by the learner (failures.rules)
SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH + FISH_HINT}


def shell_script(shell: str, python: str) -> str:
    """The integration for `shell`; `python` runs the background flush (a light entry point)."""
    return (
        SCRIPTS[shell]
        .replace("__FLUSH_EVERY__", str(FLUSH_EVERY))
        .replace("__FLUSH__", f"{python} -c {shlex.quote(BOOTSTRAP.format(module=FLUSH_MODULE))}")
        .replace("__REPETEND__", "repetend")
        .replace("__HINTS__", HINTS)
    )
