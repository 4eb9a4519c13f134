"""Funded schemes and the reference data they rest on (domain.md §3, §5, §6).

Rates and benefit amounts are dated, versioned rows (valid_from, valid_to, legal basis) — never
constants in code: regulations change them (PP 44/2015 → PP 82/2019 → PP 49/2023 → PP 50/2025).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import Role
from lindungi.core.fields import account_reference
from lindungi.core.scope import ScopedQuerySet, scope_q
from lindungi.regions.models import ancestor_codes


class Funder(models.TextChoices):
    """Who pays the contributions (domain.md §5)."""

    APBD_PROVINSI = "APBD_PROVINSI", _("APBD provinsi")
    APBD_KABKOTA = "APBD_KABKOTA", _("APBD kabupaten/kota")
    APBDES = "APBDES", _("APBDes (dana desa)")
    CSR = "CSR", _("CSR perusahaan (GN Lingkaran)")
    DONOR_INDIVIDU = "DONOR_INDIVIDU", _("Donatur perorangan (GN Lingkaran)")
    MANDIRI = "MANDIRI", _("Mandiri (dibayar pekerja)")


# Public budgets: PP 50/2025 excludes APBN/APBD-paid participants from its discount.
PUBLIC_FUNDERS = [Funder.APBD_PROVINSI, Funder.APBD_KABKOTA, Funder.APBDES]


class Benefit(models.TextChoices):
    JKK = "JKK", _("Jaminan Kecelakaan Kerja")
    JKM = "JKM", _("Jaminan Kematian")
    JHT = "JHT", _("Jaminan Hari Tua")


class RateKind(models.TextChoices):
    PERCENT = "percent", _("Persentase penghasilan dilaporkan")  # basis points of the income
    FLAT = "flat", _("Nominal tetap per bulan")  # `amount` rupiah


class Versioned(models.Model):
    """A row in force from `valid_from` through `valid_to` (open-ended when empty)."""

    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=255)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    class Meta:
        abstract = True

    def in_force(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


def in_force_q(day: Any) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ContributionRate(Versioned):
    """The monthly BPU contribution of one benefit: a percentage of the reported income (never
    below the lowest income band) or a flat amount."""

    benefit = models.CharField(max_length=3, choices=Benefit.choices)
    kind = models.CharField(max_length=8, choices=RateKind.choices)
    basis_points = models.PositiveIntegerField(null=True, blank=True)  # 100 = 1%
    amount = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah per month
    # The lowest reported-income band: a percentage applies to at least this income.
    min_income = models.PositiveBigIntegerField(default=1_000_000)

    class Meta:
        ordering = ["benefit", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="percent", basis_points__isnull=False))
                | Q(kind="flat", amount__isnull=False),
                name="programmes_rate_kind_value",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="programmes_rate_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.valid_from}"


class ContributionDiscount(Versioned):
    """A temporary reduction of JKK/JKM contributions (PP 50/2025: 50%), for the funders and
    occupations it applies to."""

    name = models.CharField(max_length=150)
    basis_points = models.PositiveIntegerField()  # 5000 = 50% off
    benefits = models.JSONField(default=list)  # ["JKK", "JKM"]
    excluded_funders = models.JSONField(default=list, blank=True)  # e.g. public budgets
    occupations = models.JSONField(default=list, blank=True)  # empty: every occupation

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, *, funder: str, occupation: str | None) -> bool:
        if funder in self.excluded_funders:
            return False
        return not self.occupations or (occupation or "") in self.occupations


class BenefitRuleKind(models.TextChoices):
    FLAT = "flat", _("Nominal tetap")  # `amount` rupiah
    WAGE = "wage", _("Kelipatan upah dilaporkan")  # `wage_percent` of the reported wage
    CAP = "cap", _("Batas paling banyak")  # `amount` rupiah at most
    PARAMETER = "parameter", _("Syarat")  # `units`: a count (months, children, years)


class BenefitRule(Versioned):
    """One line of the benefit table (PP 82/2019 Lampiran III): what a claim pays, per code."""

    code = models.CharField(max_length=40)
    benefit = models.CharField(max_length=3, choices=Benefit.choices)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=BenefitRuleKind.choices)
    amount = models.PositiveBigIntegerField(null=True, blank=True)
    wage_percent = models.PositiveIntegerField(null=True, blank=True)  # 4800 = 48 × wage
    units = models.PositiveIntegerField(null=True, blank=True)  # years, months, children
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["benefit", "sort_order", "code", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.valid_from}"


class BpjsGroup(models.TextChoices):
    """Participation-type codes of BPJS's group ("wadah") registration (domain-facts §1.5)."""

    SG = "SG", _("SG — Pemerintah")
    SD = "SD", _("SD — Desa, APBDes")
    SA = "SA", _("SA — Desa, APBD")
    SL = "SL", _("SL — Desa, sumber dana lain")
    SC = "SC", _("SC — Korporasi/UMB")
    SB = "SB", _("SB — Perbankan/UMB")


