"""Language identification on the team's own sentences (not from any evaluation suite)."""

from __future__ import annotations

import pytest

from rostra.screening.langid import identify

SENTENCES: dict[str, list[str]] = {
    "en": [
        "This is a thoughtful article about the budget.",
        "I don't agree with the minister, but the reporting is fair.",
        "Thanks for covering the floods in Duhok.",
        "Why did the government wait so long to respond?",
        "Great piece, very well researched.",
        "The roads in our village have not been repaired for years.",
        "Can you publish the full statement from the ministry?",
        "People are tired of empty promises.",
        "What a shame that nobody asked the farmers.",
        "The photo caption is wrong, that is Erbil not Sulaymaniyah.",
        "Well said!",
    ],
    "ar": [
        "هذا المقال رائع جدا وشكرا للكاتب",
        "الحكومة لم تفعل شيئا للشعب منذ سنوات",
        "لماذا لا يتم نشر الأرقام الحقيقية؟",
        "أتفق مع الكاتب في كل ما قاله",
        "الوضع في المدينة صعب للغاية",
        "نحن بحاجة إلى حلول حقيقية وليس وعود",
        "هل يمكن أن تكتبوا عن مشكلة الكهرباء؟",
        "والله كلام صحيح مية بالمية",
        "شكرا على هذا التقرير المهم",
        "هذه الانتخابات لن تغير شيئا",
        "الله يحفظ العراق",
    ],
    "fa": [
        "این مقاله خیلی خوب بود، ممنون",
        "دولت هیچ کاری برای مردم نکرده است",
        "چرا کسی به این موضوع توجه نمی‌کند؟",
        "من با نویسنده کاملا موافقم",
        "وضعیت اقتصادی ایران هر روز بدتر می‌شود",
        "لطفا درباره گرانی هم بنویسید",
        "این گزارش دقیق و منصفانه است",
        "مردم از وعده‌های توخالی خسته شده‌اند",
        "چه خبر خوبی، امیدوارم ادامه پیدا کند",
        "به نظرم عکس اشتباه است",
        "دستتون درد نکنه",
    ],
    "ckb": [
        "ئەمە هەواڵێکی زۆر باشە بۆ خەڵکی کوردستان",
        "حکومەت هیچ کارێکی بۆ خەڵک نەکردووە",
        "بۆچی کەس باسی ئەم کێشەیە ناکات؟",
        "من لەگەڵ نووسەر تەواو هاوڕام",
        "سوپاس بۆ ئەم ڕاپۆرتە گرنگە",
        "ڕێگاکانی گوندەکەمان ساڵانێکە چاک نەکراونەتەوە",
        "تکایە دەربارەی کارەبا بنووسن",
        "ئەم هەڵبژاردنە هیچ شتێک ناگۆڕێت",
        "وێنەکە هەڵەیە، ئەوە هەولێرە نەک سلێمانی",
        "خەڵک ماندوو بووە لە بەڵێنی درۆ",
        "زۆر سوپاس",
    ],
    "kmr": [
        "Ez ji vê gotarê pir hez dikim, spas",
        "Hikûmetê tu tişt ji bo gel nekiriye",
        "Çima kes behsa vê pirsgirêkê nake?",
        "Ez bi nivîskar re bi tevahî razî me",
        "Rewşa aboriyê her roj xirabtir dibe",
        "Ji kerema xwe li ser elektrîkê jî binivîsin",
        "Ev nûçe gelek girîng e ji bo kurdan",
        "Rêyên gundê me bi salan e nehatine çêkirin",
        "Wêne çewt e, ew Hewlêr e ne Silêmanî",
        "Gel ji sozên vala westiyaye",
        "Gotara te gelek baş bû hevalno",
    ],
    "tr": [
        "Bu makale çok güzel olmuş, teşekkürler",
        "Hükümet halk için hiçbir şey yapmadı",
        "Neden kimse bu konuyu konuşmuyor?",
        "Yazara tamamen katılıyorum",
        "Ekonomik durum her gün daha da kötüleşiyor",
        "Lütfen elektrik kesintileri hakkında da yazın",
        "Bu haber gerçekten önemli",
        "Köyümüzün yolları yıllardır tamir edilmedi",
        "Fotoğraf yanlış, orası Erbil değil",
        "İnsanlar boş vaatlerden bıktı",
        "Çok doğru söylemişsiniz",
    ],
}

