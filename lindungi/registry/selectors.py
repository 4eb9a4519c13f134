"""Reading the registry through the actor's region scope: search, filters, keyset pages.

Built for a million workers: pages are keyset-paginated (the cursor is a worker id, never a
name, so no personal data reaches a URL), counts are bounded, names are searched by phonetic
tokens (a GIN full-text index on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery, Value
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import FieldErrors, NotFound
from lindungi.core.models import AuditEvent
from lindungi.core.scope import region_code_q

from .errors import RegistryError
from .models import LifeEvent, Worker
from .names import name_tokens, phonetic_token, word_similarity

COUNT_CAP = 10_000  # a plain list of a scope: counted up to ten thousand
# Attribute filters thin matches out: the first page and this count come from one scan, which
# reads ~170,000 rows of a regency to find 200 matches of sex + age band + occupation (45 ms).
FILTERED_COUNT_CAP = 100
SEARCH_WINDOW = 1_000
# Sorting by name is offered for results up to this size; a larger result is listed newest
# first (sorting a regency's quarter million names per page view costs half a second).
NAME_SORT_LIMIT = 5_000
PAGE_SIZE = 50

AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "<15": (0, 14),
    "15-24": (15, 24),
    "25-34": (25, 34),
    "35-44": (35, 44),
    "45-54": (45, 54),
    "55-64": (55, 64),
    "65+": (65, None),
}
AGE_BAND_LABELS = {
    "<15": _("di bawah 15"),
    "15-24": "15–24",
    "25-34": "25–34",
    "35-44": "35–44",
    "45-54": "45–54",
    "55-64": "55–64",
    "65+": _("65 ke atas"),
}
SORTS = ("newest", "name")


@dataclass
class WorkerFilters:
    q: str | None = None  # a name (typo-tolerant) or NIK digits
    nik: str | None = None  # an exact NIK
    village: str | None = None  # a region code: that region and everything below it
    occupation: str | None = None
    sex: str | None = None
    age_band: str | None = None
    verification_status: str | None = None
    life_status: str | None = None
    sort: str = "newest"
    cursor: int | None = None  # the id of the last worker of the previous page
    limit: int = PAGE_SIZE


@dataclass
class WorkerPage:
    items: list[Worker]
    next_cursor: int | None
    count: int
    count_capped: bool
    filters: WorkerFilters = field(default_factory=WorkerFilters)
    sort: str = "newest"  # the order applied (a name sort of a too-large result is not)


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def age_band_q(band: str, today: dt.date | None = None) -> Q:
    """Workers whose age on `today` lies in the band (ages in whole years)."""
    low, high = AGE_BANDS[band]
    today = today or timezone.localdate()
    q = Q(birth_date__lte=_years_ago(today, low))
    if high is not None:
        q &= Q(birth_date__gt=_years_ago(today, high + 1))
    return q


# A query no name sounds like: candidates sharing each token's first sounds, ranked in Python by
# trigram word similarity (names.word_similarity), kept from this score up.
FUZZY_SIMILARITY = 0.45
FUZZY_WINDOW = 2_000


class _SearchMatch(Func):
    """PostgreSQL: the search document of a worker — the phonetic name tokens and the codes of
    the regions the worker lives in (`64 6402 640206 6402061002`) — matched against a tsquery.
    The expression is the one of the GIN index `registry_worker_search` (migrations 0010, 0012:
    the document's words are taken as lexemes, not parsed), so a name search within a scope is
    one index lookup: rows outside the scope never reach the heap.
    """

    output_field = BooleanField()
    template = (
        "array_to_tsvector(array_remove(string_to_array((%(name)s::text || ' '"
        " || left(replace(%(village)s::text, '.', ''), 2) || ' '"
        " || left(replace(%(village)s::text, '.', ''), 4) || ' '"
        " || left(replace(%(village)s::text, '.', ''), 6) || ' '"
        " || replace(%(village)s::text, '.', '')), ' '), ''))"
        " @@ to_tsquery('simple'::regconfig, %(query)s)"
    )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        name_sql, name_params = compiler.compile(self.source_expressions[0])
        village_sql, village_params = compiler.compile(self.source_expressions[1])
        query_sql, query_params = compiler.compile(self.source_expressions[2])
        sql = self.template % {"name": name_sql, "village": village_sql, "query": query_sql}
        # `village` appears four times in the template
        return sql, [*name_params, *village_params * 4, *query_params]


def phonetic_match(text: str, *, relaxed: bool = False, regions: Iterable[str] = ()) -> Q:
    """Every query token starts a phonetic token of the name, in any order: absorbs the
    spelling variants of Indonesian names and dropped or doubled letters (names.py).
    `relaxed`: only each token's first two sounds must match (the typo fallback's candidates).
    `regions`: codes the worker must live in — the search index resolves them (PostgreSQL);
    callers still filter the scope on the rows too."""
    keys = [k for k in (phonetic_token(t) for t in name_tokens(text)) if k]
    if relaxed:
        keys = [k[:2] for k in keys]
    if not keys:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        # keys are [a-z]+ only; region terms are digits, so no name prefix ever matches one
        terms = [f"{k}:*" for k in keys]
        terms += [digits for digits in (re.sub(r"\D", "", code) for code in regions) if digits]
        return Q(_SearchMatch(F("name_phonetic"), F("village_id"), Value(" & ".join(terms))))
    q = Q()
    for key in keys:
        q &= Q(name_phonetic__contains=f" {key}")
    return q


def worker_queryset(*, actor: Any) -> QuerySet[Worker]:
    """Live workers inside the actor's scope, for roles that may see personal data."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    return Worker.objects.visible_to(actor).live()


