"""The calibration curves, the attribute table, UTF-16 offsets, request checks, the language
hint rule, the documented request bodies and the screen's doNotStore mode, on their own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from rostra.perspective.analyze import (
    comment_text,
    language_hint,
    resolve_attribute,
    screening_hint,
    suggestion_label,
)
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
from rostra.perspective.errors import PerspectiveError
from rostra.perspective.router import request_body
from rostra.perspective.spans import Utf16Offsets, to_code_points, utf16_length
from rostra.perspective.wire import (
    AnalyzeCommentRequest,
    SuggestCommentScoreRequest,
    TextEntry,
    lone_surrogate,
)
from rostra.screening import CATEGORIES, Policy, ScreenContext, ScreenDoc
from rostra.screening.analyzers.duplicates import DuplicatesAnalyzer
from rostra.screening.embedding import DIM, Embedder, ephemeral
from rostra.screening.langid import identify
from rostra.screening.normalize import normalize

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


#: Any code point, lone surrogates included (Hypothesis leaves them out by default), mixed with
#: letters of rostra's scripts so that the text also reaches fastText.
ANY_CODE_POINT = st.one_of(
    st.characters(),
    st.integers(min_value=0xD800, max_value=0xDFFF).map(chr),
    st.sampled_from("abcêîûışğ ەڕێ الي"),
)


@given(text=st.text(alphabet=ANY_CODE_POINT, max_size=80), hint=st.sampled_from([None, "en"]))
def test_identify_never_raises(text: str, hint: str | None) -> None:
    guess = identify(text, hint=hint)
    assert 0.0 <= guess.confidence <= 1.0


def test_identify_reads_text_around_a_lone_surrogate() -> None:
    # fastText raised TypeError on any text that does not encode as UTF-8.
    assert identify("Ez ji vê gotarê pir hez dikim \ud800").lang == "kmr"
    assert identify("\udfff ئەمە هەواڵێکی زۆر باشە").lang == "ckb"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "hi \ud800",
            "lone UTF-16 surrogate (half of a character, not valid Unicode text): "
            "U+D800 at offset 3",
        ),
        ("🙂 \udfff x", "U+DFFF at offset 3"),  # the emoji is 2 UTF-16 units
    ],
)
def test_comment_text_refuses_lone_surrogates(text: str, message: str) -> None:
    with pytest.raises(PerspectiveError) as raised:
        comment_text(TextEntry(text=text))
    assert raised.value.code == 400
    assert raised.value.error_type is None
    assert message in raised.value.message


@pytest.mark.parametrize(
    "text",
    ["line\nline", "tab\there", "crlf\r\nline", "cr\rline", "\u200f", "a\x00b", "🙂 \u202e x"],
)
def test_comment_text_accepts_what_the_screen_can_read(text: str) -> None:
    assert comment_text(TextEntry(text=text)) == text


def test_lone_surrogate_finds_the_first_in_document_order() -> None:
    payload = {
        "comment": {"text": "🙂 ok \ud800"},
        "context": {"entries": [{"text": "\udfff"}]},
    }
    # The emoji before it is two UTF-16 code units.
    assert lone_surrogate(payload) == ("comment.text", 0xD800, 6)
    assert lone_surrogate({"a": [1, None, True, 2.5, {"b": ["x", "y\udc00"]}]}) == (
        "a[4].b[1]",
        0xDC00,
        1,
    )
    assert lone_surrogate({"m": {"\ud800": 1}}) == ("a key of m", 0xD800, 0)
    # json.loads joins an escaped pair ("\\ud83d\\ude00") into one character.
    assert lone_surrogate({"emoji": "\U0001f600", "ok": ["fine", 1]}) is None


def test_lone_surrogate_walks_nesting_deeper_than_the_stack() -> None:
    payload: Any = "\ud800"
    for _ in range(50_000):
        payload = [payload]
    found = lone_surrogate({"deep": payload})
    assert found is not None
    assert found[1:] == (0xD800, 0)


@pytest.mark.parametrize(
    ("text", "languages", "hint"),
    [
        # rostra places the text: the client's language does not count.
        ("Ez te dikujim", ["en"], None),
        ("ئەم نووسەرە گەمژەیە", ["en"], None),
        ("You are right about the budget.", ["en"], None),
        # rostra finds none of its languages: the client's language is the hint.
        ("Ωραίο άρθρο", ["en"], "en"),
        ("!!! 123", ["en"], "en"),
        ("Ez te dikujim", None, None),
        ("Ez te dikujim", ["xx-Klingon"], None),
    ],
)
def test_screening_hint_counts_only_where_rostra_finds_no_language(
    text: str, languages: list[str] | None, hint: str | None
) -> None:
    assert screening_hint(text, languages) == hint


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


@pytest.mark.parametrize("model", [AnalyzeCommentRequest, SuggestCommentScoreRequest])
def test_documented_request_body_is_the_wire_models(model: type[BaseModel]) -> None:
    body = request_body(model, "test")
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is True
    assert not _refs(schema), "a #/$defs reference would not resolve inside OpenAPI"
    # Every field the parser reads is documented, under Perspective's lowerCamel name.
    fields = {
        info.validation_alias.choices[0] if info.validation_alias else name  # type: ignore[union-attr]
        for name, info in model.model_fields.items()
    }
    assert set(schema["properties"]) == fields
    assert "comment" in schema["required"]
    assert schema["properties"]["comment"]["required"] == ["text"]


def test_documented_analyze_body_names_the_attributes() -> None:
    schema = request_body(AnalyzeCommentRequest, "test")["content"]["application/json"]["schema"]
    requested = schema["properties"]["requestedAttributes"]
    assert set(requested["properties"]) == set(ATTRIBUTES)
    assert requested["minProperties"] == 1
    threshold = requested["additionalProperties"]["properties"]["scoreThreshold"]["anyOf"][0]
    assert (threshold["minimum"], threshold["maximum"]) == (0, 1)


class _CountingBackend:
    def __init__(self) -> None:
        self.calls = 0

    def query(self, texts: Any) -> Any:
        self.calls += 1
        return np.ones((len(texts), DIM), dtype=np.float32)

    passage = query


def test_embedder_caches_nothing_inside_ephemeral() -> None:
    backend = _CountingBackend()
    embedder = Embedder(backend=backend)
    embedder.embed_query("kept")
    with ephemeral():
        vector = embedder.embed_query("not kept")
        embedder.embed_query("kept")  # cached vectors are still used
    assert vector.shape == (DIM,)
    assert [text for _, text in embedder._cache] == ["kept"]
    assert backend.calls == 2
    embedder.embed_query("after")
    assert [text for _, text in embedder._cache] == ["kept", "after"]


def test_duplicates_analyzer_caches_nothing_for_an_ephemeral_context() -> None:
    analyzer = DuplicatesAnalyzer()
    text = "Buy cheap followers now at example dot com, the best offer in town!"
    recent = (text, "A different comment about the budget of the province.")

    def doc(context: ScreenContext) -> ScreenDoc:
        return ScreenDoc(text, normalize(text), "en", 0.9, context)

    ephemeral_signals = analyzer.analyze(doc(ScreenContext(recent_texts=recent, ephemeral=True)))
    assert not analyzer._cache
    signals = analyzer.analyze(doc(ScreenContext(recent_texts=recent)))
    assert ephemeral_signals == signals != []
    assert set(analyzer._cache) == set(recent)
