"""API keys: rostra API tokens of role ``perspective`` (the service stores only their hash).

The key arrives as ``?key=`` (what Coral and Google's clients send) or the ``X-Goog-Api-Key``
header. It is checked through the service's token store
(:func:`rostra.services.accounts.authenticate_token`); the access-log filter in
:mod:`rostra.perspective.redact` keeps it out of the logs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from rostra.services.accounts import authenticate_token

PERSPECTIVE_ROLE = "perspective"
#: Longer "keys" are not rostra tokens; refuse them before hashing.
MAX_KEY_LENGTH = 512


@dataclass(frozen=True, slots=True)
class KeyPrincipal:
    token_id: int
    name: str
    role: str


class KeyVerifier:
    """Finds the live (not revoked) API token behind a key."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def verify(self, key: str) -> KeyPrincipal | None:
        if not key or len(key) > MAX_KEY_LENGTH:
            return None
        with self._sessions() as session:
            token = authenticate_token(session=session, token=key)
            if token is None:
                return None
            return KeyPrincipal(token_id=token.id, name=token.name, role=token.role)
