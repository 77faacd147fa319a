"""The text of the git hook scripts `repetend hooks install` writes.

POSIX shell, builtins only on the common path: a hook that costs more than a
few milliseconds gets uninstalled. The previous hook, if any, is kept beside
ours as `<hook>.repetend-chained` and runs first; a failing chained
pre-commit still blocks the commit, because that was its owner's choice.
"""

from __future__ import annotations

from repetend.launch import isolated_shell, resolve_python
from repetend.patterns.template_files import GLOBS

MARKER = "# repetend-hook:"
CHAINED_SUFFIX = ".repetend-chained"
HOOK_TYPES = ("pre-commit", "post-commit")
# The exit code the Python pre-commit check uses for "strict, and problems found".
STRICT_BLOCK = 10

_HEAD = """\
#!/bin/sh
{marker} {hook} (written by `repetend hooks install`; `repetend hooks uninstall` restores
# what was here before). Every failure of repetend's own part prints one line and lets git go on.
chained="${{0%/*}}/{hook}{suffix}"
status=0
if [ -x "$chained" ]; then "$chained" "$@"; status=$?; fi
{stop_on_failure}for switch in "$REPETEND_DISABLE" "$DISABLE_PATTERN_AUTOMATION"; do
  case "$switch" in 1|[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss]|[Oo][Nn]) exit $status;; esac
done
# The interpreter is found now, not when the hook was written: the `repetend` on PATH first
# (its virtual environment may have moved), then the one `hooks install` ran with.
{resolve}
if [ ! -x "$python" ]; then
  echo "repetend: no \\`repetend\\` on PATH and $python is gone;" \\
    "run \\`repetend hooks install\\` again ({hook} skipped)" >&2
  exit $status
fi
"""

FRAMEWORK_ENTRY = "repetend-hook"
_FRAMEWORK_HEAD = """\
#!/bin/sh
# `{entry} pre-commit|post-commit`: repetend's entry for the pre-commit framework.
# Written by `python -m repetend.capture.git.scripts` (edit scripts.py, not this file): the
# same shell as the hooks `repetend hooks install` writes, so Python starts only when there
# is something to check. Every failure of repetend's own part prints one line; git goes on.
case "$1" in
  pre-commit|post-commit) ;;
  *) echo "usage: {entry} pre-commit|post-commit" >&2; exit 2;;
esac
status=0
for switch in "$REPETEND_DISABLE" "$DISABLE_PATTERN_AUTOMATION"; do
  case "$switch" in 1|[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss]|[Oo][Nn]) exit 0;; esac
done
# The interpreter repetend is installed in: the virtual environment's (the framework makes
# one), else the one named by the `repetend` console script installed beside this file.
python="${{0%/*}}/python"
if [ ! -x "$python" ] && [ -r "${{0%/*}}/repetend" ]; then
  {{ read -r python; read -r second; }} < "${{0%/*}}/repetend"
  python=${{python#"#!"}}
  case "$python" in  # pip's forms: #!PYTHON, #!/usr/bin/env PYTHON, or /bin/sh that execs it
    "/usr/bin/env "*) python=$(command -v "${{python#/usr/bin/env }}") || python=;;
    */sh) python=${{second#*exec\\' \\"}}; python=${{python%%\\"*}};;
  esac
  case "$python" in *python*) ;; *) python=;; esac
fi
if [ ! -x "$python" ]; then
  echo "repetend: no Python found beside $0 ($1 skipped)" >&2
  exit 0
fi
"""

_PRE_COMMIT = """\
# Python starts only when there is something to check: two or more added files (they may
# form a family), or an added file that fits the path of an approved file template.
added=$(git diff --cached --name-only --diff-filter=A 2>/dev/null) || exit 0
[ -n "$added" ] || exit 0
fits_approved_template() {{
  for spec in .repetend/patterns/approved/*.yaml; do
    [ -f "$spec" ] || continue
    kind=
    {{ read -r _ && read -r kind; }} < "$spec" 2>/dev/null
    case "$kind" in  # repetend writes `kind:` second; a spec edited otherwise goes to Python
      "kind: file-template") ;;
      "kind: "*) continue;;
      *) return 0;;
    esac
    globs="${{spec%.yaml}}/{globs}"
    [ -f "$globs" ] || return 0  # no globs (an older repetend wrote it): let Python decide
    while IFS= read -r glob || [ -n "$glob" ]; do
      set -f; old_ifs=$IFS; IFS='
'
      for file in $added; do
        case "$file" in $glob) IFS=$old_ifs; set +f; return 0;; esac
      done
      IFS=$old_ifs; set +f
    done < "$globs"
  done
  return 1
}}
count=0
for _ in $added; do count=$((count + 1)); done
if [ "$count" -lt 2 ] && ! fits_approved_template; then exit 0; fi
{check}
code=$?
[ "$code" -eq 0 ] && exit 0
[ "$code" -eq {strict} ] && exit 1
echo "repetend: pre-commit check ended with exit $code; the commit goes on" >&2
exit 0
"""

