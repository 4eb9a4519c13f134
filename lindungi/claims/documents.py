"""The document checklist of each claim kind (domain.md §7; domain-facts §3.2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ClaimKind

DOCUMENTS: dict[str, object] = {
    "kpj": _("Kartu BPJS Ketenagakerjaan / nomor KPJ"),
    "ktp_worker": _("KTP peserta"),
    "ktp_heir": _("KTP ahli waris"),
    "death_certificate": _("Akta kematian"),
    "kk": _("Kartu Keluarga"),
    "heirship_letter": _("Surat keterangan ahli waris"),
    "marriage_book": _("Buku nikah (bila ahli waris suami/istri)"),
    "bank_account": _("Buku tabungan / rekening penerima"),
    "accident_report": _("Laporan kecelakaan kerja"),
    "medical_certificate": _("Surat keterangan dokter"),
}
DEATH = ["kpj", "ktp_worker", "ktp_heir", "death_certificate", "kk", "heirship_letter",
         "marriage_book", "bank_account"]  # fmt: skip
CHECKLISTS: dict[str, list[str]] = {
    ClaimKind.JKM: DEATH,
    ClaimKind.JKK_DEATH: [*DEATH, "accident_report"],
    ClaimKind.JKK_PTD: ["kpj", "ktp_worker", "accident_report", "medical_certificate",
                        "bank_account"],
    ClaimKind.JKK_STMB: ["kpj", "ktp_worker", "accident_report", "medical_certificate",
                         "bank_account"],
}  # fmt: skip


def required_documents(kind: str, *, heir_relationship: str | None) -> list[str]:
    """The kinds of document the case needs: the marriage book only when the spouse receives."""
    return [
        code
        for code in CHECKLISTS.get(kind, [])
        if code != "marriage_book" or heir_relationship == "spouse"
    ]
