"""`python -m repetend` runs the command line.

`python -m` puts the current folder first on `sys.path`; run inside a
repository that holds a `logging/` or `json.py` of its own, every later
import would find the repository's module instead of Python's. The folder is
taken off first (this package is already found), as the git hooks' launcher
does (see `repetend.capture.git.launch`).
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from repetend.cli import main

raise SystemExit(main())
