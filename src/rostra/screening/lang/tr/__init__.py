"""Turkish: frequent case, plural and possessive endings, in the loose (dotless, plain) form."""

PREFIXES: tuple[str, ...] = ()
SUFFIXES: tuple[str, ...] = (
    "i", "u", "a", "e", "in", "un", "im", "um", "ler", "lar", "leri", "lari", "den", "dan",
    "de", "da", "ya", "ye", "yi", "yu", "nin", "nun", "sin", "sun", "lik", "luk", "ligi",
    "lugu", "ci", "cu", "cilar", "ciler", "ini", "unu", "ne", "na", "lere", "lara", "ler",
    "siniz", "sunuz", "sin", "sn", "ım", "in",
)  # fmt: skip
REPORTING = (
    r"\b(?:diye|dedi|demis|soyledi|tehdit|tehdit etti|tehdit ederek|uyardi|acikladi|aciklamasinda"
    r"|iddia|yazdi|slogan|bildiri|gore|haberine gore)\b"
)
