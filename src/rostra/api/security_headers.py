"""Security headers on every response rostra sends: pages, JSON, static files and errors.

The dashboard and demo pages already set their own strict Content-Security-Policy; this
middleware only fills in what a response lacks, so a page's own policy always wins. It runs
outermost of rostra's middleware, so even a 413 from the body-size limit carries them. A 500
from the catch-all ``Exception`` handler is answered by Starlette's ``ServerErrorMiddleware``,
outside every user middleware, so that handler (``rostra.api.errors``) sets them itself.

- JSON and everything else get ``default-src 'none'; frame-ancestors 'none'``: an API answer
  rendered as a document (a browser opening it directly) can run nothing and cannot be framed.
- The interactive API docs (``/docs``) load Swagger UI from rostra's own files with an inline
  bootstrap script, so they get a policy that allows exactly that and nothing from elsewhere.

None of these headers limits who may *read* a response: ``frame-ancestors``, framing refusal and
the opener policy concern documents, and a CSP on a JSON answer does not apply to a ``fetch``.
So the widget's cross-origin calls are governed only by :class:`WidgetCors` below (ADR 0034):
CORS for the publisher origins in ``ROSTRA_WIDGET_ORIGINS`` on the public widget API and the
widget's files, and nothing anywhere else. It sits inside this middleware (its preflight answers
carry these headers too) and outside the body-size limit (a 413 stays readable by the widget).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For responses that are not rostra's own pages (JSON, static files, errors).
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

#: The interactive docs: Swagger UI's files from this origin and its inline bootstrap.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})

#: Set on every answer (a page's own values win).
ALWAYS_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_ALWAYS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.lower().encode(), value.encode()) for name, value in ALWAYS_HEADERS.items()
)


class SecurityHeaders:
    """Add CSP (with frame-ancestors), nosniff, referrer policy and framing refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope.get("path") in DOCS_PATHS else API_CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                headers.extend(pair for pair in _ALWAYS if pair[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: What a publisher's page calls from another origin: the widget's files (its i18n JSON is
#: fetched) and the public widget API. Article creation (``POST /api/v1/articles``, a bearer
#: token's job), moderation, admin, auth, the dashboard and Perspective never match.
WIDGET_PATHS = re.compile(
    r"/embed\.js"
    r"|/widget/[^?#]+"
    r"|/api/v1/articles/[^/]+(?:/comments)?"
    r"|/api/v1/comments/[^/]+(?:/reports)?"
    r"|/api/v1/comment-counts"
)
#: The request headers the widget sends beyond the CORS-safelisted ones.
WIDGET_HEADERS = ("Content-Type", "X-Author-Token")
WIDGET_METHODS = ("GET", "POST", "OPTIONS")


def is_widget_path(path: str) -> bool:
    """Whether a publisher page on another origin may call ``path`` (see ``WIDGET_PATHS``).

    Examples
    --------
    >>> is_widget_path("/api/v1/articles/a-1/comments"), is_widget_path("/api/v1/articles")
    (True, False)
    >>> is_widget_path("/api/v1/moderation/queue"), is_widget_path("/widget/i18n/ckb.json")
    (False, True)
    """
    return WIDGET_PATHS.fullmatch(path) is not None


class WidgetCors:
    """CORS for the reader widget on publisher pages, and only for it.

    Starlette's :class:`~starlette.middleware.cors.CORSMiddleware` answers for the widget's
    paths; every other request goes straight to the app, so a preflight to the moderation API
    from any origin meets a plain 405 and no ``Access-Control-*`` header. No credentials: the
    widget sends no cookies (``credentials: "omit"``) and authenticates an author by the
    ``X-Author-Token`` header, so ``*`` stays possible (but is not recommended).
    """

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = tuple(origins)
        self.cors = CORSMiddleware(
            app,
            allow_origins=self.origins,
            allow_methods=WIDGET_METHODS,
            allow_headers=WIDGET_HEADERS,
            allow_credentials=False,
            # The widget tells a rate-limited author how long to wait.
            expose_headers=("Retry-After",),
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.origins:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if is_widget_path(path):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


__all__ = [
    "ALWAYS_HEADERS",
    "API_CSP",
    "DOCS_CSP",
    "WIDGET_PATHS",
    "SecurityHeaders",
    "WidgetCors",
    "is_widget_path",
]
