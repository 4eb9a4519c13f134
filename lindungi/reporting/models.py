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


class Snapshot(models.Model):
    """When the dashboard's aggregate tables were last rebuilt from the enrolments."""

    taken_at = models.DateTimeField(default=timezone.now)
    on = models.DateField()  # the day ages and month ends were computed for
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-taken_at"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}"


class ActiveCell(models.Model):
    """Active enrolments counted per village × programme × occupation × sex × age band: a
    province's dashboard sums a few thousand of these instead of grouping a million rows."""

    village_code = models.CharField(max_length=13)
    programme_id = models.BigIntegerField()
    funder = models.CharField(max_length=20)
    occupation_id = models.CharField(max_length=32, null=True, blank=True)
    sex = models.CharField(max_length=1)
    age_band = models.SmallIntegerField()  # index into dashboard.AGE_BANDS; -1 outside them
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["village_code"], name="reporting_cell_village_idx")]

    def __str__(self) -> str:
        return f"{self.village_code} {self.count}"


class MonthCount(models.Model):
    """Participants covered at a month's end, per village (the trend panel; kept as history)."""

    village_code = models.CharField(max_length=13)
    month_end = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village_code", "month_end"], name="reporting_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_code} {self.month_end} {self.count}"


class ReadinessEntry(models.Model):
    """What an admin records of a region's Paritrana readiness for a year (domain.md §8): the
    regulations in force, the APBD allocation for the protection of workers and the innovations —
    shown beside the coverage figures, never turned into a score (the weights are unpublished)."""

    scope_region_field = "region_id"

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    regulations = models.TextField(blank=True)  # e.g. "Perbup 12/2025; Instruksi Bupati 3/2024"
    apbd_allocation = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah
    innovations = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = account_reference()

    objects = RegionFigureQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="reporting_readiness_once")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    ANNUAL = "annual", _("Tahunan")


class PrintedReportQuerySet(ScopedQuerySet):
    pass


class PrintedReport(models.Model):
    """A PDF for the DPRD or the regent (coverage, budget, claims of a region for a month or a
    year), produced by a background task and kept in private storage."""

    scope_region_field = "region_code"

    region_code = models.CharField(max_length=13)  # "" = the whole country
    kind = models.CharField(max_length=8, choices=ReportKind.choices)
    period = models.DateField()  # the month's first day, or 1 January of the year
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    # Built with counts of fewer than 5 people written "<5": the only kind a role without
    # personal-data rights may download (the PDF is built once and read by anyone in the region).
    small_groups_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = PrintedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.region_code} {self.period}"


class DataExport(models.Model):
    """An Excel file of a region's workers and their cover (masked NIKs), built by a background
    task with constant memory; personal data — every request and download is audited."""

    scope_region_field = "region_code"

    region_code = models.CharField(max_length=13)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = PrintedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.created_at:%Y-%m-%d}"


class RiskKind(models.TextChoices):
    ARREARS = "arrears", _("Menunggak (iuran lewat jatuh tempo)")
    ENDING = "ending", _("Program berakhir dalam 60 hari tanpa lanjutan")
    LAPSED = "lapsed", _("Putus karena tunggakan, 12 bulan terakhir")


class RiskCount(models.Model):
    """Participants at risk of losing cover, per village and reason (the lapse-risk panel)."""

    village_code = models.CharField(max_length=13)
    kind = models.CharField(max_length=10, choices=RiskKind.choices)
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.village_code} {self.kind} {self.count}"


class BoundaryMap(models.Model):
    """Boundaries an admin uploaded (GeoJSON) for the child regions of a region, keyed by region
    code: the dashboard draws a map of them. None ships by default."""

    scope_region_field = "region_code"

    region_code = models.CharField(max_length=13, unique=True)  # "" = the provinces
    key_property = models.CharField(max_length=40, default="code")
    geojson = models.JSONField()
    features = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = account_reference()

    objects = PrintedReportQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.region_code or 'nasional'} ({self.features})"
