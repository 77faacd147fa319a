"""The built-in notifier: one line on stderr for each new or changed pattern."""

from __future__ import annotations

import sys

from repetend.config import Config
from repetend.plugins import hookimpl
from repetend.plugins.types import Notification


@hookimpl(trylast=True)
def repetend_notify(notification: Notification, config: Config) -> None:
    """Print the notification where the developer is looking, without touching stdout."""
    sys.stderr.write(f"repetend: {notification.message}\n")
