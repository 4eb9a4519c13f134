"""Warnings before cover is lost (domain.md §5): unpaid months approaching the lapse limit, a
programme ending with no successor (the budget year turning), money running out before the
programme ends — raised 60/30/7 days ahead (settings.LINDUNGI["ALERT_DAYS"]), shown on the
dashboard and e-mailed to the programme's admins, never twice for the same event and lead time
(`billing_alert_once`). Lapses that happened are reported too. The e-mails carry counts per
village, never names or NIKs.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.core.errors import NotFound
from lindungi.enrolment.models import Enrolment, EnrolmentStatus
from lindungi.programmes.models import Programme
from lindungi.regions.models import ancestor_codes
from lindungi.regions.selectors import region_names

from .models import Alert, AlertKind
from .selectors import programme_finance, unpaid_by_village

logger = logging.getLogger(__name__)

Villages = list[tuple[str, int]]


def alert_days() -> list[int]:
    days = sorted({int(d) for d in settings.LINDUNGI.get("ALERT_DAYS", [60, 30, 7]) if int(d) > 0})
    return days or [30]


def _village_rows(counts: Villages) -> list[dict[str, Any]]:
    names = region_names([code for code, _ in counts])
    return [{"code": c, "name": names.get(c, c), "workers": n} for c, n in counts]


def active_by_village(programme: Programme) -> Villages:
    rows = (
        Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.ACTIVE)
        .values("region_code")
        .annotate(n=Count("id"))
        .order_by("region_code")
    )
    return [(row["region_code"], row["n"]) for row in rows]


def _raise(
    programme: Programme,
    kind: str,
    event_date: dt.date,
    day: dt.date,
    villages: Callable[[], Villages],
    message: str,
) -> Alert | None:
    """The alert of the smallest lead time reached, unless it was already raised."""
    left = (event_date - day).days
    days = alert_days()
    if left < 0 or left > days[-1]:
        return None
    lead = min(d for d in days if left <= d)
    if Alert.objects.filter(
        programme=programme, kind=kind, event_date=event_date, days_before=lead
    ).exists():
        return None
    counts = villages()
    if not counts:
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(
                programme=programme,
                kind=kind,
                event_date=event_date,
                days_before=lead,
                workers=sum(n for _, n in counts),
                villages=_village_rows(counts),
                message=message[:500],
            )
    except IntegrityError:  # raised by a concurrent sweep
        return None


def alerts_raise(*, on: dt.date | None = None) -> list[Alert]:
    """Look ahead for every running programme with active cover and raise what is due."""
    day = on or timezone.localdate()
    active = Enrolment.objects.filter(programme=OuterRef("pk"), status=EnrolmentStatus.ACTIVE)
    raised: list[Alert] = []
    programmes = Programme.objects.filter(end_date__gte=day).filter(Exists(active))
    for programme in programmes.order_by("pk"):
        if not programme.successors.exists():
            alert = _raise(
                programme,
                AlertKind.PROGRAMME_END,
                programme.end_date,
                day,
                functools.partial(active_by_village, programme),
                f"{programme.name} berakhir {programme.end_date:%d-%m-%Y} dan belum ada program "
                "lanjutan: perlindungan pesertanya berhenti pada tanggal itu.",
            )
            raised += [alert] if alert else []
        finance = programme_finance(programme, on=day)
        if finance.runout_date is not None and finance.runout_date < programme.end_date:
            alert = _raise(
                programme,
                AlertKind.BUDGET_RUNOUT,
                finance.runout_date,
                day,
                functools.partial(active_by_village, programme),
                f"Anggaran {programme.name} hanya cukup sampai {finance.runout_date:%d-%m-%Y} "
                f"pada jumlah peserta sekarang ({finance.active_workers}); program berjalan "
                f"sampai {programme.end_date:%d-%m-%Y}.",
            )
            raised += [alert] if alert else []
        if finance.lapse_date is not None:
            alert = _raise(
                programme,
                AlertKind.ARREARS,
                finance.lapse_date,
                day,
                functools.partial(unpaid_by_village, programme, on=day),
                f"Iuran {programme.name} belum dibayar sejak bulan "
                f"{finance.oldest_unpaid:%m/%Y}: bila tetap tidak dibayar, kepesertaan terhenti "
                f"pada {finance.lapse_date:%d-%m-%Y} dan pekerja harus didaftarkan ulang.",
            )
            raised += [alert] if alert else []
    return raised


def alerts_for_lapses(lapsed: dict[int, list[int]], *, on: dt.date | None = None) -> list[Alert]:
    """Report enrolments that lapsed today, per programme (one alert a day, counts added)."""
    day = on or timezone.localdate()
    raised: list[Alert] = []
    for programme_id, ids in sorted(lapsed.items()):
        programme = Programme.objects.get(pk=programme_id)
        codes = Counter(
            Enrolment.objects.filter(pk__in=ids).values_list("region_code", flat=True).iterator()
        )
        counts = sorted(codes.items())
        alert, created = Alert.objects.get_or_create(
            programme=programme,
            kind=AlertKind.LAPSED,
            event_date=day,
            days_before=0,
            defaults={
                "workers": len(ids),
                "villages": _village_rows(counts),
                "message": f"{len(ids)} peserta {programme.name} terhenti karena menunggak; "
                "mereka ada di daftar pendaftaran ulang.",
            },
        )
        if not created:  # a second sweep the same day: add to the day's report, no new e-mail
            merged = Counter({v["code"]: v["workers"] for v in alert.villages}) + codes
            alert.workers += len(ids)
            alert.villages = _village_rows(sorted(merged.items()))
            alert.save(update_fields=["workers", "villages"])
            continue
        raised.append(alert)
    return raised


def recipients_of(programme: Programme) -> list[str]:
    """E-mail addresses of the active admins of the programme's region and the regions above."""
    codes = ancestor_codes(programme.region_id)
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                role__in=[Role.REGENCY_ADMIN, Role.PROVINCE_ADMIN],
                region_id__in=codes,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _body(alert: Alert) -> str:
    lines = [
        alert.message,
        "",
        f"Tanggal kejadian: {alert.event_date:%d-%m-%Y}",
        f"Pekerja terdampak: {alert.workers}",
        "",
        "Per desa/kelurahan:",
    ]
    lines += [f"- {v['name']} ({v['code']}): {v['workers']}" for v in alert.villages]
    lines += ["", f"Rincian: {reverse('billing:alert', args=[alert.pk])}"]
    return "\n".join(lines)


def alerts_send(alerts: Iterable[Alert] | None = None) -> int:
    """E-mail the alerts not sent yet (also those a failed mail server left unsent)."""
    pending = (
        list(alerts)
        if alerts is not None
        else list(Alert.objects.filter(emailed_at__isnull=True).select_related("programme"))
    )
    sent = 0
    for alert in pending:
        to = recipients_of(alert.programme)
        subject = f"[Lindungi] {alert.get_kind_display()}: {alert.programme.name}"[:150]
        messages = [(subject, _body(alert), None, [address]) for address in to]
        try:
            if messages:
                send_mass_mail(messages, fail_silently=False)
        except Exception:  # the mail server is down: the next sweep tries again
            logger.exception("alert %s: e-mail failed", alert.pk)
            continue
        Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now(), recipients=len(to))
        sent += 1
    return sent


def alert_acknowledge(*, actor: Any, alert_id: int) -> Alert:
    """Mark an alert as read and handled (it leaves the dashboard; the record stays)."""
    from .services import programme_for_finance

    alert = Alert.objects.visible_to(actor).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    programme_for_finance(actor=actor, programme_id=alert.programme_id, lock=False)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor if isinstance(actor, User) else None
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert
