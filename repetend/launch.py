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
