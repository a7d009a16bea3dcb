"""English: endings that keep a listed word the same word ("idiots", "fucking")."""

PREFIXES: tuple[str, ...] = ()
SUFFIXES: tuple[str, ...] = (
    "s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ies", "ish", "ass", "face", "head",
)  # fmt: skip
REPORTING = (
    r"\b(?:said|says|say|told|tells|threatened|threatens|threatening|warned|warns|vowed|vows"
    r"|claimed|chanted|shouted|wrote|posted|quoted|according to|allegedly|reportedly"
    r"|statement|message read|letter read|graffiti)\b"
)
