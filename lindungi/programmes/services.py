"""Writes on programmes and on the reference data. Each is one atomic function taking `actor`.

A programme is created by the admin of a regency or province, inside its scope, with its
funders (co-funding shares summing to 100%), target regions and quotas, and eligibility rules
held as data. Rules that decide what BPJS was told (period, benefits, income band) are locked
once enrolments were submitted; next year's cover is a renewal — a new programme that starts the
day after this one ends, so no worker falls into a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lindungi.accounts.models import User
from lindungi.accounts.roles import Capability, Role
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record, diff, snapshot
from lindungi.core.errors import Conflict, FieldErrors, NotFound
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Level, Region
from lindungi.registry.models import OccupationCategory

from .errors import ProgrammeError, RateError
from .models import (
    BenefitRule,
    BpjsGroup,
    ContributionRate,
    Funder,
    Programme,
    ProgrammeFunder,
    ProgrammeTarget,
    RateKind,
)
from .selectors import programme_for_manage

PROGRAMME_LEVELS = {Level.PROVINCE, Level.REGENCY}
RULE_FIELDS = [
    "name",
    "funder",
    "funder_name",
    "legal_basis",
    "budget_year",
    "budget_amount",
    "benefit_jkk",
    "benefit_jkm",
    "benefit_jht",
    "reported_income",
    "bpjs_group",
    "start_date",
    "end_date",
    "min_age",
    "max_age",
    "occupations",
    "verification_required",
    "income_ceiling",
    "priority_occupations",
]
# What BPJS was told about each enrolment: fixed once enrolments were submitted.
LOCKED_AFTER_SUBMISSION = {
    "start_date",
    "end_date",
    "benefit_jkk",
    "benefit_jkm",
    "benefit_jht",
    "reported_income",
}
MIN_INCOME_BAND = 1_000_000
MIN_WORKING_AGE = 15  # BPS (domain.md §4)


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[dict[str, str]]] = {}

    def add(self, field: str, error: Any, arg: object = "") -> None:
        self.fields.setdefault(field, []).append(
            {"code": str(error.value), "message": str(error.label).format(arg=arg)}
        )

    def raise_if_any(self) -> None:
        if self.fields:
            raise FieldErrors(self.fields)


def _codes(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return sorted({str(v).strip() for v in value if str(v).strip()})


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError
    return int(value)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class _Source:
    """A field's value from the input, else the programme's current value, else a default."""

    def __init__(self, data: Mapping[str, Any], current: Programme | None) -> None:
        self.data, self.current = data, current

    def __call__(self, name: str, default: Any = None) -> Any:
        if name in self.data:
            return self.data[name]
        return getattr(self.current, name) if self.current is not None else default


def _words(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _clean_texts(value: _Source, errors: _Errors) -> dict[str, Any]:
    clean = {
        "name": _words(value("name", ""), 200),
        "funder": str(value("funder", "") or ""),
        "funder_name": _words(value("funder_name", ""), 200),
        "legal_basis": _words(value("legal_basis", ""), 255),
        "bpjs_group": str(value("bpjs_group", "SG") or "SG"),
    }
    if not clean["name"]:
        errors.add("name", ProgrammeError.NAME_REQUIRED)
    if clean["funder"] not in Funder.values:
        errors.add("funder", ProgrammeError.FUNDER_INVALID, clean["funder"])
    if not clean["funder_name"]:
        errors.add("funder_name", ProgrammeError.FUNDER_NAME_REQUIRED)
    if not clean["legal_basis"]:
        errors.add("legal_basis", ProgrammeError.LEGAL_BASIS_REQUIRED)
    if clean["bpjs_group"] not in BpjsGroup.values:  # it goes into BPJS's registration file
        errors.add("bpjs_group", ProgrammeError.BPJS_GROUP_INVALID, clean["bpjs_group"][:10])
    return clean


def _clean_numbers(value: _Source, errors: _Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, default in (
        ("budget_year", None),
        ("budget_amount", None),
        ("reported_income", MIN_INCOME_BAND),
        ("min_age", MIN_WORKING_AGE),
        ("max_age", 65),
        ("income_ceiling", None),
    ):
        try:
            clean[name] = _int_or_none(value(name, default))
        except (TypeError, ValueError):
            clean[name] = None
            errors.add(name, ProgrammeError.NUMBER_INVALID, value(name, ""))
    year = clean["budget_year"]
    if year is None or not 2000 <= year <= 2100:
        errors.add("budget_year", ProgrammeError.YEAR_INVALID, year if year is not None else "—")
    if (clean["reported_income"] or 0) < MIN_INCOME_BAND:
        errors.add("reported_income", ProgrammeError.INCOME_BAND)
    low, high = clean["min_age"], clean["max_age"]
    if low is None or high is None or low < MIN_WORKING_AGE or high < low:
        errors.add("max_age", ProgrammeError.AGE_RANGE)
    for name in ("budget_amount", "income_ceiling"):
        if clean[name] is not None and clean[name] < 0:
            errors.add(name, ProgrammeError.AMOUNT_INVALID, clean[name])
    return clean


def _clean_choices(value: _Source, errors: _Errors) -> dict[str, Any]:
    defaults = {"benefit_jkk": True, "benefit_jkm": True, "verification_required": True}
    clean: dict[str, Any] = {
        name: bool(value(name, defaults.get(name, False)))
        for name in ("benefit_jkk", "benefit_jkm", "benefit_jht", "verification_required")
    }
    if not (clean["benefit_jkk"] or clean["benefit_jkm"] or clean["benefit_jht"]):
        errors.add("benefit_jkk", ProgrammeError.NO_BENEFIT)
    try:
        clean["start_date"] = _date(value("start_date"))
        clean["end_date"] = _date(value("end_date"))
    except (TypeError, ValueError):
        clean["start_date"] = clean["end_date"] = None
    if clean["start_date"] is None or clean["end_date"] is None:
        errors.add("start_date", ProgrammeError.PERIOD_INVALID)
    elif clean["end_date"] < clean["start_date"]:
        errors.add("end_date", ProgrammeError.PERIOD_INVALID)
    known = set(OccupationCategory.objects.values_list("code", flat=True))
    for name in ("occupations", "priority_occupations"):
        clean[name] = _codes(value(name, []))
        for code in clean[name]:
            if code not in known:
                errors.add(name, ProgrammeError.OCCUPATION_INVALID, code)
    return clean


def _clean_rules(
    data: Mapping[str, Any], errors: _Errors, current: Programme | None
) -> dict[str, Any]:
    """The programme's own fields, normalised, with every problem collected."""
    value = _Source(data, current)
    return {
        **_clean_texts(value, errors),
        **_clean_numbers(value, errors),
        **_clean_choices(value, errors),
    }


