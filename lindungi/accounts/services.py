"""Writes on accounts: users, passwords, login checks (slowed down by `throttle`), API tokens.

Every function takes the acting user (`actor`, None for the command line bootstrap) and
records an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lindungi.core.audit import audit_record, audit_record_many, diff, snapshot
from lindungi.core.context import current_context
from lindungi.core.errors import DomainError, FieldErrors, Forbidden
from lindungi.core.models import AuditEvent
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Level, Region
from lindungi.regions.selectors import region_get

from .errors import AccountError
from .models import ApiToken, User
from .roles import ASSIGNABLE_ROLES, ROLE_LEVELS, Capability, Role
from .throttle import throttle_clear, throttle_failure, throttle_success, throttle_wait

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")
AUDITED_USER_FIELDS = ["role", "region", "first_name", "last_name", "email", "phone", "is_active"]


# --- authorisation ----------------------------------------------------------------------------


def require(actor: Any, capability: Capability) -> None:
    """Raise 403 unless `actor` holds `capability`. Services call this; views never decide alone."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.can(capability):
        raise Forbidden()


def _authorise_assignment(actor: User | None, role: str, region: Region | None) -> None:
    """`actor` may give `role` in `region`: the role is below its own and the region in scope."""
    if actor is None:  # the command line, run by whoever operates the server
        return
    require(actor, Capability.MANAGE_USERS)
    if role not in ASSIGNABLE_ROLES.get(actor.role, frozenset()):
        raise Forbidden(AccountError.ROLE_NOT_ASSIGNABLE, role=Role(role).label)
    if region is None:
        if not actor.has_national_scope:
            raise Forbidden(AccountError.REGION_OUT_OF_SCOPE, code="—")
    elif not region_in_scope(actor, region.code):
        raise Forbidden(AccountError.REGION_OUT_OF_SCOPE, code=region.code)


def _clean_role_region(role: str, region_code: str | None) -> Region | None:
    if role not in Role.values:
        raise FieldErrors.single("role", AccountError.ROLE_UNKNOWN, role=role)
    region = region_get(region_code, include_inactive=False) if region_code else None
    allowed = ROLE_LEVELS[role]
    level = region.level if region else None
    if level not in allowed:
        names = sorted(str(Level(lv).label) if lv else "nasional" for lv in allowed)
        raise FieldErrors.single(
            "region",
            AccountError.ROLE_REGION_MISMATCH,
            role=Role(role).label,
            levels=" / ".join(names),
        )
    return region


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise FieldErrors.single(
            "password", AccountError.PASSWORD_WEAK, reasons=" ".join(exc.messages)
        ) from exc


# --- users ------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    region_code: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create an account scoped to one region; the role must fit the region's level (§2)."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise FieldErrors.single("username", AccountError.USERNAME_INVALID)
    region = _clean_role_region(role, region_code)
    _authorise_assignment(actor, role, region)
    if User.objects.filter(username__iexact=username).exists():
        raise FieldErrors.single("username", AccountError.USERNAME_TAKEN, username=username)
    user = User(
        username=username,
        role=role,
        region=region,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        is_staff=role == Role.SUPERADMIN,
        is_superuser=role == Role.SUPERADMIN,
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        region_code=user.region_id,
        changes=diff({}, snapshot(user, ["username", *AUDITED_USER_FIELDS])),
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    role: str | None = None,
    region_code: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change an account; role and region changes need authority over both old and new."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None:
        if actor.pk == user.pk and (
            (role is not None and role != user.role)
            or (region_code is not None and region_code != user.region_id)
            or is_active is False
        ):
            raise Forbidden(AccountError.CANNOT_CHANGE_SELF)
        if actor.pk != user.pk:
            _authorise_assignment(actor, user.role, user.region)
    before = snapshot(user, AUDITED_USER_FIELDS)
    new_role = role if role is not None else user.role
    new_region_code = region_code if region_code is not None else user.region_id
    if (new_role, new_region_code) != (user.role, user.region_id):
        region = _clean_role_region(new_role, new_region_code)
        _authorise_assignment(actor, new_role, region)
        user.role, user.region = new_role, region
        user.is_staff = user.is_superuser = new_role == Role.SUPERADMIN
    for name, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("email", email),
        ("phone", phone),
    ):
        if value is not None:
            setattr(user, name, value.strip())
    if is_active is not None:
        user.is_active = is_active
    changes = diff(before, snapshot(user, AUDITED_USER_FIELDS))
    if changes:
        user.save()
        audit_record(
            actor=actor, action="user.update", obj=user, region_code=user.region_id, changes=changes
        )
    return user


def user_set_password(
    *, actor: User | None, user: User, password: str, current_password: str | None = None
) -> None:
    """Set a new password (own, or of an account the actor manages); sign-in waits end.

    One's own change needs the current password (a session left open must not be enough to
    take the account over); wrong guesses of it are slowed down like sign-ins. A new password
    ends every API token of the account: a token taken with the old password (or by whoever knew
    it) must not outlive it. Every door that sets a password calls this.
    """
    if actor is not None and actor.pk == user.pk:
        _current_password_check(user=user, password=current_password or "")
    _password_set(actor=actor, user=user, password=password)


