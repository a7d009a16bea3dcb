"""Checks on untrusted reader input before anything is stored."""

from __future__ import annotations

import re
import unicodedata

from rostra import errors

#: Bidi overrides (LRO, RLO): they reverse how letters are shown, so a comment or a name can
#: display as something other than what it says (Trojan Source: "gpj.exe" shown as "exe.jpg").
#: Embeddings, isolates and their terminators (U+202A–C, U+2066–9) and direction marks
#: (U+200E/F, U+061C) are allowed: phone keyboards and messaging apps put them into ordinary
#: Arabic, Persian and Kurdish text, they can change the order of words but never of the letters
#: within one, and every page shows a comment and a name bidi-isolated, so none of them reaches
#: outside it. Comments are never edited, so they are kept as written; the screen's
#: normalizer ignores them.
_BIDI_CONTROLS = frozenset("\u202d\u202e")
_ALLOWED_CONTROLS = frozenset("\n\t")
#: Characters that are not whitespace nor format characters (Cf) but still show nothing:
#: Hangul fillers, the braille blank, and the combining joiner and variation selectors (which
#: only modify a neighbour). Tag characters U+E0000–U+E007F are listed by range below, since
#: some of them are unassigned rather than Cf.
_BLANK_LOOKALIKES = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul choseong/jungseong fillers, Hangul (halfwidth) filler
    "\u2800"  # braille pattern blank
    "\u034f"  # combining grapheme joiner
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u180b\u180c\u180d\u180f"  # Mongolian free variation selectors
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))  # variation selectors
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))  # variation selectors supplement
)
_TAGS = range(0xE0000, 0xE0080)
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


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` shows nothing on its own: whitespace, a format character (Cf, e.g.
    U+200B, U+FEFF), a tag character, or a blank look-alike such as U+3164 or U+2800."""
    return (
        ch.isspace()
        or unicodedata.category(ch) == "Cf"
        or ch in _BLANK_LOOKALIKES
        or ord(ch) in _TAGS
    )


def has_visible(text: str) -> bool:
    """Whether ``text`` has at least one character a reader can see."""
    return not all(is_invisible(ch) for ch in text)


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
    """Normalize line endings and trim; refuse empty, too long or forbidden-character text.

    Text with nothing visible (only whitespace, format characters and blank look-alikes; see
    :func:`is_invisible`) is empty too. Such characters are never removed from the text that is
    kept: they only decide whether there is a comment at all.
    """
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
    if not has_visible(text):
        raise errors.EmptyComment(
            "the comment is empty: it has only invisible or blank characters", field="text"
        )
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
    if not has_visible(name):
        raise errors.InvalidInput(
            "a name is needed to post a comment (this one has only invisible or blank characters)",
            field="author_name",
        )
    return name


def clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 254 or not _EMAIL.match(email) or forbidden_character(email):
        raise errors.InvalidInput("the e-mail address is not valid", field="author_email")
    return email