def _clean_targets(
    raw: Any, region: Region | None, errors: _Errors
) -> list[tuple[str, int | None]] | None:
    """[(region code, quota)]: inside the programme's region, none inside another."""
    if raw is None:
        return None
    targets: list[tuple[str, int | None]] = []
    for item in raw:
        code = str(item.get("region_code", "") if isinstance(item, Mapping) else item).strip()
        quota_raw = item.get("quota") if isinstance(item, Mapping) else None
        try:
            quota = _int_or_none(quota_raw)
            if quota is not None and quota <= 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("targets", ProgrammeError.QUOTA_INVALID, quota_raw)
            continue
        if code:
            targets.append((code, quota))
    if not targets:
        errors.add("targets", ProgrammeError.TARGETS_REQUIRED)
        return []
    codes = [c for c, _ in targets]
    existing = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in existing:
            errors.add("targets", ProgrammeError.TARGET_UNKNOWN, code)
        elif region is not None and not (code == region.code or code.startswith(region.code + ".")):
            errors.add("targets", ProgrammeError.TARGET_OUTSIDE, code)
    for code in codes:
        if any(other != code and code.startswith(other + ".") for other in codes) or (
            codes.count(code) > 1
        ):
            errors.add("targets", ProgrammeError.TARGET_NESTED, code)
    return targets


def _donor_account(actor: Any, username: str, attached: Mapping[str, User]) -> User | None:
    """The active donor account `username` that `actor` may attach to a co-funder: one of the
    actor's region, or a national one (only the superadmin creates those: a sponsor that funds
    across regions); one the programme already has stays. Any other name — another region's
    donor, no donor, nobody — is None, refused alike, so the refusal reveals no account."""
    if username in attached:
        return attached[username]
    donors = User.objects.filter(username=username, role=Role.DONOR, is_active=True)
    return donors.visible_to(actor).first() or donors.filter(region__isnull=True).first()


