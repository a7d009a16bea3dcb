"""Per-language screening data: lexicons with severities, allow-lists and clitic affixes.

Each language lives in ``lang/<code>/`` (ISO 639 code): ``terms.txt``, ``allow.txt`` and an
``__init__.py`` with the prefixes and suffixes that may attach to a listed word without making
it a different word (Arabic-script clitics such as و, ال, بە; English plural -s; Turkish case
endings). See docs/screening.md for the file formats.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rostra.screening.types import CATEGORIES

#: Languages that ship a lexicon.
LEXICON_LANGUAGES: tuple[str, ...] = ("en", "ar", "ckb", "kmr", "tr", "fa")


class LexiconFormatError(ValueError):
    """A terms.txt or allow.txt line that cannot be read."""


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One lexicon line: a word or phrase (or a ``re:`` pattern) with its category and severity."""

    term: str
    category: str
    severity: int
    #: ``*term``: any prefix may precede it; ``term*``: any suffix may follow it.
    any_prefix: bool = False
    any_suffix: bool = False
    is_regex: bool = False
    line: int = 0
    #: ``=term``: matched against the strict form (Kurdish letters and Latin diacritics kept),
    #: for words whose loose fold is an innocent word (Kurmanji "kîr" vs "kir", did).
    strict: bool = False


@dataclass(frozen=True, slots=True)
class LanguageData:
    code: str
    terms: tuple[TermEntry, ...]
    allow: tuple[str, ...]
    prefixes: frozenset[str]
    suffixes: frozenset[str]
    #: A regular expression (loose form) for verbs that report speech ("said", "threatened"):
    #: a threat pattern right after one is reported news and only goes to review.
    reporting: str = ""


def parse_terms(text: str, source: str = "<terms>") -> tuple[TermEntry, ...]:
    """Parse the ``term<TAB>category<TAB>severity`` format (``#`` starts a comment line)."""
    entries: list[TermEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise LexiconFormatError(f"{source}:{number}: expected term<TAB>category<TAB>severity")
        term, category, severity_text = (p.strip() for p in parts)
        if category not in CATEGORIES:
            raise LexiconFormatError(f"{source}:{number}: unknown category {category!r}")
        if severity_text not in {"1", "2", "3"}:
            raise LexiconFormatError(f"{source}:{number}: severity must be 1, 2 or 3")
        is_regex = term.startswith("re:")
        strict = not is_regex and term.startswith("=")
        if strict:
            term = term[1:]
        any_prefix = not is_regex and term.startswith("*")
        any_suffix = not is_regex and term.endswith("*")
        body = term[3:] if is_regex else term.strip("*")
        if not body.strip():
            raise LexiconFormatError(f"{source}:{number}: empty term")
        entries.append(
            TermEntry(
                body, category, int(severity_text), any_prefix, any_suffix, is_regex, number, strict
            )
        )
    return tuple(entries)


def parse_allow(text: str) -> tuple[str, ...]:
    """One innocent word or phrase per line (``#`` starts a comment line)."""
    return tuple(
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def load_language(code: str) -> LanguageData:
    """Read one language's shipped data (cached: the files do not change at run time)."""
    if code not in LEXICON_LANGUAGES:
        raise KeyError(f"no lexicon for language {code!r}; known: {list(LEXICON_LANGUAGES)}")
    folder = files("rostra.screening.lang").joinpath(code)
    module = importlib.import_module(f"rostra.screening.lang.{code}")
    return LanguageData(
        code=code,
        terms=parse_terms(folder.joinpath("terms.txt").read_text("utf-8"), f"{code}/terms.txt"),
        allow=parse_allow(folder.joinpath("allow.txt").read_text("utf-8")),
        prefixes=frozenset(getattr(module, "PREFIXES", ())),
        suffixes=frozenset(getattr(module, "SUFFIXES", ())),
        reporting=str(getattr(module, "REPORTING", "")),
    )


def content_id(codes: Sequence[str], names: Sequence[str], *extra: str) -> str:
    """The first 12 hex digits of a hash over the named shipped files of these languages.

    Analyzers that read curated files put it in their ``version`` (``rostra.lexicon.v1/…``),
    so a verdict records which lists decided it and two releases of the same analyzer with
    different word lists are told apart, as the classifier's artifact id does for its model.
    Missing files count as empty; ``extra`` (e.g. a language module's clitic lists and a
    policy's additions) is hashed too.
    """
    digest = hashlib.sha256()
    for code in sorted(codes):
        folder = files("rostra.screening.lang").joinpath(code)
        for name in names:
            path = folder.joinpath(name)
            data = path.read_bytes() if path.is_file() else b""
            digest.update(f"{code}/{name}:{len(data)}:".encode())
            digest.update(data)
    for item in extra:
        digest.update(f"extra:{len(item)}:".encode())
        digest.update(item.encode("utf-8"))
    return digest.hexdigest()[:12]
