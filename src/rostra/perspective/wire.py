"""Perspective's request messages (commentanalyzer v1alpha1), as pydantic models.

Google's JSON mapping of protocol buffers accepts both the lowerCamel names
(``requestedAttributes``) and the original snake_case ones (``requested_attributes``; the old
JavaScript client sends those), so every field accepts both. Unknown fields are ignored, as
lenient clients expect. Responses are plain dicts built in :mod:`rostra.perspective.router`,
so the field names on the wire are visible in one place there.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from rostra.perspective import errors
from rostra.perspective.errors import PerspectiveError
from rostra.perspective.spans import Utf16Offsets


def _field(camel: str, snake: str | None = None, default: Any = None) -> Any:
    names = (camel,) if snake is None else (camel, snake)
    return Field(default=default, validation_alias=AliasChoices(*names))


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


M = TypeVar("M", bound=_Message)


class TextEntry(_Message):
    text: str | None = None
    #: TEXT_TYPE_UNSPECIFIED, PLAIN_TEXT or HTML; rostra reads the text as written either way.
    type: str | None = None


class AttributeParameters(_Message):
    score_type: str | None = _field("scoreType", "score_type")
    score_threshold: float | None = _field("scoreThreshold", "score_threshold")


class ArticleAndParentComment(_Message):
    article: TextEntry | None = None
    parent_comment: TextEntry | None = _field("parentComment", "parent_comment")


class Context(_Message):
    article_and_parent_comment: ArticleAndParentComment | None = _field(
        "articleAndParentComment", "article_and_parent_comment"
    )
    entries: list[TextEntry] | None = None


class AnalyzeCommentRequest(_Message):
    comment: TextEntry | None = None
    context: Context | None = None
    requested_attributes: dict[str, AttributeParameters | None] | None = _field(
        "requestedAttributes", "requested_attributes"
    )
    languages: list[str] | None = None
    do_not_store: bool = _field("doNotStore", "do_not_store", default=False)
    client_token: str | None = _field("clientToken", "client_token")
    session_id: str | None = _field("sessionId", "session_id")
    community_id: str | None = _field("communityId", "community_id")
    span_annotations: bool = _field("spanAnnotations", "span_annotations", default=False)
    drop_unsupported_attributes: bool = _field(
        "dropUnsupportedAttributes", "drop_unsupported_attributes", default=False
    )


class Score(_Message):
    value: float | None = None
    type: str | None = None


class SpanScore(_Message):
    begin: int | None = None
    end: int | None = None
    score: Score | None = None


class AttributeScores(_Message):
    summary_score: Score | None = _field("summaryScore", "summary_score")
    span_scores: list[SpanScore] | None = _field("spanScores", "span_scores")


class SuggestCommentScoreRequest(_Message):
    comment: TextEntry | None = None
    context: Context | None = None
    attribute_scores: dict[str, AttributeScores | None] | None = _field(
        "attributeScores", "attribute_scores"
    )
    languages: list[str] | None = None
    community_id: str | None = _field("communityId", "community_id")
    client_token: str | None = _field("clientToken", "client_token")
    session_id: str | None = _field("sessionId", "session_id")
    #: A rostra extension: with ``true`` the feedback is kept without the comment text.
    do_not_store: bool = _field("doNotStore", "do_not_store", default=False)


#: A UTF-16 surrogate code point: JSON can escape one alone ("\ud800"), but then it is not text.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAX_WHERE = 200


def lone_surrogate(payload: Any) -> tuple[str, int, int] | None:
    """Where the first lone surrogate of ``payload`` (decoded JSON) is, in a key or a string:
    (the field's path, the code point, its offset in UTF-16 code units). None if there is none.

    Walked without recursion: the JSON decoder allows deeper nesting than Python's stack.
    """
    stack: list[tuple[str, Any]] = [("", payload)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            found = _SURROGATE.search(node)
            if found is not None:
                offset = Utf16Offsets(node)(found.start())
                return where or "body", ord(found.group()), offset
        elif isinstance(node, dict):
            children: list[tuple[str, Any]] = []
            for key, value in node.items():
                found = _SURROGATE.search(key)
                if found is not None:
                    offset = Utf16Offsets(key)(found.start())
                    return f"a key of {where or 'the body'}", ord(found.group()), offset
                children.append((f"{where}.{key}" if where else key, value))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{where}[{i}]", item) for i, item in enumerate(node)]))
    return None


def parse(model: type[M], payload: Any) -> M:
    """Validate ``payload`` as ``model``, turning errors into Google's INVALID_ARGUMENT.

    The message names the field and the problem but never echoes the value: it may be
    comment text the client asked us not to keep. A lone surrogate anywhere (JSON ``"\\ud800"``)
    is refused first: it is not text, and neither the screen, the database nor the JSON
    answer (which echoes ``clientToken``) can carry it.
    """
    if not isinstance(payload, dict):
        raise PerspectiveError("Invalid JSON payload received. The body must be a JSON object.")
    surrogate = lone_surrogate(payload)
    if surrogate is not None:
        where, codepoint, offset = surrogate
        raise errors.lone_surrogate(where[:_MAX_WHERE], codepoint, offset)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise PerspectiveError(
            f"Invalid JSON payload received. Invalid value at '{where}': {first['msg']}."
        ) from None