class BenefitFlags:
    """`benefits` of a model with benefit_jkk / benefit_jkm / benefit_jht flags."""

    benefit_jkk: bool
    benefit_jkm: bool
    benefit_jht: bool

    @property
    def benefits(self) -> list[str]:
        flags = (("JKK", self.benefit_jkk), ("JKM", self.benefit_jkm), ("JHT", self.benefit_jht))
        return [code for code, on in flags if on]


class ProgrammeQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Any) -> ProgrammeQuerySet:
        """Programmes of the actor's region and below, and those of the regions above it (a
        province's programme covers its regencies' workers); a donor sees only what it funds."""
        if actor is None or not getattr(actor, "is_authenticated", False):
            return self.none()
        if getattr(actor, "role", "") == Role.DONOR:
            return self.filter(funders__account=actor).distinct()
        if actor.has_national_scope:
            return self.all()
        ancestors = ancestor_codes(actor.scope_region_code or "")[:-1]
        return self.filter(scope_q(actor, "region__code") | Q(region__code__in=ancestors))


class ProgrammeScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a programme (`programme_path`): visible with the programme."""

    programme_path = "programme"

    def visible_to(self, actor: Any) -> ProgrammeScopedQuerySet:
        return self.filter(**{f"{self.programme_path}__in": Programme.objects.visible_to(actor)})


class Programme(BenefitFlags, models.Model):
    """A funded scheme: funder, budget year, benefits, eligibility rules, targets and quotas."""

    scope_region_field = "region__code"

    name = models.CharField(max_length=200)
    # The region that runs it: a regency or a province (its admins manage it).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    funder = models.CharField(max_length=16, choices=Funder.choices)
    funder_name = models.CharField(max_length=200)  # "Pemkab Kutai Kartanegara", "PT …"
    legal_basis = models.CharField(max_length=255)  # Perbup / Perda / PKS number
    budget_year = models.PositiveSmallIntegerField()
    budget_amount = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah appropriated
    benefit_jkk = models.BooleanField(default=True)
    benefit_jkm = models.BooleanField(default=True)
    benefit_jht = models.BooleanField(default=False)
    reported_income = models.PositiveBigIntegerField(default=1_000_000)  # the band contributed on
    bpjs_group = models.CharField(max_length=2, choices=BpjsGroup.choices, default=BpjsGroup.SG)
    start_date = models.DateField()
    end_date = models.DateField()
    # Eligibility rules (domain.md §4: age rules belong to eligibility).
    min_age = models.PositiveSmallIntegerField(default=15)
    max_age = models.PositiveSmallIntegerField(default=65)
    occupations = models.JSONField(default=list, blank=True)  # codes; empty: every occupation
    verification_required = models.BooleanField(default=True)
    income_ceiling = models.PositiveBigIntegerField(null=True, blank=True)  # unknown passes
    priority_occupations = models.JSONField(default=list, blank=True)  # proposed first
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    version = models.PositiveIntegerField(default=1)
    # When its first batch went to BPJS (enrolment's batch submission says so): from then on the
    # dates, benefits and income band BPJS was told about stay as they are.
    rules_locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-budget_year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="programmes_period"
            ),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="programmes_age_range"
            ),
            models.CheckConstraint(
                condition=Q(benefit_jkk=True) | Q(benefit_jkm=True) | Q(benefit_jht=True),
                name="programmes_some_benefit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeFunder(models.Model):
    """A co-funder and its share of every month's contributions (domain.md §5: co-funding)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funders")
    funder = models.CharField(max_length=16, choices=Funder.choices)
    name = models.CharField(max_length=200)
    share_bp = models.PositiveIntegerField()  # basis points; a programme's shares sum to 10000
    # The CSR company's or donor's account: it sees the programme it funds, nothing else.
    account = account_reference()

    class Meta:
        ordering = ["-share_bp", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_bp__gt=0, share_bp__lte=10000), name="programmes_funder_share"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """A target region of a programme and its quota of workers (none: no limit)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["region_id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "region"], name="programmes_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.region_id}"
