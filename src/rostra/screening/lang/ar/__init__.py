"""Arabic: proclitics (و ف ب ل ال and their combinations, vocative یا, Iraqi/Levantine هال
"this") and pronoun/plural endings, in the loose matching form."""

PREFIXES: tuple[str, ...] = (
    "و", "ف", "ب", "ل", "ال", "وال", "بال", "فال", "لل", "یا", "وی", "فی", "هال",
)  # fmt: skip
SUFFIXES: tuple[str, ...] = (
    "ه", "ات", "ین", "ون", "ی", "ک", "ها", "هم", "کم", "نا", "هن", "تین",
)  # fmt: skip
# Words that report speech (MSA and Iraqi گال/یگول), with an optional proclitic ("بحسب",
# "برسالة", "والبيان") and an object pronoun ("هددك", "گاله" said to him).
REPORTING = (
    r"(?<!\w)(?:و|ف|ب|ل|ال|وال|بال)?"
    r"(?:قال|قالت|قالوا|یقول|تقول|کال|کالت|کالوا|یکول|گال|گالت|گالوا|یگول"
    r"|هدد|هددت|هددوا|یهدد|تهدد|توعد|توعدت|اعلن|اعلنت|صرح|بیان|حسب|حسبما|وفق|وفقا|نقلا"
    r"|کتب|کتبت|هتف|هتفوا|صرخ|صرخت|صرخوا|صاح|صاحوا|ذکر|ذکرت|افاد|افادت|اکد|اکدت|زعم"
    r"|رساله|رسائل|عباره|شعار|فتوی|فتاوی)"
    r"(?:ه|ها|هم|ک|کم|ی|نی|نا)?(?!\w)"
)
