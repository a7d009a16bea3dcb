from rostra.screening import ModerationMode, Policy, Recommendation


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
