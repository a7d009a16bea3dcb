"""Security headers on every response rostra sends: pages, JSON, static files and errors.

The dashboard and demo pages already set their own strict Content-Security-Policy; this
middleware only fills in what a response lacks, so a page's own policy always wins. It runs
outermost, so even a 413 from the body-size limit or a 500 from the catch-all carries them.

- JSON and everything else get ``default-src 'none'; frame-ancestors 'none'``: an API answer
  rendered as a document (a browser opening it directly) can run nothing and cannot be framed.
- The interactive API docs (``/docs``, ``/redoc``) load FastAPI's Swagger/ReDoc bundle from
  its CDN with an inline bootstrap script, so they get a policy that allows exactly that.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For responses that are not rostra's own pages (JSON, static files, errors).
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

#: FastAPI's interactive docs: their CDN bundle and inline bootstrap, nothing else.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; "
    "base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

_ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
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


__all__ = ["API_CSP", "DOCS_CSP", "SecurityHeaders"]
