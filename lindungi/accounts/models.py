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


class LoginThrottle(models.Model):
    """Recent failed password attempts of one (username, address) pair, or of one address
    whatever the usernames (`throttle.py`). Not tied to an account: a username nobody has is
    counted the same way, so the answers never tell which usernames exist."""

    class Kind(models.TextChoices):
        PAIR = "pair", _("nama pengguna dari satu alamat")  # one username from one address
        ADDRESS = "address", _("satu alamat")  # one address, every username tried from it

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # A keyed hash of the username as typed (lowercased), "" for an address row: a password
    # typed into the username field is never stored.
    username_key = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=45, blank=True)  # "" when the address is unknown
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "username_key", "address"], name="accounts_loginthrottle_key"
            ),
        ]
        indexes = [
            # Counts a day old are forgotten: every failure deletes them by this column.
            models.Index(fields=["last_failure_at"], name="accounts_loginthrottle_last"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.address} ({self.failures})"
