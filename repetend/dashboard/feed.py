"""The live activity feed: one poller follows the store, every open stream hears it.

Capture happens in other processes (git hooks, the pytest plugin, the shell, agents), so
the server cannot be told; it reads events stored after the last one it saw, by id,
every `interval` seconds (an indexed query of the newest rows, cheap at any size), and
hands each to the queues of the open streams (`/api/events/stream`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable

import anyio.to_thread

from repetend.dashboard import models
from repetend.dashboard.queries import activity
from repetend.events import Event

KEEP_ALIVE = 15.0  # seconds between comments that keep proxies from closing an idle stream
QUEUE_SIZE = 1000  # a stream that falls this far behind loses the oldest news, not the server


class Feed:
    """Follow the store and fan each new event out to the subscribers."""

    def __init__(
        self,
        read_after: Callable[[int, int], list[Event]],
        newest_id: Callable[[], int],
        interval: float = 0.1,
    ) -> None:
        self.read_after, self.newest_id, self.interval = read_after, newest_id, interval
        self.last_id = 0
        self.subscribers: set[asyncio.Queue[models.Activity]] = set()

    async def run(self) -> None:
        """Poll until cancelled; starts after the newest event stored now."""
        self.last_id = await anyio.to_thread.run_sync(self.newest_id)
        while True:
            await asyncio.sleep(self.interval)
            for event in await anyio.to_thread.run_sync(self.read_after, self.last_id, 200):
                self.last_id = max(self.last_id, event.id or 0)
                self.publish(activity(event))

    def publish(self, item: models.Activity) -> None:
        """Hand one item to every subscriber, dropping a slow one's oldest item."""
        for queue in self.subscribers:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(item)

    async def stream(self, backlog: list[models.Activity]) -> AsyncIterator[str]:
        """Server-sent events: `backlog` first, then each new item, with keep-alives."""
        queue: asyncio.Queue[models.Activity] = asyncio.Queue(QUEUE_SIZE)
        self.subscribers.add(queue)
        try:
            yield "retry: 1000\n\n"
            seen = 0
            for item in backlog:
                seen = max(seen, item.id)
                yield sse(item)
            while True:
                with contextlib.suppress(asyncio.TimeoutError):
                    item = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
                    if item.id > seen or item.id == 0:
                        yield sse(item)
                    continue
                yield ": keep-alive\n\n"
        finally:
            self.subscribers.discard(queue)


def sse(item: models.Activity) -> str:
    """One server-sent event: the id (for `Last-Event-ID`), the type and the JSON data."""
    data = json.dumps(item.model_dump(mode="json"), ensure_ascii=False)
    # An item the server made itself (a decision taken here) has no event id to resume from.
    resume = f"id: {item.id}\n" if item.id else ""
    return f"{resume}event: activity\ndata: {data}\n\n"
