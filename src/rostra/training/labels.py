"""The ONE place where each data set's labels become rostra's categories.

Every loader in :mod:`rostra.training.data` calls a mapping function from here, so the label
mapping can be read, reviewed and changed in one file (and the model card prints it from
:data:`MAPPING_DOC`).

Two ideas make mixing data sets honest:

* **Heads.** The fast model has one binary head per category it can learn from data
  (:data:`HEADS`, every category except ``off_topic``, which needs the article and belongs to the
  relevance analyzer) plus the auxiliary :data:`OFFENSIVE` head ("violates the guidelines in any
  way"), which is the only thing the Turkish, Persian and most Arabic sets label.
* **Annotated heads.** A data set only says *no* about what it annotated: an OLID tweet marked NOT
  is clean, but an EDOS tweet marked "not sexist" says nothing about profanity. Each source lists
  the heads it annotated (:data:`ANNOTATED`); a record is a training example for head ``h`` when
  ``h`` is in its labels (a positive) or in its source's annotated set (a positive or a negative).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rostra.screening.types import Category

#: Auxiliary head: "violates the guidelines in some way" (generic offence / TOX labels).
OFFENSIVE = "offensive"

#: The categories the trained classifier emits (off_topic needs the article: relevance analyzer).
CLASSIFIER_CATEGORIES: tuple[str, ...] = (
    Category.PROFANITY.value,
    Category.VULGARITY.value,
    Category.THREAT.value,
    Category.PERSONAL_ATTACK.value,
    Category.SEXISM.value,
    Category.RACISM.value,
    Category.HOMOPHOBIA.value,
    Category.XENOPHOBIA.value,
    Category.PROMOTION.value,
)

#: Every head the model trains, in artifact order.
HEADS: tuple[str, ...] = (*CLASSIFIER_CATEGORIES, OFFENSIVE)

#: Categories whose violation is a kind of offence (promotion is not): a positive in any of them
#: is also a positive for the auxiliary ``offensive`` head.
OFFENCE_CATEGORIES: frozenset[str] = frozenset(CLASSIFIER_CATEGORIES) - {Category.PROMOTION.value}

_ALL_OFFENCE = frozenset(OFFENCE_CATEGORIES | {OFFENSIVE})

#: Which heads each source annotated (a clean record there is a negative for these heads only).
ANNOTATED: Mapping[str, frozenset[str]] = {
    # Davidson's three classes are exclusive: an "offensive" or "neither" tweet is not hate, so
    # it is a negative for the hate categories too (else those heads would learn "English").
    "davidson-hate-offensive": frozenset({OFFENSIVE, "profanity", "racism", "homophobia"}),
    # EDOS labels threats (category 1) among sexist posts; its clean posts are negatives.
    "edos": frozenset({"sexism", "threat"}),
    "call-me-sexist-cmsb": frozenset({"sexism"}),
    "olid-offenseval2019-en": frozenset({OFFENSIVE, "personal_attack"}),
    "ltedi2022-homophobia-transphobia-en": frozenset({"homophobia"}),
    "c3-constructive-comments": _ALL_OFFENCE,
    # Spam is promotion, not offence: every record is a negative for the auxiliary offence
    # head, so promotional text stops scoring as generic offence (docs/quality.md).
    "youtube-spam-collection": frozenset({"promotion", OFFENSIVE}),
    "sms-spam-collection": frozenset({"promotion", OFFENSIVE}),
    "osact2022-ar-hate": frozenset(
        {OFFENSIVE, "vulgarity", "threat", "racism", "xenophobia", "sexism"}
    ),
    "osact2020-ar-offensive": frozenset({OFFENSIVE}),
    "l-hsab-ar-levantine": frozenset({OFFENSIVE}),
    "mlma-hate-en-fr-ar": frozenset(),  # keyword-sampled: its "normal" rows are not clean enough
    "offenseval2020-tr": frozenset({OFFENSIVE}),
    "parsoffensive-fa": frozenset({OFFENSIVE}),
    # Silver sentiment, used only as clean Sorani text so that Sorani script is not "unknown";
    # positive and neutral rows only (negative rows may well contain abuse).
    "kurdish-sorani-sentiment-hrazhan": frozenset(HEADS),
    # GPL-3.0: evaluation only, never in the shipped model.
    "ethos-en": frozenset(
        {OFFENSIVE, "threat", "sexism", "racism", "xenophobia", "homophobia", "personal_attack"}
    ),
}

#: Licence as found, per source (printed in the model card).
LICENCES: Mapping[str, str] = {
    "davidson-hate-offensive": "MIT",
    "edos": "CC0-1.0",
    "call-me-sexist-cmsb": "terms not in copy (research use)",
    "olid-offenseval2019-en": "not stated",
    "ltedi2022-homophobia-transphobia-en": "not stated",
    "c3-constructive-comments": "terms not in copy",
    "youtube-spam-collection": "CC BY 4.0",
    "sms-spam-collection": "CC BY 4.0",
    "osact2022-ar-hate": "not stated",
    "osact2020-ar-offensive": "not stated",
    "l-hsab-ar-levantine": "not stated",
    "mlma-hate-en-fr-ar": "MIT",
    "offenseval2020-tr": "not stated",
    "parsoffensive-fa": "not stated",
    "kurdish-sorani-sentiment-hrazhan": "not stated",
    "ethos-en": "GPL-3.0",
}

#: Sets whose licence forbids shipping a model trained on them with an Apache-2.0 package.
GPL_SOURCES: frozenset[str] = frozenset({"ethos-en", "arabic-offensive-taxonomy-vanetik"})


def with_offensive(labels: set[str]) -> frozenset[str]:
    """Add the auxiliary ``offensive`` label when any offence category is present."""
    if labels & OFFENCE_CATEGORIES:
        labels = labels | {OFFENSIVE}
    return frozenset(labels)


#: Sets whose *clean* label means "no offence of any kind" by their annotation guidelines
#: (OffensEval's NOT: "no offense or profanity"; OSACT's NOT_OFF; ParsOffensive's Neutral;
#: L-HSAB's normal; Davidson's neither). Their clean rows are negatives for every offence head,
#: not only for the generic one — otherwise the category heads never see a clean tweet and
#: learn the tweet register (Davidson's tweets are 77% "offensive") instead of the category.
CLEAN_MEANS_NO_OFFENCE: frozenset[str] = frozenset(
    {
        "olid-offenseval2019-en",
        "offenseval2020-tr",
        "osact2020-ar-offensive",
        "osact2022-ar-hate",
        "l-hsab-ar-levantine",
        "parsoffensive-fa",
        "davidson-hate-offensive",
    }
)


def heads_for(source: str, labels: frozenset[str]) -> frozenset[str]:
    """The heads a record of ``source`` with ``labels`` is a training example for."""
    heads = ANNOTATED.get(source, frozenset()) | labels
    if not labels and source in CLEAN_MEANS_NO_OFFENCE:
        heads |= _ALL_OFFENCE
    return heads


# -- per data set ------------------------------------------------------------------------------

_HOMOPHOBIC_SLUR = re.compile(r"\b(fag+s?|fag+ots?|faggit|dykes?|queers?|homos?|tranny)\b", re.I)


def davidson(klass: int, text: str) -> frozenset[str]:
    """0 hate / 1 offensive / 2 neither.

    Davidson's hate class is mostly racial and homophobic slurs; which one is decided by a
    slur pattern (silver: documented in the model card). Offensive (class 1) is swearing
    aimed at no group: profanity.
    """
    if klass == 0:
        return with_offensive({"homophobia" if _HOMOPHOBIC_SLUR.search(text) else "racism"})
    if klass == 1:
        return with_offensive({"profanity"})
    return frozenset()


def edos(sexist: str, category: str) -> frozenset[str]:
    """``sexist`` / ``not sexist``; category 1 (threats, plans to harm) is also a threat."""
    if sexist != "sexist":
        return frozenset()
    labels = {"sexism"}
    if category.startswith("1."):
        labels.add("threat")
    return with_offensive(labels)


def cmsb(sexist: str) -> frozenset[str]:
    return with_offensive({"sexism"}) if sexist.strip().lower() == "true" else frozenset()


def olid(task_a: str, task_b: str, task_c: str) -> frozenset[str]:
    """A: OFF/NOT; B: TIN/UNT; C: IND/GRP/OTH.

    Targeted at an individual is a personal attack; untargeted offence is mostly swearing
    (profanity, a positive only: OLID's TIN rows may swear too, so it is not an OLID negative).
    """
    if task_a != "OFF":
        return frozenset()
    labels = {OFFENSIVE}
    if task_b == "TIN" and task_c == "IND":
        labels.add("personal_attack")
    if task_b == "UNT":
        labels.add("profanity")
    return frozenset(labels)


def ltedi(category: str) -> frozenset[str]:
    if category.strip() in {"Homophobic", "Transphobic"}:
        return with_offensive({"homophobia"})
    return frozenset()


def c3(toxicity_level: float, characteristics: str) -> frozenset[str] | None:
    """Globe and Mail comments: crowd toxicity 1-4 and per-kind votes.

    Only the clear cases are used (``None`` = skip): level 1.0 is a clean news comment; two or
    more ``personal_attack`` votes make a personal attack; level >= 2.5 is offensive.
    """
    pairs = (part.split(":", 1) for part in characteristics.split() if ":" in part)
    votes = {name: int(count) for name, count in pairs if count.isdigit()}
    if votes.get("personal_attack", 0) >= 2:
        return with_offensive({"personal_attack"})
    if toxicity_level >= 2.5:
        return frozenset({OFFENSIVE})
    if toxicity_level <= 1.0:
        return frozenset()
    return None


def spam(is_spam: bool) -> frozenset[str]:
    return frozenset({"promotion"}) if is_spam else frozenset()


#: OSACT 2022 hate types: HS1 race/ethnicity/nationality, HS2 religion, HS3 ideology,
#: HS4 disability, HS5 social class, HS6 gender. HS1 covers both racism and xenophobia
#: (nationality); religious (sectarian) abuse is racism in rostra's guidelines (DESIGN.md);
#: ideology, class and disability have no category of their own and stay generic offence.
_OSACT_HATE = {"HS1": ("racism", "xenophobia"), "HS2": ("racism",), "HS6": ("sexism",)}


def osact2022(offensive: str, hate: str, vulgar: str, violence: str) -> frozenset[str]:
    labels: set[str] = set()
    if offensive == "OFF":
        labels.add(OFFENSIVE)
    labels.update(_OSACT_HATE.get(hate, ()))
    if vulgar == "VLG":
        labels.add("vulgarity")
    if violence == "VIO":
        labels.add("threat")
    return with_offensive(labels)


def osact2020(offensive: str) -> frozenset[str]:
    return frozenset({OFFENSIVE}) if offensive.strip() == "OFF" else frozenset()


def lhsab(klass: str) -> frozenset[str]:
    """normal / abusive / hate (political tweets): both are offensive; no finer category."""
    return frozenset({OFFENSIVE}) if klass.strip() in {"abusive", "hate"} else frozenset()


_MLMA_TARGET = {
    "origin": "xenophobia",
    "gender": "sexism",
    "sexual_orientation": "homophobia",
    "religion": "racism",
}


def mlma(sentiment: str, target: str) -> frozenset[str] | None:
    """Multi-label sentiment + target. Only rows that are offensive *and* not partly 'normal'
    are used, as positives for the target's category (``None`` = skip)."""
    parts = set(sentiment.split("_"))
    if "normal" in parts or not parts & {"offensive", "abusive", "hateful", "disrespectful"}:
        return None
    labels = {OFFENSIVE}
    if "hateful" in parts and target in _MLMA_TARGET:
        labels.add(_MLMA_TARGET[target])
    return with_offensive(labels)


def binary_offensive(label: str, positive: str) -> frozenset[str]:
    """OffensEval 2020 Turkish (OFF/NOT) and ParsOffensive (Offensive/Neutral)."""
    return frozenset({OFFENSIVE}) if label.strip() == positive else frozenset()


def ethos(row: Mapping[str, float]) -> frozenset[str]:
    """ETHOS multi-label scores in [0, 1]; >= 0.5 is a label (GPL: evaluation only)."""
    labels: set[str] = set()
    mapping = {
        "violence": "threat",
        "gender": "sexism",
        "race": "racism",
        "religion": "racism",
        "national_origin": "xenophobia",
        "sexual_orientation": "homophobia",
    }
    for column, category in mapping.items():
        if row.get(column, 0.0) >= 0.5:
            labels.add(category)
    if row.get("directed_vs_generalized", 0.0) >= 0.5 and labels:
        labels.add("personal_attack")
    if labels or row.get("disability", 0.0) >= 0.5:
        labels.add(OFFENSIVE)
    return with_offensive(labels)


#: Human-readable mapping, printed in the model card.
MAPPING_DOC: Mapping[str, str] = {
    "davidson-hate-offensive": "hate -> racism (or homophobia when a homophobic slur is "
    "present), offensive -> profanity; both + offensive; 'neither' and 'offensive' are "
    "negatives for racism and homophobia",
    "edos": "sexist -> sexism; category 1 (threats) -> + threat; the rest are negatives for both",
    "call-me-sexist-cmsb": "sexist=True -> sexism",
    "olid-offenseval2019-en": "OFF -> offensive; TIN+IND -> personal_attack; UNT -> profanity",
    "ltedi2022-homophobia-transphobia-en": "Homophobic/Transphobic -> homophobia",
    "c3-constructive-comments": ">=2 personal_attack votes -> personal_attack; toxicity >= 2.5 "
    "-> offensive; toxicity 1.0 -> clean; the rest skipped",
    "youtube-spam-collection": "CLASS 1 -> promotion; every record is a negative for offensive",
    "sms-spam-collection": "spam -> promotion; every record is a negative for offensive",
    "osact2022-ar-hate": "OFF -> offensive; HS1 -> racism + xenophobia; HS2 -> racism; HS6 -> "
    "sexism; VLG -> vulgarity; VIO -> threat",
    "osact2020-ar-offensive": "OFF -> offensive",
    "l-hsab-ar-levantine": "abusive/hate -> offensive",
    "mlma-hate-en-fr-ar": "(Arabic only) offensive rows without 'normal' -> offensive; hateful "
    "+ target origin/gender/sexual_orientation/religion -> xenophobia/sexism/homophobia/racism",
    "offenseval2020-tr": "OFF -> offensive",
    "parsoffensive-fa": "Offensive -> offensive",
    "kurdish-sorani-sentiment-hrazhan": "positive/neutral rows -> clean Sorani text (negatives "
    "for every head); negative rows skipped",
    "ethos-en": "GPL-3.0, evaluation only: violence -> threat, gender -> sexism, race/religion "
    "-> racism, national_origin -> xenophobia, sexual_orientation -> homophobia",
}
