"""English: endings that keep a listed word the same word ("idiots", "fucking")."""

PREFIXES: tuple[str, ...] = ()
SUFFIXES: tuple[str, ...] = (
    "s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ies", "ish", "ass", "face", "head",
)  # fmt: skip
REPORTING = (
    r"\b(?:said|says|say|told|tells|threatened|threatens|threatening|warned|warns|vowed|vows"
    r"|claimed|chanted|chants|chanting|shouted|shouts|shouting|yelled|yells|screamed|screams"
    r"|screaming|wrote|posted|quoted|confirmed|according to|allegedly|reportedly"
    r"|statement|message read|letter read|graffiti)\b"
)
