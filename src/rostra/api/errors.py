"""JSON errors everywhere: ``{"code", "message", "details"}`` with a stable code.

No input may produce a 500: validation, HTTP, oversized and malformed bodies all have their
own handler; the catch-all logs and answers 500 only for real bugs.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rostra import errors

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "authentication_required",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"code": code, "message": message, "details": details or {}}
    return JSONResponse(body, status_code=status, headers=headers)


def _json_safe(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


async def _rostra_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.RostraError)
    headers = None
    if isinstance(exc, errors.RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    details = {k: _json_safe(v) for k, v in exc.details.items()}
    return error_response(exc.status, exc.code, exc.message, details, headers)


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ()) if part != "body"]
    return {"field": ".".join(location) or None, "problem": str(error.get("msg", "invalid"))}


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(400, "invalid_json", "the request body is not valid JSON")
    described = [_describe(p) for p in problems[:20]]
    summary = "; ".join(
        f"{d['field']}: {d['problem']}" if d["field"] else d["problem"] for d in described[:3]
    )
    return error_response(
        422, "invalid_input", f"the request is not valid ({summary})", {"errors": described}
    )


#: FastAPI's answer when reading the JSON body raised something other than a JSON syntax error
#: (it chains the original as ``__cause__``).
_FASTAPI_BODY_PARSE_ERROR = "There was an error parsing the body"


def _body_parse_problem(exc: StarletteHTTPException) -> str | None:
    """Why the JSON body could not be read, when ``exc`` is FastAPI's body parse error.

    Python's JSON reader refuses some syntactically valid JSON: nesting deeper than its
    recursion limit, and integers longer than 4,300 digits. FastAPI answers those with a bare
    400; for the client they are JSON that cannot be read, so ``invalid_json``.
    """
    if exc.status_code != 400 or exc.detail != _FASTAPI_BODY_PARSE_ERROR:
        return None
    cause = exc.__cause__
    if isinstance(cause, RecursionError):
        return "the request body is not valid JSON: it is nested too deeply"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "the request body is not valid JSON: a number in it has too many digits"
    return "the request body is not valid JSON"


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem = _body_parse_problem(exc)
    if problem is not None:
        return error_response(400, "invalid_json", problem)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = "there is nothing at this address"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, message, headers=headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    # Starlette answers this in its ServerErrorMiddleware, outside every user middleware, so
    # the security headers middleware never sees it: the headers are set here instead.
    from rostra.api.security_headers import ALWAYS_HEADERS, API_CSP

    headers = {"Content-Security-Policy": API_CSP, **ALWAYS_HEADERS}
    return error_response(
        500, "internal_error", "something went wrong on our side", headers=headers
    )


#: Seconds a client should wait before retrying when the database is unreachable.
DATABASE_RETRY_AFTER = 5


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is down, restarting or out of space: a clear 503 the client can retry,
    not a 500 (nothing was half-written: the transaction rolled back)."""
    full = "disk is full" in str(exc) or "No space left" in str(exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    code, message = (
        ("storage_full", "the server's storage is full; try again later")
        if full
        else ("database_unavailable", "the database is unavailable; try again shortly")
    )
    return error_response(503, code, message, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeout, _database_unavailable)
    app.add_exception_handler(errors.RostraError, _rostra_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


class BodySizeLimit:
    """Refuse bodies over ``max_bytes`` with 413, by Content-Length or while streaming.

    The body is read here (it is small by definition) and replayed to the application, so a
    client that lies about Content-Length or sends chunks is cut off at the limit.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        #: Path prefix -> limit, for routes that need another one (see ``set_body_limit``).
        self.overrides = overrides if overrides is not None else {}

    def limit_for(self, path: str) -> int:
        matches = [p for p in self.overrides if path.startswith(p)]
        return self.overrides[max(matches, key=len)] if matches else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit():  # also refuses "-5", "+5", " 5" and "5.0"
                    await self._reject(
                        scope,
                        receive,
                        send,
                        400,
                        "bad_request",
                        "the Content-Length header is not a whole number of bytes",
                    )
                    return
                # More than 15 digits is over any limit (and int() refuses 4,300 digits).
                if len(value) > 15 or int(value) > limit:
                    await self._too_large(scope, receive, send, limit)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away; let the app see the disconnect.
                await self.app(scope, _replay([], message, receive), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await self._reject(
            scope,
            receive,
            send,
            413,
            "body_too_large",
            f"the request body is larger than {limit} bytes",
        )

    async def _reject(
        self, scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str
    ) -> None:
        response = error_response(status, code, message, headers={"Connection": "close"})
        await response(scope, receive, send)


def _replay(chunks: list[bytes], pending: Message | None, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if pending is not None:
                return pending
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return await receive()

    return replay


def set_body_limit(app: FastAPI, path_prefix: str, max_bytes: int) -> None:
    """Give routes under ``path_prefix`` their own body limit (extensions call this in mount)."""
    app.state.body_limits[path_prefix] = max_bytes