def _row_region_q(field: str, code: str) -> Q:
    """`region_code_q` checked on each row rather than through the region index: in a name
    search the phonetic index finds the few candidates, and intersecting them with a regency's
    quarter-million index entries would cost more than the whole search."""
    prefix = f"{code}."
    return Q(**{field: code}) | Q(Exact(Left(F(field), len(prefix)), Value(prefix)))


def _search_queryset(actor: Any) -> QuerySet[Worker]:
    """`worker_queryset` with the scope checked row by row (see `_row_region_q`)."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    qs = Worker.objects.live()
    if actor.has_national_scope:
        return qs
    code = actor.scope_region_code
    return qs.filter(_row_region_q("village_id", code)) if code else qs.none()


def _is_name_search(filters: WorkerFilters) -> bool:
    if not filters.q:
        return False
    digits = re.sub(r"[\s.\-']", "", filters.q.strip())
    return not (digits.isdigit() and len(digits) >= 4)


def _filtered(actor: Any, filters: WorkerFilters, *, relaxed: bool = False) -> QuerySet[Worker]:
    """Workers matching the filters; a name query matches phonetically (`relaxed`: the
    candidates of the typo fallback)."""
    searching = _is_name_search(filters)
    qs = _search_queryset(actor) if searching else worker_queryset(actor=actor)
    if filters.nik:
        qs = qs.filter(nik=re.sub(r"\D", "", filters.nik))
    if filters.q:
        text = filters.q.strip()
        digits = re.sub(r"[\s.\-']", "", text)
        if digits.isdigit() and len(digits) >= 4:
            qs = qs.filter(nik=digits) if len(digits) == 16 else qs.filter(nik__startswith=digits)
        else:
            if len(re.sub(r"[^0-9A-Za-z]", "", text)) < 3:
                raise FieldErrors.single("q", RegistryError.QUERY_TOO_SHORT)
            scope = None if actor.has_national_scope else actor.scope_region_code
            regions = [code for code in (scope, filters.village) if code]
            qs = qs.filter(phonetic_match(text, relaxed=relaxed, regions=regions))
    if filters.village:
        qs = qs.filter(
            _row_region_q("village_id", filters.village)
            if searching
            else region_code_q("village__code", filters.village)
        )
    if filters.occupation:
        qs = qs.filter(occupation_id=filters.occupation)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.age_band in AGE_BANDS:
        qs = qs.filter(age_band_q(filters.age_band))
    if filters.verification_status:
        qs = qs.filter(verification_status=filters.verification_status)
    if filters.life_status:
        qs = qs.filter(life_status=filters.life_status)
    return qs


def bounded_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The number of rows, counting at most `cap` (a million-row scope stays fast)."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


@contextlib.contextmanager
def _list_plan(*, searching: bool) -> Iterator[None]:
    """On PostgreSQL, how a page of the list is planned.

    No parallel workers: a page reads a bounded number of rows, and starting workers costs more
    than it saves on a small server shared by many users (a filtered page took 65 ms instead of
    23 ms with two workers on two cores).

    Name searches are planned from the search index (bitmap scans): a search with ORDER BY …
    LIMIT tempts the planner to walk an ordered index and filter, which a rare name turns into
    a scan of the whole scope; its estimates for prefix searches cannot tell. The search is
    bounded instead (SEARCH_WINDOW), so bitmap scans are always cheap.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        if searching:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        yield


