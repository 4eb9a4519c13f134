"""Reading accounts, always through the actor's region scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from lindungi.core.errors import NotFound
from lindungi.core.scope import region_code_q

from .models import ApiToken, LoginThrottle, User
from .roles import Capability
from .services import require
from .throttle import username_key


def user_list(
    *,
    actor: User,
    q: str | None = None,
    role: str | None = None,
    region_code: str | None = None,
    is_active: bool | None = None,
) -> QuerySet[User]:
    """Accounts inside the actor's scope, filtered; only account managers may list."""
    require(actor, Capability.MANAGE_USERS)
    qs = User.objects.visible_to(actor).select_related("region")
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if region_code:
        qs = qs.filter(region_code_q("region__code", region_code))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("username")


def user_get(*, actor: User, user_id: int) -> User:
    """One account in scope; outside the scope it does not exist (404)."""
    require(actor, Capability.MANAGE_USERS)
    try:
        return User.objects.visible_to(actor).select_related("region").get(pk=user_id)
    except User.DoesNotExist as exc:
        raise NotFound() from exc


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def token_get(*, actor: User, token_id: int) -> ApiToken:
    """One of the actor's tokens, or one of an account inside its scope it manages."""
    own = ApiToken.objects.filter(user=actor, pk=token_id).select_related("user").first()
    if own is not None:
        return own
    if actor.can(Capability.MANAGE_USERS):
        managed = User.objects.visible_to(actor)
        token = (
            ApiToken.objects.filter(pk=token_id, user__in=managed).select_related("user").first()
        )
        if token is not None:
            return token
    raise NotFound()


def login_throttled_until(*, usernames: Iterable[str]) -> dict[str, dt.datetime]:
    """For the usernames that must wait before signing in from some address: until when (the
    latest wait). One query for a page of accounts."""
    keys = {username_key(name): name for name in usernames}
    rows = (
        LoginThrottle.objects.filter(
            kind=LoginThrottle.Kind.PAIR,
            username_key__in=list(keys),
            blocked_until__gt=timezone.now(),
        )
        .values("username_key")
        .annotate(until=Max("blocked_until"))
    )
    return {keys[row["username_key"]]: row["until"] for row in rows}
