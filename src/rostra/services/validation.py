"""Checks on untrusted reader input before anything is stored."""

from __future__ import annotations

import re
import unicodedata

from rostra import errors

#: Bidi embeddings, overrides and isolates: they can make text display differently from what
#: it says (Trojan Source). Plain direction marks (U+200E/U+200F, U+061C) are allowed because
#: right-to-left writers use them legitimately.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\n\t")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,63}$")


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The first forbidden character and its offset: control, bidi override, or surrogate."""
    for index, ch in enumerate(text):
        if ch in _BIDI_CONTROLS:
            return index, ch
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _ALLOWED_CONTROLS:
            return index, ch
        if category == "Cs":
            return index, ch
    return None


def _refuse_forbidden(text: str, what: str) -> None:
    found = forbidden_character(text)
    if found is not None:
        index, ch = found
        raise errors.ForbiddenCharacters(
            f"the {what} contains a control or text-direction override character "
            f"(U+{ord(ch):04X} at position {index}); remove it and try again",
            field=what,
            position=index,
        )


def clean_comment_text(text: str, *, max_length: int) -> str:
    """Normalize line endings and trim; refuse empty, too long or forbidden-character text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise errors.EmptyComment("the comment is empty", field="text")
    if len(text) > max_length:
        raise errors.CommentTooLong(
            f"the comment has {len(text)} characters; the limit is {max_length}",
            field="text",
            limit=max_length,
        )
    _refuse_forbidden(text, "text")
    return text


def clean_author_name(name: str, *, max_length: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise errors.InvalidInput("a name is needed to post a comment", field="author_name")
    if len(name) > max_length:
        raise errors.InvalidInput(
            f"the name is longer than {max_length} characters", field="author_name"
        )
    _refuse_forbidden(name, "author_name")
    return name


def clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 254 or not _EMAIL.match(email) or forbidden_character(email):
        raise errors.InvalidInput("the e-mail address is not valid", field="author_email")
    return email