_POST_COMMIT = """\
# Record the sha (one empty file) and let a detached drain do the rest off the commit's path.
# What repetend writes may hold captured text: readable by the owner only.
umask 077
spool=.repetend/spool/commits
sha=$(git rev-parse HEAD 2>/dev/null) || exit $status
[ -d "$spool" ] || mkdir -p "$spool" 2>/dev/null
# `true`, not `:`: a redirection that fails on a special built-in ends the whole script.
if ! true 2>/dev/null > "$spool/$sha"; then
  echo "repetend: cannot write $spool (read-only or full?); commit $sha not recorded" >&2
  exit $status
fi
if [ -f "$spool/.drain.pid" ] && read -r pid < "$spool/.drain.pid" 2>/dev/null &&
  kill -0 "$pid" 2>/dev/null; then
  exit $status
fi
unset GIT_INDEX_FILE
drain() {{ exec {drain} </dev/null; }}  # exec: no shell is left holding git's pipes
# The drain's pid is written here, as it starts: Python takes ~0.2 s to import before it
# could write it itself, and commits made back to back meanwhile would each start a drain.
started() {{
  marker="$spool/.drain.pid"
  {{ echo "$1" > "$marker.$$" && mv -f "$marker.$$" "$marker"; }} 2>/dev/null
}}
if {terminal_test}; then
  (drain {terminal} & started $!)
elif mkdir -p .repetend/logs 2>/dev/null && true 2>/dev/null >> .repetend/logs/hooks.log; then
  (drain >>.repetend/logs/hooks.log 2>&1 & started $!)
else
  (drain >/dev/null 2>&1 & started $!)
fi
exit $status
"""


def hook_script(hook: str, python: str) -> str:
    """The script for `hook` (`pre-commit` or `post-commit`) that runs repetend with `python`."""
    stop = 'if [ "$status" -ne 0 ]; then exit $status; fi\n' if hook == "pre-commit" else ""
    head = _HEAD.format(
        marker=MARKER,
        hook=hook,
        suffix=CHAINED_SUFFIX,
        stop_on_failure=stop,
        resolve=resolve_python(python),
    )
    if hook == "pre-commit":
        return head + _pre_commit()
    return head + _post_commit(terminal_test="[ -t 2 ]", terminal=">&2")


def _post_commit(terminal_test: str, terminal: str) -> str:
    drain = isolated_shell("python", "repetend.capture.git.drain", "--quiet")
    return _POST_COMMIT.format(drain=drain, terminal_test=terminal_test, terminal=terminal)


def _pre_commit() -> str:
    check = isolated_shell("python", "repetend.capture.git.quick_check")
    return _PRE_COMMIT.format(strict=STRICT_BLOCK, globs=GLOBS, check=check)


def framework_script() -> str:
    """The text of `repetend-hook`, the pre-commit framework's entry (shipped as a script).

    The same shell as the hooks above, without the chaining (the framework chains) and with
    the interpreter found beside the script: under the framework a trivial commit starts no
    Python at all, where `repetend hooks run` imported the whole command line twice.
    """
    head = _FRAMEWORK_HEAD.format(entry=FRAMEWORK_ENTRY)
    # The framework captures hook output, so the drain writes to the terminal itself.
    post = _post_commit(terminal_test="{ true >/dev/tty; } 2>/dev/null", terminal=">/dev/tty 2>&1")
    return f'{head}if [ "$1" = pre-commit ]; then\n{_pre_commit()}fi\n{post}'


def is_ours(text: str) -> bool:
    """Whether a hook file's text is a script repetend wrote."""
    return MARKER in text.split("\n", 3)[1] if text.count("\n") >= 2 else False


if __name__ == "__main__":  # writes the shipped framework entry: scripts/repetend-hook
    import sys

    sys.stdout.write(framework_script())
