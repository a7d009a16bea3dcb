"""HTTP for the Perspective endpoint: key check, rate limit, Google's error envelope.

Every answer, including errors, has the shape Google's clients parse. The comment text is never
logged; ``doNotStore`` keeps it out of storage too (analyze stores nothing in any case) and out
of the screen's in-memory caches. The routes read the body raw (so that even bad JSON gets
Google's envelope) and document it in OpenAPI from the same wire models (:func:`request_body`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from rostra.perspective import errors
from rostra.perspective.analyze import (
    ACCEPTED_SCORE_TYPES,
    APPROVING_NAMES,
    MAX_SUGGESTED_ATTRIBUTES,
    REJECTING_NAMES,
    PolicyScreener,
    analyze_comment,
    comment_text,
    detect_language,
    suggested_scores,
    suggestion_label,
)
from rostra.perspective.attributes import ATTRIBUTES
from rostra.perspective.discovery import API_VERSION, discovery_document
from rostra.perspective.errors import PerspectiveError
from rostra.perspective.keys import PERSPECTIVE_ROLE, KeyPrincipal, KeyVerifier
from rostra.perspective.models import PerspectiveFeedback
from rostra.perspective.wire import AnalyzeCommentRequest, SuggestCommentScoreRequest, parse
from rostra.services.ratelimit import RateLimiter

logger = logging.getLogger("rostra.perspective")

ScreenProvider = Callable[[Request], PolicyScreener]


@dataclass
class PerspectiveEndpoint:
    """What the routes need; built by :func:`rostra.perspective.mount`."""

    screen_for: ScreenProvider
    keys: KeyVerifier
    sessions: sessionmaker[Session]
    site_id: str
    prefix: str = "/perspective"
    limiter: RateLimiter | None = None
    rate_limit: int = 600
    rate_limit_window_seconds: int = 60
    max_body_bytes: int = 1024 * 1024

    async def authenticate(self, request: Request) -> KeyPrincipal:
        key = request.query_params.get("key") or request.headers.get("x-goog-api-key")
        if not key:
            raise errors.missing_key()
        principal = await run_in_threadpool(self.keys.verify, key.strip())
        if principal is None:
            raise errors.invalid_key()
        if principal.role != PERSPECTIVE_ROLE:
            raise PerspectiveError(
                "This API key is not allowed to call the Perspective endpoint: use a token "
                f"of role '{PERSPECTIVE_ROLE}'.",
                code=403,
            )
        if self.limiter is not None:
            retry_after = await run_in_threadpool(
                lambda: self.limiter.hit(  # type: ignore[union-attr]
                    f"perspective:{principal.token_id}",
                    limit=self.rate_limit,
                    window=self.rate_limit_window_seconds,
                )
            )
            if retry_after is not None:
                raise errors.rate_limited(retry_after)
        return principal

    async def read_json(self, request: Request) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise PerspectiveError("Request payload too large.", code=413)
        body = await request.body()
        if len(body) > self.max_body_bytes:
            raise PerspectiveError("Request payload too large.", code=413)
        try:
            return json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting is bad JSON too
            raise PerspectiveError(
                "Invalid JSON payload received. The body is not valid JSON."
            ) from None

    def store_feedback(
        self, principal: KeyPrincipal, request: SuggestCommentScoreRequest
    ) -> dict[str, Any]:
        text = comment_text(request.comment)
        scores = suggested_scores(request)
        detected = detect_language(text, request.languages)
        keep_text = not request.do_not_store
        context = (
            request.context.model_dump(mode="json", exclude_none=True)
            if keep_text and request.context is not None
            else None
        )
        row = PerspectiveFeedback(
            site_id=self.site_id,
            api_token_id=principal.token_id,
            label=suggestion_label(scores),
            attribute_scores=scores,
            text=text if keep_text else None,
            context=context,
            languages=list(request.languages or [])[:10],
            detected_language=detected,
            community_id=(request.community_id or None) and request.community_id[:500],
            client_token=(request.client_token or None) and request.client_token[:500],
            session_id=(request.session_id or None) and request.session_id[:200],
        )
        with self.sessions() as session:
            session.add(row)
            session.commit()
        response: dict[str, Any] = {
            "detectedLanguages": [detected],
            "requestedLanguages": list(request.languages or []),
        }
        if request.client_token is not None:
            response["clientToken"] = request.client_token
        return response


def _guarded(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Turn every failure into Google's envelope; log failures without text or key."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except PerspectiveError as exc:
            return exc.response()
        except Exception as exc:
            logger.error("perspective %s failed: %s", request.url.path, type(exc).__name__)
            return PerspectiveError("Internal error.", code=500).response()

    return run


#: Errors here are Google's envelope, not rostra's {code, message, details}: say so in OpenAPI
#: (the app documents rostra's body for every other route).
_GOOGLE_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "status"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"type": "string"},
            },
        }
    },
}
GOOGLE_ERRORS: dict[int | str, dict[str, Any]] = {
    key: {
        "description": "A Google-style error: {error: {code, message, status}}",
        "content": {"application/json": {"schema": _GOOGLE_ERROR_SCHEMA}},
    }
    for key in ("4XX", "5XX")
}


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``#/$defs/X`` reference replaced by a copy of X (the wire models are
    small and not recursive; OpenAPI would resolve ``#/$defs`` against its own document)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return node


def _not_null(node: dict[str, Any], **constraints: Any) -> dict[str, Any]:
    """``node`` (an optional field's ``anyOf [X, null]``) as X alone, with ``constraints``."""
    branches = [b for b in node.get("anyOf", [node]) if b.get("type") != "null"]
    if len(branches) != 1:
        raise ValueError("expected one non-null branch")
    return {**branches[0], **constraints}


def _require(schema: dict[str, Any], field: str, **constraints: Any) -> dict[str, Any]:
    """Document ``schema``'s ``field`` as required and not null, with ``constraints``; returns
    the field's schema (to refine further in place)."""
    required = _not_null(schema["properties"][field], **constraints)
    schema["properties"][field] = required
    schema["required"] = [*schema.get("required", []), field]
    return required


def _score_type(schema: dict[str, Any], field: str) -> None:
    accepted = sorted(t for t in ACCEPTED_SCORE_TYPES if t is not None)
    schema["properties"][field] = {"anyOf": [{"enum": accepted}, {"type": "null"}]}


def _known_keys(mapping: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Make the values of ``mapping`` (a JSON object used as a map) not null and list the names
    rostra knows as its properties; other names stay allowed (the handler answers them).
    Returns the value schema."""
    value = _not_null(mapping["additionalProperties"])
    mapping["additionalProperties"] = value
    mapping["properties"] = dict.fromkeys(names, value)
    return value


def request_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """OpenAPI's ``requestBody`` for a route that reads its body raw (to answer in Google's
    envelope): the JSON schema of the wire model :func:`rostra.perspective.wire.parse`
    validates it with, plus what the handler checks beyond the types (a comment with text,
    at least one attribute, scores and thresholds in 0..1, ``PROBABILITY`` score types; any
    other request is answered 400) and the attribute names rostra knows."""
    schema = model.model_json_schema(mode="validation")
    schema = _inline_refs(schema, schema.pop("$defs", {}))
    comment = _require(schema, "comment")
    _require(comment, "text", minLength=1)
    if model is AnalyzeCommentRequest:
        requested = _require(schema, "requestedAttributes", minProperties=1)
        parameters = _known_keys(requested, sorted(ATTRIBUTES))
        _score_type(parameters, "scoreType")
        threshold = {"type": "number", "minimum": 0, "maximum": 1}
        parameters["properties"]["scoreThreshold"] = {"anyOf": [threshold, {"type": "null"}]}
    elif model is SuggestCommentScoreRequest:
        suggested = _require(schema, "attributeScores", minProperties=1)
        suggested["maxProperties"] = MAX_SUGGESTED_ATTRIBUTES
        names = sorted({*ATTRIBUTES, *APPROVING_NAMES, *REJECTING_NAMES})
        summary = _require(_known_keys(suggested, names), "summaryScore")
        _require(summary, "value", minimum=0, maximum=1)
        _score_type(summary, "type")
    return {
        "required": True,
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def build_router(endpoint: PerspectiveEndpoint) -> APIRouter:
    router = APIRouter(prefix=endpoint.prefix, tags=["perspective"], responses=GOOGLE_ERRORS)

    async def analyze(request: Request) -> Response:
        await endpoint.authenticate(request)
        message = parse(AnalyzeCommentRequest, await endpoint.read_json(request))
        screen = endpoint.screen_for(request)
        result = await run_in_threadpool(analyze_comment, message, screen)
        return JSONResponse(result)

    async def suggestscore(request: Request) -> Response:
        principal = await endpoint.authenticate(request)
        message = parse(SuggestCommentScoreRequest, await endpoint.read_json(request))
        result = await run_in_threadpool(endpoint.store_feedback, principal, message)
        return JSONResponse(result)

    async def discovery(request: Request) -> Response:
        version = request.query_params.get("version", API_VERSION)
        if version != API_VERSION:
            raise PerspectiveError("Discovery document not found for this version.", code=404)
        root = str(request.base_url).rstrip("/") + "/" + endpoint.prefix.strip("/") + "/"
        return JSONResponse(discovery_document(root))

    router.add_api_route(
        f"/{API_VERSION}/comments:analyze",
        _guarded(analyze),
        methods=["POST"],
        name="perspective-analyze",
        summary="Score a comment (Perspective comments:analyze).",
        include_in_schema=True,
        openapi_extra={
            "requestBody": request_body(
                AnalyzeCommentRequest,
                "Perspective's AnalyzeCommentRequest (snake_case field names are accepted too).",
            )
        },
    )
    router.add_api_route(
        f"/{API_VERSION}/comments:suggestscore",
        _guarded(suggestscore),
        methods=["POST"],
        name="perspective-suggestscore",
        summary="Store a moderation decision as feedback (Perspective comments:suggestscore).",
        openapi_extra={
            "requestBody": request_body(
                SuggestCommentScoreRequest,
                "Perspective's SuggestCommentScoreRequest (snake_case field names are accepted "
                "too).",
            )
        },
    )
    router.add_api_route(
        "/$discovery/rest",
        _guarded(discovery),
        methods=["GET"],
        name="perspective-discovery",
        summary="The Google discovery document of this endpoint.",
    )
    return router


class LazyScreen:
    """Builds the fallback screen once, on first use, from a factory (thread-safe)."""

    def __init__(self, factory: Callable[[], PolicyScreener]) -> None:
        self._factory = factory
        self._screen: PolicyScreener | None = None
        self._lock = threading.Lock()

    def get(self) -> PolicyScreener:
        if self._screen is None:
            with self._lock:
                if self._screen is None:
                    self._screen = self._factory()
        return self._screen
