"""``rostra.promotion.v1``: commercial and personal promotion in all six languages.

Evidence, each with a weight; the weights combine by noisy-or (``1 - Π(1 - w)``) into one
``promotion`` score, so one weak cue goes to review at most and two clear ones reject:

* links: a link to an allow-listed news or official domain (policy ``allow_domains``) is
  evidence for the reader's point and counts for nothing; contact links (t.me, wa.me,
  chat.whatsapp.com, instagram.com, linktr.ee …) are strong; link shorteners hide their target;
  any other link is weak on its own;
* phone and WhatsApp numbers (9–15 digits, Arabic-Indic and Persian digits included) and email
  addresses;
* Telegram/Instagram handles (``@name``; weak alone, since replies mention readers, strong next
  to a platform name);
* crypto wallet addresses;
* pitch phrases per language (``lang/<code>/promotion.txt``): "subscribe to my channel",
  "DM me", visa/forex/shop offers. All languages' phrases run on every comment (they are
  distinctive, and spam is often in a language other than the article's).

Readers of news in a conflict region pass on official contact details ("Police asked witnesses
to call them on WhatsApp at 0750 …", a ministry's hotline). When a comment names an official or
public-service source (``lang/<code>/reporting.txt``) and makes no pitch (no pitch phrase
stronger than a bare platform name, no contact link, shortener or wallet), its score is capped
at ``reported_contact_cap``, below the reject threshold, and the signal does not corroborate the
classifier's promotion head: a moderator decides, the screen does not reject a reader for
quoting the police. A spammer who adds "police" gains only a human's look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import ahocorasick

from rostra.screening.lang import LEXICON_LANGUAGES, content_id, parse_allow
from rostra.screening.normalize import normalize
from rostra.screening.registry import register
from rostra.screening.types import ScreenDoc, Signal, Span

NAME = "rostra.promotion.v1"

#: Arabic-Indic and Persian digits to ASCII, one character for one (offsets are unchanged).
DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)
_TLDS = (
    "com|net|org|info|biz|shop|store|xyz|io|me|ly|co|tk|ru|ir|tr|iq|krd|online|site|club|top"
    "|app|link|tv|gg|live|uk|de|fr|ae|sa|eu|us|ee|am|gl"
)
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    rf"|(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
# A number may carry a suffix in the script of the words around it (Sorani "07501234567ی",
# Kurmanji "0750…ê"), but not ASCII letters or more digits (an order or tracking code).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s\-.()]{0,2}\d){8,14}(?![0-9A-Za-z_])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}(?<!\.)")
WALLET = re.compile(
    r"\b(?:bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}"
    r"|T[1-9A-HJ-NP-Za-km-z]{33})\b"
)
_PLATFORM = re.compile(
    r"\b(?:telegram|tg|whats ?app|wa|insta(?:gram)?|ig|snap(?:chat)?|tiktok|viber|signal app)\b"
    r"|تلگرام|تلجرام|تيليجرام|تێلێگرام|واتس|واتساپ|واتسئاپ|انستا|اینستا|انستقرام|سناب",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}»\"'"
# Cheap tests that rule out the costlier patterns for most comments.
_MAYBE_URL = re.compile(r"://|www\.|\.[A-Za-z]{2}")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9]{25}")
# Digit runs that look like a phone number but are a date/time or a round amount.
_NOT_A_PHONE = re.compile(r"^(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|(\d)\1{5,}")

CONTACT_HOSTS = (
    "t.me", "telegram.me", "telegram.dog", "wa.me", "chat.whatsapp.com", "api.whatsapp.com",
    "instagram.com", "instagr.am", "snapchat.com", "tiktok.com", "linktr.ee", "onlyfans.com",
)  # fmt: skip
#: A pitch phrase weighing more than this is a sales pitch; up to it, it is a bare platform
#: name or a weak word ("whatsapp", "contact me"), which a reader passing on an official
#: number also writes.
PLATFORM_NAME_WEIGHT = 0.5
SHORTENER_HOSTS = ("bit.ly", "tinyurl.com", "goo.gl", "cutt.ly", "rb.gy", "is.gd", "shorturl.at")


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int  # in the original text
    end: int
    weight: float
    #: Cues of one kind count once (the strongest): five @mentions are not five ads. Phrases
    #: are each their own kind, so two different pitches add up.
    kind: str
    #: A sales pitch: a pitch phrase stronger than a bare platform name, a contact link, a
    #: link shortener or a wallet. Official attribution does not soften a comment with one.
    pitch: bool = False


def host_of(url: str) -> str:
    """The lower-cased host of a URL-ish string, without ``www.`` and port."""
    rest = re.sub(r"^[a-z]+://", "", url.lower())
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def _host_matches(host: str, path: str, entry: str) -> bool:
    entry = entry.lower().removeprefix("www.")
    entry_host, _, entry_path = entry.partition("/")
    if host != entry_host and not host.endswith("." + entry_host):
        return False
    return not entry_path or path.lower().lstrip("/").startswith(entry_path)


def _shipped(lang: str, name: str) -> str:
    """A shipped list's text ("" when the language has none)."""
    path = files("rostra.screening.lang").joinpath(lang, name)
    return path.read_text("utf-8") if path.is_file() else ""