def _current_password_check(*, user: User, password: str) -> None:
    # Not atomic with the change: a wrong guess must stay counted and audited.
    now = timezone.now()
    address = current_context().ip or ""
    wait = throttle_wait(username=user.username, address=address, now=now)
    if not wait:
        if user.check_password(password):
            return
        wait = throttle_failure(username=user.username, address=address, now=now)
        audit_record(
            actor=user,
            action="user.current_password_wrong",
            kind=AuditEvent.Kind.AUTH,
            obj=user,
            region_code=user.region_id,
            changes={"wait_seconds": wait} if wait else None,
        )
        if not wait:
            raise FieldErrors.single("current_password", AccountError.CURRENT_PASSWORD_WRONG)
    raise _throttled(wait)


@transaction.atomic
def _password_set(*, actor: User | None, user: User, password: str) -> None:
    if actor is not None and actor.pk != user.pk:
        _authorise_assignment(actor, user.role, user.region)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one change at a time
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    throttle_clear(username=user.username)
    audit_record(actor=actor, action="user.set_password", obj=user, region_code=user.region_id)
    _tokens_revoke_all(actor=actor, user=user, reason="password_changed")


@transaction.atomic
def user_unlock(*, actor: User | None, user: User) -> None:
    """End the sign-in waits of this account's username from every address (`throttle.py`)."""
    if actor is not None:
        _authorise_assignment(actor, user.role, user.region)
    cleared = throttle_clear(username=user.username)
    audit_record(
        actor=actor,
        action="user.unlock",
        obj=user,
        region_code=user.region_id,
        changes={"addresses": cleared},
    )


# --- login ------------------------------------------------------------------------------------


def login_check(*, username: str, password: str) -> User:
    """The user whose credentials these are, or a DomainError (wrong, throttled, inactive).

    Failures slow down this username from this client address, and this address (`throttle`);
    no account is locked. A username nobody has gets the same answers after the same work.
    Every attempt is audited.
    """
    now = timezone.now()
    name = (username or "").strip()
    address = current_context().ip or ""
    user = User.objects.filter(username__iexact=name).first()
    about: dict[str, Any] = (
        {"obj": user, "region_code": user.region_id} if user else {"note": "unknown user"}
    )
    wait = throttle_wait(username=name, address=address, now=now)
    if wait:
        audit_record(actor=None, action="login.throttled", kind=AuditEvent.Kind.AUTH, **about)
        raise _throttled(wait)
    if user is None:
        make_password(password)  # the work of a real check: no timing hint
    if user is None or not user.check_password(password):
        wait = throttle_failure(username=name, address=address, now=now)
        audit_record(
            actor=None,
            action="login.failed",
            kind=AuditEvent.Kind.AUTH,
            changes={"wait_seconds": wait} if wait else None,
            **about,
        )
        if wait:
            raise _throttled(wait)
        raise DomainError(AccountError.INVALID_CREDENTIALS, status=401)
    if not user.is_active:
        raise DomainError(AccountError.ACCOUNT_INACTIVE, status=401)
    with transaction.atomic():
        throttle_success(username=name, address=address)
        audit_record(
            actor=user,
            action="login.succeeded",
            kind=AuditEvent.Kind.AUTH,
            obj=user,
            region_code=user.region_id,
        )
    return user


def _throttled(wait: int) -> DomainError:
    return DomainError(
        AccountError.LOGIN_THROTTLED,
        status=429,
        details={"retry_after": wait},
        minutes=math.ceil(wait / 60),
    )


# --- API tokens -------------------------------------------------------------------------------


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for `user`; the raw token is returned once and never stored."""
    raw = "lnd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_prefix=raw[:12],
        key_hash=_hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=int(settings.LINDUNGI["API_TOKEN_TTL_DAYS"])),
    )
    audit_record(
        actor=user,
        action="token.issue",
        kind=AuditEvent.Kind.AUTH,
        obj=token,
        region_code=user.region_id,
    )
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """The active user a usable token belongs to, else None."""
    if not raw or not raw.startswith("lnd_"):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    # Failed password attempts never disable a token (issue 22): only revocation, expiry, a new
    # password or a deactivated account do.
    if token is None or not token.user.is_active:
        return None
    # Record use at most every five minutes: no write on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    user.api_token_id = token.pk  # type: ignore[attr-defined]
    return user


def _tokens_revoke_all(*, actor: User | None, user: User, reason: str) -> int:
    """Revoke every token of `user` not yet revoked, one audit event each; inside the caller's
    transaction."""
    ids = list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True)
    )
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
        audit_record_many(
            actor=actor,
            action="token.revoke",
            kind=AuditEvent.Kind.AUTH,
            object_type="accounts.apitoken",
            items=[(pk, user.region_id or "", {"reason": reason}) for pk in ids],
        )
    return len(ids)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke a token: one's own, or any token of an account the actor manages."""
    if token.user_id != actor.pk:
        _authorise_assignment(actor, token.user.role, token.user.region)
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(
            actor=actor,
            action="token.revoke",
            kind=AuditEvent.Kind.AUTH,
            obj=token,
            region_code=token.user.region_id,
        )
