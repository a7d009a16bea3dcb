"""Persian: verb prefixes and the endings that attach once ZWNJ is dropped, in the loose form."""

# No negation prefixes (ن, نمی): "نمیمیری" (you will not die) is not "میمیری" (you will die).
PREFIXES: tuple[str, ...] = ("ب", "می", "و")
SUFFIXES: tuple[str, ...] = (
    "ها", "های", "ی", "ه", "ت", "ش", "م", "ان", "ای", "هات", "تون", "شون", "مون", "هایی",
    "اش", "ات", "یه", "هی", "ید", "ن",
)  # fmt: skip
REPORTING = (
    r"(?<!\w)(?:گفت|گفته|گفتند|میگوید|تهدید|تهدیدکرد|هشدار|اعلام|به گزارش|نوشت|نوشته"
    r"|شعار|بیانیه|ادعا)(?!\w)"
)
