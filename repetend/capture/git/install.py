"""Install, uninstall and inspect repetend's git hooks, chaining whatever hook was there.

Install moves an existing hook (file or symlink, with its mode) aside to
`<hook>.repetend-chained` and writes ours, which runs it first; uninstall
removes ours and moves the previous hook back, so the folder ends exactly as
it was. Running install twice rewrites our script and never chains it to itself.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from repetend.capture.git.git import hooks_dir
from repetend.capture.git.scripts import CHAINED_SUFFIX, HOOK_TYPES, hook_script, is_ours
from repetend.errors import UsageError
from repetend.fileio import atomic_write


@dataclass(frozen=True)
class HookState:
    """One hook's state.

    `installed` (ours), `chained` (ours, running the previous hook first),
    `foreign` (someone else's) or `absent`.
    """

    hook: str
    state: str
    path: Path
    chained: Path | None
    python: str


def install(root: Path, python: str | None = None) -> list[HookState]:
    """Write both hooks into the repository's hooks folder; return their new states."""
    folder = hooks_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    for hook in HOOK_TYPES:
        _install_one(folder / hook, python or sys.executable)
    return status(root)


def _install_one(path: Path, python: str) -> None:
    chained = path.with_name(path.name + CHAINED_SUFFIX)
    present = path.exists() or path.is_symlink()
    if present and not _ours(path):
        if chained.exists() or chained.is_symlink():
            raise UsageError(
                f"{path}: a hook is there and {chained.name} already exists beside it;"
                " move one of them away, then run `repetend hooks install` again"
            )
        os.replace(path, chained)
    atomic_write(path, hook_script(path.name, python), mode=0o755)


def uninstall(root: Path) -> list[tuple[str, str]]:
    """Remove our hooks and put back the ones they chained; return (hook, what was done)."""
    folder = hooks_dir(root)
    return [(hook, _uninstall_one(folder / hook)) for hook in HOOK_TYPES]


def _uninstall_one(path: Path) -> str:
    if not _ours(path):
        return "not installed (left as it is)"
    chained = path.with_name(path.name + CHAINED_SUFFIX)
    path.unlink()
    if chained.exists() or chained.is_symlink():
        os.replace(chained, path)
        return "removed; the previous hook is back"
    return "removed"


def status(root: Path) -> list[HookState]:
    """The state of each hook repetend manages."""
    folder = hooks_dir(root)
    return [_state(folder / hook) for hook in HOOK_TYPES]


def _state(path: Path) -> HookState:
    chained = path.with_name(path.name + CHAINED_SUFFIX)
    has_chained = chained.exists() or chained.is_symlink()
    if not (path.exists() or path.is_symlink()):
        return HookState(path.name, "absent", path, None, "")
    if not _ours(path):
        return HookState(path.name, "foreign", path, None, "")
    state = "chained" if has_chained else "installed"
    return HookState(path.name, state, path, chained if has_chained else None, _python_of(path))


def _ours(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return is_ours(handle.read(400))
    except OSError:
        return False


def _python_of(path: Path) -> str:
    """The interpreter the hook would start now (`repetend` on PATH, else the recorded one)."""
    import shlex

    from repetend.launch import RECORDED, interpreter_now

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(RECORDED):  # `recorded=PATH; …`
            return interpreter_now(shlex.split(line.removeprefix(RECORDED).split(";")[0])[0])
        if line.startswith("python="):  # a hook written by an older repetend
            return shlex.split(line.removeprefix("python="))[0]
    return ""
