"""The states of a recommended action. Its own light module: the CLI offers them as choices
without importing pydantic when ``--help`` is asked for."""

from __future__ import annotations

from enum import Enum


class ActionStatus(str, Enum):
    open = "open"
    in_progress = "in-progress"
    done = "done"
    risk_accepted = "risk-accepted"  # decided not to act; kept visible, never counted as overdue


CLOSED = frozenset({ActionStatus.done, ActionStatus.risk_accepted})
