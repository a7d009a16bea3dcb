"""Shared pieces of the suite generator: the case record, the functionalities and the articles.

The suites are hand-written; these helpers only turn the lists in ``cases_<lang>.py`` into
JSONL lines with stable field order, so that a reviewer reads the Python lists and the JSONL
is the artifact everyone else consumes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every functionality, the category a violating case of it must carry (None for clean ones)
#: and whether a clean case of it counts as a hard negative. Kept in step with
#: tests/unit/test_suites_format.py and tests/suites/README.md.
FUNCTIONALITIES: dict[str, tuple[str | None, bool]] = {
    # violating
    "profanity_plain": ("profanity", False),
    "profanity_obfuscated": ("profanity", False),
    "vulgarity": ("vulgarity", False),
    "threat_direct": ("threat", False),
    "threat_conditional": ("threat", False),
    "threat_veiled": ("threat", False),
    "attack_reader": ("personal_attack", False),
    "attack_journalist": ("personal_attack", False),
    "attack_named": ("personal_attack", False),
    "sexism": ("sexism", False),
    "racism_ethnic": ("racism", False),
    "racism_religious": ("racism", False),
    "homophobia": ("homophobia", False),
    "xenophobia": ("xenophobia", False),
    "promotion_phone": ("promotion", False),
    "promotion_social": ("promotion", False),
    "promotion_crypto": ("promotion", False),
    "promotion_visa": ("promotion", False),
    "promotion_channel": ("promotion", False),
    "promotion_shop": ("promotion", False),
    "off_topic": ("off_topic", False),
    # clean, hard negatives
    "criticism_government": (None, True),
    "criticism_militia": (None, True),
    "criticism_party": (None, True),
    "criticism_outlet": (None, True),
    "identity_neutral": (None, True),
    "threat_reported": (None, True),
    "news_violence": (None, True),
    "scunthorpe": (None, True),
    "link_evidence": (None, True),
    "counter_speech": (None, True),
    "negation": (None, True),
    "on_topic_short": (None, True),
    # clean, ordinary
    "clean_comment": (None, False),
}

#: Functionalities whose cases must carry an article (relevance needs one).
NEEDS_ARTICLE = frozenset({"off_topic", "on_topic_short"})


@dataclass(frozen=True)
class Article:
    title: str
    body: str
    language: str = "en"

    def as_json(self) -> dict[str, str]:
        return {"title": self.title, "body": self.body, "language": self.language}


ARTICLES: dict[str, Article] = {
    "drone": Article(
        "Drones target bases near Erbil airport and in Anbar",
        "Two explosive-laden drones struck near a base hosting international coalition forces "
        "at Erbil airport late on Tuesday, the Kurdistan Region's counter-terrorism service "
        "said. A third drone hit Ain al-Asad air base in Anbar province. No casualties were "
        "reported at Erbil; one contractor was lightly wounded in Anbar. No group claimed the "
        "attacks, which follow threats by armed factions to escalate against foreign forces. "
        "The Kurdistan Regional Government condemned the strikes and called on Baghdad to hold "
        "the perpetrators to account.",
    ),
    "election": Article(
        "Kurdistan Region parliamentary elections set for October",
        "The Independent High Electoral Commission announced that elections for the Kurdistan "
        "Parliament will be held on 20 October after two postponements. Parties must submit "
        "their candidate lists within six weeks. The number of seats reserved for minorities, "
        "including Christians, Turkmen and Armenians, remains disputed after a federal court "
        "ruling. Observers expect a low turnout amid frustration over delayed salaries.",
    ),
    "budget": Article(
        "Erbil and Baghdad still without a deal on salaries and oil revenue",
        "Talks between the Kurdistan Regional Government and the federal government in Baghdad "
        "ended on Sunday without agreement on the Region's share of the federal budget. Public "
        "sector employees in the Kurdistan Region have not received their salaries for two "
        "months. Baghdad insists that all oil exports go through the state marketing company "
        "SOMO; Erbil says it has met its obligations. A new round of talks is expected next week.",
    ),
    "drought": Article(
        "Dukan lake falls to its lowest level in decades as drought deepens",
        "Water in Dukan lake has fallen to its lowest level in more than thirty years, the "
        "Region's water resources ministry said, after a third dry winter and reduced flows "
        "from upstream dams in Iran and Turkey. Farmers in the Sharazur plain report failed "
        "wheat harvests and officials have asked residents to cut household water use. The "
        "ministry plans new wells and a rationing schedule for Sulaymaniyah.",
    ),
    "football": Article(
        "Erbil SC beat Duhok 2-1 in a heated derby at Franso Hariri stadium",
        "Erbil SC came from behind to beat Duhok 2-1 in the Iraqi Stars League on Friday in "
        "front of a full Franso Hariri stadium. Duhok led at half-time through a penalty, "
        "before a header and a late free kick turned the game. The referee showed two red "
        "cards and the match was interrupted for ten minutes after fans threw bottles onto the "
        "pitch. Erbil move up to third place.",
    ),
    "festival": Article(
        "Galawezh festival opens in Sulaymaniyah with poetry, music and film",
        "The annual Galawezh cultural festival opened in Sulaymaniyah on Thursday with poetry "
        "readings in Kurdish, Arabic and Persian, a concert of traditional maqam music and a "
        "programme of short films by young directors. Organisers said writers from Turkey, Iran "
        "and Syria are attending this year. The festival runs for five days and entry is free.",
    ),
}


@dataclass(frozen=True)
class Case:
    functionality: str
    labels: tuple[str, ...]
    text: str
    article: str | None = None
    target: str | None = None


def c(
    functionality: str,
    labels: str,
    text: str,
    article: str | None = None,
    target: str | None = None,
) -> Case:
    """Write one case compactly: ``labels`` is space-separated categories, "" for clean."""
    return Case(functionality, tuple(labels.split()), text, article, target)
