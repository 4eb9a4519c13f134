"""Values every page needs: the navigation for the user's role, organisation, DPO contact."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import Capability

# (url name, label, capability or None for every signed-in user)
NAVIGATION: list[tuple[str, Any, Capability | None]] = [
    ("portal:home", _("Beranda"), None),
    ("registry:worker_list", _("Pekerja"), Capability.VIEW_PERSONAL_DATA),
    ("registry:verification", _("Verifikasi"), Capability.VERIFY_WORKERS),
    ("imports:list", _("Impor"), Capability.REGISTER_WORKERS),
    ("dedup:queue", _("Data ganda"), Capability.RESOLVE_DUPLICATES),
    ("programmes:list", _("Program"), Capability.VIEW_AGGREGATES),
    ("programmes:rates", _("Tarif & manfaat"), Capability.VIEW_AGGREGATES),
    ("billing:simulate", _("Simulasi anggaran"), Capability.VIEW_AGGREGATES),
    ("claims:list", _("Klaim"), Capability.VIEW_PERSONAL_DATA),
    ("reporting:dashboard", _("Dasbor"), Capability.VIEW_AGGREGATES),
    ("reporting:coverage", _("Cakupan"), Capability.VIEW_AGGREGATES),
    ("reporting:readiness", _("Kesiapan Paritrana"), Capability.VIEW_AGGREGATES),
    ("reporting:printed", _("Laporan cetak"), Capability.VIEW_AGGREGATES),
    ("reporting:exports", _("Ekspor peserta"), Capability.VIEW_PERSONAL_DATA),
    ("claims:estimate", _("Kalkulator manfaat"), None),
    ("billing:alerts", _("Peringatan"), Capability.VIEW_AGGREGATES),
    ("billing:reenrolment", _("Daftar ulang"), Capability.MANAGE_PROGRAMMES),
    ("portal:regions", _("Wilayah"), None),
    ("portal:jobs", _("Pekerjaan latar"), None),
    ("portal:users", _("Pengguna"), Capability.MANAGE_USERS),
    ("portal:audit", _("Log audit"), Capability.VIEW_AUDIT),
]


# Pages about a whole regency or province: an account of a district or village has none to read.
REGENCY_OR_WIDER = {"reporting:readiness"}


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        current = request.resolver_match.view_name if request.resolver_match else ""
        narrow = len(getattr(user, "scope_region_code", None) or "") > len("64.02")
        for name, label, capability in NAVIGATION:
            if name in REGENCY_OR_WIDER and narrow:
                continue
            if capability is None or user.can(capability):
                nav.append({"url": reverse(name), "label": label, "active": name == current})
    return {
        "nav_items": nav,
        "organisation": settings.LINDUNGI["ORGANISATION"],
        "dpo_contact": settings.LINDUNGI["DPO_CONTACT"],
    }
