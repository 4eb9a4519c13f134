"""Reading regions: by code, children of a parent, and names as operators type them."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lindungi.core.errors import DomainError, NotFound
from lindungi.core.scope import region_code_q

from .errors import RegionError
from .models import CODE_LENGTH, Level, Region, level_of_code
from .names import name_key, normalise

CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def region_code_clean(raw: str) -> str:
    """A region code in canonical dotted form; accepts `6402061002` or `64.02.06.1002`."""
    text = raw.strip()
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        parts = [text[:2], text[2:4], text[4:6], text[6:10]]
        text = ".".join(p for p in parts if p)
    if not CODE_PATTERN.match(text):
        raise DomainError(RegionError.BAD_CODE, code=raw[:20])
    return text


def region_get(code: str, *, include_inactive: bool = True) -> Region:
    clean = region_code_clean(code)
    qs = Region.objects.all() if include_inactive else Region.objects.active()
    try:
        return qs.get(code=clean)
    except Region.DoesNotExist as exc:
        raise NotFound(RegionError.NOT_FOUND, code=clean) from exc


def region_children(
    parent_code: str | None, *, q: str | None = None, include_inactive: bool = False
) -> QuerySet[Region]:
    """The regions directly below `parent_code` (provinces when None), optionally by name."""
    qs = Region.objects.all() if include_inactive else Region.objects.active()
    if parent_code:
        parent = region_get(parent_code)
        qs = qs.filter(parent=parent)
    else:
        qs = qs.filter(level=Level.PROVINCE)
    if q:
        key = name_key(q)
        if key:
            qs = qs.filter(Q(name_key__contains=key) | Q(code__startswith=q.strip()))
    return qs.order_by("code")


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """Names for a set of codes, in one query."""
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


class RegionNameIndex:
    """Resolves many region names below one root, at one level, with one query.

    Used by forms and imports: `Desa Loa Ipuh`, `LOA IPUH`, `Kel. Loa Ipuh` all resolve to
    64.02.06.1002 inside Kutai Kartanegara; an unknown name fails with the closest candidates.
    """

    def __init__(self, root_code: str | None, level: Level) -> None:
        self.level = level
        self.root_label = _("seluruh Indonesia")
        qs = Region.objects.active().filter(level=level)
        if root_code:
            root = region_get(root_code)
            self.root_label = f"{root.name} ({root.code})"
            qs = qs.filter(region_code_q("code", root.code))
        self._regions: dict[str, Region] = {}
        self._exact: dict[str, list[str]] = defaultdict(list)
        self._stripped: dict[str, list[str]] = defaultdict(list)
        for region in qs.only("code", "name", "name_key", "parent_id", "level"):
            self._regions[region.code] = region
            self._exact[normalise(region.name)].append(region.code)
            self._stripped[region.name_key].append(region.code)

    def __len__(self) -> int:
        return len(self._regions)

    def by_code(self, code: str) -> Region | None:
        return self._regions.get(code)

    def candidates(self, name: str) -> list[Region]:
        """Every region called `name`: exact spelling first, then without designator."""
        exact = self._exact.get(normalise(name))
        if exact:
            return [self._regions[c] for c in exact]
        return [self._regions[c] for c in self._stripped.get(name_key(name, self.level), [])]

    def resolve(self, name: str) -> Region:
        """The one region called `name`; raises a DomainError naming the closest candidates."""
        text = name.strip()
        if len(text) == CODE_LENGTH[self.level] or text.replace(".", "").isdigit():
            try:
                code = region_code_clean(text)
            except DomainError:
                code = ""
            if code and level_of_code(code) == self.level and code in self._regions:
                return self._regions[code]
        found = self.candidates(text)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(f"{r.name} ({r.code})" for r in found[:5])
            raise DomainError(
                RegionError.NAME_AMBIGUOUS, name=text, parent=self.root_label, candidates=listed
            )
        close = difflib.get_close_matches(
            name_key(text, self.level), self._stripped, n=3, cutoff=0.75
        )
        names = [self._regions[self._stripped[k][0]].name for k in close]
        hint = (
            " " + _("Mungkin maksud Anda: {names}.").format(names=", ".join(names)) if names else ""
        )
        raise DomainError(RegionError.NAME_NOT_FOUND, name=text, parent=self.root_label, hint=hint)


def region_find_by_name(*, name: str, parent_code: str | None, level: Level) -> Region:
    """One region by name inside `parent_code` (any depth above `level`)."""
    return RegionNameIndex(parent_code, level).resolve(name)
