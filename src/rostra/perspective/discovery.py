"""The discovery document for rostra's Perspective endpoint (Google's discovery format).

It is shaped like Google's own ``commentanalyzer`` v1alpha1 document (same service name,
resource ``comments`` with methods ``analyze`` and ``suggestscore``, same schema names), so
discovery-based clients (``googleapiclient.discovery.build``, Node's
``google.discoverAPI``) work unchanged; only ``rootUrl`` differs: it points at this server.
"""

from __future__ import annotations

import copy
from typing import Any

from rostra import __version__
from rostra.perspective.attributes import ATTRIBUTES

API_VERSION = "v1alpha1"


def _string(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _ref(name: str, description: str) -> dict[str, Any]:
    return {"$ref": name, "description": description}


_ATTRIBUTE_LIST = ", ".join(sorted(ATTRIBUTES))

_SCHEMAS: dict[str, Any] = {
    "TextEntry": {
        "id": "TextEntry",
        "type": "object",
        "description": "A body of text.",
        "properties": {
            "text": _string("UTF-8 text."),
            "type": {
                "type": "string",
                "description": "How to read the text (rostra reads it as written).",
                "enum": ["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"],
                "enumDescriptions": ["Unspecified.", "Plain text.", "HTML."],
            },
        },
    },
    "ArticleAndParentComment": {
        "id": "ArticleAndParentComment",
        "type": "object",
        "description": "The article a comment was left on and, for replies, its parent.",
        "properties": {
            "article": _ref(
                "TextEntry", "The article text; rostra uses it for the OFF_TOPIC signal."
            ),
            "parentComment": _ref("TextEntry", "The comment this one replies to."),
        },
    },
    "Context": {
        "id": "Context",
        "type": "object",
        "description": "What the comment refers or replies to. Set one of the fields.",
        "properties": {
            "articleAndParentComment": _ref(
                "ArticleAndParentComment", "The article and the parent comment."
            ),
            "entries": {
                "type": "array",
                "description": "Earlier messages of the thread.",
                "items": {"$ref": "TextEntry"},
            },
        },
    },
    "AttributeParameters": {
        "id": "AttributeParameters",
        "type": "object",
        "description": "How to score one attribute.",
        "properties": {
            "scoreType": {
                "type": "string",
                "description": "The type of score to return; PROBABILITY (the default) only.",
                "enum": ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY"],
                "enumDescriptions": ["Defaults to PROBABILITY.", "A calibrated probability."],
            },
            "scoreThreshold": {
                "type": "number",
                "format": "float",
                "description": "Leave the attribute out of the response when its score is "
                "below this value.",
            },
        },
    },
    "AnalyzeCommentRequest": {
        "id": "AnalyzeCommentRequest",
        "type": "object",
        "description": "The comment analysis request message.",
        "properties": {
            "comment": _ref("TextEntry", "The comment to analyze."),
            "context": _ref("Context", "The context of the comment."),
            "requestedAttributes": {
                "type": "object",
                "description": "The attributes to score, by name. Available: "
                + _ATTRIBUTE_LIST
                + ".",
                "additionalProperties": {"$ref": "AttributeParameters"},
            },
            "languages": {
                "type": "array",
                "description": "The client's guess of the comment's language(s): a hint only; "
                "rostra detects the language itself and reports it.",
                "items": {"type": "string"},
            },
            "doNotStore": {
                "type": "boolean",
                "description": "Do not store or log the comment or its context.",
            },
            "clientToken": _string("Opaque token echoed in the response."),
            "sessionId": _string("Joins related requests into one session."),
            "communityId": _string("Identifies the client's community."),
            "spanAnnotations": {
                "type": "boolean",
                "description": "Also return the spans of text that carry each score.",
            },
            "dropUnsupportedAttributes": {
                "type": "boolean",
                "description": "Accepted for compatibility; every attribute supports every "
                "language rostra screens.",
            },
        },
    },
    "Score": {
        "id": "Score",
        "type": "object",
        "description": "A score value and its type.",
        "properties": {
            "value": {"type": "number", "format": "float", "description": "The score."},
            "type": {
                "type": "string",
                "description": "The type of the value.",
                "enum": ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY"],
                "enumDescriptions": ["Unspecified.", "A calibrated probability."],
            },
        },
    },
    "SpanScore": {
        "id": "SpanScore",
        "type": "object",
        "description": "A score for one span of the text.",
        "properties": {
            "begin": {
                "type": "integer",
                "format": "int32",
                "description": "Start of the span in UTF-16 code units.",
            },
            "end": {
                "type": "integer",
                "format": "int32",
                "description": "End of the span in UTF-16 code units, exclusive.",
            },
            "score": _ref("Score", "The score of the span."),
        },
    },
    "AttributeScores": {
        "id": "AttributeScores",
        "type": "object",
        "description": "The scores of one attribute: for the whole comment and per span.",
        "properties": {
            "summaryScore": _ref("Score", "The score of the comment as a whole."),
            "spanScores": {
                "type": "array",
                "description": "Per-span scores.",
                "items": {"$ref": "SpanScore"},
            },
        },
    },
    "AnalyzeCommentResponse": {
        "id": "AnalyzeCommentResponse",
        "type": "object",
        "description": "The comment analysis response message.",
        "properties": {
            "attributeScores": {
                "type": "object",
                "description": "Scores for the requested attributes, by name.",
                "additionalProperties": {"$ref": "AttributeScores"},
            },
            "languages": {
                "type": "array",
                "description": "The language rostra screened the comment in.",
                "items": {"type": "string"},
            },
            "detectedLanguages": {
                "type": "array",
                "description": "The languages rostra detected, most likely first.",
                "items": {"type": "string"},
            },
            "clientToken": _string("The clientToken of the request."),
        },
    },
    "SuggestCommentScoreRequest": {
        "id": "SuggestCommentScoreRequest",
        "type": "object",
        "description": "A moderation decision or a corrected score for one comment.",
        "properties": {
            "comment": _ref("TextEntry", "The comment being scored."),
            "context": _ref("Context", "The context of the comment."),
            "attributeScores": {
                "type": "object",
                "description": "Suggested scores by attribute name (Coral sends APPROVED or "
                "DELETED with value 1; TOXICITY 0 means approved, 1 rejected).",
                "additionalProperties": {"$ref": "AttributeScores"},
            },
            "languages": {
                "type": "array",
                "description": "The client's guess of the language(s).",
                "items": {"type": "string"},
            },
            "communityId": _string("Identifies the client's community."),
            "clientToken": _string("Opaque token echoed in the response."),
            "sessionId": _string("Joins related requests into one session."),
            "doNotStore": {
                "type": "boolean",
                "description": "rostra extension: keep the label but not the comment text.",
            },
        },
    },
    "SuggestCommentScoreResponse": {
        "id": "SuggestCommentScoreResponse",
        "type": "object",
        "description": "The comment score suggestion response message.",
        "properties": {
            "clientToken": _string("The clientToken of the request."),
            "detectedLanguages": {
                "type": "array",
                "description": "The languages rostra detected.",
                "items": {"type": "string"},
            },
            "requestedLanguages": {
                "type": "array",
                "description": "The languages given in the request.",
                "items": {"type": "string"},
            },
        },
    },
}

_STANDARD_PARAMETERS: dict[str, Any] = {
    "key": {
        "type": "string",
        "location": "query",
        "description": "API key: a rostra API token of role perspective.",
    },
    "$.xgafv": {
        "type": "string",
        "location": "query",
        "description": "V1 error format.",
        "enum": ["1", "2"],
        "enumDescriptions": ["v1 error format", "v2 error format"],
    },
    "alt": {
        "type": "string",
        "location": "query",
        "description": "Data format for response.",
        "default": "json",
        "enum": ["json"],
        "enumDescriptions": ["Responses with Content-Type of application/json"],
    },
    "fields": {
        "type": "string",
        "location": "query",
        "description": "Accepted and ignored: responses are always complete.",
    },
    "prettyPrint": {
        "type": "boolean",
        "location": "query",
        "description": "Accepted and ignored.",
        "default": "true",
    },
    "quotaUser": {
        "type": "string",
        "location": "query",
        "description": "Accepted and ignored: quota is per API key.",
    },
}


def _method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    path = f"{API_VERSION}/comments:{name}"
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": path,
        "flatPath": path,
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": {"$ref": request},
        "response": {"$ref": response},
        "description": description,
    }


def discovery_document(root_url: str) -> dict[str, Any]:
    """The discovery document with ``rootUrl`` = ``root_url`` (must end with ``/``).

    Parameters
    ----------
    root_url:
        This server's base URL plus the endpoint prefix, e.g.
        ``https://comments.example.org/perspective/``.
    """
    if not root_url.endswith("/"):
        root_url += "/"
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": f"commentanalyzer:{API_VERSION}",
        "name": "commentanalyzer",
        "canonicalName": "Comment Analyzer",
        "version": API_VERSION,
        "revision": __version__,
        "title": "Perspective Comment Analyzer API (rostra)",
        "description": "rostra's Perspective-compatible endpoint: scores comments against the "
        "site's guidelines in English, Arabic, Sorani and Kurmanji Kurdish, Turkish and "
        "Persian. Moderation decisions sent to comments:suggestscore are kept as labelled "
        "feedback; doNotStore keeps the text out of storage and logs.",
        "ownerDomain": "rostra",
        "ownerName": "rostra",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": copy.deepcopy(_STANDARD_PARAMETERS),
        "schemas": copy.deepcopy(_SCHEMAS),
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the provided text and returns scores for requested attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Stores a moderation decision or corrected score as feedback.",
                    ),
                }
            }
        },
    }
