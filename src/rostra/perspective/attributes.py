"""Perspective attributes from rostra's categories: the one place the mapping lives.

Every attribute is the maximum, over its source categories, of a *calibrated* score. The
calibration is a monotone piecewise-linear map anchored on the site policy's own thresholds
for that category in the comment's language, so that the thresholds clients already use mean
what they expect (see docs/perspective.md, "Attribute mapping" and "Calibration"):

==================  ==================================================  =====================
attribute           rostra categories                                   curve
==================  ==================================================  =====================
TOXICITY            profanity, vulgarity, threat, personal_attack,      ``would be rejected``
                    sexism, racism, homophobia, xenophobia
SEVERE_TOXICITY     the same eight                                      ``confident reject``
INSULT              personal_attack                                     ``would be rejected``
PROFANITY           profanity, vulgarity                                ``would be rejected``
THREAT              threat                                              ``would be rejected``
IDENTITY_ATTACK     sexism, racism, homophobia, xenophobia              ``would be rejected``
SPAM                promotion                                           ``would be rejected``
OFF_TOPIC           off_topic                                           ``would be rejected``
LIKELY_TO_REJECT    every category the policy enforces                  ``would be rejected``
==================  ==================================================  =====================

``would be rejected`` anchors (per category, per language, from the policy):

* score 0                          -> 0
* the policy's *review* threshold  -> 0.51  (just above Comentario's 0.5: "a human should look")
* the policy's *reject* threshold  -> 0.86  (just above Discourse's 0.85: "rostra would reject";
  Coral's 0.80 therefore fires on every comment rostra rejects and on the upper borderline)
* score 1                          -> 1

``confident reject`` anchors: the reject threshold -> 0.30, halfway from the reject threshold to
1 -> 0.91 (just above Discourse's 0.90), 1 -> 1. The anchors sit a hair above the clients'
thresholds because Coral and Comentario compare with ``>``, and rostra's policy with ``>=``:
a score exactly at rostra's threshold must cross the client's too.

A category whose reject threshold is above 1 (off-topic by default: never auto-rejected) tops
out at 0.84, below every client's "reject" threshold, exactly as the policy intends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from rostra.screening.policy import Policy
from rostra.screening.types import CATEGORIES, Category


class Curve(StrEnum):
    WOULD_REJECT = "would_reject"
    CONFIDENT_REJECT = "confident_reject"


#: Calibrated value at the policy's review and reject thresholds ("would be rejected" curve).
REVIEW_ANCHOR = 0.51
REJECT_ANCHOR = 0.86
#: The top of the curve for categories the policy never auto-rejects (reject threshold > 1).
NEVER_REJECTED_CEILING = 0.84
#: "Confident reject" curve: value at the reject threshold and at the confident point.
SEVERE_AT_REJECT = 0.30
SEVERE_AT_CONFIDENT = 0.91

_TOXIC: tuple[str, ...] = (
    Category.PROFANITY,
    Category.VULGARITY,
    Category.THREAT,
    Category.PERSONAL_ATTACK,
    Category.SEXISM,
    Category.RACISM,
    Category.HOMOPHOBIA,
    Category.XENOPHOBIA,
)


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    categories: tuple[str, ...]
    curve: Curve
    description: str


ATTRIBUTES: Mapping[str, Attribute] = {
    a.name: a
    for a in (
        Attribute(
            "TOXICITY",
            _TOXIC,
            Curve.WOULD_REJECT,
            "Would rostra reject this under a toxicity guideline (profanity, vulgarity, "
            "threats, personal attacks, abuse)?",
        ),
        Attribute(
            "SEVERE_TOXICITY",
            _TOXIC,
            Curve.CONFIDENT_REJECT,
            "Would rostra reject this with high confidence under a toxicity guideline?",
        ),
        Attribute("INSULT", (Category.PERSONAL_ATTACK,), Curve.WOULD_REJECT, "A personal attack."),
        Attribute(
            "PROFANITY",
            (Category.PROFANITY, Category.VULGARITY),
            Curve.WOULD_REJECT,
            "Swearing, obscenity or crude sexual or bodily content.",
        ),
        Attribute("THREAT", (Category.THREAT,), Curve.WOULD_REJECT, "A threat or wish of harm."),
        Attribute(
            "IDENTITY_ATTACK",
            (Category.SEXISM, Category.RACISM, Category.HOMOPHOBIA, Category.XENOPHOBIA),
            Curve.WOULD_REJECT,
            "Abuse of people for who they are (sexism, racism, homophobia, xenophobia).",
        ),
        Attribute(
            "SPAM",
            (Category.PROMOTION,),
            Curve.WOULD_REJECT,
            "Commercial or personal promotion (rostra-native).",
        ),
        Attribute(
            "OFF_TOPIC",
            (Category.OFF_TOPIC,),
            Curve.WOULD_REJECT,
            "Unrelated to the article given as context (rostra-native).",
        ),
        Attribute(
            "LIKELY_TO_REJECT",
            CATEGORIES,
            Curve.WOULD_REJECT,
            "Would rostra reject this under any of the site's guidelines (rostra-native).",
        ),
    )
}

#: The six Perspective production attributes (the rest are rostra-native).
PRODUCTION_ATTRIBUTES: tuple[str, ...] = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "IDENTITY_ATTACK",
)


def _interpolate(x: float, points: tuple[tuple[float, float], ...]) -> float:
    """Piecewise-linear interpolation through ``points`` (x ascending), clamped to [0, 1]."""
    x = min(max(x, 0.0), 1.0)
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            if x1 == x0:
                return y1
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def calibrate(score: float, *, review: float, reject: float, curve: Curve) -> float:
    """Map one category score onto Perspective's scale using the policy's thresholds.

    Parameters
    ----------
    score:
        The category score from the screen's verdict, in [0, 1].
    review, reject:
        The policy's thresholds for this category in the comment's language.
    curve:
        Which anchor set to use (see the module docstring).

    Returns
    -------
    float
        A value in [0, 1], monotone non-decreasing in ``score``.

    Examples
    --------
    >>> calibrate(0.85, review=0.45, reject=0.85, curve=Curve.WOULD_REJECT)
    0.86
    """
    review = min(max(review, 1e-6), 1.0)
    if curve is Curve.CONFIDENT_REJECT:
        if reject > 1.0:
            return 0.0
        reject = max(reject, review)
        confident = reject + (1.0 - reject) / 2.0
        points: tuple[tuple[float, float], ...] = (
            (0.0, 0.0),
            (reject, SEVERE_AT_REJECT),
            (confident, SEVERE_AT_CONFIDENT),
            (1.0, 1.0),
        )
        # With reject == 1 the confident point collapses onto it; reaching 1 is confident.
        if reject >= 1.0:
            points = ((0.0, 0.0), (1.0, SEVERE_AT_CONFIDENT))
        return round(_interpolate(score, points), 4)
    if reject > 1.0:
        points = ((0.0, 0.0), (review, REVIEW_ANCHOR), (1.0, NEVER_REJECTED_CEILING))
    elif reject <= review:
        # No borderline band: everything from the reject threshold on is a rejection.
        points = ((0.0, 0.0), (reject, REJECT_ANCHOR), (1.0, 1.0))
    else:
        points = ((0.0, 0.0), (review, REVIEW_ANCHOR), (reject, REJECT_ANCHOR), (1.0, 1.0))
    return round(_interpolate(score, points), 4)


def category_score(
    category: str, score: float, *, policy: Policy, lang: str, curve: Curve
) -> float:
    """The calibrated score of one category, using ``policy``'s thresholds in ``lang``."""
    if category not in policy.categories:
        return 0.0
    return calibrate(
        score,
        review=policy.threshold(category, lang, "review"),
        reject=policy.threshold(category, lang, "reject"),
        curve=curve,
    )


def attribute_score(
    attribute: Attribute, scores: Mapping[str, float], *, policy: Policy, lang: str
) -> tuple[float, str | None]:
    """The attribute's summary score and the category that produced it (None when all zero)."""
    best, best_category = 0.0, None
    for category in attribute.categories:
        value = category_score(
            category, scores.get(category, 0.0), policy=policy, lang=lang, curve=attribute.curve
        )
        if value > best:
            best, best_category = value, category
    return best, best_category
