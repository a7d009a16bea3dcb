"""Kurmanji: case, vocative and indefinite endings ("kerê", "kero", "kerekî"), loose form."""

PREFIXES: tuple[str, ...] = ()
SUFFIXES: tuple[str, ...] = (
    "e", "a", "en", "an", "i", "o", "ino", "ine", "in", "ek", "eke", "eki", "ye", "ya", "yi",
    "ne", "ni", "no", "ên", "ji", "ê",
)  # fmt: skip
REPORTING = (
    r"\b(?:got|gotibu|digot|gotin|dibeje|gef|gef xwar|gefxwar|gef li|hişyarî|hisyari"
    r"|ragihand|daxuyani|daxuyaniya|li gor|nivisand|dirusm|slogan)\b"
)
