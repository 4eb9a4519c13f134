"""Indonesian is the source language; every string shown to people has an English translation.

The source strings are found the way `makemessages` finds them (gettext calls in Python,
`translate`/`blocktranslate` in templates) and must all be in the compiled English catalogue.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lindungi"
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.mo"
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
TRANSLATE_TAG = re.compile(r"{%\s*(?:translate|trans)\s+\"((?:[^\"\\]|\\.)*)\"")
TRANSLATE_TAG_SQ = re.compile(r"{%\s*(?:translate|trans)\s+'((?:[^'\\]|\\.)*)'")
BLOCK = re.compile(r"{%\s*blocktranslate(?:\s[^%]*)?%}(.*?){%\s*endblocktranslate\s*%}", re.S)
VAR = re.compile(r"{{\s*(\w+)\s*}}")


def _python_strings() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                arg = node.args[-1] if name and name.startswith("p") else node.args[0]
                if (
                    name in GETTEXT_CALLS
                    and isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                ):
                    found.add(arg.value)
    return found


def _template_strings() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(TRANSLATE_TAG.findall(text))
        found.update(TRANSLATE_TAG_SQ.findall(text))
        for block in BLOCK.findall(text):
            singular = re.split(r"{%\s*plural\s*%}", block)[0]
            found.add(VAR.sub(r"%(\1)s", singular))
    return found


def test_every_source_string_has_an_english_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    sources = _python_strings() | _template_strings()
    assert len(sources) > 100
    translated = catalogue._catalog  # type: ignore[attr-defined]
    missing = sorted(s for s in sources if s and not (translated.get(s) or translated.get((s, 0))))
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])


def test_english_pages(client, world):
    from .conftest import client_for

    admin = client_for(world.regency_admin)
    admin.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = admin.get("/").content.decode()
    assert "Welcome, admin.kukar" in body
    assert "Regions under Kabupaten Kutai Kartanegara" in body
    api = admin.get("/api/v1/regions", {"parent": "99"})
    assert api.json()["message"] == "No region with code 99."
