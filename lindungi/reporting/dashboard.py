"""The dashboard of a region (issue 9, domain.md §8): coverage by child region (drill-down),
occupation, sex, age band and funder, over the last twelve months; money; claims. Participant
panels read the aggregate tables of `snapshot` (rebuilt on a schedule), money and claims are
counted live. Each panel is
rows of (key, label, value…) that the page draws as a chart beside its table and that download
as Excel. Counts of fewer than 5 people are hidden from roles without personal-data rights."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.billing.models import Invoice, InvoiceStatus, Payment
from lindungi.billing.selectors import appropriations
from lindungi.claims.models import DEATH_KINDS, ClaimCase, ClaimStatus
from lindungi.core.errors import NotFound
from lindungi.core.routers import reporting_reads
from lindungi.core.scope import region_code_q, region_in_scope
from lindungi.programmes.models import Funder, Programme
from lindungi.regions.models import Region
from lindungi.registry.models import OccupationCategory, Sex

from .models import ActiveCell, MonthCount, RiskCount, RiskKind, Snapshot
from .selectors import hides_small_groups, small_group
from .snapshot import AGE_BANDS, latest_snapshot, month_ends, snapshot_refresh

CHILD_CODE_LENGTH = {0: 2, 2: 5, 5: 8, 8: 13}  # country → province → … → village


@dataclass
class Panel:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # drill-down per row

    def chart(self) -> dict[str, Any]:
        """Categories and the first numeric column as one series (what the chart draws)."""
        return {
            "categories": [str(r[0]) for r in self.rows],
            "series": [{"name": self.columns[1], "data": [r[1] for r in self.rows]}],
        }


@dataclass
class Dashboard:
    region: Region | None  # None: the whole country
    path: list[Region]
    on: dt.date
    panels: list[Panel]
    snapshot: Snapshot  # when the participant panels were counted

    def panel(self, key: str) -> Panel:
        for panel in self.panels:
            if panel.key == key:
                return panel
        raise NotFound()


def in_region(code: str, column: str = "region_code") -> Q:
    """`region_code_q`, with "" meaning the whole country."""
    return region_code_q(column, code) if code else Q()


def _cells(code: str) -> QuerySet[ActiveCell]:
    return ActiveCell.objects.filter(in_region(code, "village_code"))


def _hide(hide: bool, count: int) -> int | None:
    return small_group(int(count), hide=hide)


def _by_child(hide: bool, region: Region | None) -> Panel:
    panel = Panel("regions", _("Peserta aktif per wilayah"), [_("Wilayah"), _("Peserta aktif")])
    code = region.code if region else ""
    length = CHILD_CODE_LENGTH.get(len(code))
    if length is None:
        return panel
    counts = dict(
        _cells(code)
        .annotate(child=Substr("village_code", 1, length))
        .values("child")
        .annotate(n=Sum("count"))
        .values_list("child", "n")
    )
    for child in Region.objects.filter(parent=region, is_active=True).order_by("code"):
        panel.rows.append([child.name, _hide(hide, counts.get(child.code, 0))])
        panel.links.append(child.code)
    return panel


def _grouped(hide: bool, code: str, column: str, labels: dict[str, str], key: str,
             title: str, heading: str) -> Panel:  # fmt: skip
    panel = Panel(key, title, [heading, _("Peserta aktif")])
    counts = _cells(code).values(column).annotate(n=Sum("count")).order_by("-n", column)
    for row in counts:
        value = row[column]
        panel.rows.append([labels.get(value, value or "—"), _hide(hide, row["n"])])
    return panel


def _age_bands(hide: bool, code: str) -> Panel:
    panel = Panel("age", _("Peserta aktif per kelompok umur"), [_("Umur"), _("Peserta aktif")])
    counts = dict(_cells(code).values("age_band").annotate(n=Sum("count")).values_list(
        "age_band", "n"))  # fmt: skip
    for index, (low, high) in enumerate(AGE_BANDS):
        label = f"{low}+" if high >= 200 else f"{low}–{high}"
        panel.rows.append([label, _hide(hide, counts.get(index, 0))])
    return panel


def _over_time(hide: bool, code: str, on: dt.date) -> Panel:
    panel = Panel("trend", _("Peserta terlindungi per akhir bulan"), [_("Bulan"), _("Terlindungi")])
    ends = month_ends(on)
    rows = MonthCount.objects.filter(in_region(code, "village_code"), month_end__in=ends)
    counts = dict(rows.values("month_end").annotate(n=Sum("count")).values_list("month_end", "n"))
    for end in ends:
        panel.rows.append([f"{end:%m/%Y}", _hide(hide, counts.get(end, 0))])
    return panel


def _risk(hide: bool, code: str) -> Panel:
    panel = Panel("risk", _("Risiko putus perlindungan"), [_("Alasan"), _("Peserta")])
    rows = RiskCount.objects.filter(in_region(code, "village_code"))
    counts = dict(rows.values("kind").annotate(n=Sum("count")).values_list("kind", "n"))
    for kind, label in RiskKind.choices:
        panel.rows.append([str(label), _hide(hide, counts.get(kind, 0))])
    return panel


def money_panel(code: str, on: dt.date, period: tuple[dt.date, dt.date] | None = None) -> Panel:
    """Programmes of the region running on `on` (or during `period`): appropriated, invoiced and
    paid — all to date, or the invoices of the period's months and the payments made in it."""
    panel = Panel("money", _("Anggaran program (Rp)"),
                  [_("Program"), _("Dianggarkan"), _("Ditagih"), _("Dibayar"), _("Sisa")])  # fmt: skip
    first, last = period or (on.replace(month=1, day=1), on)
    programmes = list(
        Programme.objects.filter(in_region(code, "region__code"))
        .filter(start_date__lte=last, end_date__gte=first)
        .order_by("name")
    )
    invoices = Invoice.objects.filter(programme__in=programmes).exclude(status=InvoiceStatus.VOID)
    payments = Payment.objects.filter(programme__in=programmes, void=False)
    if period:
        invoices = invoices.filter(period__range=period)
        payments = payments.filter(paid_on__range=period)
    invoiced = dict(invoices.values("programme_id").annotate(s=Sum("amount")).values_list("programme_id", "s"))  # fmt: skip
    paid = dict(payments.values("programme_id").annotate(s=Sum("amount")).values_list("programme_id", "s"))  # fmt: skip
    for programme in programmes:
        appropriated = sum(appropriations(programme).values())
        spent = paid.get(programme.pk) or 0
        panel.rows.append([programme.name, appropriated, invoiced.get(programme.pk) or 0, spent,
                           appropriated - spent])  # fmt: skip
    return panel


