"""Pass a command's stderr through untouched while keeping its last few kilobytes.

`repetend run` hands the command a pipe for stderr (a pseudo-terminal when
repetend's own stderr is a terminal, so the command still sees a terminal:
colours, progress bars and `isatty()` stay as they were) and a thread copies
every byte to repetend's stderr as it comes, keeping only the last
`TAIL_BYTES` for the failure signature. Nothing is parsed while the command
runs; a command that passes costs the copy and nothing more.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

TAIL_BYTES = 8192
JOIN_SECONDS = 0.2  # a grandchild left holding stderr open must not keep repetend waiting


class StderrTail:
    """The write end for the child (`fd`), and the tail read from it (`tail()`)."""

    def __init__(self) -> None:
        self.terminal = _is_terminal(2)
        self.fd, self._read = _open_pair(self.terminal)
        self._tail = bytearray()
        self._thread = threading.Thread(target=self._copy, name="repetend-stderr", daemon=True)
        self._thread.start()

    def started(self) -> None:
        """The child holds its own copy now: close ours, so its exit ends the copy."""
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def tail(self) -> bytes:
        """Wait (briefly) for the copy to end; the last `TAIL_BYTES` of what was written."""
        self._thread.join(JOIN_SECONDS)
        return bytes(self._tail)

    def _copy(self) -> None:
        out = sys.stderr.fileno() if _has_fileno(sys.stderr) else 2
        try:
            while True:
                try:
                    chunk = os.read(self._read, 65536)
                except OSError:  # a pseudo-terminal whose last writer closed reads EIO
                    break
                if not chunk:
                    break
                _write_all(out, chunk)
                self._tail += chunk
                if len(self._tail) > 2 * TAIL_BYTES:
                    del self._tail[:-TAIL_BYTES]
        finally:
            with contextlib.suppress(OSError):
                os.close(self._read)
        del self._tail[:-TAIL_BYTES]


def _open_pair(terminal: bool) -> tuple[int, int]:
    """(write end for the child, read end for us): a pseudo-terminal like ours, else a pipe."""
    if terminal:
        try:
            import pty
            import termios

            primary, secondary = pty.openpty()
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(secondary, termios.TCSANOW, termios.tcgetattr(2))
                _copy_window_size(2, secondary)
            return secondary, primary
        except (ImportError, OSError):
            pass
    read, write = os.pipe()
    return write, read


def _copy_window_size(source: int, target: int) -> None:
    import fcntl
    import termios

    size = fcntl.ioctl(source, termios.TIOCGWINSZ, b"\0" * 8)
    fcntl.ioctl(target, termios.TIOCSWINSZ, size)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except OSError:  # our stderr is gone: keep reading so the command never blocks
            return
        view = view[written:]


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _has_fileno(stream: object) -> bool:
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return True
