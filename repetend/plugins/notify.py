"""The built-in notifier: one line on stderr for each new or changed pattern.

Quiet when the command that proposed the pattern reports it itself (`repetend
mine` prints its table): the line would say the same thing twice.
"""

from __future__ import annotations

import sys

from repetend.config import Config
from repetend.plugins import hookimpl
from repetend.plugins.types import Notification


@hookimpl(trylast=True)
def repetend_notify(notification: Notification, config: Config) -> None:
    """Print the notification where the developer is looking, without touching stdout."""
    if notification.caller_reports:
        return
    sys.stderr.write(f"repetend: {notification.message}\n")
