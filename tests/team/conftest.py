"""The team tests share the session's throw-away PostgreSQL cluster (see tests/pg_cluster.py)."""

from __future__ import annotations

from tests.capture.git.conftest import plugged
from tests.pg_cluster import pg_cluster

__all__ = ["pg_cluster", "plugged"]
