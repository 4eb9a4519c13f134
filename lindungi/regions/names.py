"""Normalising region names the way operators type them (domain.md §4: Village).

`Desa`, `Kel.`, `Kelurahan` and their kin are designators, not part of the name; case,
punctuation and spacing never decide a match.
"""

from __future__ import annotations

import re
import unicodedata

# Designators per level, longest first, as operators write them before a name.
_DESIGNATORS: dict[str, tuple[str, ...]] = {
    "province": ("provinsi", "prov"),
    "regency": ("kabupaten", "kab", "kota"),
    "district": ("kecamatan", "kec"),
    "village": ("kelurahan", "kel", "desa", "ds"),
}
ALL_DESIGNATORS = tuple(
    sorted({d for ds in _DESIGNATORS.values() for d in ds}, key=len, reverse=True)
)

_APOSTROPHES = str.maketrans({"’": "", "'": "", "`": "", "‘": ""})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """Lower case, ASCII, apostrophes dropped, any other punctuation a single space."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.lower().translate(_APOSTROPHES)
    return _NON_ALNUM.sub(" ", text).strip()


def strip_designator(key: str, designators: tuple[str, ...] = ALL_DESIGNATORS) -> str:
    """`key` (already normalised) without a leading designator such as `desa` or `kel`."""
    for designator in designators:
        if key.startswith(designator + " ") and len(key) > len(designator) + 1:
            return key[len(designator) + 1 :]
    return key


def name_key(name: str, level: str | None = None) -> str:
    """The lookup key stored for a region: normalised, its level's designator removed."""
    designators = _DESIGNATORS.get(level or "", ALL_DESIGNATORS)
    return strip_designator(normalise(name), designators)
