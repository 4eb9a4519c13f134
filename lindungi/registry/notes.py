"""Verification notes: why a worker waits as *perlu verifikasi*.

A worker stores them as `[{"field", "code", "message"}]`, plus the `arg` the message was made
from where the writer kept it. Validation warnings (validation.py, imports) and probable
duplicates held on upload (dedup) write them; the API, the worker page and the verification
queue read them only through `notes_shown`, which answers every note with a message. Uploads
before issue 22 stored their probable duplicates as a code and an argument without a message,
and the API's schema, which requires one, turned every read of such a worker into a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import RegistryError


def possible_duplicate_note(*, other_id: int, probability: float) -> dict[str, str]:
    """The note of a new worker that is probably registered worker `other_id` under another
    NIK (dedup link mode): `arg` keeps the pair machine-readable (`"12:0.97"`)."""
    note = {
        "field": "full_name",
        "code": RegistryError.POSSIBLE_DUPLICATE.value,
        "arg": f"{other_id}:{probability:.2f}",
    }
    return {**note, "message": note_message(note)}


def _percent(probability: str) -> str:
    try:
        return str(round(100 * float(probability)))
    except ValueError:
        return "?"


def note_message(note: Mapping[str, Any]) -> str:
    """The note in words, in the language of the request where its argument was kept.

    Validation warnings keep only their message (their argument is not stored), so it is
    shown as written; a note of an unknown code without a message shows its code.
    """
    code = str(note.get("code") or "")
    arg = note.get("arg")
    stored = str(note.get("message") or "")
    if code == RegistryError.POSSIBLE_DUPLICATE.value:
        other, _, probability = str(arg or "").partition(":")
        return str(RegistryError.POSSIBLE_DUPLICATE.label).format(
            other=other or "?", percent=_percent(probability)
        )
    if stored and arg is None:
        return stored
    try:
        label = str(RegistryError(code).label)
        return label.format(arg="" if arg is None else arg)
    except (ValueError, KeyError, IndexError):
        return stored or code


def notes_shown(notes: Any) -> list[dict[str, str]]:
    """Stored notes as `{field, code, message}`, whatever shape a writer left them in."""
    shown = []
    for note in notes if isinstance(notes, list) else []:
        if isinstance(note, Mapping):
            shown.append(
                {
                    "field": str(note.get("field") or ""),
                    "code": str(note.get("code") or ""),
                    "message": note_message(note),
                }
            )
        elif note:
            shown.append({"field": "", "code": "", "message": str(note)})
    return shown