def worker_list(*, actor: Any, filters: WorkerFilters) -> WorkerPage:
    """One page of workers in scope matching the filters, and a bounded count of all matches.

    A name search looks at most at SEARCH_WINDOW matches: beyond that the answer is "more than
    a thousand — narrow the search", and the page comes from the first thousand found.
    """
    limit = max(1, min(filters.limit, 500))
    searching = _is_name_search(filters)
    with _list_plan(searching=searching):
        page = _page(actor, filters, limit=limit, searching=searching)
        # Phonetic first; a query no name sounds like gets the names most similar to it.
        if searching and not page.items and filters.cursor is None:
            page = _similar_page(actor, filters, limit=limit)
    return page


def _similar_page(actor: Any, filters: WorkerFilters, *, limit: int) -> WorkerPage:
    """The typo fallback: one page of names ranked by similarity to the query."""
    query = " ".join((filters.q or "").casefold().split())
    candidates = list(
        _filtered(actor, filters, relaxed=True)
        .order_by()
        .values_list("id", "name_key")[:FUZZY_WINDOW]
    )
    scored = sorted(((word_similarity(query, name), -pk) for pk, name in candidates), reverse=True)
    ids = [-neg for score, neg in scored if score >= FUZZY_SIMILARITY][:limit]
    found = Worker.objects.select_related("village", "occupation").in_bulk(ids)
    items = [found[pk] for pk in ids]
    return WorkerPage(
        items=items, next_cursor=None, count=len(items), count_capped=False, filters=filters
    )


def _page(actor: Any, filters: WorkerFilters, *, limit: int, searching: bool) -> WorkerPage:
    """One keyset page of `_filtered` and the count that goes with it."""
    qs = _filtered(actor, filters)
    matches = qs
    sort = filters.sort
    if sort == "name" and not searching and bounded_count(qs, NAME_SORT_LIMIT)[1]:
        sort = "newest"
    if filters.cursor is None and (searching or _narrowed(filters)):
        return _first_page_of_window(
            qs,
            filters,
            sort=sort,
            limit=limit,
            window=max(limit, SEARCH_WINDOW if searching else FILTERED_COUNT_CAP),
            # a search window is any matches (bitmap order); a filtered one is the newest
            ordered=not searching,
        )
    if sort == "name":
        order: list[Any] = ["name_key", "id"]
        if filters.cursor:
            anchor = qs.filter(pk=filters.cursor).values("name_key", "id").first()
            if anchor:
                matches = matches.filter(
                    Q(name_key__gt=anchor["name_key"])
                    | Q(name_key=anchor["name_key"], id__gt=anchor["id"])
                )
    else:
        order = ["-id"]
        if filters.cursor:
            matches = matches.filter(id__lt=filters.cursor)
    page_qs: QuerySet[Worker] = matches
    if searching:
        window = matches.order_by().values("pk")[:SEARCH_WINDOW]
        page_qs = Worker.objects.filter(pk__in=Subquery(window))
    page_qs = page_qs.select_related("village", "occupation").order_by(*order)
    items = list(page_qs[: limit + 1])
    next_cursor = items[limit - 1].pk if len(items) > limit else None
    if filters.cursor is None and next_cursor is None:
        count, capped = len(items), False  # the whole result is on this page
    else:
        cap = (
            SEARCH_WINDOW
            if searching
            else (FILTERED_COUNT_CAP if _narrowed(filters) else COUNT_CAP)
        )
        count, capped = bounded_count(qs, cap)
    return WorkerPage(
        items=items[:limit],
        next_cursor=next_cursor,
        count=count,
        count_capped=capped,
        filters=filters,
        sort=sort,
    )