def _read_phrases(lang: str) -> list[tuple[str, float]]:
    phrases: list[tuple[str, float]] = []
    for number, raw in enumerate(_shipped(lang, "promotion.txt").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        phrase, sep, weight = raw.rpartition("\t")
        if not sep or not phrase.strip():
            raise ValueError(f"{lang}/promotion.txt:{number}: expected phrase<TAB>weight")
        phrases.append((phrase.strip(), float(weight)))
    return phrases


@register(NAME, emits=frozenset({"promotion"}))
class PromotionAnalyzer:
    """Links, numbers, handles, wallets and pitch phrases → a ``promotion`` score.

    Parameters
    ----------
    allow_domains:
        News and official domains whose links are evidence, not promotion. An entry may carry
        a path (``"bbc.com/persian"``); subdomains of an entry are allowed too.
    link_weight, contact_link_weight, shortener_weight, phone_weight, email_weight,
    handle_weight, handle_with_platform_weight, wallet_weight:
        The weight of each kind of cue.
    extra_phrases:
        More pitch phrases, ``"phrase<TAB>weight"``.
    reported_contact_cap:
        The highest score of a comment that attributes its contact details to an official or
        public-service source and makes no pitch (see the module docstring); keep it under the
        promotion reject threshold. 1.0 turns the rule off.
    extra_reporting:
        More words that name such a source, one phrase each.
    """

    name = NAME
    version = NAME

    def __init__(
        self,
        *,
        allow_domains: Sequence[str] = (),
        link_weight: float = 0.55,
        contact_link_weight: float = 0.9,
        shortener_weight: float = 0.75,
        phone_weight: float = 0.8,
        email_weight: float = 0.6,
        handle_weight: float = 0.3,
        handle_with_platform_weight: float = 0.75,
        wallet_weight: float = 0.9,
        extra_phrases: Sequence[str] = (),
        reported_contact_cap: float = 0.8,
        extra_reporting: Sequence[str] = (),
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(f"{NAME}: unknown settings {sorted(unknown)}")
        self.allow_domains = tuple(allow_domains)
        self.weights = {
            "link": link_weight,
            "contact_link": contact_link_weight,
            "shortener": shortener_weight,
            "phone": phone_weight,
            "email": email_weight,
            "handle": handle_weight,
            "handle_with_platform": handle_with_platform_weight,
            "wallet": wallet_weight,
        }
        if any(not 0.0 <= w <= 1.0 for w in self.weights.values()):
            raise ValueError(f"{NAME}: weights must be in [0, 1]")
        if not 0.0 <= reported_contact_cap <= 1.0:
            raise ValueError(f"{NAME}: reported_contact_cap must be in [0, 1]")
        self.reported_contact_cap = reported_contact_cap
        self.extra_phrases = tuple(extra_phrases)
        self.extra_reporting = tuple(extra_reporting)
        # Which phrase lists decided (rostra.promotion.v1/<content id>).
        self.version = f"{NAME}/" + content_id(
            LEXICON_LANGUAGES,
            ("promotion.txt", "reporting.txt"),
            repr(self.extra_phrases),
            repr(self.extra_reporting),
            repr(reported_contact_cap),
        )
        # reporting.txt has the allow-list format: one phrase a line, "#" comments.
        reporting = [
            phrase
            for lang in LEXICON_LANGUAGES
            for phrase in parse_allow(_shipped(lang, "reporting.txt"))
        ]
        self._reporting = ahocorasick.Automaton()
        reporting_keys = {normalize(p).loose.strip() for p in (*reporting, *self.extra_reporting)}
        for key in reporting_keys - {""}:
            self._reporting.add_word(key, len(key))
        self._has_reporting = len(self._reporting) > 0
        if self._has_reporting:
            self._reporting.make_automaton()
        phrases: list[tuple[str, float]] = []
        for lang in LEXICON_LANGUAGES:
            phrases.extend(_read_phrases(lang))
        for line in self.extra_phrases:
            phrase, _, weight_text = line.rpartition("\t")
            phrases.append((phrase, float(weight_text)))
        self._automaton = ahocorasick.Automaton()
        table: dict[str, float] = {}
        for phrase, weight in phrases:
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"{NAME}: phrase weight {weight} for {phrase!r} outside [0, 1]")
            key = normalize(phrase).loose.strip()
            if key:
                table[key] = max(weight, table.get(key, 0.0))
        for key, key_weight in table.items():
            self._automaton.add_word(key, (len(key), key_weight))
        self._has_phrases = bool(table)
        if table:
            self._automaton.make_automaton()

    # -- cues ----------------------------------------------------------------------------------

    def is_allowed(self, url: str) -> bool:
        host = host_of(url)
        bare = re.sub(r"^[a-z]+://", "", url.lower())
        path = bare.split("/", 1)[1] if "/" in bare else ""
        return any(_host_matches(host, path, entry) for entry in self.allow_domains)

    def _link_cues(self, text: str) -> Iterable[_Cue]:
        if not _MAYBE_URL.search(text):
            return
        for match in URL.finditer(text):
            start, url = match.start(), match.group().rstrip(_TRAILING)
            end = start + len(url)
            if "." not in url or self.is_allowed(url):
                continue
            host = host_of(url)
            pitch = True
            if any(host == h or host.endswith("." + h) for h in CONTACT_HOSTS):
                weight = self.weights["contact_link"]
            elif any(host == h for h in SHORTENER_HOSTS):
                weight = self.weights["shortener"]
            else:
                weight, pitch = self.weights["link"], False
            yield _Cue(start, end, weight, "link", pitch)

    def cues(self, doc: ScreenDoc) -> list[_Cue]:
        """Every promotion cue in the comment, with its weight (allowed links excluded)."""
        text = doc.text
        digits = text.translate(DIGITS)
        cues = list(self._link_cues(text))
        maybe_url = bool(cues) or bool(_MAYBE_URL.search(text))
        url_ranges = [(m.start(), m.end()) for m in URL.finditer(text)] if maybe_url else []
        has_at = "@" in text

        def outside_urls(start: int, end: int) -> bool:
            return not any(a <= start and end <= b for a, b in url_ranges)

        cues.extend(
            _Cue(m.start(), m.end(), self.weights["phone"], "phone")
            for m in PHONE.finditer(digits)
            if outside_urls(m.start(), m.end()) and not _NOT_A_PHONE.search(m.group())
        )
        emails = [(m.start(), m.end()) for m in EMAIL.finditer(text)] if has_at else []
        cues.extend(_Cue(a, b, self.weights["email"], "email") for a, b in emails)
        platform = bool(_PLATFORM.search(text))
        handle_weight = self.weights["handle_with_platform" if platform else "handle"]
        cues.extend(
            _Cue(m.start(), m.end(), handle_weight, "handle")
            for m in (HANDLE.finditer(text) if has_at else ())
            if outside_urls(m.start(), m.end()) and not any(a <= m.start() < b for a, b in emails)
        )
        if _LONG_TOKEN.search(text):
            cues.extend(
                _Cue(m.start(), m.end(), self.weights["wallet"], "wallet", pitch=True)
                for m in WALLET.finditer(text)
            )
        if self._has_phrases:
            loose = doc.normalized.loose
            for end_index, (length, weight) in self._automaton.iter(loose):
                start, end = end_index + 1 - length, end_index + 1
                if not _whole_words(loose, start, end):
                    continue
                a, b = doc.normalized.to_original(start, end)
                pitch = weight > PLATFORM_NAME_WEIGHT
                cues.append(_Cue(a, b, weight, f"phrase:{loose[start:end]}", pitch))
        return cues

    def names_official_source(self, doc: ScreenDoc) -> bool:
        """Whether the comment names an official or public-service source (whole words)."""
        if not self._has_reporting:
            return False
        loose = doc.normalized.loose
        return any(
            _whole_words(loose, end_index + 1 - length, end_index + 1)
            for end_index, length in self._reporting.iter(loose)
        )

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        cues = _drop_nested(self.cues(doc))
        if not cues:
            return []
        strongest: dict[str, float] = {}
        for cue in cues:
            strongest[cue.kind] = max(cue.weight, strongest.get(cue.kind, 0.0))
        miss = 1.0
        for weight in strongest.values():
            miss *= 1.0 - weight
        score = round(min(0.99, 1.0 - miss), 4)
        reported = not any(cue.pitch for cue in cues) and self.names_official_source(doc)
        if reported:
            score = min(score, self.reported_contact_cap)
        spans = tuple(dict.fromkeys(Span(c.start, c.end, doc.text[c.start : c.end]) for c in cues))
        # A reported contact is borderline on purpose: it does not vouch for the classifier's
        # promotion head either, so a moderator decides.
        return [Signal("promotion", score, NAME, spans, corroborates=not reported)]


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a longer word on either side."""
    return (start == 0 or not text[start - 1].isalnum()) and (
        end == len(text) or not text[end].isalnum()
    )


def _drop_nested(cues: list[_Cue]) -> list[_Cue]:
    """One cue per stretch of text: "subscribe to my channel" rather than also "my channel"."""
    ordered = sorted(cues, key=lambda c: (c.start, -(c.end - c.start), -c.weight))
    kept: list[_Cue] = []
    for cue in ordered:
        container = next((k for k in kept if k.start <= cue.start and cue.end <= k.end), None)
        if container is None:
            kept.append(cue)
        elif cue.weight > container.weight:
            kept[kept.index(container)] = _Cue(
                container.start,
                container.end,
                cue.weight,
                container.kind,
                container.pitch or cue.pitch,
            )
    return kept
