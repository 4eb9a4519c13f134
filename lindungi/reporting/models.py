"""Figures that come from outside Lindungi (issue 9): target populations and BPJS's aggregate
coverage per region, segment and year, uploaded by admins — the denominators of coverage."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.fields import account_reference
from lindungi.core.scope import ScopedQuerySet


class Segment(models.TextChoices):
    LABOUR_FORCE = "labour_force", _("Angkatan kerja")
    PU = "PU", _("Penerima upah (PU)")
    BPU = "BPU", _("Bukan penerima upah (BPU)")
    PEKERJA_RENTAN = "pekerja_rentan", _("Pekerja rentan")
    FORMAL = "formal", _("Pekerja formal")
    INFORMAL = "informal", _("Pekerja informal")


class RegionFigureQuerySet(ScopedQuerySet):
    pass


class RegionFigure(models.Model):
    """One region's population (target) and covered count for a segment and year."""

    scope_region_field = "region_id"

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    segment = models.CharField(max_length=20, choices=Segment.choices)
    population = models.PositiveIntegerField(null=True, blank=True)  # the target / denominator
    covered = models.PositiveIntegerField(null=True, blank=True)  # BPJS's aggregate
    source = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = account_reference()

    objects = RegionFigureQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "-year", "segment"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "segment"], name="reporting_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.segment}"
