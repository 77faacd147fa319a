"""What the watcher never looks at: version-control, build and cache folders, editor temp files.

Everything git ignores is dropped too, asked of git itself per batch (see
`repetend.capture.git.git.ignored`), so `.gitignore`, `.git/info/exclude` and the
global excludes file all count.
"""

from __future__ import annotations

import re

IGNORED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".repetend",
        "__pycache__",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
        ".eggs",
        ".gradle",
        ".idea",
        ".next",
        ".terraform",
        "build",
        "dist",
        "htmlcov",
        "target",
    }
)

# Swap, backup and save-in-progress files of vim, emacs, nano, JetBrains IDEs, Kate,
# gedit, LibreOffice, browsers and the usual "*.tmp"; `4913` is vim's write-permission probe;
# `.NAME.repetend-empty` is where the fill offer keeps an empty file while apply runs.
EDITOR_TEMPORARY = re.compile(
    r"""(
        \..*\.sw[a-p]x?$ | .*~$ | \#.*\#$ | \.\#.* | 4913$
      | .*___jb_(tmp|old|bak)___$ | .*\.kate-swp$ | \.goutputstream-.* | \.~lock\..*\#$
      | .*\.(tmp|temp|bak|orig|rej|part|crdownload)$ | \.DS_Store$ | Thumbs\.db$ | .*\.save$
      | \..*\.repetend-empty$
    )""",
    re.VERBOSE,
)


def is_noise(relative: str) -> bool:
    """Whether a path (relative, forward slashes) is never the developer's own new work."""
    *folders, name = relative.split("/")
    if any(part in IGNORED_FOLDERS or part.endswith(".egg-info") for part in folders):
        return True
    return name in IGNORED_FOLDERS or bool(EDITOR_TEMPORARY.match(name))
