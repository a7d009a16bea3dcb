"""Sorani: the proclitics و بە لە and the definite/plural/possessive endings, in the loose form.

The loose fold writes ە as ه and ێ as ی, so "ەکە" appears here as "هکه".
"""

PREFIXES: tuple[str, ...] = ("و", "به", "له", "ب", "ل", "ی", "ه")
SUFFIXES: tuple[str, ...] = (
    "ه", "ی", "یه", "هکه", "هکان", "که", "کان", "ان", "یک", "ت", "م", "مان", "تان", "یان",
    "هی", "یکی", "ینه", "کهی", "هکهی", "هکانی", "کانی", "ن", "نه", "و", "یت", "یش", "هکهت",
    "هکهم", "کهت", "کهم", "هکانت", "ت",
)  # fmt: skip
REPORTING = (
    r"(?<!\w)(?:وتی|وتیان|گوتی|دهلیت|ههرهشه|ههرهشهی|ههرهشهیان|ئاگاداری|رایگهیاند"
    r"|بهیاننامه|بهپیی|نووسی|دروشم)(?!\w)"
)
