"""Accounts: every non-public account has one role and one region scope (domain.md §2)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.scope import ScopedQuerySet

from .roles import CAPABILITIES, Capability, Role


class UserQuerySet(ScopedQuerySet):
    pass


class LindungiUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. Never deleted: deactivated, so the audit log keeps its actor."""

    # Accounts are visible to admins whose scope contains the account's region.
    scope_region_field = "region__code"

    role = models.CharField(max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(max_length=20, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[LindungiUserManager] = LindungiUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            # Only the superadmin (and a national donor) may hold no region.
            models.CheckConstraint(
                condition=models.Q(region__isnull=False)
                | models.Q(role__in=[Role.SUPERADMIN, Role.DONOR]),
                name="accounts_user_region_required",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def scope_region_code(self) -> str | None:
        return self.region_id

    @property
    def has_national_scope(self) -> bool:
        return self.role == Role.SUPERADMIN

    def can(self, capability: Capability) -> bool:
        return self.is_active and capability in CAPABILITIES.get(self.role, frozenset())

    def is_locked(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.locked_until is not None and self.locked_until > moment  # type: ignore[operator]


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_prefix = models.CharField(max_length=12)  # first characters, to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user_id})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
