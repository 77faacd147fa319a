"""Capture from any program: `record()` for executions, `record_event()` for other facts.

Capture never gets in the caller's way: with the kill switch on it does
nothing, secrets are redacted before storage, values that JSON cannot hold are
stored by their `repr` with a warning, and a bad configuration costs one
warning (capture goes on with the defaults). A store that stays locked for
`capture_timeout` seconds in all, or cannot be written, costs one warning
naming its path; what could not be stored is kept in `.repetend/spool/events/`
for the next `repetend` command, and the caller's work goes on.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from repetend.capture import event_spool
from repetend.capture.opt_in import opted_in, user_data_dir
from repetend.config import (
    Config,
    config_stamp,
    find_root,
    kill_switch,
    load_config,
)
from repetend.errors import ConfigError, reason
from repetend.events import Event, Execution, utcnow
from repetend.redact import redact_text, redact_value
from repetend.settings import SETTINGS
from repetend.shapes import file_types
from repetend.store import SQLiteStore, open_store

F = TypeVar("F", bound=Callable[..., Any])

_stores: dict[tuple[int, Path], SQLiteStore] = {}
_configs: dict[Path, tuple[tuple[object, ...], Config]] = {}
_roots: dict[str, Path] = {}
_warned: set[str] = set()


class RepetendWarning(UserWarning):
    """Something was captured imperfectly (a value stored by its repr, a store not written)."""


class Recording:
    """One execution being recorded; a context manager and a decorator.

    Set `outputs` (a dict) on the handle inside the block. An exception in the
    block is recorded as a failure and re-raised.
    """

    def __init__(
        self,
        kind: str,
        inputs: Mapping[str, Any] | None = None,
        tools: list[str] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        root: str | Path | None = None,
        source: str = "api",
        session: str = "",
        actor: str = "human",
    ) -> None:
        self.kind = kind
        self.inputs: dict[str, Any] | None = dict(inputs) if inputs is not None else None
        self.tools = list(tools or [])
        self.context = dict(context or {})
        self.outputs: dict[str, Any] = {}
        self.root = root
        self.source, self.session, self.actor = source, session, actor
        self.execution: Execution | None = None
        self._started = 0.0

    def __enter__(self) -> Recording:
        self._started = time.perf_counter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        duration = (time.perf_counter() - self._started) * 1000
        failure = f"{kind.__name__}: {error}" if kind is not None else ""
        self.execution = Execution(
            kind=self.kind,
            inputs=self.inputs or {},
            outputs=self.outputs,
            tools=self.tools,
            success=kind is None,
            error=failure,
            duration_ms=duration,
            context=self.context,
            source=self.source,
            session=self.session,
            actor=self.actor,
        )
        save_execution(self.execution, root=self.root)

    def __call__(self, function: F) -> F:
        """Record every call of `function`; without explicit inputs its arguments are the inputs."""
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            inputs = self.inputs
            if inputs is None:
                bound = signature.bind_partial(*args, **kwargs)
                inputs = dict(bound.arguments)
            fresh = Recording(
                self.kind,
                inputs,
                self.tools,
                context=self.context,
                root=self.root,
                source=self.source,
                session=self.session,
                actor=self.actor,
            )
            with fresh:
                result = function(*args, **kwargs)
                fresh.outputs = dict(result) if isinstance(result, Mapping) else {"result": result}
            return result

        return wrapper  # type: ignore[return-value]


def record(
    kind: str,
    inputs: Mapping[str, Any] | None = None,
    tools: list[str] | None = None,
    **options: Any,
) -> Recording:
    """Record one execution of `kind`: `with record(...) as run:` or `@record(...)`.

    Options: `context` (a dict), `root` (the repository; default: found from the
    current folder), `source`, `session` and `actor` (`human` or `agent`).
    """
    return Recording(kind, inputs, tools, **options)


def save_execution(execution: Execution, *, root: str | Path | None = None) -> bool:
    """Redact, store and hand one execution to the detectors; return whether it was stored."""
    config = capture_config(root)
    if config.disabled:
        return False
    extra = config.redact_keys
    execution.inputs = _storable(redact_value(execution.inputs, extra), "inputs")
    execution.outputs = _storable(redact_value(execution.outputs, extra), "outputs")
    execution.context = _storable(redact_value(execution.context, extra), "context")
    execution.error = redact_text(execution.error)
    execution.file_types = execution.file_types or file_types(execution.inputs, execution.outputs)
    stored = _guarded(config, [execution], lambda store: store.add_executions([execution]))
    if stored:
        _after(config, lambda store: _execution_recorded(store, config, execution))
    return stored


def record_event(
    source: str,
    kind: str,
    payload: Mapping[str, Any] | None = None,
    *,
    root: str | Path | None = None,
    **fields: Any,
) -> bool:
    """Store one generic event (redacted) and tell the plugins; return whether it was stored.

    False when the store stayed busy (the event is kept for the next command).
    """
    config = capture_config(root)
    if config.disabled:
        return False
    body = _storable(redact_value(dict(payload or {}), config.redact_keys), "payload")
    event = Event(source=source, kind=kind, payload=body, created_at=utcnow(), **fields)
    stored = _guarded(config, [event], lambda store: store.add_events([event]))
    if stored:
        _after(config, lambda store: _events_recorded(config, [event]))
    return stored


def _events_recorded(config: Config, events: Sequence[Event]) -> None:
    from repetend.plugins.registry import call_hook, get_plugin_manager

    manager = get_plugin_manager(config.disable_plugins)
    if manager.hook.repetend_event_recorded.get_hookimpls():
        for event in (e for e in events if not e.already_stored):  # new ones only
            call_hook(manager, "repetend_event_recorded", event=event, config=config)


def _execution_recorded(store: SQLiteStore, config: Config, execution: Execution) -> None:
    from repetend.patterns.lifecycle import propose
    from repetend.plugins.registry import call_hook, get_plugin_manager

    manager = get_plugin_manager(config.disable_plugins)
    answers = call_hook(
        manager, "repetend_execution_recorded", execution=execution, store=store, config=config
    )
    candidates = [candidate for answer in answers for candidate in answer]
    if candidates:
        propose(candidates, store, config, manager)


def _guarded(
    config: Config,
    items: Sequence[Event | Execution],
    work: Callable[[SQLiteStore], object],
    *,
    keep: bool = True,
) -> bool:
    """Store `items` through `work` within `capture_timeout`; else spool them (when `keep`).

    Outside a repository that opted in, nothing is created there: the items are kept
    in the user's data folder instead (and count as accepted).
    """
    if not opted_in(config):
        return _keep_for_user(config, items)
    try:
        started = time.monotonic()
        store = _store(config)  # opening counts against the caller's wait too
        with store.budget(max(float(config.capture_timeout) - (time.monotonic() - started), 0)):
            work(store)
    except Exception as error:  # capture fails open: the caller's work matters more
        kept = _keep(config, items) if keep else ""
        warn_once(str(config.store_path), f"{config.store_path}: not recorded ({error}){kept}")
        return False
    return True


def _keep_for_user(config: Config, items: Sequence[Event | Execution]) -> bool:
    folder = user_data_dir()
    try:
        event_spool.keep(folder, items)
    except OSError as error:
        warn_once("user spool", f"{folder}: not recorded either ({reason(error)})")
        return False
    warn_once(
        f"opted in {config.root}",
        f"{config.root} does not use repetend (no .repetend/: run `repetend init` there);"
        f" kept in {event_spool.events_dir(folder)}",
    )
    return True


def _keep(config: Config, items: Sequence[Event | Execution]) -> str:
    try:
        event_spool.keep(config.state_dir, items)
    except OSError as error:
        return f"; not kept either ({reason(error)})"
    return f"; kept in {event_spool.events_dir(config.state_dir)} for the next repetend command"


def _after(config: Config, work: Callable[[SQLiteStore], None]) -> None:
    """Tell the plugins (what is stored stays stored whatever they do)."""
    if not opted_in(config):  # kept in the user's folder: nothing was stored to tell of
        return
    try:
        store = _store(config)
        with store.budget(float(config.capture_timeout)):
            work(store)
    except Exception as error:  # capture fails open
        warn_once(f"plugins {config.root}", f"plugins not told of a recorded event ({error})")


def close_stores() -> None:
    """Close the stores this process opened for capture (tests, long-lived processes)."""
    for store in _stores.values():
        store.close()
    _stores.clear()
    _configs.clear()
    _roots.clear()


def _store(config: Config) -> SQLiteStore:
    key = (os.getpid(), config.store_path)
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = open_store(config, patience=float(config.capture_timeout))
    return store


def capture_config(root: str | Path | None = None) -> Config:
    """The configuration capture points use: a bad file, key or variable costs one warning.

    Capture then goes on with the defaults (the kill switch still counts), so a
    typo in the configuration never breaks the program, hook or test run capturing.
    """
    try:
        return _config(root)
    except ConfigError as error:
        base = find_root(Path(root) if root is not None else None)
        warn_once(f"config {base}", f"{error}; capture goes on with the default settings")
        switch = kill_switch()
        defaults = {s.name: s.default for s in SETTINGS}
        return Config(base, defaults, dict.fromkeys(defaults, "default"), bool(switch), switch)


def _config(root: str | Path | None) -> Config:
    """The configuration for `root`, re-read only when a config file or variable changed."""
    where = str(root) if root is not None else os.getcwd()
    base = _roots.get(where)
    if base is None:
        base = _roots[where] = find_root(Path(where))
    stamp = config_stamp(base)
    cached = _configs.get(base)
    if cached is None or cached[0] != stamp:
        cached = _configs[base] = (stamp, load_config(base))
    return cached[1]


def _storable(value: dict[str, Any], label: str) -> dict[str, Any]:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        result: dict[str, Any] = json.loads(json.dumps(value, default=repr))
        warnings.warn(
            f"repetend: some {label} are not JSON values and were stored by their repr",
            RepetendWarning,
            stacklevel=4,
        )
        return result


def warn_once(key: str, message: str) -> None:
    """Print one warning line per process for `key` (a path, a capture point)."""
    if key in _warned:
        return
    _warned.add(key)
    sys.stderr.write(f"repetend: warning: {message}\n")


def record_events(
    events: Sequence[Event], *, root: str | Path | None = None, keep: bool = True
) -> bool:
    """Store many events (redacted) in one transaction and tell the plugins about each.

    For capture points that report in bulk (a test session, an ingested file):
    one write per batch instead of one per event. With `keep=False` events that
    cannot be stored are not spooled: the caller keeps them itself.
    """
    config = capture_config(root)
    if config.disabled or not events:
        return False
    for event in events:
        event.payload = _storable(redact_value(event.payload, config.redact_keys), "payload")
    stored = _guarded(config, events, lambda store: store.add_events(events), keep=keep)
    if stored:
        _after(config, lambda store: _events_recorded(config, events))
    return stored


SpooledPayloads = Callable[[list[dict[str, Any]], SQLiteStore, Config], None]


def store_spooled(root: str | Path | None = None, payloads: SpooledPayloads | None = None) -> int:
    """Store what capture points spooled when the store was locked; return how many items.

    `payloads` stores spooled agent hook payloads (`capture.agent`, which sits on
    top of this module). A store still locked leaves the rest for later (raises
    `StoreError`).
    """
    config = capture_config(root)
    if config.disabled or not event_spool.waiting(config.state_dir):
        return 0
    return event_spool.drain(config.state_dir, lambda items: _restore(config, items, payloads))


def _restore(
    config: Config, items: list[event_spool.Spooled], store_payloads: SpooledPayloads | None
) -> None:
    store = _store(config)
    events = [item for item in items if isinstance(item, Event)]
    executions = [item for item in items if isinstance(item, Execution)]
    payloads = [item for item in items if isinstance(item, dict)]
    with store.budget(float(config.capture_timeout)):
        if events:
            store.add_events(events)
        if executions:
            store.add_executions(executions)
    if payloads and store_payloads is not None:
        store_payloads(payloads, store, config)
    _after(config, lambda _: _events_recorded(config, events))
    for execution in executions:
        _after(config, functools.partial(_execution_recorded, config=config, execution=execution))
