"""Masking identity numbers wherever people read them (domain.md §9: NIK and KK are personal
data). Pure functions, below every app: lists, exports and the audit log use the same rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Identity numbers (`heir.nik` too): masked even for readers who may see personal data.
IDENTITY_NUMBER_FIELDS = ("nik", "kk_number")
# A correction of a typo changes one or two digits, a day/month swap four: those places are
# shown with their digits. A number that differs in more places is another number; its changed
# places are only marked, so the audit log never gives away most of a NIK unaudited.
REVEALED_DIGITS_MAX = 4
_SHOWN_HEAD, _SHOWN_TAIL, _IDENTITY_LENGTH = 4, 2, 16


def mask_identity_number(value: str | None) -> str:
    """`6402**********01`: region prefix and last two digits only (domain.md §9)."""
    if not value:
        return ""
    if len(value) != _IDENTITY_LENGTH:
        return "*" * len(value)
    return value[:_SHOWN_HEAD] + "*" * (len(value) - _SHOWN_HEAD - _SHOWN_TAIL) + value[-2:]


def mask_identity_change(before: Any, after: Any) -> tuple[Any, Any]:
    """A NIK or KK change, both sides masked, the places that changed shown.

    `6402061205800004 → 6402061205801004` reads `6402********0*04 → 6402********1*04`; when more
    than `REVEALED_DIGITS_MAX` hidden places differ they read `#` instead of their digits.
    """
    if not (
        isinstance(before, str)
        and isinstance(after, str)
        and len(before) == len(after) == _IDENTITY_LENGTH
    ):
        return (
            mask_identity_number(before) if isinstance(before, str) else before,
            mask_identity_number(after) if isinstance(after, str) else after,
        )
    hidden = range(_SHOWN_HEAD, _IDENTITY_LENGTH - _SHOWN_TAIL)
    changed = {i for i in hidden if before[i] != after[i]}
    reveal = len(changed) <= REVEALED_DIGITS_MAX

    def masked(value: str) -> str:
        chars = list(mask_identity_number(value))
        for i in changed:
            chars[i] = value[i] if reveal else "#"
        return "".join(chars)

    return masked(before), masked(after)


def mask_identity_numbers(changes: Mapping[str, Any]) -> dict[str, Any]:
    """A `changes` mapping with its identity numbers masked, changed places shown (for readers
    who may see personal data)."""
    masked: dict[str, Any] = {}
    for field, pair in (changes or {}).items():
        if field.split(".")[-1] not in IDENTITY_NUMBER_FIELDS:
            masked[field] = pair
        elif isinstance(pair, list) and len(pair) == 2:
            masked[field] = list(mask_identity_change(pair[0], pair[1]))
        elif isinstance(pair, list):
            masked[field] = [mask_identity_number(v) if isinstance(v, str) else v for v in pair]
        else:
            masked[field] = mask_identity_number(pair) if isinstance(pair, str) else pair
    return masked


def mask_nik(nik: str | None) -> str:
    """`6402**********01`: region prefix and last two digits only (domain.md §9)."""
    return mask_identity_number(nik)


def mask_name(name: str) -> str:
    """`B*** S******`: the first letter of each word (the public status check)."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())


def mask_changes(changes: dict[str, object]) -> dict[str, object]:
    """An audit `changes` mapping with NIK and KK values masked (`heir.nik` included), the
    places a correction changed shown, for readers who may see personal data."""
    return mask_identity_numbers(changes)