def _clean_funders(
    raw: Any,
    rules: Mapping[str, Any],
    errors: _Errors,
    actor: Any,
    attached: Mapping[str, User] | None = None,
) -> list[dict[str, Any]] | None:
    """Co-funders with shares in basis points summing to 10000; by default the funder alone."""
    if raw is None:
        return None
    funders: list[dict[str, Any]] = []
    for item in raw or []:
        funder = str(item.get("funder", "")).strip()
        if funder not in Funder.values:
            errors.add("funders", ProgrammeError.FUNDER_INVALID, funder)
            continue
        try:
            share = int(item.get("share_bp", 0))
        except (TypeError, ValueError):
            share = 0
        account = None
        username = str(item.get("account") or "").strip()
        if username:
            account = _donor_account(actor, username, attached or {})
            if account is None:
                errors.add("funders", ProgrammeError.SPONSOR_INVALID, username)
        funders.append(
            {
                "funder": funder,
                "name": " ".join(str(item.get("name") or "").split())[:200] or funder,
                "share_bp": share,
                "account": account,
            }
        )
    if not funders:
        funders = [
            {
                "funder": rules.get("funder", ""),
                "name": rules.get("funder_name", ""),
                "share_bp": 10000,
                "account": None,
            }
        ]
    total = sum(f["share_bp"] for f in funders)
    if total != 10000 or any(f["share_bp"] <= 0 for f in funders):
        errors.add("funders", ProgrammeError.SHARES_INVALID, f"{total / 100:g}")
    return funders


def _owner_region(actor: Any, code: str | None, errors: _Errors) -> Region | None:
    code = code or actor.scope_region_code
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not region_in_scope(actor, region.code):
        errors.add("region_code", ProgrammeError.REGION_OUT_OF_SCOPE, code or "—")
        return None
    if region.level not in PROGRAMME_LEVELS:
        errors.add("region_code", ProgrammeError.REGION_LEVEL)
        return None
    return region


def _save_targets(programme: Programme, targets: list[tuple[str, int | None]]) -> None:
    keep = {code for code, _ in targets}
    programme.targets.exclude(region_id__in=keep).delete()
    for code, quota in targets:
        ProgrammeTarget.objects.update_or_create(
            programme=programme, region_id=code, defaults={"quota": quota}
        )


def _save_funders(programme: Programme, funders: list[dict[str, Any]]) -> None:
    """Keep each co-funder that stays (same source and name: its invoices, payments and budgets
    point at it), update its share and account, add the new ones, remove the rest — unless money
    already references them."""
    existing = {(f.funder, f.name): f for f in programme.funders.all()}
    for item in funders:
        row = existing.pop((item["funder"], item["name"]), None)
        if row is None:
            row = ProgrammeFunder.objects.create(programme=programme, **item)
        elif row.share_bp != item["share_bp"] or row.account != item["account"]:
            row.share_bp, row.account = item["share_bp"], item["account"]
            row.save(update_fields=["share_bp", "account"])
    for row in existing.values():
        try:
            with transaction.atomic():
                row.delete()
        except ProtectedError:
            raise FieldErrors.single(
                "funders", ProgrammeError.FUNDER_IN_USE, arg=row.name
            ) from None


def _targets_json(programme: Programme) -> list[list[Any]]:
    return [[t.region_id, t.quota] for t in programme.targets.order_by("region_id")]


def _funders_json(programme: Programme) -> list[list[Any]]:
    return [[f.funder, f.name, f.share_bp] for f in programme.funders.order_by("id")]


def _attached(programme: Programme) -> dict[str, User]:
    """The donor accounts a programme's co-funders already have, by username."""
    funders = programme.funders.select_related("account").exclude(account=None)
    return {f.account.username: f.account for f in funders if f.account is not None}


@transaction.atomic
def programme_create(*, actor: Any, data: Mapping[str, Any]) -> Programme:
    """Create a programme of the actor's region (or a region inside it)."""
    return _programme_create(actor, data, attached={})


def _programme_create(
    actor: Any, data: Mapping[str, Any], *, attached: Mapping[str, User]
) -> Programme:
    require(actor, Capability.MANAGE_PROGRAMMES)
    errors = _Errors()
    region = _owner_region(actor, data.get("region_code"), errors)
    rules = _clean_rules(data, errors, None)
    targets = _clean_targets(data.get("targets") or [], region, errors) or []
    funders = _clean_funders(data.get("funders") or [], rules, errors, actor, attached) or []
    errors.raise_if_any()
    assert region is not None  # an unknown region is an error above
    now = timezone.now()
    programme = Programme.objects.create(
        region=region, created_by=account(actor), created_at=now, updated_at=now, **rules
    )
    _save_targets(programme, targets)
    _save_funders(programme, funders)
    audit_record(
        actor=actor,
        action="programme.create",
        obj=programme,
        region_code=programme.region_id,
        changes={
            **diff({}, snapshot(programme, RULE_FIELDS)),
            "targets": [None, _targets_json(programme)],
            "funders": [None, _funders_json(programme)],
        },
    )
    return programme


