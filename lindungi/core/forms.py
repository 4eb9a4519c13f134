"""The form kit every app's pages use: Bootstrap styling on widgets and a service's refusal
placed beside the field it concerns. Forms only shape input; every rule lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from .errors import DomainError, FieldErrors, Forbidden, NotFound


class PortalForm(forms.Form):
    """Bootstrap classes on every widget, `is-invalid` on fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = [field] if field else list(getattr(error, "error_dict", {}) or [])
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error next to the field it concerns (or above the form)."""
    if isinstance(exc, FieldErrors):
        aliases = getattr(form, "ERROR_FIELDS", {})
        for field, errors in exc.fields.items():
            name = aliases.get(field, field)
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error["message"])
    else:
        form.add_error(None, exc.message)


def domain_error_text(exc: DomainError) -> str:
    """A refused action in one sentence for a message or a command: the field messages of a
    validation error, else the error's own message."""
    if isinstance(exc, FieldErrors):
        return " ".join(str(e["message"]) for errors in exc.fields.values() for e in errors)
    return str(exc.message)


def refusal_text(exc: DomainError) -> str:
    """The message a page shows for a refused action. A missing or forbidden object is not a
    message: it stays a 404/403 page (outside the scope nothing exists)."""
    if isinstance(exc, NotFound | Forbidden):
        raise exc
    return domain_error_text(exc)
