"""Regions (wilayah) with Kemendagri codes `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.DDDD`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindungi.core.scope import ScopedQuerySet


class Level(models.TextChoices):
    PROVINCE = "province", _("Provinsi")  # PP, 38 today
    REGENCY = "regency", _("Kabupaten/Kota")  # PP.KK; KK 01–69 kabupaten, 71–99 kota
    DISTRICT = "district", _("Kecamatan")  # PP.KK.CC
    VILLAGE = (
        "village",
        _("Desa/Kelurahan"),
    )  # PP.KK.CC.DDDD; first digit 1 kel., 2 desa, 3 desa adat


CODE_LENGTH = {Level.PROVINCE: 2, Level.REGENCY: 5, Level.DISTRICT: 8, Level.VILLAGE: 13}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


def level_of_code(code: str) -> Level | None:
    """The level a well-formed code belongs to, from its shape alone."""
    return LEVEL_BY_LENGTH.get(len(code))


def ancestor_codes(code: str) -> list[str]:
    """The codes of `code` and every region above it, province first."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class RegionQuerySet(ScopedQuerySet):
    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)


class Region(models.Model):
    """One administrative region. Never deleted: a code that leaves the official data is
    kept inactive, because NIKs and old records still carry it."""

    scope_region_field = "code"

    code = models.CharField(max_length=13, primary_key=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    name = models.CharField(max_length=255)
    # Normalised name without designators (`Desa`, `Kel.`, `Kabupaten` …): lookups by name.
    name_key = models.CharField(max_length=255, db_index=True)
    # False: not in the current Kemendagri decree (historical, e.g. province 54 Timor Timur).
    is_active = models.BooleanField(default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name_key"], name="regions_parent_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[choice.value for choice in Level]),
                name="regions_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kind_label(self) -> str:
        """Kabupaten or Kota, Desa or Kelurahan — read off the code as Kemendagri assigns it."""
        last = self.code.rsplit(".", 1)[-1]
        if self.level == Level.REGENCY:
            return str(_("Kota")) if int(last) >= 71 else str(_("Kabupaten"))
        if self.level == Level.VILLAGE:
            return {"1": str(_("Kelurahan")), "3": str(_("Desa Adat"))}.get(last[0], str(_("Desa")))
        return str(self.get_level_display())
