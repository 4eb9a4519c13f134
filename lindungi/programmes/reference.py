"""The reference data seeded at installation: the rates and benefit table in force (domain.md
§5–§6; sources in domain-facts.md). A superadmin adds later versions; these rows stay as history.

Used by the data migration (with historical models) and by tests that flush the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PP_44 = "PP 44/2015 Lampiran II (iuran BPU), sebagaimana diubah PP 49/2023"
PP_82 = "PP 82/2019 Lampiran III (manfaat JKK/JKM)"
PP_50 = "PP 50/2025 (penyesuaian iuran JKK/JKM BPU)"
SINCE = dt.date(2019, 12, 2)  # PP 82/2019 in force
PP_44_BENEFITS = "PP 44/2015 Lampiran III (manfaat JKK/JKM sebelum PP 82/2019)"
PP_44_SINCE, PP_44_UNTIL = dt.date(2015, 7, 1), dt.date(2019, 12, 1)

RATES: list[dict[str, Any]] = [
    {"benefit": "JKK", "kind": "percent", "basis_points": 100, "min_income": 1_000_000,
     "valid_from": dt.date(2015, 7, 1), "legal_basis": PP_44,
     "note": "1% dari penghasilan dilaporkan; pita terendah Rp1.000.000"},
    {"benefit": "JKM", "kind": "flat", "amount": 6_800, "min_income": 1_000_000,
     "valid_from": dt.date(2015, 7, 1), "legal_basis": PP_44, "note": "Rp6.800 per bulan"},
    {"benefit": "JHT", "kind": "percent", "basis_points": 200, "min_income": 1_000_000,
     "valid_from": dt.date(2015, 7, 1), "legal_basis": "PP 46/2015 (JHT), pilihan bagi BPU",
     "note": "2% dari penghasilan dilaporkan"},
]  # fmt: skip

DISCOUNTS: list[dict[str, Any]] = [
    {
        "name": "Diskon 50% iuran JKK/JKM BPU sektor transportasi",
        "basis_points": 5000,
        "benefits": ["JKK", "JKM"],
        # PP 50/2025 excludes participants paid from APBN/APBD.
        "excluded_funders": ["APBD_PROVINSI", "APBD_KABKOTA", "APBDES"],
        "occupations": ["ojek_pengemudi"],
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2027, 3, 31),
        "legal_basis": PP_50,
        "note": "Kemnaker 13 Jan 2026: ojol, ojek pangkalan, pengemudi, kurir; 15 bulan",
    },
    {
        # The second phase (domain.md §5, domain-facts §10.1): every other BPU sector, April –
        # December 2026. It names no occupation, so while it runs it covers transport too.
        "name": "Diskon 50% iuran JKK/JKM BPU semua sektor",
        "basis_points": 5000,
        "benefits": ["JKK", "JKM"],
        "excluded_funders": ["APBD_PROVINSI", "APBD_KABKOTA", "APBDES"],
        "occupations": [],
        "valid_from": dt.date(2026, 4, 1),
        "valid_to": dt.date(2026, 12, 31),
        "legal_basis": PP_50,
        "note": "Sektor BPU selain transportasi: iuran April–Desember 2026; 9 bulan",
    },
]

BENEFITS: list[dict[str, Any]] = [
    # JKM (death not from work)
    {"code": "JKM_LUMP_SUM", "benefit": "JKM", "label": "Santunan sekaligus", "kind": "flat", "amount": 20_000_000},
    {"code": "JKM_PERIODIC", "benefit": "JKM", "label": "Santunan berkala 24 × Rp500.000 (dibayar sekaligus)", "kind": "flat", "amount": 12_000_000},
    {"code": "JKM_FUNERAL", "benefit": "JKM", "label": "Biaya pemakaman", "kind": "flat", "amount": 10_000_000},
    {"code": "JKM_SCHOLARSHIP_MIN_MONTHS", "benefit": "JKM", "label": "Masa iur minimal untuk beasiswa (bulan)", "kind": "parameter", "units": 36},
    # JKK (work accident), wage = the reported income band
    {"code": "JKK_DEATH", "benefit": "JKK", "label": "Santunan kematian karena kecelakaan kerja (48 × upah)", "kind": "wage", "wage_percent": 4800},
    {"code": "JKK_DEATH_FUNERAL", "benefit": "JKK", "label": "Biaya pemakaman", "kind": "flat", "amount": 10_000_000},
    {"code": "JKK_DEATH_PERIODIC", "benefit": "JKK", "label": "Santunan berkala 24 × Rp500.000 (dibayar sekaligus)", "kind": "flat", "amount": 12_000_000},
    {"code": "JKK_PERMANENT_TOTAL", "benefit": "JKK", "label": "Cacat total tetap (70% × 80 × upah)", "kind": "wage", "wage_percent": 5600},
    {"code": "JKK_STMB_FIRST_12M", "benefit": "JKK", "label": "Sementara tidak mampu bekerja, 12 bulan pertama (100% upah per bulan)", "kind": "wage", "wage_percent": 100, "units": 12},
    {"code": "JKK_STMB_AFTER", "benefit": "JKK", "label": "Sementara tidak mampu bekerja, sesudah 12 bulan (50% upah per bulan)", "kind": "wage", "wage_percent": 50},
    {"code": "JKK_HOME_CARE_CAP", "benefit": "JKK", "label": "Perawatan di rumah (paling lama 1 tahun)", "kind": "cap", "amount": 20_000_000, "units": 12},
    {"code": "JKK_CLAIM_RIGHT_YEARS", "benefit": "JKK", "label": "Hak klaim JKK sejak kecelakaan (tahun)", "kind": "parameter", "units": 5},
    # Scholarship per child per year, for at most two children
    {"code": "SCHOLARSHIP_CHILDREN", "benefit": "JKM", "label": "Jumlah anak penerima beasiswa", "kind": "parameter", "units": 2},
    {"code": "SCHOLARSHIP_MAX_AGE", "benefit": "JKM", "label": "Beasiswa berakhir pada usia (tahun)", "kind": "parameter", "units": 23},
    {"code": "SCHOLARSHIP_TK_SD", "benefit": "JKM", "label": "Beasiswa TK–SD per tahun (paling lama 8 tahun)", "kind": "flat", "amount": 1_500_000, "units": 8},
    {"code": "SCHOLARSHIP_SMP", "benefit": "JKM", "label": "Beasiswa SMP per tahun (paling lama 3 tahun)", "kind": "flat", "amount": 2_000_000, "units": 3},
    {"code": "SCHOLARSHIP_SMA", "benefit": "JKM", "label": "Beasiswa SMA per tahun (paling lama 3 tahun)", "kind": "flat", "amount": 3_000_000, "units": 3},
    {"code": "SCHOLARSHIP_HIGHER", "benefit": "JKM", "label": "Beasiswa perguruan tinggi/pelatihan per tahun (paling lama 5 tahun)", "kind": "flat", "amount": 12_000_000, "units": 5},
]  # fmt: skip


# The table PP 82/2019 replaced (domain-facts §2.1–§2.3: the "was" amounts): JKM Rp24 jt with no
# scholarship; JKK death 48 × wage + Rp3 jt funeral + Rp4.8 jt periodic; one child's scholarship
# of Rp12 jt on a work-accident death or total disability; STMB 6 months 100%, 6 months 75%,
# then 50%.
BENEFITS_PP_44: list[dict[str, Any]] = [
    {"code": "JKM_LUMP_SUM", "benefit": "JKM", "label": "Santunan sekaligus", "kind": "flat", "amount": 16_200_000},
    {"code": "JKM_PERIODIC", "benefit": "JKM", "label": "Santunan berkala 24 × Rp200.000 (dibayar sekaligus)", "kind": "flat", "amount": 4_800_000},
    {"code": "JKM_FUNERAL", "benefit": "JKM", "label": "Biaya pemakaman", "kind": "flat", "amount": 3_000_000},
    {"code": "JKK_DEATH", "benefit": "JKK", "label": "Santunan kematian karena kecelakaan kerja (48 × upah)", "kind": "wage", "wage_percent": 4800},
    {"code": "JKK_DEATH_FUNERAL", "benefit": "JKK", "label": "Biaya pemakaman", "kind": "flat", "amount": 3_000_000},
    {"code": "JKK_DEATH_PERIODIC", "benefit": "JKK", "label": "Santunan berkala 24 × Rp200.000 (dibayar sekaligus)", "kind": "flat", "amount": 4_800_000},
    {"code": "JKK_PERMANENT_TOTAL", "benefit": "JKK", "label": "Cacat total tetap (70% × 80 × upah)", "kind": "wage", "wage_percent": 5600},
    {"code": "JKK_STMB_FIRST_6M", "benefit": "JKK", "label": "Sementara tidak mampu bekerja, 6 bulan pertama (100% upah per bulan)", "kind": "wage", "wage_percent": 100, "units": 6},
    {"code": "JKK_STMB_NEXT_6M", "benefit": "JKK", "label": "Sementara tidak mampu bekerja, 6 bulan kedua (75% upah per bulan)", "kind": "wage", "wage_percent": 75, "units": 6},
    {"code": "JKK_STMB_AFTER", "benefit": "JKK", "label": "Sementara tidak mampu bekerja, sesudah 12 bulan (50% upah per bulan)", "kind": "wage", "wage_percent": 50},
    {"code": "SCHOLARSHIP_CHILDREN", "benefit": "JKK", "label": "Jumlah anak penerima beasiswa", "kind": "parameter", "units": 1},
    {"code": "SCHOLARSHIP_LUMP_SUM", "benefit": "JKK", "label": "Beasiswa pendidikan anak (sekaligus)", "kind": "flat", "amount": 12_000_000},
    {"code": "JKK_CLAIM_RIGHT_YEARS", "benefit": "JKK", "label": "Hak klaim JKK sejak kecelakaan (tahun)", "kind": "parameter", "units": 2},
]  # fmt: skip


def seed(rate_model: Any, discount_model: Any, benefit_model: Any) -> None:
    """Create the seeded rows that are missing (idempotent; never touches later versions)."""
    for row in RATES:
        rate_model.objects.get_or_create(
            benefit=row["benefit"], valid_from=row["valid_from"], defaults=row
        )
    for row in DISCOUNTS:
        discount_model.objects.get_or_create(
            name=row["name"], valid_from=row["valid_from"], defaults=row
        )
    for order, row in enumerate(BENEFITS, start=1):
        benefit_model.objects.get_or_create(
            code=row["code"],
            valid_from=SINCE,
            defaults={**row, "legal_basis": PP_82, "sort_order": order},
        )
    for order, row in enumerate(BENEFITS_PP_44, start=1):
        benefit_model.objects.get_or_create(
            code=row["code"],
            valid_from=PP_44_SINCE,
            defaults={
                **row,
                "valid_to": PP_44_UNTIL,
                "legal_basis": PP_44_BENEFITS,
                "sort_order": order,
            },
        )
