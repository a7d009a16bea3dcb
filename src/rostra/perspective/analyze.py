"""The two Perspective methods over rostra's screen, without HTTP.

``analyze_comment`` validates an AnalyzeCommentRequest the way Perspective does, screens the
comment once and answers every requested attribute from that one verdict.
``suggestion_label`` turns a SuggestCommentScoreRequest into rostra's approved/rejected label.
Neither function logs or keeps the text; with ``doNotStore`` the screen keeps nothing of it in
its caches either.

The client's ``languages`` is a hint only (Coral sends ``["en"]`` for every site it has no
language for): rostra detects the language itself and passes the client's language to the
screen only when that detection finds none of rostra's languages (:func:`screening_hint`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from rostra.perspective import errors
from rostra.perspective.attributes import ATTRIBUTES, Attribute, attribute_score, category_score
from rostra.perspective.spans import Utf16Offsets
from rostra.perspective.wire import (
    AnalyzeCommentRequest,
    SuggestCommentScoreRequest,
    TextEntry,
    lone_surrogate,
)
from rostra.screening import ArticleContext, Language, Policy, ScreenContext, Verdict
from rostra.screening.langid import identify

#: Perspective's limit on the comment: 20 KB of UTF-8.
MAX_COMMENT_BYTES = 20 * 1024
#: How much context rostra reads (article text, thread entries); the rest is ignored.
MAX_CONTEXT_CHARS = 50_000
MAX_CONTEXT_ENTRIES = 50
PROBABILITY = "PROBABILITY"
ACCEPTED_SCORE_TYPES = {None, "", "SCORE_TYPE_UNSPECIFIED", PROBABILITY}
#: Perspective suffixes for model variants; rostra answers them with the base attribute.
_VARIANT_SUFFIXES = ("_EXPERIMENTAL",)
#: What rostra reports for a comment in none of its languages (BCP 47 "undetermined").
UNDETERMINED = "und"


class PolicyScreener(Protocol):
    """The screen as this endpoint needs it: a verdict, and the policy behind its scores.

    :class:`rostra.screening.Screen` and the service's review-only fallback both fit.
    """

    policy: Policy

    def screen(self, text: str, context: ScreenContext) -> Verdict: ...


def resolve_attribute(name: str) -> Attribute | None:
    """The attribute a requested name means (case-insensitive; ``*_EXPERIMENTAL`` too)."""
    upper = name.strip().upper()
    for suffix in _VARIANT_SUFFIXES:
        if upper.endswith(suffix):
            upper = upper[: -len(suffix)]
    return ATTRIBUTES.get(upper)


def comment_text(entry: TextEntry | None) -> str:
    """The comment's text, or Perspective's COMMENT_EMPTY / COMMENT_TOO_LONG."""
    text = entry.text if entry is not None else None
    if text is None or not text.strip():
        raise errors.comment_empty()
    if len(text.encode("utf-8", "surrogatepass")) > MAX_COMMENT_BYTES:
        raise errors.comment_too_long(MAX_COMMENT_BYTES)
    # Unlike rostra's comment API, controls and direction overrides are screened, not refused:
    # the normalizer removes them before any analyzer reads the text, and Coral lets a comment
    # through unscored when the call fails, so refusing them would let abuse through by adding
    # one invisible character. Lone surrogates cannot be screened (wire.parse already refuses
    # them anywhere in a request; this keeps the function safe on its own).
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        _where, codepoint, offset = surrogate
        raise errors.lone_surrogate("comment.text", codepoint, offset)
    return text


def language_hint(languages: list[str] | None) -> str | None:
    """The first language the client named, as a bare lowercase subtag (``en-US`` -> ``en``)."""
    for tag in languages or ():
        primary = tag.strip().replace("_", "-").split("-")[0].lower()
        if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    return None


def screening_hint(text: str, languages: list[str] | None) -> str | None:
    """The client's language as the screen's hint, or None when rostra can place the text.

    The hint counts only when rostra's own detection (without it) finds none of rostra's
    languages (``other``): Coral's ``"en"`` must never turn a comment rostra detects as
    Kurmanji, Turkish, Persian, Sorani or Arabic into English. rostra's comment API still
    passes the article's language as a hint the usual way (langid's hint tips close calls);
    a Perspective client's ``languages`` is not that reliable.
    """
    hint = language_hint(languages)
    if hint is None or identify(text).lang != Language.OTHER:
        return None
    return hint


def _screen_context(request: AnalyzeCommentRequest, hint: str | None) -> ScreenContext:
    article: ArticleContext | None = None
    recent: tuple[str, ...] = ()
    context = request.context
    if context is not None:
        pair = context.article_and_parent_comment
        article_text = (pair.article.text or "") if pair and pair.article else ""
        article_text = article_text[:MAX_CONTEXT_CHARS]
        if article_text.strip():
            # Perspective sends the article as one text; its first line is usually the title.
            title = article_text.strip().splitlines()[0][:300]
            article = ArticleContext(title=title, body=article_text)
        entries = [e.text for e in (context.entries or ()) if e.text]
        if pair is not None and pair.parent_comment is not None and pair.parent_comment.text:
            entries.append(pair.parent_comment.text)
        recent = tuple(t[:MAX_CONTEXT_CHARS] for t in entries[-MAX_CONTEXT_ENTRIES:])
    return ScreenContext(
        article=article, lang_hint=hint, recent_texts=recent, ephemeral=request.do_not_store
    )


def _requested(
    request: AnalyzeCommentRequest,
) -> list[tuple[str, Attribute, float | None]]:
    """(requested name, attribute, threshold) for each requested attribute, validated."""
    requested = request.requested_attributes
    if not requested:
        raise errors.no_requested_attributes()
    out: list[tuple[str, Attribute, float | None]] = []
    for name, params in requested.items():
        attribute = resolve_attribute(name)
        if attribute is None:
            raise errors.unknown_attribute(name)
        threshold: float | None = None
        if params is not None:
            if params.score_type not in ACCEPTED_SCORE_TYPES:
                raise errors.invalid_argument(
                    f"Unsupported scoreType for {attribute.name}: only PROBABILITY scores are "
                    "available."
                )
            threshold = params.score_threshold
            if threshold is not None and not 0.0 <= threshold <= 1.0:
                raise errors.invalid_argument(
                    f"scoreThreshold for {attribute.name} must be between 0 and 1."
                )
        out.append((name, attribute, threshold))
    return out


def detected_language(verdict: Verdict) -> str:
    return UNDETERMINED if verdict.language == Language.OTHER else verdict.language


def analyze_comment(request: AnalyzeCommentRequest, screen: PolicyScreener) -> dict[str, Any]:
    """Answer one AnalyzeCommentRequest (raises :class:`PerspectiveError` when invalid)."""
    text = comment_text(request.comment)
    wanted = _requested(request)
    # No LANGUAGE_DETECTION_FAILED: text rostra cannot place (no letters, another script) is
    # screened as language "other" and reported as "und", as rostra's own API screens it.
    # doNotStore: ScreenContext.ephemeral, which the screen honours in whatever thread it runs,
    # keeps this request out of its caches (sentence vectors, duplicate shingles).
    context = _screen_context(request, screening_hint(text, request.languages))
    verdict = screen.screen(text, context)
    if verdict.errors:
        # A part of the screen failed on this comment. Scores from the rest could understate
        # it, and a client reads a low score as "publish": say so instead, as Google does
        # when a backend is down, and let the client apply its own fallback.
        raise errors.screen_unavailable()
    scores: dict[str, Any] = {}
    offsets = Utf16Offsets(text)
    for name, attribute, threshold in wanted:
        entry = _attribute_scores(attribute, verdict, screen, offsets, request.span_annotations)
        if threshold is not None and entry["summaryScore"]["value"] < threshold:
            continue
        if threshold is not None:
            entry["spanScores"] = [
                s for s in entry["spanScores"] if s["score"]["value"] >= threshold
            ]
        scores[name] = entry
    lang = detected_language(verdict)
    response: dict[str, Any] = {
        "attributeScores": scores,
        "languages": [lang],
        "detectedLanguages": [lang],
    }
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response


def _score(value: float) -> dict[str, Any]:
    return {"value": value, "type": PROBABILITY}


def _attribute_scores(
    attribute: Attribute,
    verdict: Verdict,
    screen: PolicyScreener,
    offsets: Utf16Offsets,
    span_annotations: bool,
) -> dict[str, Any]:
    policy = screen.policy
    summary, _ = attribute_score(attribute, verdict.scores, policy=policy, lang=verdict.language)
    # Like Perspective, one span covering the whole comment carries the summary score.
    spans: list[dict[str, Any]] = [{"begin": 0, "end": offsets.length, "score": _score(summary)}]
    if span_annotations:
        best: dict[tuple[int, int], float] = {}
        for evidence in verdict.evidence:
            if evidence.category not in attribute.categories:
                continue
            value = category_score(
                evidence.category,
                verdict.scores.get(evidence.category, 0.0),
                policy=policy,
                lang=verdict.language,
                curve=attribute.curve,
            )
            if value <= 0.0:
                continue
            try:
                key = (offsets(evidence.start), offsets(evidence.end))
            except ValueError:  # an analyzer's span outside the text: skip it, keep the score
                continue
            best[key] = max(best.get(key, 0.0), value)
        spans.extend(
            {"begin": begin, "end": end, "score": _score(value)}
            for (begin, end), value in sorted(best.items())
        )
    return {"spanScores": spans, "summaryScore": _score(summary)}


# -- suggestscore -------------------------------------------------------------------------------

#: Suggested attribute names that carry a moderator's decision rather than a score.
APPROVING_NAMES = frozenset({"APPROVED", "ACCEPTED", "HIGHLIGHTED", "FEATURED"})
REJECTING_NAMES = frozenset({"DELETED", "REJECTED"})
MAX_SUGGESTED_ATTRIBUTES = 32


def suggested_scores(request: SuggestCommentScoreRequest) -> dict[str, float]:
    """{ATTRIBUTE: value} from the request, validated as Perspective documents it."""
    suggested = request.attribute_scores
    if not suggested:
        raise errors.invalid_argument("attributeScores must not be empty.")
    if len(suggested) > MAX_SUGGESTED_ATTRIBUTES:
        raise errors.invalid_argument("Too many attributeScores.")
    out: dict[str, float] = {}
    for name, scores in suggested.items():
        clean = name.strip().upper()
        if not clean or len(clean) > 64 or not clean.replace("_", "").isalnum():
            raise errors.invalid_argument("attributeScores names must be attribute names.")
        summary = scores.summary_score if scores is not None else None
        if summary is None or summary.value is None:
            raise errors.invalid_argument(
                f"attributeScores.{clean}.summaryScore.value must be set."
            )
        if summary.type not in ACCEPTED_SCORE_TYPES:
            raise errors.invalid_argument(f"Unsupported score type for {clean}.")
        if not 0.0 <= summary.value <= 1.0:
            raise errors.invalid_argument(
                f"attributeScores.{clean}.summaryScore.value must be between 0 and 1."
            )
        out[clean] = float(summary.value)
    return out


def suggestion_label(scores: Mapping[str, float]) -> str | None:
    """approved / rejected from suggested scores, or None when they say neither.

    Decision names win (Coral: ``APPROVED`` or ``DELETED`` with value 1). Otherwise any
    rostra attribute at or above 0.5 means rejected, and all of them below 0.5 approved.
    """
    if any(scores[n] >= 0.5 for n in REJECTING_NAMES & scores.keys()):
        return "rejected"
    if any(scores[n] >= 0.5 for n in APPROVING_NAMES & scores.keys()):
        return "approved"
    known = [v for n, v in scores.items() if resolve_attribute(n) is not None]
    if not known:
        return None
    return "rejected" if max(known) >= 0.5 else "approved"


def detect_language(text: str, languages: list[str] | None) -> str:
    """The language rostra reports for ``text`` (the client's ``languages`` as a hint only,
    as :func:`screening_hint` decides: asked only when rostra's own detection finds none)."""
    guess = identify(text)
    hint = language_hint(languages)
    if guess.lang == Language.OTHER and hint is not None:
        guess = identify(text, hint=hint)
    return UNDETERMINED if guess.lang == Language.OTHER else guess.lang
