"""Start repetend's own Python code without letting the observed repository shadow a module.

`python -m MODULE` puts the current folder first on `sys.path`, so a
`pluggy.py`, `tempfile.py` or `sitecustomize.py` in the repository would run
whenever a hook starts there. Hooks start Python with `-c BOOTSTRAP` instead:
the bootstrap drops that first entry before anything is imported, then runs
the module as `-m` would. Unlike `-I` it keeps the user's site-packages and
PYTHONPATH, where repetend itself may be installed; unlike `-P` it works on
Python 3.10. This module imports nothing: the pytest plugin uses it too.
"""

from __future__ import annotations

import shlex

# `-c` makes sys.path[0] '' (the current folder) unless PYTHONSAFEPATH already left it out.
BOOTSTRAP = (
    'import sys; sys.path[:1] = [] if sys.path[:1] == [""] else sys.path[:1]; '
    'import runpy; sys.argv[0] = "{module}"; '
    'runpy.run_module("{module}", run_name="__main__", alter_sys=True)'
)


def isolated_argv(python: str, module: str, *args: str) -> list[str]:
    """The argv that runs `python -m module args…` with the current folder off `sys.path`."""
    return [python, "-c", BOOTSTRAP.format(module=module), *args]


def isolated_shell(python_variable: str, module: str, *args: str) -> str:
    """The same, as a POSIX shell command line whose interpreter is `"$python_variable"`."""
    words = [shlex.quote(word) for word in isolated_argv("", module, *args)[1:]]
    return " ".join([f'"${python_variable}"', *words])


# POSIX shell (builtins only) that sets `python` when the moment comes to start repetend: the
# interpreter of the `repetend` command on PATH (its `#!` line, or the `python` beside it when
# that line names a folder that moved away, as in a renamed virtual environment), else the
# interpreter recorded when the hook was written. So a hook keeps working after its virtual
# environment moves, and in a clone whose owner installed repetend somewhere else.
_RESOLVE = (
    "python=; script=; old_ifs=$IFS; IFS=:; set -f; "
    # PATH by hand, no subshell to fork; only absolute folders (never the repository itself).
    "for dir in $PATH; do case $dir in /*) "
    '[ -f "$dir/repetend" ] && [ -x "$dir/repetend" ] && {{ script=$dir/repetend; break; }};; '
    "esac; done; IFS=$old_ifs; set +f; "
    'if [ -n "$script" ]; then '
    'IFS= read -r line < "$script" 2>/dev/null; '
    "candidate=${{line#??}}; candidate=${{candidate%% *}}; "
    'case "$line" in \\#!*python*|\\#!*pypy*) '
    'case "${{candidate##*/}}" in python*|pypy*) '
    '[ -x "$candidate" ] && python=$candidate;; esac;; esac; '
    '[ -n "$python" ] || {{ [ -x "${{script%/*}}/python" ] && python=${{script%/*}}/python; }}; '
    "fi; "
    '[ -n "$python" ] || python=$recorded'
)


def resolve_python(recorded: str) -> str:
    """Shell that sets `$python` at run time: `repetend` on PATH first, then `recorded`."""
    return f"{RECORDED}{shlex.quote(recorded) if recorded else ''}; {_RESOLVE.format()}"


RECORDED = "recorded="


def interpreter_now(recorded: str) -> str:
    """What the shell from `resolve_python(recorded)` would pick now (for `hooks status`)."""
    import os
    import shutil

    folders = [f for f in os.environ.get("PATH", "").split(os.pathsep) if os.path.isabs(f)]
    script = shutil.which("repetend", path=os.pathsep.join(folders))
    if script and os.path.isfile(script):
        try:
            with open(script, "rb") as handle:
                line = handle.readline().decode(errors="replace").rstrip("\n")
        except OSError:
            line = ""
        candidate = line[2:].split(" ")[0]
        name = os.path.basename(candidate)
        named = line.startswith("#!") and name.startswith(("python", "pypy"))
        if named and os.access(candidate, os.X_OK):
            return candidate
        sibling = os.path.join(os.path.dirname(script), "python")
        if os.access(sibling, os.X_OK):
            return sibling
    return recorded


def portable_command(recorded: str, module: str, *args: str) -> str:
    """One shell command line that runs `module` isolated with the interpreter found at run time.

    For settings files that store a command (an agent's hooks): no absolute
    interpreter path is needed while `repetend` is on PATH. When none is found
    it says so in one line and exits 0, so the caller is never blocked.
    """
    gone = f'echo "repetend: no Python with repetend found ({module} skipped)" >&2; exit 0'
    # The bootstrap without quotes of its own (the module comes as an argument), so the
    # script holds no single quote and stays one plain '…' word in a settings file.
    words = "".join(f" {shlex.quote(arg)}" for arg in (module, *args))
    script = (
        f'{resolve_python(recorded)}; [ -x "$python" ] || {{ {gone}; }}; '
        f'exec "$python" -c "{UNQUOTED_BOOTSTRAP}"{words}'
    )
    return f"sh -c {shlex.quote(script)}"


# The same as BOOTSTRAP, for `python -c CODE MODULE ARGS…`: no quote, `$`, backslash or backquote.
UNQUOTED_BOOTSTRAP = (
    "import sys, runpy; sys.path[:1] = [] if sys.path[:1] == [str()] else sys.path[:1]; "
    "sys.argv[:2] = sys.argv[1:2]; runpy.run_module(sys.argv[0], run_name=__name__, alter_sys=True)"
)