ARABIZI = [
    "wallah 3ndak 7a2 ya akhi",
    "shu hal kalam, inta ma bte3ref shi",
    "yalla habibi mabrook 3al najah",
    "inshallah kheir, el wade3 sa3b kteer",
    "khalas ma fi fayde min hal 7ukume",
]
FINGLISH = [
    "kheili khoob bood merci",
    "man ba shoma movafegham vali dolat hich kari nakard",
    "chera kasi be in mozoo tavajoh nemikone",
    "salam agha, in khabar dorost nist",
    "nemidoonam chi begam, kheili bade",
]


@pytest.mark.parametrize(
    ("lang", "sentence"), [(lang, s) for lang, ss in SENTENCES.items() for s in ss]
)
def test_langid_identifies_each_language(lang: str, sentence: str) -> None:
    guess = identify(sentence)
    assert guess.lang == lang, guess
    assert 0.0 < guess.confidence <= 1.0


@pytest.mark.parametrize("sentence", ARABIZI)
def test_langid_arabizi_is_arabic(sentence: str) -> None:
    assert identify(sentence).lang == "ar"


@pytest.mark.parametrize("sentence", FINGLISH)
def test_langid_finglish_is_persian(sentence: str) -> None:
    assert identify(sentence).lang == "fa"


@pytest.mark.parametrize(
    ("sentence", "lang"),
    [
        # Code-switching: the dominant language wins.
        ("ئەمە زۆر باشە, good job", "ckb"),
        ("Great article, زۆر سوپاس بۆ ئەم ڕاپۆرتە گرنگە", "ckb"),
        ("Ez pir kêfxweş im, thanks a lot hevalno", "kmr"),
        ("Bu haber çok güzel ama the title is wrong", "tr"),
    ],
)
def test_langid_code_switching(sentence: str, lang: str) -> None:
    assert identify(sentence).lang == lang


def test_langid_sorani_persian_arabic_told_apart_on_shared_words() -> None:
    # The same idea, "the government did nothing for the people", in the three languages.
    assert identify("حکومەت هیچ کارێکی بۆ خەڵک نەکرد").lang == "ckb"
    assert identify("دولت هیچ کاری برای مردم نکرد").lang == "fa"
    assert identify("الحكومة لم تفعل شيئا للناس").lang == "ar"


def test_langid_kurmanji_gotar_is_not_turkish() -> None:
    assert identify("Ev gotar gelek baş e").lang == "kmr"


def test_langid_short_text_is_less_confident_than_long() -> None:
    short = identify("spas")
    long = identify("Ez ji vê gotarê pir hez dikim, spas ji bo vê nûçeyê")
    assert long.lang == "kmr"
    assert short.confidence < long.confidence


def test_langid_no_letters_is_other_with_no_confidence() -> None:
    assert identify("👍👍 !!! 123").lang == "other"
    assert identify("").confidence == 0.0


def test_langid_other_scripts_are_other() -> None:
    assert identify("Это очень хорошая статья").lang == "other"
    assert identify("这是一篇好文章").lang == "other"


def test_langid_hint_tips_a_close_call_only() -> None:
    assert identify("ok", hint="tr").lang == "tr"
    assert identify("ئەمە هەواڵێکی زۆر باشە بۆ خەڵکی کوردستان", hint="ar").lang == "ckb"


def test_langid_is_deterministic() -> None:
    text = "Bu haber çok güzel"
    assert identify(text) == identify(text)
