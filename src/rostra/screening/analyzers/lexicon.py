"""``rostra.lexicon.v1``: curated word and phrase lists per language, with severities.

Matching runs over the normalized loose text (so obfuscations, Kurdish letter variants and
Kurmanji/Turkish diacritics are already folded), with one Aho-Corasick automaton per language
built in the constructor. A hit counts only where it is a whole word, or a listed word with a
clitic prefix/suffix of its language (``lang/<code>/__init__.py``), or a ``*``-marked stem.
Words in the language's allow-list (bare or after one of its clitic prefixes) and phrases
covering the hit are never flagged. Threat patterns are ``re:`` entries written in the first or
second person ("I will kill you"), so news reporting a threat in the third person does not
match; a threat after a reporting verb or in quotation marks, and an identity slur in quotation
marks (news of who called whom what), only go to review (severity 1).

Only the detected language's list runs, plus English when the comment contains Latin letters
(English slurs are mixed into comments in every language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from rostra.screening.lang import (
    LEXICON_LANGUAGES,
    LanguageData,
    LexiconFormatError,
    TermEntry,
    content_id,
    load_language,
    parse_allow,
    parse_terms,
)
from rostra.screening.normalize import NormalizedText, normalize, squeeze
from rostra.screening.registry import register
from rostra.screening.types import CATEGORIES, ScreenDoc, Signal, Span

NAME = "rostra.lexicon.v1"
DEFAULT_SEVERITY_SCORES: Mapping[int, float] = {1: 0.6, 2: 0.9, 3: 0.97}

_LATIN = re.compile(r"[a-zA-Z]")
_QUOTES = ('"', "“", "”", "«", "»", "„")
# Inside single quotes: an opening quote after a space or punctuation (not an apostrophe in a
# word, "reporter's"), and no closing one before the hit; apostrophes inside words may follow.
_SINGLE_QUOTED = re.compile(r"(?:^|[\s(\[:,;])['‘](?:[^'‘’]|\b['’]\b)*$")
# Identity slurs: quoted, they are reported (news of who called whom what) and go to review.
_MENTIONED = frozenset({"racism", "xenophobia", "homophobia", "sexism"})
_TRIPLE = re.compile(r"([^\W\d_])\1\1")
# Squeezed matching only for entries long enough not to collide with short innocent words
# ("ass" squeezed is "as").
_MIN_SQUEEZED = 4


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str  # the term in the loose matching form
    category: str
    severity: int
    any_prefix: bool
    any_suffix: bool
    source: str  # "<lang>:<line>" for explanations


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # in the loose text
    end: int
    category: str
    severity: int


def _matching_form(term: str) -> str:
    return normalize(term).loose.strip()


def _is_word(ch: str) -> bool:
    """What ``\\w`` matches: letters and digits of any script, and the underscore."""
    return ch.isalnum() or ch == "_"


class _LanguageMatcher:
    """Everything needed to scan one language's list, built once."""

    def __init__(
        self, data: LanguageData, extra_terms: Sequence[TermEntry], extra_allow: Sequence[str]
    ) -> None:
        self.code = data.code
        self.reporting = re.compile(data.reporting) if data.reporting else None
        self.prefixes = frozenset(_matching_form(p) for p in data.prefixes) | {""}
        self.suffixes = frozenset(_matching_form(s) for s in data.suffixes) | {""}
        self.automaton = ahocorasick.Automaton()
        self.strict = ahocorasick.Automaton()
        self.squeezed = ahocorasick.Automaton()
        table: dict[str, list[_Entry]] = {}
        strict_table: dict[str, list[_Entry]] = {}
        squeezed_table: dict[str, list[_Entry]] = {}
        patterns: list[str] = []
        self.pattern_entries: list[_Entry] = []
        for entry in (*data.terms, *extra_terms):
            if entry.is_regex:
                try:
                    re.compile(entry.term)
                except re.error as exc:
                    raise LexiconFormatError(
                        f"{self.code}: line {entry.line}: bad regular expression: {exc}"
                    ) from None
                group = f"g{len(patterns)}"
                patterns.append(f"(?P<{group}>{entry.term})")
                self.pattern_entries.append(
                    _Entry(
                        group,
                        entry.category,
                        entry.severity,
                        False,
                        False,
                        f"{self.code}:{entry.line}",
                    )
                )
                continue
            key = normalize(entry.term).text.strip() if entry.strict else _matching_form(entry.term)
            if not key:
                continue
            item = _Entry(
                key,
                entry.category,
                entry.severity,
                entry.any_prefix,
                entry.any_suffix,
                f"{self.code}:{entry.line}",
            )
            if entry.strict:
                strict_table.setdefault(key, []).append(item)
                continue
            table.setdefault(key, []).append(item)
            squeezed_key = squeeze(normalize(key))[0]
            if len(squeezed_key) >= _MIN_SQUEEZED:
                squeezed_table.setdefault(squeezed_key, []).append(item)
        for key, items in table.items():
            self.automaton.add_word(key, (len(key), tuple(items)))
        for key, items in strict_table.items():
            self.strict.add_word(key, (len(key), tuple(items)))
        self.has_strict = bool(strict_table)
        if strict_table:
            self.strict.make_automaton()
        for key, items in squeezed_table.items():
            self.squeezed.add_word(key, (len(key), tuple(items)))
        self.has_terms = bool(table)
        if table:
            self.automaton.make_automaton()
        if squeezed_table:
            self.squeezed.make_automaton()
        self.has_squeezed = bool(squeezed_table)
        self.pattern = re.compile("|".join(patterns)) if patterns else None
        allow = [_matching_form(a) for a in (*data.allow, *extra_allow)]
        self.allow_words = frozenset(a for a in allow if a and " " not in a)
        self.allow_phrases = ahocorasick.Automaton()
        phrases = [a for a in allow if " " in a]
        for phrase in phrases:
            self.allow_phrases.add_word(phrase, len(phrase))
        self.has_phrases = bool(phrases)
        if phrases:
            self.allow_phrases.make_automaton()

    # -- scanning ------------------------------------------------------------------------------

    def scan(self, normalized: NormalizedText, *, loose: bool, squeeze_too: bool) -> list[_Hit]:
        """Hits in the loose form (``loose=True``) or the strict form of ``normalized``.

        Both forms have the same length and the same word boundaries (the loose fold is letter
        for letter), so boundaries and clitics are always checked on the form being scanned.
        """
        text = normalized.loose if loose else normalized.text
        squeeze_too = squeeze_too and loose
        hits: list[_Hit] = []
        if self.has_terms:
            for end_index, (length, items) in self.automaton.iter(text):
                hits.extend(self._accept(text, end_index + 1 - length, end_index + 1, items))
        if self.has_strict:
            for end_index, (length, items) in self.strict.iter(normalized.text):
                hits.extend(self._accept(text, end_index + 1 - length, end_index + 1, items))
        if squeeze_too and self.has_squeezed:
            squeezed, kept = squeeze(normalized)
            for end_index, (length, items) in self.squeezed.iter(squeezed):
                start = kept[end_index + 1 - length]
                end = kept[end_index] + 1
                # Extend over the rest of a repeated run ("fuuuck": the hit ends at the last k).
                while end < len(text) and text[end] == text[end - 1] and text[end].isalpha():
                    end += 1
                hits.extend(self._accept(text, start, end, items))
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                if match.start() == match.end() or match.lastgroup is None:
                    continue
                entry = self.pattern_entries[int(match.lastgroup[1:])]
                hits.append(_Hit(match.start(), match.end(), entry.category, entry.severity))
        if not hits:
            return hits
        if self.reporting is not None or any(q in text for q in _QUOTES):
            hits = [
                self._reported(text, h, verbs=h.category == "threat")
                if h.category == "threat" or h.category in _MENTIONED
                else h
                for h in hits
            ]
        if self.allow_words:
            hits = [h for h in hits if not self._allowed_word(text[h.start : h.end])]
        if hits and self.has_phrases:
            allowed = self._allowed_phrases(text)
            hits = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in allowed)]
        return hits

    def _allowed_word(self, word: str) -> bool:
        """An allow-listed word, bare or with a clitic prefix ("الزبون" for "زبون")."""
        return any(word.startswith(p) and word[len(p) :] in self.allow_words for p in self.prefixes)

    def _reported(self, loose: str, hit: _Hit, *, verbs: bool = True) -> _Hit:
        """A threat inside quotation marks or after a reporting verb is news, not intent.

        It still goes to a human (severity 1) rather than disappearing: the reader may be
        quoting a threat in order to repeat it. With ``verbs=False`` (an identity slur) only
        quotation marks count: «جيش الرافضة», "called them 'X'" is a mention, not a use.
        """
        line_start = max(loose.rfind("\n", 0, hit.start), loose.rfind(".", 0, hit.start)) + 1
        before = loose[line_start : hit.start]
        quoted = sum(before.count(q) for q in _QUOTES) % 2 == 1 or bool(
            _SINGLE_QUOTED.search(before)
        )
        # The reporting verb may come first ("he said: …") or after (Turkish "… diye tehdit
        # etti", English "…, he said").
        reported = (
            verbs
            and self.reporting is not None
            and (
                self.reporting.search(loose[max(0, hit.start - 80) : hit.start])
                or self.reporting.search(loose[hit.end : hit.end + 40])
            )
        )
        if quoted or reported:
            return _Hit(hit.start, hit.end, hit.category, 1)
        return hit

    def _accept(self, text: str, start: int, end: int, items: Iterable[_Entry]) -> list[_Hit]:
        """The entries whose hit at ``[start, end)`` stands as a word, with allowed clitics."""
        if not _is_word(text[start]) or not _is_word(text[end - 1]):
            return []  # the hit begins or ends on punctuation or space
        word_start = start
        while word_start > 0 and _is_word(text[word_start - 1]):
            word_start -= 1
        word_end = end
        while word_end < len(text) and _is_word(text[word_end]):
            word_end += 1
        prefix = text[word_start:start]
        suffix = text[end:word_end]
        accepted: list[_Hit] = []
        for item in items:
            if prefix and not item.any_prefix and prefix not in self.prefixes:
                continue
            if suffix and not item.any_suffix and suffix not in self.suffixes:
                continue
            # Evidence covers the whole word(s), clitics included ("niggers", "والکلب").
            accepted.append(_Hit(word_start, word_end, item.category, item.severity))
        return accepted

    def _allowed_phrases(self, text: str) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        for end_index, length in self.allow_phrases.iter(text):
            a, b = end_index + 1 - length, end_index + 1
            if (a == 0 or not _is_word(text[a - 1])) and (b == len(text) or not _is_word(text[b])):
                ranges.append((a, b))
        return ranges


