"""Dashboard strings in English, Arabic and Sorani. Category names come from the widget's files.

Plural forms follow CLDR: English and Sorani have one/other, Arabic zero/one/two/few/many/other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rostra.web.context import widget_strings

DASHBOARD_LANGUAGES = ("en", "ar", "ckb")
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "ckb": "کوردی سۆرانی"}
CONTENT_LANGUAGE_NAMES = {
    "en": "English",
    "ar": "العربية",
    "ckb": "کوردی سۆرانی",
    "kmr": "Kurmancî",
    "tr": "Türkçe",
    "fa": "فارسی",
    "other": "—",
}


def _load(lang: str) -> dict[str, Any]:
    path = Path(__file__).parent / "i18n_data" / f"{lang}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


#: One JSON file per language in ``i18n_data/`` (translators edit those, not this module).
STRINGS: dict[str, dict[str, Any]] = {lang: _load(lang) for lang in DASHBOARD_LANGUAGES}


def _plural_category(lang: str, n: int) -> str:
    if lang == "ar":
        mod100 = n % 100
        if n == 0:
            return "zero"
        if n == 1:
            return "one"
        if n == 2:
            return "two"
        if 3 <= mod100 <= 10:
            return "few"
        if 11 <= mod100 <= 99:
            return "many"
        return "other"
    return "one" if n == 1 else "other"


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **vars)``; a plural entry picks its form from ``n`` (CLDR rules)."""
    code = lang if lang in STRINGS else "en"
    table = STRINGS[code]
    categories: dict[str, str] = widget_strings(code)["categories"]

    def t(key: str, **values: Any) -> str:
        entry = table.get(key, STRINGS["en"].get(key, key))
        if isinstance(entry, dict):
            n = int(values.get("n", 0))
            entry = entry.get(_plural_category(code, n), entry["other"])
        text = str(entry)
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    def category(cat: str) -> str:
        return categories.get(cat, cat)

    def forms(key: str) -> dict[str, str] | str:
        """Every CLDR form of a plural entry (``{n}`` left in), for the page's script to pick
        from with ``Intl.PluralRules``: one form cannot be turned into another (Arabic's
        "two" form spells the number out)."""
        entry = table.get(key, STRINGS["en"].get(key, key))
        return {str(k): str(v) for k, v in entry.items()} if isinstance(entry, dict) else str(entry)

    t.category = category  # type: ignore[attr-defined]
    t.forms = forms  # type: ignore[attr-defined]
    t.lang = code  # type: ignore[attr-defined]
    return t


def pick_language(requested: str | None, cookie: str | None, accept: str | None) -> str:
    """The dashboard language: explicit choice, then the cookie, then Accept-Language."""
    for candidate in (requested, cookie):
        if candidate in DASHBOARD_LANGUAGES:
            return candidate
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in DASHBOARD_LANGUAGES:
            return code
    return "en"
