"""The screen end to end (without the encoder tier): verdicts, reasons, evidence, policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rostra.screening import (
    ModerationMode,
    Policy,
    PolicyError,
    Recommendation,
    Screen,
    ScreenContext,
    register,
)
from rostra.screening.registry import _REGISTRY
from rostra.screening.types import ScreenDoc, Signal

VIOLATIONS = [
    ("You are a f u c k i n g idiot", "en", "profanity"),
    ("I will kill you", "en", "threat"),
    ("يا ابن الكلب يا حقير", "ar", "personal_attack"),
    ("خفه شو کسکش", "fa", "personal_attack"),
    ("Seni öldüreceğim orospu çocuğu", "tr", "threat"),
    ("دەتکوژم سەگباب", "ckb", "threat"),
    ("Ez ê te bikujim kero", "kmr", "threat"),
    ("Subscribe to my channel, WhatsApp 0750 123 4567", "en", "promotion"),
]
CLEAN = [
    ("This is a thoughtful article about the budget, thank you.", "en"),
    ("الحكومة لم تفعل شيئا للشعب منذ سنوات، هذا فشل كامل", "ar"),
    ("دولت هیچ کاری برای مردم نکرده است و باید استعفا دهد", "fa"),
    ("Hükümet halk için hiçbir şey yapmadı, istifa etmeli", "tr"),
    ("The militia threatened to strike again, according to the ministry", "en"),
    ("Source: https://www.rudaw.net/english/kurdistan/251120261", "en"),
    ("That vote exposed a chink in the armor of the ruling party", "en"),
    ("She graduated magna cum laude and now reports from Erbil", "en"),
]

# Clean Kurdish: the screen has no Kurdish training data and cannot vouch for them.
CLEAN_KURDISH = [
    ("حکومەت هیچ کارێکی بۆ خەڵک نەکردووە، دەبێت دەست لەکار بکێشێتەوە", "ckb"),
    ("Ev gotar gelek baş e, spas ji bo vê nûçeyê", "kmr"),
]

# Hard cases the screen must not auto-reject (a moderator may still look).
NOT_REJECTED = [
    ("ISIS called the Yazidis devil worshippers and murdered thousands", "en"),
    ("The dyke burst and the village flooded", "en"),
    ("Murderers should be executed, says the minister", "en"),
    ("داعش وصف الإيزيديين بعبدة الشيطان", "ar"),
    ("Gays and lesbians marched in Istanbul despite the ban", "en"),
    ("Shia and Sunni leaders met in Baghdad", "en"),
]


@pytest.mark.parametrize(("text", "lang", "category"), VIOLATIONS)
def test_screen_rejects_clear_violations_with_reason_and_evidence(
    lean_screen: Screen, text: str, lang: str, category: str
) -> None:
    verdict = lean_screen.screen(text)
    assert verdict.language == lang
    assert verdict.recommendation is Recommendation.REJECT
    assert category in verdict.reasons
    assert any(e.category == category for e in verdict.evidence)
    for e in verdict.evidence:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(("text", "lang"), CLEAN)
def test_screen_approves_clean_comments_and_harsh_criticism(
    lean_screen: Screen, text: str, lang: str
) -> None:
    verdict = lean_screen.screen(text)
    assert verdict.language == lang
    assert verdict.recommendation is Recommendation.APPROVE, verdict
    assert verdict.reasons == ()


@pytest.mark.parametrize(("text", "lang"), NOT_REJECTED)
def test_screen_does_not_auto_reject_reporting_or_neutral_mentions(
    lean_screen: Screen, text: str, lang: str
) -> None:
    verdict = lean_screen.screen(text)
    assert verdict.language == lang
    assert verdict.recommendation is not Recommendation.REJECT, verdict


@pytest.mark.parametrize(("text", "lang"), CLEAN_KURDISH)
def test_screen_never_auto_approves_kurdish(lean_screen: Screen, text: str, lang: str) -> None:
    verdict = lean_screen.screen(text)
    assert verdict.language == lang
    assert verdict.recommendation is Recommendation.REVIEW, verdict
    assert verdict.reasons == ()


def test_screen_kurdish_clear_insult_goes_to_review_not_reject(lean_screen: Screen) -> None:
    # "گەمژە" (idiot) is severity 2: rejects in English-strength languages, reviews in Sorani.
    verdict = lean_screen.screen("تۆ گەمژەیت، ئەم هەواڵە درۆیە")
    assert verdict.language == "ckb"
    assert verdict.recommendation is Recommendation.REVIEW
    assert "personal_attack" in verdict.reasons


def test_screen_is_deterministic(lean_screen: Screen) -> None:
    text = "Ez ê te bikujim kero, t.me/spam"
    assert lean_screen.screen(text) == lean_screen.screen(text)


def test_screen_analyzer_failure_forces_review(lean_policy: Policy) -> None:
    @register("test.broken.v1", emits={"profanity"})
    class Broken:
        name = "test.broken.v1"

        def analyze(self, doc: ScreenDoc) -> list[Signal]:
            raise RuntimeError("model file vanished")

    try:
        spec = {"factory": "test.broken.v1"}
        policy = Policy.from_mapping({**lean_policy.model_dump(mode="json"), "analyzers": [spec]})
        verdict = Screen.from_policy(policy).screen("A fair point about the budget.")
    finally:
        _REGISTRY.pop("test.broken.v1")
    assert verdict.recommendation is Recommendation.REVIEW
    assert "model file vanished" in verdict.errors[0]


def test_screen_duplicates_use_recent_texts(lean_screen: Screen) -> None:
    spam = "I sell handmade carpets in Erbil, see myshop.example.com for photos"
    alone = lean_screen.screen(spam)
    assert alone.recommendation is Recommendation.REVIEW  # one unknown link
    repeated = lean_screen.screen(spam, ScreenContext(recent_texts=(spam, spam)))
    assert repeated.scores["promotion"] > alone.scores["promotion"]
    assert repeated.recommendation is Recommendation.REJECT


def test_screen_pre_mode_never_decides(lean_policy: Policy) -> None:
    screen = Screen.from_policy(lean_policy.model_copy(update={"mode": ModerationMode.PRE}))
    assert screen.screen("I will kill you").recommendation is Recommendation.REVIEW
    assert screen.screen("Thank you for the report").recommendation is Recommendation.REVIEW


def test_screen_disabled_category_is_ignored(lean_policy: Policy) -> None:
    categories = tuple(c for c in lean_policy.categories if c != "profanity")
    screen = Screen.from_policy(lean_policy.model_copy(update={"categories": categories}))
    verdict = screen.screen("shit, what a good article")
    assert "profanity" not in verdict.scores
    assert verdict.recommendation is Recommendation.APPROVE


def test_screen_from_policy_names_the_bad_analyzer(lean_policy: Policy) -> None:
    base = lean_policy.model_dump(mode="json")
    with pytest.raises(PolicyError, match=r"analyzers\[0\].*unknown analyzer"):
        Screen.from_policy(Policy.from_mapping({**base, "analyzers": [{"factory": "x.y.v1"}]}))
    bad_setting = {"factory": "rostra.promotion.v1", "allow_domian": ["x.org"]}
    with pytest.raises(PolicyError, match="unknown settings"):
        Screen.from_policy(Policy.from_mapping({**base, "analyzers": [bad_setting]}))
    no_promotion = {
        **base,
        "categories": ["profanity"],
        "analyzers": [{"factory": "rostra.duplicates.v1"}],
    }
    with pytest.raises(PolicyError, match="none of which"):
        Screen.from_policy(Policy.from_mapping(no_promotion))


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"thresholds": {"default": {"reject": 0.4, "review": 0.6}}}, "above reject"),
        ({"thresholds": {"category": {"spam": {"reject": 0.9}}}}, "unknown categories"),
        ({"languages": {"kurdish": {"reject": 0.9}}}, "unknown languages"),
        ({"languages": {"ckb": {"min_confidence": 2}}}, "min_confidence"),
        ({"mode": "yolo"}, "mode"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_policy_validation_refuses_bad_files(
    lean_policy: Policy, patch: dict[str, object], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.from_mapping({**lean_policy.model_dump(mode="json"), **patch})


def test_policy_default_lists_only_analyzers_that_are_registered() -> None:
    from rostra.screening.registry import registrations

    assert {a.factory for a in Policy.default().analyzers} <= set(registrations())


def test_policy_copy_with_new_thresholds_does_not_reuse_old_decisions(lean_policy: Policy) -> None:
    assert lean_policy.decide({"threat": 0.9}, lang="en", lang_confidence=0.9)[0] is (
        Recommendation.REJECT
    )
    stricter = Policy.from_mapping(
        {
            **lean_policy.model_dump(mode="json"),
            "thresholds": {"default": {"reject": 0.95, "review": 0.4}},
        }
    )
    copied = lean_policy.model_copy(update={"thresholds": stricter.thresholds})
    assert (
        copied.decide({"threat": 0.9}, lang="en", lang_confidence=0.9)[0] is Recommendation.REVIEW
    )
    assert lean_policy.decide({"threat": 0.9}, lang="en", lang_confidence=0.9)[0] is (
        Recommendation.REJECT
    )


# -- corroboration: a model's word alone sends to review ------------------------------------


@pytest.fixture
def opinionated_screen(lean_policy: Policy) -> Iterator[Screen]:
    """The lean screen plus a stand-in model that is sure of promotion and personal attack.

    A stand-in, not the shipped classifier, because the rule is about whatever a listed
    analyzer says; the shipped classifier's own scores change with every retrain.
    """

    @register("test.sure.v1", emits={"promotion", "personal_attack"})
    class Sure:
        name = "test.sure.v1"

        def analyze(self, doc: ScreenDoc) -> list[Signal]:
            return [Signal(c, 0.99, self.name) for c in ("promotion", "personal_attack")]

    try:
        data = lean_policy.model_dump(mode="json")
        data["analyzers"] = [*data["analyzers"], {"factory": "test.sure.v1"}]
        data["corroboration"] = {
            "analyzers": ["test.sure.v1"],
            "categories": ["promotion", "personal_attack"],
        }
        yield Screen.from_policy(Policy.from_mapping(data))
    finally:
        _REGISTRY.pop("test.sure.v1")


def test_screen_model_alone_reviews_allow_listed_news_link(opinionated_screen: Screen) -> None:
    verdict = opinionated_screen.screen(
        "The full text is here: https://www.reuters.com/world/middle-east/deal-2026-11-20/"
    )
    assert verdict.recommendation is Recommendation.REVIEW
    assert verdict.reasons == ("personal_attack", "promotion")
    assert verdict.scores["promotion"] == 0.99  # the score is reported as the model gave it


def test_screen_model_with_concrete_evidence_rejects(opinionated_screen: Screen) -> None:
    phone = opinionated_screen.screen("Great offers, call me on 0750 123 4567")
    assert phone.recommendation is Recommendation.REJECT
    assert phone.reasons[0] == "promotion"
    insult = opinionated_screen.screen("You are an idiot")
    assert insult.recommendation is Recommendation.REJECT
    assert "personal_attack" in insult.reasons


def test_screen_from_policy_refuses_unknown_corroboration_analyzer(lean_policy: Policy) -> None:
    data = lean_policy.model_dump(mode="json")
    data["corroboration"] = {"analyzers": ["rostra.clasifier.v1"], "categories": ["sexism"]}
    with pytest.raises(PolicyError, match=r"corroboration.analyzers.*rostra\.clasifier\.v1"):
        Screen.from_policy(Policy.from_mapping(data))


def test_screen_shipped_classifier_alone_does_not_reject_news_links(lean_policy: Policy) -> None:
    data = lean_policy.model_dump(mode="json")
    data["analyzers"] = [*data["analyzers"], {"factory": "rostra.classifier.v1", "encoder": "off"}]
    screen = Screen.from_policy(Policy.from_mapping(data))
    for text in (
        "Check the numbers yourself at https://www.france24.com/en/middle-east/20261120-iraq",
        "DW Türkçe'de okudum: https://www.dw.com/tr/irakta-secim/a-70000000",
    ):
        verdict = screen.screen(text)
        assert verdict.recommendation is not Recommendation.REJECT, verdict


def test_screen_ephemeral_context_keeps_no_vector_even_from_another_thread(
    lean_policy: Policy,
) -> None:
    """``ScreenContext.ephemeral`` alone keeps the text out of the shared encoder's cache,
    also when the screen runs in a pool thread the caller never entered ``ephemeral()`` in
    (the comment service and the Perspective endpoint both screen in thread pools)."""
    from concurrent.futures import ThreadPoolExecutor

    from rostra.screening.embedding import get_embedder

    @register("test.embeds.v1", emits={"off_topic"})
    class Embeds:
        name = "test.embeds.v1"

        def analyze(self, doc: ScreenDoc) -> list[Signal]:
            get_embedder().embed_query(doc.text)
            return []

    try:
        data = lean_policy.model_dump(mode="json")
        data["analyzers"] = [*data["analyzers"], {"factory": "test.embeds.v1"}]
        screen = Screen.from_policy(Policy.from_mapping(data))
        cached = get_embedder()._cache
        with ThreadPoolExecutor(max_workers=1) as pool:
            for ephemeral in (True, False):
                text = f"The council budget for the wombat{ephemeral} district was late."
                pool.submit(screen.screen, text, ScreenContext(ephemeral=ephemeral)).result()
                kept = [t for _, t in list(cached) if "wombat" in t]
                assert kept == ([] if ephemeral else [text]), kept
    finally:
        _REGISTRY.pop("test.embeds.v1")
