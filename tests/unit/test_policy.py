import pytest

from rostra.screening import ModerationMode, Policy, PolicyError, Recommendation
from rostra.screening.policy import Corroboration
from rostra.screening.types import Signal


def _policy(mode: str = "auto") -> Policy:
    return Policy.default().model_copy(update={"mode": ModerationMode(mode)})


def test_policy_default_loads_every_category() -> None:
    policy = Policy.default()
    assert "personal_attack" in policy.categories
    assert policy.mode is ModerationMode.AUTO


def test_policy_decide_rejects_clear_violation_in_auto() -> None:
    rec, reasons = _policy().decide({"threat": 0.97}, lang="en", lang_confidence=0.9)
    assert rec is Recommendation.REJECT
    assert reasons == ("threat",)


def test_policy_decide_pre_mode_never_decides_alone() -> None:
    rec, _ = _policy("pre").decide({"threat": 0.99}, lang="en", lang_confidence=0.99)
    assert rec is Recommendation.REVIEW
    rec, _ = _policy("pre").decide({}, lang="en", lang_confidence=0.99)
    assert rec is Recommendation.REVIEW


def test_policy_decide_assisted_rejects_but_never_approves() -> None:
    assert _policy("assisted").decide({"profanity": 0.99}, lang="en", lang_confidence=0.9)[0] is (
        Recommendation.REJECT
    )
    assert (
        _policy("assisted").decide({}, lang="en", lang_confidence=0.9)[0] is Recommendation.REVIEW
    )


def test_policy_decide_borderline_goes_to_review_with_reason() -> None:
    rec, reasons = _policy().decide({"sexism": 0.6}, lang="en", lang_confidence=0.9)
    assert (rec, reasons) == (Recommendation.REVIEW, ("sexism",))


def test_policy_decide_uncertain_language_is_not_auto_decided() -> None:
    rec, _ = _policy().decide({"threat": 0.99}, lang="en", lang_confidence=0.1)
    assert rec is Recommendation.REVIEW


def test_policy_kurdish_needs_more_confidence_to_reject() -> None:
    assert (
        _policy().decide({"threat": 0.9}, lang="en", lang_confidence=0.9)[0]
        is Recommendation.REJECT
    )
    assert (
        _policy().decide({"threat": 0.9}, lang="ckb", lang_confidence=0.9)[0]
        is Recommendation.REVIEW
    )


def test_policy_off_topic_is_never_auto_rejected_by_default() -> None:
    rec, reasons = _policy().decide({"off_topic": 1.0}, lang="en", lang_confidence=0.9)
    assert (rec, reasons) == (Recommendation.REVIEW, ("off_topic",))


# -- corroboration: the classifier's word alone reviews, never rejects ---------------------------


def test_policy_uncorroborated_category_is_borderline_not_a_violation() -> None:
    policy = _policy()
    scores = {"promotion": 0.99, "sexism": 0.97}
    rec, reasons = policy.decide(
        scores, lang="en", lang_confidence=0.9, uncorroborated={"promotion", "sexism"}
    )
    assert (rec, reasons) == (Recommendation.REVIEW, ("promotion", "sexism"))
    # a corroborated category among them still rejects, the other stays a reason
    rec, reasons = policy.decide(
        scores, lang="en", lang_confidence=0.9, uncorroborated={"promotion"}
    )
    assert (rec, reasons) == (Recommendation.REJECT, ("sexism", "promotion"))


def test_policy_uncorroborated_needs_another_analyzer_in_the_same_category() -> None:
    policy = _policy()
    assert "rostra.classifier.v1" in policy.corroboration.analyzers
    model = Signal("personal_attack", 0.98, "rostra.classifier.v1")
    assert "personal_attack" in policy.uncorroborated([model])
    # another category's evidence does not vouch for this one
    swear = Signal("profanity", 0.9, "rostra.lexicon.v1")
    assert "personal_attack" in policy.uncorroborated([model, swear])
    insult = Signal("personal_attack", 0.6, "rostra.lexicon.v1")
    assert "personal_attack" not in policy.uncorroborated([model, insult])
    # a zero score is no evidence; a weak promotion cue (an @handle, 0.3) is
    assert "promotion" in policy.uncorroborated([Signal("promotion", 0.0, "rostra.promotion.v1")])
    assert "promotion" not in policy.uncorroborated(
        [Signal("promotion", 0.3, "rostra.promotion.v1")]
    )
    # a signal its analyzer marks as not corroborating (a number quoted from the police) is none
    quoted = Signal("promotion", 0.8, "rostra.promotion.v1", corroborates=False)
    assert "promotion" in policy.uncorroborated([quoted])


def test_policy_without_corroboration_lets_every_analyzer_reject() -> None:
    policy = _policy().model_copy(update={"corroboration": Corroboration()})
    model = Signal("sexism", 0.97, "rostra.classifier.v1")
    assert policy.uncorroborated([model]) == frozenset()


def test_policy_corroboration_refuses_unknown_categories() -> None:
    data = Policy.default().model_dump(mode="json")
    data["corroboration"] = {"analyzers": ["rostra.classifier.v1"], "categories": ["spam"]}
    with pytest.raises(PolicyError, match=r"corroboration\.categories"):
        Policy.from_mapping(data)
    data["corroboration"] = {"analyzer": ["rostra.classifier.v1"]}
    with pytest.raises(PolicyError, match="analyzer"):
        Policy.from_mapping(data)


# -- Kurdish: no in-language training data, no auto-approval ---------------------------------


@pytest.mark.parametrize("lang", ["ckb", "kmr"])
def test_policy_never_auto_approves_kurdish_but_still_rejects_clear_hits(lang: str) -> None:
    policy = _policy()
    assert policy.decide({}, lang=lang, lang_confidence=0.99) == (Recommendation.REVIEW, ())
    rec, reasons = policy.decide({"threat": 0.97}, lang=lang, lang_confidence=0.99)
    assert (rec, reasons) == (Recommendation.REJECT, ("threat",))
    # the languages with training data still approve clean comments
    assert policy.decide({}, lang="tr", lang_confidence=0.99)[0] is Recommendation.APPROVE
