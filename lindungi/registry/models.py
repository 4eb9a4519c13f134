"""The worker registry (domain.md §3): one natural person per NIK, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.scope import ScopedQuerySet

from .notes import notes_shown


class OccupationCategory(models.Model):
    """Seeded list of occupations of pekerja rentan; the free text as entered is kept too."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=100)
    # Lower-case words that map free text ("pedagang sayur", "PKL") onto this category.
    keywords = models.CharField(max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Perlu verifikasi")  # entered by an operator, or edited, or has warnings
    VERIFIED = "verified", _("Terverifikasi")  # checked by an admin other than the maker
    REJECTED = "rejected", _("Ditolak")  # an admin found the entry wrong; kept with the reason


class LifeStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")  # no life event in force
    DECEASED = "deceased", _("Meninggal dunia")  # date of death in status_date
    MOVED_OUT = "moved_out", _("Pindah ke luar wilayah")
    FORMAL_EMPLOYEE = "formal_employee", _("Menjadi pekerja formal (penerima upah)")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")


class Source(models.TextChoices):
    FORM = "form", _("Formulir")
    API = "api", _("API")
    IMPORT = "import", _("Impor berkas")


# USER_REFERENCES: who created, changed and verified a worker are references without a database
# constraint. Accounts and import records are never deleted (deactivated, kept), so the
# references cannot dangle, and a constraint would cost every imported row a lookup at commit.


class WorkerQuerySet(ScopedQuerySet):
    def live(self) -> WorkerQuerySet:
        """Workers that are not tombstones of a merge."""
        return self.filter(merged_into__isnull=True)


class Worker(models.Model):
    """A worker (pekerja). Normalised values in the columns; the values as entered in `raw`."""

    scope_region_field = "village__code"

    nik = models.CharField(max_length=16, unique=True)
    kk_number = models.CharField(max_length=16, blank=True)
    full_name = models.CharField(max_length=150)
    # Case-folded name for case-insensitive comparison and ordering.
    name_key = models.CharField(max_length=150)
    # Phonetic keys of the name tokens (" st amn "), for typo-tolerant search (names.py).
    name_phonetic = models.CharField(max_length=200)
    birth_place = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    # Indexed by registry_worker_village_like (pattern ops + id, migration 0003): the scope filter.
    # No database constraint: every write resolves the code against the region table first
    # (validation.py) and regions are never deleted, only marked inactive; a constraint would
    # cost each imported row a lookup at commit.
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("domisili"),
        db_index=False,
        db_constraint=False,
    )
    address = models.CharField(max_length=255, blank=True)
    rt = models.CharField(max_length=3, blank=True)
    rw = models.CharField(max_length=3, blank=True)
    phone = models.CharField(max_length=16, blank=True)  # E.164, +62…
    # Seeded categories, never deleted; resolved by the validator (as `village`, no constraint).
    occupation = models.ForeignKey(
        OccupationCategory,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    occupation_text = models.CharField(max_length=100, blank=True)
    reported_income = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah per month
    raw = models.JSONField(default=dict, blank=True)  # every field as it was entered
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    # The import that registered this worker (its file, row report and who ran it).
    source_import = models.ForeignKey(
        "imports.WorkerImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,  # import records are never deleted either
    )
    verification_status = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    # Warnings of domain.md §4 that keep the record pending: [{"field", "code", "message"}].
    verification_notes = models.JSONField(default=list, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,  # accounts are never deleted; see USER_REFERENCES below
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    life_status = models.CharField(
        max_length=16, choices=LifeStatus.choices, default=LifeStatus.ACTIVE
    )
    life_status_date = models.DateField(null=True, blank=True)
    # Set when deduplication merged this record into another (a tombstone, never deleted).
    # No database constraint, as for `village`: only a merge sets it, to a survivor it holds
    # locked, and workers are never deleted; PostgreSQL would queue a check for every inserted
    # row, null or not, and run them all at commit (1.8 s per million imported workers).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        db_index=False,
        db_constraint=False,
    )
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency
    # Fingerprint of the spreadsheet row this worker was last written from (imports/pipeline.py):
    # re-importing an unchanged row is recognised without validating it again. Any other change
    # to the worker clears it.
    import_fingerprint = models.BigIntegerField(null=True, blank=True, editable=False)
    # The database's own default too (the transaction's time): a bulk import's COPY leaves
    # both columns out instead of sending a timestamp per row for the server to parse
    # (2 s per million rows).
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,  # accounts are never deleted; see USER_REFERENCES below
    )
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now())
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,  # accounts are never deleted; see USER_REFERENCES below
    )

    objects = WorkerQuerySet.as_manager()

    class Meta:
        # Few indexes on purpose: every one is paid for by each imported row (bench/import_bench).
        # Scope, NIK and name search have theirs (PostgreSQL ones in migrations 0003 and 0010); the other
        # filters ride on the scope and primary-key order.
        indexes = [
            models.Index(
                fields=["merged_into"],
                name="registry_worker_merged_idx",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sex__in=["L", "P"]), name="registry_worker_sex"
            ),
            models.CheckConstraint(
                condition=models.Q(nik__regex=r"^[0-9]{16}$"), name="registry_worker_nik_16_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"Pekerja #{self.pk}"

    @property
    def region_code(self) -> str:
        return str(self.village_id)

    @property
    def verification_messages(self) -> list[dict[str, str]]:
        """The verification notes as `{field, code, message}`, each with its message."""
        return notes_shown(self.verification_notes)


class Relationship(models.TextChoices):
    """Heir relationships, in the legal priority classes of domain.md §7."""

    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    GRANDCHILD = "grandchild", _("Cucu")
    GRANDPARENT = "grandparent", _("Kakek/nenek")
    SIBLING = "sibling", _("Saudara kandung")
    PARENT_IN_LAW = "parent_in_law", _("Mertua")
    WILL_BENEFICIARY = "will_beneficiary", _("Penerima wasiat")


# Priority class per relationship: (1) spouse or children; (2) blood relatives in the direct line
# up to the second degree; (3) siblings; (4) parents-in-law; (5) the person named in a will.
HEIR_PRIORITY_CLASS: dict[str, int] = {
    Relationship.SPOUSE: 1,
    Relationship.CHILD: 1,
    Relationship.PARENT: 2,
    Relationship.GRANDCHILD: 2,
    Relationship.GRANDPARENT: 2,
    Relationship.SIBLING: 3,
    Relationship.PARENT_IN_LAW: 4,
    Relationship.WILL_BENEFICIARY: 5,
}


class HeirQuerySet(ScopedQuerySet):
    pass


class Heir(models.Model):
    """A person designated for a worker (ahli waris), with relationship and priority."""

    scope_region_field = "worker__village__code"

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="heirs")
    full_name = models.CharField(max_length=150)
    nik = models.CharField(max_length=16, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    priority_class = models.PositiveSmallIntegerField()  # from HEIR_PRIORITY_CLASS
    rank = models.PositiveSmallIntegerField(default=1)  # order within the class, 1 first
    birth_date = models.DateField(null=True, blank=True)  # children: scholarship (domain.md §6)
    phone = models.CharField(max_length=16, blank=True)
    address = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)  # removed heirs are kept, inactive
    created_at = models.DateTimeField(default=timezone.now)

    objects = HeirQuerySet.as_manager()

    class Meta:
        ordering = ["priority_class", "rank", "id"]

    def __str__(self) -> str:
        return f"Ahli waris #{self.pk}"


class LifeEventKind(models.TextChoices):
    DECEASED = "deceased", _("Meninggal dunia")
    MOVED_OUT = "moved_out", _("Pindah ke luar wilayah")
    FORMAL_EMPLOYEE = "formal_employee", _("Menjadi pekerja formal")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")


class LifeEventQuerySet(ScopedQuerySet):
    pass


class LifeEvent(models.Model):
    """Something that happened to a worker, with date, reason and evidence. Never deleted: an
    event recorded in error is cancelled with a reason, and the worker's status is recomputed."""

    scope_region_field = "worker__village__code"

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="life_events")
    kind = models.CharField(max_length=16, choices=LifeEventKind.choices)
    event_date = models.DateField()
    reason = models.CharField(max_length=500)
    evidence = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)

    objects = LifeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_date}"
