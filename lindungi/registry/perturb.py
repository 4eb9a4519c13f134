"""Realistic errors that make one person look like two (for deduplication tests and benchmarks).

A village lists a worker twice, or two villages list the same worker, with the slips operators
make: a typo, a title (`H.`, `Hj.`), a swapped name order, a spelling variant, one wrong NIK
digit, a birth date off by a day or with day and month swapped, another village.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SPELLING = [
    ("Muhammad", "Muhamad"), ("Muhammad", "Mohammad"), ("Muhammad", "M."), ("Siti", "Sitti"),
    ("Nur", "Noor"), ("Ahmad", "Achmad"), ("Yusuf", "Yusup"), ("Joko", "Djoko"),
    ("Usman", "Oesman"), ("Syamsul", "Samsul"), ("Rizki", "Rizky"), ("Fitri", "Fitriyah"),
]  # fmt: skip
TITLES_MALE = ["H.", "Drs.", "Ir."]
TITLES_FEMALE = ["Hj.", "Dra."]
SUFFIXES = ["S.Pd.", "S.E.", "S.Sos."]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "vowel"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    vowels = "aeiou"
    positions = [k for k, c in enumerate(word) if c.lower() in vowels and k > 0]
    if not positions:
        return word
    k = rng.choice(positions)
    return word[:k] + rng.choice([v for v in vowels if v != word[k].lower()]) + word[k + 1 :]


def perturb_name(name: str, sex: str, rng: random.Random) -> str:
    words = name.split()
    choice = rng.random()
    if choice < 0.3:
        k = rng.randrange(len(words))
        words[k] = _typo(words[k], rng)
    elif choice < 0.45 and len(words) > 1:
        words = [*words[1:], words[0]]
    elif choice < 0.65:
        title = rng.choice(TITLES_FEMALE if sex == "P" else TITLES_MALE)
        words = [title, *words]
    elif choice < 0.75:
        words = [*words, rng.choice(SUFFIXES)]
    elif choice < 0.9:
        for plain, variant in SPELLING:
            if plain in words:
                words = [variant if w == plain else w for w in words]
                break
        else:
            k = rng.randrange(len(words))
            words[k] = _typo(words[k], rng)
    else:
        return name.upper()
    return " ".join(words)


def perturb_nik(nik: str, rng: random.Random) -> str:
    """Same NIK (copied right), one wrong serial/district digit, or two serial digits swapped.
    The result stays a structurally valid NIK, as a typo usually does."""
    roll = rng.random()
    if roll < 0.4:
        return nik
    digits = list(nik)
    if roll < 0.8:
        position = rng.choice([12, 13, 14, 15])
        digits[position] = rng.choice([d for d in "123456789" if d != digits[position]])
    else:
        position = rng.choice([12, 13, 14])
        digits[position], digits[position + 1] = digits[position + 1], digits[position]
    candidate = "".join(digits)
    return nik if candidate[12:] == "0000" else candidate


def perturb_birth_date(day: dt.date, rng: random.Random) -> dt.date:
    roll = rng.random()
    if roll < 0.6:
        return day
    if roll < 0.85:
        return day + dt.timedelta(days=rng.choice([-1, 1]))
    if day.day <= 12 and day.day != day.month:
        return day.replace(day=day.month, month=day.day)  # day and month swapped
    return day


def perturb_record(
    record: dict[str, Any], rng: random.Random, villages: list[str]
) -> dict[str, Any]:
    """A second listing of the same person, with one to three realistic slips."""
    twin = dict(record)
    twin["full_name"] = perturb_name(record["full_name"], record["sex"], rng)
    twin["nik"] = perturb_nik(record["nik"], rng)
    twin["birth_date"] = perturb_birth_date(record["birth_date"], rng)
    if rng.random() < 0.25:
        twin["village_code"] = rng.choice(villages)
    if rng.random() < 0.3:
        twin["phone"] = ""
    if rng.random() < 0.3:
        twin["address"] = ""
    return twin
