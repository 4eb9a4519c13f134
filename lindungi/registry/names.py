"""Person names as Indonesian operators write them (domain.md §4: Names).

Spelling is kept as entered; comparison is case-insensitive. For search, each name token also
gets a phonetic key that absorbs the spelling variants common in Indonesian names
(`Muhammad`/`Muhamad`/`Mohammad`, `Sitti`/`Siti`, `Djoko`/`Joko`, `Achmad`/`Ahmad`,
`Syamsul`/`Samsul`, `Aminah`/`Amina`) and many one-letter typos (a dropped or doubled letter,
a wrong vowel).
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z]+")
# Applied in order, on lower-case ASCII.
_REWRITES = [
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("oe", "u"),
    ("ch", "h"),
    ("kh", "h"),
    ("sy", "s"),
    ("sh", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("gh", "g"),
    ("q", "k"),
    ("x", "ks"),
    ("v", "f"),
    ("z", "j"),
]
_VOWELS = set("aeiouy")


def clean_name(raw: str | None) -> str:
    """Trimmed, inner whitespace collapsed; spelling and case as entered."""
    return _SPACES.sub(" ", raw or "").strip()


def name_key(name: str) -> str:
    """Case-insensitive comparison key: the cleaned name, case-folded."""
    return clean_name(name).casefold()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def phonetic_token(token: str) -> str:
    """Phonetic key of one name token: consonant skeleton with an initial vowel kept as `a`."""
    word = _ascii(token)
    for old, new in _REWRITES:
        word = word.replace(old, new)
    if not word:
        return ""
    head, tail = word[0], word[1:]
    if head in _VOWELS:
        head = "a"
    skeleton = [head]
    for char in tail:
        if char in _VOWELS:
            continue
        if skeleton[-1] != char:
            skeleton.append(char)
    if len(skeleton) > 1 and skeleton[-1] == "h":  # Aminah/Amina, Fatimah/Fatima
        skeleton.pop()
    return "".join(skeleton)


def _trigrams(words: list[str]) -> set[str]:
    grams: set[str] = set()
    for word in words:
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def word_similarity(query: str, text: str) -> float:
    """Trigram similarity of `query` to the best run of consecutive words of `text`.

    The idea of PostgreSQL's pg_trgm `word_similarity`, computed here to rank the candidates
    of the search's typo fallback identically on every database.
    """
    q_words = re.findall(r"[0-9a-z]+", (query or "").casefold())
    t_words = re.findall(r"[0-9a-z]+", (text or "").casefold())
    if not q_words or not t_words:
        return 0.0
    wanted = _trigrams(q_words)
    best = 0.0
    for start in range(len(t_words)):
        for end in range(start + 1, min(len(t_words), start + len(q_words) + 1) + 1):
            window = _trigrams(t_words[start:end])
            score = len(wanted & window) / len(wanted | window)
            best = max(best, score)
    return best


_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def _ascii_words(name: pl.Expr) -> pl.Expr:
    return (
        name.str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z]+", " ")
        .str.strip_chars()
    )


def phonetic_key_expr(name: pl.Expr) -> pl.Expr:
    """`phonetic_key` as a Polars expression (same result as the scalar function)."""
    text = _ascii_words(name)
    for old, new in _REWRITES:
        text = text.str.replace_all(old, new, literal=True)
    text = text.str.replace_all(r"\b[aeiouy]", "a").str.replace_all(r"\B[aeiouy]", "")
    for consonant in _CONSONANTS:
        text = text.str.replace_all(f"{consonant}{{2,}}", consonant)
    text = text.str.replace_all(r"(\w)h\b", "$1").str.strip_chars()
    return pl.concat_str([pl.lit(" "), text.str.replace_all(r" +", " "), pl.lit(" ")])


SCALAR_NAMES = 16


def phonetic_keys(names: pl.Series) -> pl.Series:
    """`phonetic_key` of every name: keyed per distinct token (names share few tokens), so a
    million names cost a fraction of running the rewrites over every row. A handful of names
    (a form, an API edit) take the scalar path: the frame machinery costs more than the work."""
    if names.len() <= SCALAR_NAMES:
        return pl.Series(names.name, [phonetic_key(n or "") for n in names.to_list()], pl.String)
    tokens = names.to_frame("name").select(_ascii_words(pl.col("name")).str.split(" ").alias("t"))
    distinct = tokens.select(pl.col("t").explode().unique()).filter(pl.col("t") != "")
    keyed = distinct.with_columns(phonetic_key_expr(pl.col("t")).str.strip_chars().alias("k"))
    mapping = dict(zip(keyed["t"].to_list(), keyed["k"].to_list(), strict=True))
    joined = tokens.select(
        pl.col("t")
        .list.eval(pl.element().replace_strict(mapping, default=None, return_dtype=pl.String))
        .list.drop_nulls()
        .list.join(" ")
        .alias("k")
    )["k"]
    return (" " + joined.fill_null("") + " ").alias(names.name)


def name_tokens(name: str) -> list[str]:
    return _TOKEN.findall(_ascii(name))


def phonetic_key(name: str) -> str:
    """Space-separated phonetic keys, padded so `LIKE '% key%'` matches the start of a token."""
    keys = [phonetic_token(t) for t in name_tokens(name)]
    return " " + " ".join(k for k in keys if k) + " "
