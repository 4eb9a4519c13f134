"""API for authentication (`/api/v1/auth`) and account management (`/api/v1/users`)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from lindungi.core.errors import CoreError, DomainError

from .models import ApiToken, User
from .roles import CAPABILITIES
from .selectors import login_throttled_until, token_get, token_list, user_get, user_list
from .services import login_check, token_issue, token_revoke, user_create, user_update

auth_router = Router(tags=["auth"])
users_router = Router(tags=["users"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    name: str = Field("", max_length=100, description="Label to recognise the token later")


class TokenOut(Schema):
    id: int
    token: str
    expires_at: dt.datetime


class TokenInfoOut(Schema):
    id: int
    name: str
    key_prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class MeOut(Schema):
    id: int
    username: str
    role: str
    region_code: str | None
    region_name: str | None
    capabilities: list[str]


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    region_code: str | None
    is_active: bool
    locked: bool = Field(
        description="Sign-in from some address must wait after failed attempts (no lock)"
    )


class UserCreateIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    role: str = Field(max_length=32)
    region_code: str | None = Field(None, max_length=13)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)


class UserPatchIn(Schema):
    role: str | None = Field(None, max_length=32)
    region_code: str | None = Field(None, max_length=13)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=20)
    is_active: bool | None = None


class UserFilters(Schema):
    q: str | None = Field(None, max_length=100)
    role: str | None = Field(None, max_length=32)
    region: str | None = Field(None, max_length=13)
    is_active: bool | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _user_out(user: User, throttled: dict[str, dt.datetime]) -> dict[str, object]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "region_code": user.region_id,
        "is_active": user.is_active,
        "locked": user.username in throttled,
    }


@auth_router.post(
    "/token", response={201: TokenOut}, auth=None, summary="Tukar kata sandi dengan token"
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    user = login_check(username=payload.username, password=payload.password)
    token, raw = token_issue(user=user, name=payload.name)
    return Status(201, {"id": token.pk, "token": raw, "expires_at": token.expires_at})


@auth_router.delete("/token", response={204: None}, summary="Cabut token yang sedang dipakai")
def revoke_current_token(request: HttpRequest) -> Status[None]:
    user = request.auth  # type: ignore[attr-defined]
    token_id = getattr(user, "api_token_id", None)
    if token_id is None:
        raise DomainError(CoreError.VALIDATION, status=400)
    token_revoke(actor=user, token=ApiToken.objects.select_related("user").get(pk=token_id))
    return Status(204, None)


@auth_router.get("/tokens", response=list[TokenInfoOut], summary="Token milik saya")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(token_list(actor=request.auth))  # type: ignore[attr-defined]


@auth_router.delete("/tokens/{token_id}", response={204: None}, summary="Cabut token")
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    actor = request.auth  # type: ignore[attr-defined]
    token_revoke(actor=actor, token=token_get(actor=actor, token_id=token_id))
    return Status(204, None)


@auth_router.get("/me", response=MeOut, summary="Akun saya")
def me(request: HttpRequest) -> dict[str, object]:
    user: User = request.auth  # type: ignore[attr-defined]
    return {
        "id": user.pk,
        "username": user.username,
        "role": user.role,
        "region_code": user.region_id,
        "region_name": user.region.name if user.region else None,
        "capabilities": sorted(c.value for c in CAPABILITIES.get(user.role, frozenset())),
    }


@users_router.get("", response=list[UserOut], summary="Daftar akun di wilayah saya")
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> list[dict[str, object]]:
    qs = user_list(
        actor=request.auth,  # type: ignore[attr-defined]
        q=filters.q,
        role=filters.role,
        region_code=filters.region,
        is_active=filters.is_active,
    )
    users = list(qs[filters.offset : filters.offset + filters.limit])
    throttled = login_throttled_until(usernames=[u.username for u in users])
    return [_user_out(u, throttled) for u in users]


@users_router.post("", response={201: UserOut}, summary="Buat akun")
def create_user(request: HttpRequest, payload: UserCreateIn) -> Status[dict[str, object]]:
    user = user_create(actor=request.auth, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _user_out(user, {}))


@users_router.get("/{user_id}", response=UserOut, summary="Satu akun")
def get_user(request: HttpRequest, user_id: int) -> dict[str, object]:
    user = user_get(actor=request.auth, user_id=user_id)  # type: ignore[attr-defined]
    return _user_out(user, login_throttled_until(usernames=[user.username]))


@users_router.patch("/{user_id}", response=UserOut, summary="Ubah akun")
def patch_user(request: HttpRequest, user_id: int, payload: UserPatchIn) -> dict[str, object]:
    actor = request.auth  # type: ignore[attr-defined]
    user = user_get(actor=actor, user_id=user_id)
    changes = payload.dict(exclude_unset=True)
    user = user_update(actor=actor, user=user, **changes)
    return _user_out(user, login_throttled_until(usernames=[user.username]))