def programme_rules_lock(*, programme_id: int) -> None:
    """Called when a batch of the programme goes to BPJS: the rules BPJS was told about
    (LOCKED_AFTER_SUBMISSION) are fixed from now on. Idempotent."""
    Programme.objects.filter(pk=programme_id, rules_locked_at__isnull=True).update(
        rules_locked_at=timezone.now()
    )


@transaction.atomic
def programme_update(
    *, actor: Any, programme_id: int, data: Mapping[str, Any], version: int | None = None
) -> Programme:
    """Change a programme's rules, funders, targets or quotas (fields absent stay as they are)."""
    programme = programme_for_manage(actor=actor, programme_id=programme_id, lock=True)
    if version is not None and version != programme.version:
        raise Conflict(ProgrammeError.STALE, arg=programme.version)
    errors = _Errors()
    rules = _clean_rules(data, errors, programme)
    targets = _clean_targets(data.get("targets"), programme.region, errors)
    funders = _clean_funders(data.get("funders"), rules, errors, actor, _attached(programme))
    errors.raise_if_any()
    before = snapshot(programme, RULE_FIELDS)
    changed = {k for k, v in rules.items() if before.get(k) != v}
    if changed & LOCKED_AFTER_SUBMISSION and programme.rules_locked_at is not None:
        raise FieldErrors.single(
            sorted(changed & LOCKED_AFTER_SUBMISSION)[0], ProgrammeError.RULES_LOCKED
        )
    old_targets, old_funders = _targets_json(programme), _funders_json(programme)
    for name, value in rules.items():
        setattr(programme, name, value)
    programme.version += 1
    programme.updated_at = timezone.now()
    programme.save()
    if targets is not None:
        _save_targets(programme, targets)
    if funders is not None:
        _save_funders(programme, funders)
    changes: dict[str, Any] = diff(before, snapshot(programme, RULE_FIELDS))
    if _targets_json(programme) != old_targets:
        changes["targets"] = [old_targets, _targets_json(programme)]
    if _funders_json(programme) != old_funders:
        changes["funders"] = [old_funders, _funders_json(programme)]
    audit_record(
        actor=actor,
        action="programme.update",
        obj=programme,
        region_code=programme.region_id,
        changes=changes,
    )
    return programme


@transaction.atomic
def programme_renew(*, actor: Any, programme_id: int, data: Mapping[str, Any]) -> Programme:
    """Next year's programme: the same rules, targets and funders unless `data` says otherwise,
    starting the day after this one ends (no gap). Its renewal batch carries the workers over."""
    predecessor = programme_for_manage(actor=actor, programme_id=programme_id, lock=True)
    successor = predecessor.successors.first()
    if successor is not None:
        raise Conflict(ProgrammeError.ALREADY_RENEWED, arg=successor.name)
    start = predecessor.end_date + dt.timedelta(days=1)
    given_start = data.get("start_date")
    if given_start not in (None, "") and _date(given_start) != start:
        raise FieldErrors.single(
            "start_date", ProgrammeError.RENEWAL_START, arg=start.strftime("%d-%m-%Y")
        )
    base = {name: getattr(predecessor, name) for name in RULE_FIELDS}
    year_end = dt.date(start.year, 12, 31)
    base.update(
        {
            "name": f"{predecessor.name} (lanjutan {start.year})",
            "budget_year": start.year,
            "budget_amount": None,
            "start_date": start,
            "end_date": year_end if year_end >= start else start,
            "region_code": predecessor.region_id,
            "targets": [
                {"region_code": t.region_id, "quota": t.quota} for t in predecessor.targets.all()
            ],
            "funders": [
                {
                    "funder": f.funder,
                    "name": f.name,
                    "share_bp": f.share_bp,
                    "account": f.account.username if f.account else "",
                }
                for f in predecessor.funders.select_related("account")
            ],
        }
    )
    base.update({k: v for k, v in data.items() if v not in (None, "")})
    base["start_date"] = start
    # The predecessor's donor accounts carry over, even one a wider admin attached.
    programme = _programme_create(actor, base, attached=_attached(predecessor))
    programme.predecessor = predecessor
    programme.save(update_fields=["predecessor"])
    audit_record(
        actor=actor,
        action="programme.renew",
        obj=predecessor,
        region_code=predecessor.region_id,
        changes={"successor": [None, programme.pk]},
    )
    return programme