def _first_page_of_window(
    qs: QuerySet[Worker],
    filters: WorkerFilters,
    *,
    sort: str,
    limit: int,
    window: int,
    ordered: bool,
) -> WorkerPage:
    """A first page and its bounded count from ONE look at the matches: up to `window` + 1
    (id, name) pairs are read once, counted, sorted and cut, then the page's rows are fetched."""

    def key(row: tuple[int, str]) -> tuple[Any, ...]:
        return (row[1], row[0]) if sort == "name" else (-row[0],)

    pairs = qs.values_list("pk", "name_key")
    if ordered:
        pairs = pairs.order_by(*(["name_key", "id"] if sort == "name" else ["-id"]))
    else:
        pairs = pairs.order_by()
    rows = list(pairs[: window + 1])
    count, capped = min(len(rows), window), len(rows) > window
    ids = [pk for pk, _ in sorted(rows[:window], key=key)[: limit + 1]]
    found = Worker.objects.select_related("village", "occupation").in_bulk(ids[:limit])
    return WorkerPage(
        items=[found[pk] for pk in ids[:limit] if pk in found],
        next_cursor=ids[limit - 1] if len(ids) > limit else None,
        count=count,
        count_capped=capped,
        filters=filters,
        sort=sort,
    )


def _narrowed(filters: WorkerFilters) -> bool:
    """Filters on attributes (not only on where people live)."""
    return any(
        (
            filters.occupation,
            filters.sex,
            filters.age_band,
            filters.verification_status,
            filters.life_status,
        )
    )


def worker_get(*, actor: Any, worker_id: int) -> Worker:
    """One worker in scope (a merged tombstone included); outside the scope: 404."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    try:
        return (
            Worker.objects.visible_to(actor)
            .select_related("village", "occupation", "created_by", "updated_by", "verified_by")
            .get(pk=worker_id)
        )
    except (Worker.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def worker_history(*, worker: Worker) -> QuerySet[AuditEvent]:
    """Every change to the worker, its heirs and life events, with who made it, newest first —
    including the history of records merged into it (deduplication), which is now its own."""
    ids = [worker.pk]
    frontier = [worker.pk]
    while frontier:  # merges can chain: C merged into B, then B into A
        frontier = list(
            Worker.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return AuditEvent.objects.filter(
        object_type="registry.worker",
        object_id__in=[str(i) for i in ids],
        kind=AuditEvent.Kind.CHANGE,
    ).order_by("-id")


def worker_life_events(*, worker: Worker) -> QuerySet[LifeEvent]:
    return worker.life_events.select_related("recorded_by", "cancelled_by").order_by(
        "-event_date", "-id"
    )


def verification_queue(*, actor: Any) -> QuerySet[Worker]:
    """Pending records the actor may check: in scope, not entered or last changed by itself."""
    require(actor, Capability.VERIFY_WORKERS)
    return (
        Worker.objects.visible_to(actor)
        .live()
        .filter(verification_status="pending")
        .exclude(created_by=actor)
        .exclude(updated_by=actor)
        .select_related("village", "occupation", "created_by")
        .order_by("id")
    )
