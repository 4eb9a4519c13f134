"""Roles of domain.md §2, the region levels each may hold, and what each may do."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from lindungi.regions.models import Level


class Role(models.TextChoices):
    VILLAGE_OPERATOR = (
        "village_operator",
        _("Operator desa/kelurahan"),
    )  # one village: registers, uploads
    DISTRICT_OPERATOR = (
        "district_operator",
        _("Operator kecamatan"),
    )  # one district: same, reviews villages
    REGENCY_ADMIN = "regency_admin", _("Admin Disnaker kabupaten/kota")  # verifies, runs programmes
    PROVINCE_ADMIN = "province_admin", _("Admin provinsi")  # the same at province level
    BPJS_OFFICER = (
        "bpjs_officer",
        _("Petugas BPJS Ketenagakerjaan"),
    )  # exchanges batches, KPJ, claims
    DONOR = "donor", _("Donatur (CSR/perorangan)")  # sees what its sponsorship covers
    AUDITOR = "auditor", _("Auditor/DPRD")  # read-only aggregates of a region
    SUPERADMIN = "superadmin", _("Superadmin")  # users and reference data, whole country


# The region level an account of each role is scoped to. None: national scope allowed.
ROLE_LEVELS: dict[str, frozenset[str | None]] = {
    Role.VILLAGE_OPERATOR: frozenset({Level.VILLAGE}),
    Role.DISTRICT_OPERATOR: frozenset({Level.DISTRICT}),
    Role.REGENCY_ADMIN: frozenset({Level.REGENCY}),
    Role.PROVINCE_ADMIN: frozenset({Level.PROVINCE}),
    Role.BPJS_OFFICER: frozenset({Level.REGENCY, Level.PROVINCE}),
    Role.DONOR: frozenset({Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE, None}),
    Role.AUDITOR: frozenset({Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE}),
    Role.SUPERADMIN: frozenset({None}),
}


class Capability(StrEnum):
    """Things a role may do; checked by services with `require`, never by hiding a button only."""

    VIEW_PERSONAL_DATA = "view_personal_data"  # see workers' identities (masked NIK)
    VIEW_FULL_NIK = "view_full_nik"  # reveal a full NIK (audited)
    MANAGE_USERS = "manage_users"  # create and change accounts below one's own role
    VIEW_AUDIT = "view_audit"  # browse the audit log of one's region
    MANAGE_REFERENCE_DATA = "manage_reference_data"  # regions, rates, benefit tables
    VIEW_AGGREGATES = "view_aggregates"  # dashboards and reports
    REGISTER_WORKERS = "register_workers"  # create and edit workers, heirs and life events
    VERIFY_WORKERS = "verify_workers"  # the checker of maker–checker: verify or reject entries
    RESOLVE_DUPLICATES = "resolve_duplicates"  # run deduplication, merge and un-merge workers
    MANAGE_PROGRAMMES = "manage_programmes"  # programmes, enrolment batches, ending cover
    EXCHANGE_BPJS = "exchange_bpjs"  # download batch files for BPJS, upload BPJS's answers
    MANAGE_FINANCE = "manage_finance"  # contribution runs, payments, budgets, reconciliation
    MANAGE_CLAIMS = "manage_claims"  # submit claims to BPJS, record decisions and payments


_OPERATOR = {
    Capability.VIEW_PERSONAL_DATA,
    Capability.VIEW_AGGREGATES,
    Capability.VIEW_FULL_NIK,
    Capability.REGISTER_WORKERS,
}
_ADMIN = _OPERATOR | {
    Capability.MANAGE_USERS,
    Capability.VIEW_AUDIT,
    Capability.VERIFY_WORKERS,
    Capability.RESOLVE_DUPLICATES,
    Capability.MANAGE_PROGRAMMES,
    Capability.EXCHANGE_BPJS,
    Capability.MANAGE_FINANCE,
    Capability.MANAGE_CLAIMS,
}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VILLAGE_OPERATOR: frozenset(_OPERATOR),
    Role.DISTRICT_OPERATOR: frozenset(_OPERATOR),
    Role.REGENCY_ADMIN: frozenset(_ADMIN),
    Role.PROVINCE_ADMIN: frozenset(_ADMIN),
    # BPJS reads the people it enrols and pays; it does not register or change them.
    Role.BPJS_OFFICER: frozenset(
        {
            Capability.VIEW_PERSONAL_DATA,
            Capability.VIEW_AGGREGATES,
            Capability.VIEW_FULL_NIK,
            Capability.EXCHANGE_BPJS,
            Capability.MANAGE_CLAIMS,
        }
    ),
    Role.DONOR: frozenset({Capability.VIEW_AGGREGATES}),
    Role.AUDITOR: frozenset({Capability.VIEW_AGGREGATES, Capability.VIEW_AUDIT}),
    Role.SUPERADMIN: frozenset(_ADMIN | {Capability.MANAGE_REFERENCE_DATA}),
}

# Which roles an account of each role may create or change (always inside its own scope).
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    Role.SUPERADMIN: frozenset(Role.values),
    Role.PROVINCE_ADMIN: frozenset(
        {
            Role.REGENCY_ADMIN,
            Role.DISTRICT_OPERATOR,
            Role.VILLAGE_OPERATOR,
            Role.BPJS_OFFICER,
            Role.DONOR,
            Role.AUDITOR,
        }
    ),
    Role.REGENCY_ADMIN: frozenset(
        {Role.DISTRICT_OPERATOR, Role.VILLAGE_OPERATOR, Role.DONOR, Role.AUDITOR}
    ),
}