def claims_panel(hide: bool, code: str, period: tuple[dt.date, dt.date] | None = None) -> Panel:
    """Claims of the region (or those whose event, or payment, falls in `period`); counts of fewer
    than 5 people hidden when `hide`."""
    panel = Panel("claims", _("Klaim"), [_("Ukuran"), _("Nilai")])
    cases = ClaimCase.objects.filter(in_region(code))
    paid = cases.filter(status=ClaimStatus.PAID)
    if period:
        cases = cases.filter(event_date__range=period)
        paid = paid.filter(paid_on__range=period)
    days = [
        (c.paid_on - c.event_date).days
        for c in paid.only("paid_on", "event_date")
        if c.paid_on is not None
    ]
    panel.rows = [
        [_("Klaim tercatat"), _hide(hide, cases.exclude(status=ClaimStatus.CANCELLED).count())],
        [_("Klaim dibayar"), _hide(hide, paid.count())],
        [_("Jumlah dibayar (Rp)"), paid.aggregate(s=Sum("amount_paid"))["s"] or 0],
        [_("Hari dari kejadian sampai dibayar (median)"),
         int(statistics.median(days)) if days else None],
        [_("Keluarga terbantu (klaim kematian dibayar)"),
         _hide(hide, paid.filter(kind__in=DEATH_KINDS).count())],
        [_("Klaim berjalan"), _hide(hide, cases.filter(status__in=[
            ClaimStatus.REPORTED, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]).count())],
    ]  # fmt: skip
    return panel


def dashboard(
    *, actor: Any, region_code: str, today: dt.date | None = None, hide_small: bool = False
) -> Dashboard:
    """Every panel for one region in the actor's scope (404 outside it).

    Counts of fewer than 5 people are hidden when the actor's role has no personal-data rights,
    and also for anyone when `hide_small` (a printed report that such roles will read).
    Reads from the reporting replica when one is configured (core/routers.py); the very first
    aggregate build, before any snapshot exists, happens on the primary.
    """
    require(actor, Capability.VIEW_AGGREGATES)
    on = today or timezone.localdate()
    hide = hide_small or hides_small_groups(actor)
    with reporting_reads():
        snapshot = latest_snapshot()
        if snapshot is not None:
            return _dashboard(actor, region_code, on, snapshot, hide)
    return _dashboard(actor, region_code, on, latest_snapshot() or snapshot_refresh(on=on), hide)


def _dashboard(actor: Any, region_code: str, on: dt.date, snapshot: Any, hide: bool) -> Dashboard:
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region_code and (region is None or not region_in_scope(actor, region.code)):
        raise NotFound()
    if region is None and not actor.has_national_scope:
        raise NotFound()
    code = region.code if region else ""
    path: list[Region] = []
    node = region
    while node is not None:
        path.insert(0, node)
        node = node.parent
    occupations = dict(OccupationCategory.objects.values_list("code", "name"))
    panels = [
        _by_child(hide, region),
        _over_time(hide, code, snapshot.on),
        _grouped(hide, code, "occupation_id", occupations, "occupation",
                 _("Peserta aktif per pekerjaan"), _("Pekerjaan")),
        _grouped(hide, code, "sex", {k: str(v) for k, v in Sex.choices}, "sex",
                 _("Peserta aktif per jenis kelamin"), _("Jenis kelamin")),
        _age_bands(hide, code),
        _grouped(hide, code, "funder", {k: str(v) for k, v in Funder.choices}, "funder",
                 _("Peserta aktif per sumber dana"), _("Sumber dana")),
        _risk(hide, code),
        money_panel(code, on),
        claims_panel(hide, code),
    ]  # fmt: skip
    return Dashboard(region=region, path=path, on=on, panels=panels, snapshot=snapshot)
