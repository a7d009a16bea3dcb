"""The calibration curves, the attribute table and UTF-16 offsets, on their own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rostra.perspective.analyze import language_hint, resolve_attribute, suggestion_label
from rostra.perspective.attributes import (
    ATTRIBUTES,
    NEVER_REJECTED_CEILING,
    PRODUCTION_ATTRIBUTES,
    REJECT_ANCHOR,
    REVIEW_ANCHOR,
    SEVERE_AT_CONFIDENT,
    Curve,
    attribute_score,
    calibrate,
)
from rostra.perspective.spans import Utf16Offsets, to_code_points, utf16_length
from rostra.screening import CATEGORIES, Policy

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
thresholds = st.tuples(
    st.floats(min_value=0.05, max_value=0.95), st.floats(min_value=0.05, max_value=1.0)
).map(lambda t: (min(t), max(t)))


@given(a=unit, b=unit, th=thresholds, curve=st.sampled_from(list(Curve)))
def test_calibration_is_monotone_and_in_range(
    a: float, b: float, th: tuple[float, float], curve: Curve
) -> None:
    review, reject = th
    low, high = sorted((a, b))
    lo = calibrate(low, review=review, reject=reject, curve=curve)
    hi = calibrate(high, review=review, reject=reject, curve=curve)
    assert 0.0 <= lo <= hi <= 1.0


@given(th=thresholds)
def test_policy_thresholds_cross_client_thresholds(th: tuple[float, float]) -> None:
    review, reject = th
    at = {
        s: calibrate(s, review=review, reject=reject, curve=Curve.WOULD_REJECT)
        for s in (review, reject)
    }
    # Comentario (> 0.5) fires from rostra's review threshold on; Discourse (0.85) and Coral
    # (> 0.80) from rostra's reject threshold on.
    assert at[review] > 0.5 or review == reject
    assert at[reject] > 0.85
    if review < reject:
        below = calibrate(review * 0.98, review=review, reject=reject, curve=Curve.WOULD_REJECT)
        assert below <= 0.5


def test_anchor_values_with_the_default_policy_thresholds() -> None:
    would = Curve.WOULD_REJECT
    assert calibrate(0.0, review=0.45, reject=0.85, curve=would) == 0.0
    assert calibrate(0.45, review=0.45, reject=0.85, curve=would) == REVIEW_ANCHOR
    assert calibrate(0.85, review=0.45, reject=0.85, curve=would) == REJECT_ANCHOR
    assert calibrate(1.0, review=0.45, reject=0.85, curve=would) == 1.0
    confident = 0.85 + (1 - 0.85) / 2
    severe = Curve.CONFIDENT_REJECT
    assert calibrate(0.84, review=0.45, reject=0.85, curve=severe) < 0.3
    assert calibrate(confident, review=0.45, reject=0.85, curve=severe) == SEVERE_AT_CONFIDENT
    assert calibrate(confident - 0.01, review=0.45, reject=0.85, curve=severe) < 0.9


def test_never_rejected_category_stays_below_reject_level() -> None:
    value = calibrate(1.0, review=0.75, reject=1.01, curve=Curve.WOULD_REJECT)
    assert value == NEVER_REJECTED_CEILING
    assert value < 0.85
    assert calibrate(1.0, review=0.75, reject=1.01, curve=Curve.CONFIDENT_REJECT) == 0.0


def test_attribute_table_covers_every_category_and_the_production_six() -> None:
    assert set(PRODUCTION_ATTRIBUTES) <= set(ATTRIBUTES)
    assert set(ATTRIBUTES["LIKELY_TO_REJECT"].categories) == set(CATEGORIES)
    covered = {
        c for name, a in ATTRIBUTES.items() if name != "LIKELY_TO_REJECT" for c in a.categories
    }
    assert covered == set(CATEGORIES)
    assert set(ATTRIBUTES["IDENTITY_ATTACK"].categories) == {
        "sexism",
        "racism",
        "homophobia",
        "xenophobia",
    }


def test_language_specific_thresholds_apply() -> None:
    policy = Policy.default()
    scores = {"personal_attack": 0.88}
    # Default reject 0.85, Sorani 0.92: the same score is a rejection in English only.
    en, _ = attribute_score(ATTRIBUTES["INSULT"], scores, policy=policy, lang="en")
    ckb, _ = attribute_score(ATTRIBUTES["INSULT"], scores, policy=policy, lang="ckb")
    assert en > 0.85 > ckb


def test_disabled_category_scores_zero() -> None:
    policy = Policy.default().model_copy(update={"categories": ("profanity",)})
    value, category = attribute_score(
        ATTRIBUTES["INSULT"], {"personal_attack": 1.0}, policy=policy, lang="en"
    )
    assert (value, category) == (0.0, None)


@given(st.text(max_size=200))
def test_utf16_offsets_agree_with_python_utf16(text: str) -> None:
    offsets = Utf16Offsets(text)
    assert (
        offsets.length == utf16_length(text) == len(text.encode("utf-16-le", "surrogatepass")) // 2
    )
    for i in range(len(text) + 1):
        assert offsets(i) == len(text[:i].encode("utf-16-le", "surrogatepass")) // 2


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=100))
def test_utf16_round_trip(text: str) -> None:
    offsets = Utf16Offsets(text)
    for i in range(len(text) + 1):
        assert to_code_points(text, offsets(i)) == i


def test_utf16_offset_out_of_range() -> None:
    with pytest.raises(ValueError, match="outside"):
        Utf16Offsets("abc")(4)


@pytest.mark.parametrize(
    ("languages", "hint"),
    [
        (["en"], "en"),
        (["EN"], "en"),
        (["pt-BR"], "pt"),
        (["ckb_IQ"], "ckb"),
        (["", "!!"], None),
        (None, None),
    ],
)
def test_language_hint(languages: list[str] | None, hint: str | None) -> None:
    assert language_hint(languages) == hint


def test_resolve_attribute_names() -> None:
    assert resolve_attribute("toxicity") is ATTRIBUTES["TOXICITY"]
    assert resolve_attribute("SEVERE_TOXICITY_EXPERIMENTAL") is ATTRIBUTES["SEVERE_TOXICITY"]
    assert resolve_attribute("FLIRTATION") is None


@pytest.mark.parametrize(
    ("scores", "label"),
    [
        ({"APPROVED": 1.0}, "approved"),
        ({"DELETED": 1.0}, "rejected"),
        ({"DELETED": 1.0, "TOXICITY": 0.0}, "rejected"),
        ({"TOXICITY": 0.0}, "approved"),
        ({"TOXICITY": 0.49}, "approved"),
        ({"TOXICITY": 0.5}, "rejected"),
        ({"APPROVED": 0.0}, None),
        ({"UNRELATED": 1.0}, None),
    ],
)
def test_suggestion_label(scores: dict[str, float], label: str | None) -> None:
    assert suggestion_label(scores) == label