# --- reference data ---------------------------------------------------------------------------


@transaction.atomic
def rate_version_create(*, actor: Any, data: Mapping[str, Any]) -> ContributionRate:
    """A new version of a benefit's contribution rate from `valid_from`; the version in force
    until then is closed the day before (history is kept, never edited)."""
    require(actor, Capability.MANAGE_REFERENCE_DATA)
    errors = _Errors()
    benefit = str(data.get("benefit", "")).upper()
    if benefit not in ("JKK", "JKM", "JHT"):
        errors.add("benefit", RateError.BENEFIT_INVALID, benefit)
    kind = str(data.get("kind", ""))
    try:
        basis_points = _int_or_none(data.get("basis_points"))
        amount = _int_or_none(data.get("amount"))
        min_income = _int_or_none(data.get("min_income")) or MIN_INCOME_BAND
    except (TypeError, ValueError):
        basis_points = amount = None
        min_income = MIN_INCOME_BAND
    if (kind == RateKind.PERCENT and not basis_points) or (
        kind == RateKind.FLAT and amount is None
    ):
        errors.add("kind", RateError.KIND_VALUE)
    if kind not in RateKind.values:
        errors.add("kind", RateError.KIND_VALUE)
    legal_basis = " ".join(str(data.get("legal_basis") or "").split())
    if not legal_basis:
        errors.add("legal_basis", RateError.LEGAL_BASIS_REQUIRED)
    try:
        valid_from = _date(data.get("valid_from"))
    except (TypeError, ValueError):
        valid_from = None
    current = (
        ContributionRate.objects.select_for_update()
        .filter(benefit=benefit, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if valid_from is None or (current is not None and valid_from <= current.valid_from):
        errors.add(
            "valid_from",
            RateError.VALID_FROM,
            current.valid_from.strftime("%d-%m-%Y") if current else "—",
        )
    errors.raise_if_any()
    assert valid_from is not None
    if current is not None:
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    rate = ContributionRate.objects.create(
        benefit=benefit,
        kind=kind,
        basis_points=basis_points if kind == RateKind.PERCENT else None,
        amount=amount if kind == RateKind.FLAT else None,
        min_income=min_income,
        valid_from=valid_from,
        legal_basis=legal_basis[:255],
        note=str(data.get("note") or "")[:500],
        created_by=account(actor),
    )
    audit_record(
        actor=actor,
        action="rate.version_create",
        obj=rate,
        changes={
            "benefit": [None, benefit],
            "valid_from": [None, valid_from],
            "closed": [None, current.pk if current else None],
        },
    )
    return rate


@transaction.atomic
def benefit_rule_version_create(*, actor: Any, code: str, data: Mapping[str, Any]) -> BenefitRule:
    """A new version of one line of the benefit table from `valid_from`."""
    require(actor, Capability.MANAGE_REFERENCE_DATA)
    current = (
        BenefitRule.objects.select_for_update()
        .filter(code=code, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if current is None:
        raise NotFound()
    errors = _Errors()
    try:
        valid_from = _date(data.get("valid_from"))
        amount = _int_or_none(data.get("amount", current.amount))
        wage_percent = _int_or_none(data.get("wage_percent", current.wage_percent))
        units = _int_or_none(data.get("units", current.units))
    except (TypeError, ValueError):
        valid_from, amount, wage_percent, units = None, None, None, None
    if valid_from is None or valid_from <= current.valid_from:
        errors.add("valid_from", RateError.VALID_FROM, current.valid_from.strftime("%d-%m-%Y"))
    legal_basis = " ".join(str(data.get("legal_basis") or "").split())
    if not legal_basis:
        errors.add("legal_basis", RateError.LEGAL_BASIS_REQUIRED)
    errors.raise_if_any()
    assert valid_from is not None
    current.valid_to = valid_from - dt.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    rule = BenefitRule.objects.create(
        code=current.code,
        benefit=current.benefit,
        label=str(data.get("label") or current.label)[:200],
        kind=current.kind,
        amount=amount,
        wage_percent=wage_percent,
        units=units,
        sort_order=current.sort_order,
        valid_from=valid_from,
        legal_basis=legal_basis[:255],
        created_by=account(actor),
    )
    audit_record(
        actor=actor,
        action="benefit_rule.version_create",
        obj=rule,
        changes={"code": [None, code], "valid_from": [None, valid_from]},
    )
    return rule
