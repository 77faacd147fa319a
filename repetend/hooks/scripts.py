"""The text of the git hook scripts `repetend hooks install` writes.

POSIX shell, builtins only on the common path: a hook that costs more than a
few milliseconds gets uninstalled. The previous hook, if any, is kept beside
ours as `<hook>.repetend-chained` and runs first; a failing chained
pre-commit still blocks the commit, because that was its owner's choice.
"""

from __future__ import annotations

import shlex

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
python={python}
if [ ! -x "$python" ]; then
  echo "repetend: $python is gone; run \\`repetend hooks install\\` again ({hook} skipped)" >&2
  exit $status
fi
"""

_PRE_COMMIT = """\
# Python starts only when there are added files and something to check them against:
# an approved template, or two or more new files that may form a family.
added=$(git diff --cached --name-only --diff-filter=A 2>/dev/null) || exit 0
[ -n "$added" ] || exit 0
set -- .repetend/patterns/approved/*
if [ ! -e "$1" ]; then
  count=0
  for _ in $added; do count=$((count + 1)); done
  [ "$count" -ge 2 ] || exit 0
fi
"$python" -m repetend.hooks.precommit
code=$?
[ "$code" -eq 0 ] && exit 0
[ "$code" -eq {strict} ] && exit 1
echo "repetend: pre-commit check ended with exit $code; the commit goes on" >&2
exit 0
"""

_POST_COMMIT = """\
# Record the sha (one empty file) and let a detached drain do the rest off the commit's path.
spool=.repetend/spool
sha=$(git rev-parse HEAD 2>/dev/null) || exit $status
[ -d "$spool" ] || mkdir -p "$spool" 2>/dev/null
if ! : > "$spool/$sha" 2>/dev/null; then
  echo "repetend: cannot write $spool; commit $sha not recorded" >&2
  exit $status
fi
if [ -f "$spool/.drain.pid" ] && read -r pid < "$spool/.drain.pid" &&
  kill -0 "$pid" 2>/dev/null; then
  exit $status
fi
unset GIT_INDEX_FILE
if [ -t 2 ]; then
  ("$python" -m repetend hooks drain --quiet </dev/null >&2 &)
else
  ("$python" -m repetend hooks drain --quiet </dev/null >>.repetend/hooks.log 2>&1 &)
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
        python=shlex.quote(python),
    )
    body = _PRE_COMMIT.format(strict=STRICT_BLOCK) if hook == "pre-commit" else _POST_COMMIT
    return head + body


def is_ours(text: str) -> bool:
    """Whether a hook file's text is a script repetend wrote."""
    return MARKER in text.split("\n", 3)[1] if text.count("\n") >= 2 else False
