"""repetend: find the work you repeat and turn it into reviewed, reusable automation.

The public API is small:

- `record(kind, inputs=..., tools=...)`: record an execution, as a context
  manager or a decorator, so any program or orchestrator can report its work.
- `record_event(source, kind, payload)`: record any other captured fact.
- `load_config(root)`: the effective configuration of a repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repetend.capture.record import Recording, RepetendWarning, record, record_event
    from repetend.config import Config, load_config

# Names are imported on first use: pytest imports the plugin inside this package on
# every run, and git hooks import single modules of it, so `import repetend` must
# not pay for the capture and store machinery.
_LAZY = {
    "Recording": "repetend.capture.record",
    "RepetendWarning": "repetend.capture.record",
    "record": "repetend.capture.record",
    "record_event": "repetend.capture.record",
    "Config": "repetend.config",
    "load_config": "repetend.config",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    # The version is read from the installed metadata only when asked for:
    # importlib.metadata costs more to import than the rest of the package.
    if name == "__version__":
        from importlib.metadata import version

        return version("repetend")
    raise AttributeError(name)


__all__ = [
    "Config",
    "Recording",
    "RepetendWarning",
    "__version__",
    "load_config",
    "record",
    "record_event",
]