@register(NAME, emits=frozenset(CATEGORIES) - {"off_topic"})
class LexiconAnalyzer:
    """Curated per-language lexicons with severities (1 mild, 2 clear, 3 severe).

    Parameters
    ----------
    languages:
        Which shipped lexicons to load (default: all six).
    extra_terms:
        Per-language additions from the policy file, in the ``terms.txt`` line format, e.g.
        ``{"en" = ["scumbag\\tpersonal_attack\\t2"]}``.
    extra_allow:
        Per-language additions to the allow-list.
    severity_scores:
        Score for each severity, keys "1", "2", "3".
    """

    name = NAME
    version = NAME

    def __init__(
        self,
        *,
        languages: Sequence[str] = LEXICON_LANGUAGES,
        extra_terms: Mapping[str, Sequence[str]] | None = None,
        extra_allow: Mapping[str, Sequence[str]] | None = None,
        severity_scores: Mapping[str, float] | None = None,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(f"{NAME}: unknown settings {sorted(unknown)}")
        self.languages = tuple(languages)
        self.extra_terms = {k: tuple(v) for k, v in (extra_terms or {}).items()}
        self.extra_allow = {k: tuple(v) for k, v in (extra_allow or {}).items()}
        scores = {int(k): float(v) for k, v in (severity_scores or {}).items()}
        self.severity_scores = {**DEFAULT_SEVERITY_SCORES, **scores}
        for lang in (*self.extra_terms, *self.extra_allow):
            if lang not in self.languages:
                raise ValueError(f"{NAME}: additions for {lang!r}, which is not loaded")
        if any(not 0.0 <= s <= 1.0 for s in self.severity_scores.values()):
            raise ValueError(f"{NAME}: severity scores must be in [0, 1]")
        # Which word lists decided: the shipped files, the language modules' clitics and
        # reporting verbs, and the policy's additions (rostra.lexicon.v1/<content id>).
        modules = [load_language(lang) for lang in sorted(self.languages)]
        self.version = f"{NAME}/" + content_id(
            self.languages,
            ("terms.txt", "allow.txt"),
            *(f"{m.code}|{sorted(m.prefixes)}|{sorted(m.suffixes)}|{m.reporting}" for m in modules),
            repr(sorted(self.extra_terms.items())),
            repr(sorted(self.extra_allow.items())),
        )
        self._matchers = {
            lang: _LanguageMatcher(
                load_language(lang),
                parse_terms("\n".join(self.extra_terms.get(lang, ())), f"policy:{lang}"),
                parse_allow("\n".join(self.extra_allow.get(lang, ()))),
            )
            for lang in self.languages
        }

    def languages_for(self, doc: ScreenDoc) -> tuple[str, ...]:
        """The lists that run on ``doc``, primary first.

        The detected language's list; when the language is ``other`` (or not loaded), the
        strongest screened candidate's instead; and English whenever Latin letters appear.
        """
        chosen: list[str] = []
        if doc.lang in self._matchers:
            chosen.append(doc.lang)
        else:
            runner_up = next((c for c, _ in doc.lang_candidates if c in self._matchers), None)
            if runner_up is not None:
                chosen.append(runner_up)
        if "en" in self._matchers and "en" not in chosen and _LATIN.search(doc.normalized.text):
            chosen.append("en")
        return tuple(chosen)

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        normalized = doc.normalized
        if not normalized.loose:
            return []
        squeeze_too = bool(_TRIPLE.search(normalized.original.casefold()))
        hits: list[_Hit] = []
        for index, lang in enumerate(self.languages_for(doc)):
            # A secondary list (English inside a Kurmanji comment) matches the strict form, so
            # that a folded letter ("çûm" → "cum") never turns a native word into an English one.
            primary = index == 0 and lang == doc.lang
            matcher = self._matchers[lang]
            hits.extend(matcher.scan(normalized, loose=primary, squeeze_too=squeeze_too))
        return self._signals(doc, hits)

    def _signals(self, doc: ScreenDoc, hits: list[_Hit]) -> list[Signal]:
        by_category: dict[str, dict[tuple[int, int], int]] = {}
        for hit in hits:
            spans = by_category.setdefault(hit.category, {})
            key = (hit.start, hit.end)
            spans[key] = max(spans.get(key, 0), hit.severity)
        signals: list[Signal] = []
        for category in sorted(by_category):
            spans = _drop_nested(by_category[category])
            # Noisy-or over distinct hits: two mild words are more than one, never certainty.
            miss = 1.0
            for severity in spans.values():
                miss *= 1.0 - self.severity_scores[severity]
            score = round(
                min(0.99, max(1.0 - miss, max(self.severity_scores[s] for s in spans.values()))), 4
            )
            evidence: list[Span] = []
            for start, end in sorted(spans):
                a, b = doc.normalized.to_original(start, end)
                evidence.append(Span(a, b, doc.text[a:b]))
            signals.append(Signal(category, score, NAME, tuple(dict.fromkeys(evidence))))
        return signals


def _drop_nested(spans: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """Keep the widest hits: "son of a bitch" rather than also "bitch" inside it."""
    ordered = sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    kept: dict[tuple[int, int], int] = {}
    for (start, end), severity in ordered:
        container = next(((a, b) for (a, b) in kept if a <= start and end <= b), None)
        if container is not None:
            kept[container] = max(kept[container], severity)
        else:
            kept[(start, end)] = severity
    return kept
