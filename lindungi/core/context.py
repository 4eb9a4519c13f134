"""Who is acting, through which door: set once per request, command or task, read by the audit log.

Only non-personal facts live here (channel, client address, request id).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionContext:
    channel: str = "system"  # web | api | cli | task | system
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


_current: ContextVar[ActionContext | None] = ContextVar("lindungi_action_context", default=None)


def current_context() -> ActionContext:
    return _current.get() or ActionContext()


@contextlib.contextmanager
def action_context(channel: str, ip: str | None = None) -> Iterator[ActionContext]:
    ctx = ActionContext(channel=channel, ip=ip)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
