"""Region scope: the one mechanism that limits every query to the actor's region.

Every account except the superadmin holds one region code (`64`, `64.02`, `64.02.06`,
`64.02.06.1002`). Kemendagri codes are hierarchical by prefix, so "inside the scope" means:
the row's region code equals the scope code or starts with the scope code plus a dot.

Models with personal or regional data declare `scope_region_field` (a lookup path to a region
code) and use `ScopedQuerySet`; selectors start from `Model.objects.visible_to(actor)`, so pages,
API, exports, search and background jobs share the same filter. An object outside the scope is
indistinguishable from one that does not exist (the API answers 404).

Three rules, and only these (issue 22):

1. **Objects** are visible in the actor's scope (`visible_to`). Some are visible from below too:
   a province's programme — with its batches, invoices and statements — is visible to the
   regencies whose workers it covers, as an aggregate (counts, totals).
2. **People** are visible only in their own region, whatever object led to them: every row that
   names a worker (a line of a batch file, an invoice, a statement, a duplicate pair) is filtered
   with `person_rows` on the region of that worker, even when the object that carries it is
   visible. A row about two people (a pair, a merge) needs both of them in scope.
3. **Writes** to an object belong to the object's own region (`require_own_region`): the admins
   and BPJS officers of a province run, answer and pay its programme's batches and invoices; the
   regencies below it only see them.
"""

from __future__ import annotations

from typing import Any, Protocol, Self

from django.db import models
from django.db.models import Q

from .errors import Forbidden


class ScopedActor(Protocol):
    """What the scope needs to know about an actor (implemented by `accounts.User`)."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def scope_region_code(self) -> str | None:
        """The region code the actor may see; None means the whole country."""
        ...

    @property
    def has_national_scope(self) -> bool: ...


def region_code_q(field: str, region_code: str) -> Q:
    """Rows whose `field` is `region_code` itself or any region below it."""
    return Q(**{field: region_code}) | Q(**{f"{field}__startswith": f"{region_code}."})


def scope_q(actor: Any, field: str) -> Q:
    """The filter for `actor`'s scope on `field`; matches nothing for anonymous/unscoped actors."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    if actor.has_national_scope:
        return Q()
    code = actor.scope_region_code
    if not code:
        return Q(pk__in=[])
    return region_code_q(field, code)


def region_in_scope(actor: Any, region_code: str | None) -> bool:
    """Whether a single region code lies inside `actor`'s scope (same rule as `scope_q`)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_national_scope:
        return True
    code = actor.scope_region_code
    if not code or not region_code:
        return False
    return region_code == code or region_code.startswith(f"{code}.")


def person_rows(rows: models.QuerySet[Any], actor: Any, field: str) -> models.QuerySet[Any]:
    """The rows of `rows` whose person lives in `actor`'s scope; `field` is the lookup path to
    that person's region code (rule 2 above). Use it wherever rows of people are reached through
    an object of a wider region."""
    return rows.filter(scope_q(actor, field))


def scope_expr(actor: Any, code: Any) -> Any:
    """The same rule over a Polars column of region codes (bulk work on frames)."""
    import polars as pl

    if actor is None or actor.has_national_scope:
        return pl.lit(True)
    scope = actor.scope_region_code
    return ((code == scope) | code.str.starts_with(f"{scope}.")).fill_null(False)


def require_own_region(actor: Any, region_code: str | None) -> None:
    """Writes to an object belong to its own region (rule 3 above): an actor who sees the object
    only from below it (a regency and its province's programme) is refused with 403."""
    if not region_in_scope(actor, region_code):
        raise Forbidden()


class ScopedQuerySet(models.QuerySet):
    """QuerySet for models that declare `scope_region_field`."""

    def visible_to(self, actor: Any) -> Self:
        field = getattr(self.model, "scope_region_field", None)
        if not field:
            raise TypeError(f"{self.model.__name__} declares no scope_region_field")
        return self.filter(scope_q(actor, field))
