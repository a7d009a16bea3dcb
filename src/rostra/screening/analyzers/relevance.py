"""Off-topic: is the comment about its article? (``rostra.relevance.v1``, emits ``off_topic``)

The comment and the article are embedded with the shared multilingual encoder
(:mod:`rostra.screening.embedding`), so a Sorani comment on an English article is judged on
meaning, not on shared words. Three numbers describe a comment:

``similarity``
    cosine between the comment (E5 *query*) and the article's title plus the start of its body
    (E5 *passage*);
``same_language``
    1 when the comment's language is the article's. The encoder scores a same-language pair
    higher than a cross-language pair of the same relatedness, so without this an off-topic
    comment in the article's language looks on-topic and an on-topic comment in another
    language looks off-topic;
``generic``
    how much closer the comment is to a small set of generic reactions to an article ("Thank
    you for this report", "This news is fake") than to a set of everyday remarks that react to
    nothing ("Does anyone know a good place to eat?"), both in the six languages. Generic
    reactions engage with the article without naming its subject and must not be called
    off-topic; taking the difference cancels the encoder's same-language closeness.

A logistic function of those three numbers, fitted on the team's own tuning set
(``tests/fixtures/relevance/tune.json``, refit with ``bench/relevance_calibration.py``) and
measured on a separate test set (``docs/relevance.md``), turns them into a calibrated
probability that the comment is off-topic.

No signal at all when there is no article (nothing to compare with), when the comment is a
reply (it answers another comment, not the article) or when it is too short to carry a topic
(fewer than ``min_words`` words or ``min_letters`` letters: "Great article", "شكرا",
"زۆر باشە"). Off-topic never auto-rejects in the default policy; a high score routes the
comment to a moderator. There are no evidence spans: the whole comment is the evidence.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rostra.screening.embedding import Embedder, article_passage, get_embedder
from rostra.screening.langid import identify
from rostra.screening.registry import register
from rostra.screening.types import ArticleContext, Category, ScreenDoc, Signal

__all__ = [
    "CALIBRATION",
    "EVERYDAY_REMARKS",
    "GENERIC_REACTIONS",
    "Calibration",
    "RelevanceAnalyzer",
    "RelevanceFeatures",
    "is_exempt_length",
    "prototype_vectors",
    "warm_article",
    "write_prototype_vectors",
]

NAME = "rostra.relevance.v1"


@dataclass(frozen=True, slots=True)
class Calibration:
    """``P(off_topic) = 1 / (1 + exp(-(intercept + Σ weight·feature)))``."""

    intercept: float
    similarity: float
    same_language: float
    generic: float
    fitted_on: str

    def probability(self, features: RelevanceFeatures) -> float:
        z = (
            self.intercept
            + self.similarity * features.similarity
            + self.same_language * features.same_language
            + self.generic * features.generic
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


# Fitted by `python bench/relevance_calibration.py --write` on tests/fixtures/relevance/tune.json.
# (The numbers below are replaced by that command; do not edit them by hand.)
CALIBRATION = Calibration(
    intercept=45.9546,
    similarity=-57.9633,
    same_language=0.1761,
    generic=-60.6552,
    fitted_on="tests/fixtures/relevance/tune.json (91 comments)",
)

#: Generic reactions to an article, in the six languages (the team's own writing). A comment
#: close to one of these engages with the article even when it never names the subject.
GENERIC_REACTIONS: tuple[str, ...] = (
    # en
    "Thank you for this report.",
    "Great article, well written and informative.",
    "This news is fake, the article is biased propaganda.",
    "Why does your outlet publish such one-sided reporting?",
    "I completely agree with what is written here.",
    "Sad news, my condolences to everyone affected.",
    # ar
    "شكرا لكم على هذا التقرير المفيد",
    "هذا الخبر كاذب والمقال منحاز",
    "أتفق تماما مع ما جاء في المقال",
    "خبر محزن، رحم الله الضحايا",
    # ckb
    "سوپاس بۆ ئەم ڕاپۆرتە باشە",
    "ئەم هەواڵە درۆیە و بابەتەکە لایەنگیرە",
    "من بە تەواوی لەگەڵ ئەم بابەتەدام",
    "هەواڵێکی دڵتەزێنە، سەرەخۆشی لە هەمووان دەکەم",
    # kmr
    "Spas ji bo vê nûçeyê, gotareke baş e",
    "Ev nûçe derew e û gotar alîgir e",
    "Ez bi tevahî bi vê gotarê re dipejirînim",
    # tr
    "Bu haber için teşekkürler, çok güzel bir yazı",
    "Bu haber yalan, yazı tamamen taraflı",
    "Yazılanlara tamamen katılıyorum",
    "Çok üzücü bir haber, başımız sağ olsun",
    # fa
    "ممنون از این گزارش خوب",
    "این خبر دروغ است و مقاله جانبدارانه است",
    "کاملا با این مطلب موافقم",
    "خبر تلخی بود، تسلیت به همه",
)

#: Everyday remarks that react to no article, in the same six languages. ``generic`` is the
#: closeness to GENERIC_REACTIONS *minus* the closeness to these: the encoder finds any two
#: texts in the same language fairly close, and the difference cancels that, so a Kurmanji
#: remark about a wedding is not "generic engagement" merely because the Kurmanji reactions
#: are the nearest texts around.
EVERYDAY_REMARKS: tuple[str, ...] = (
    # en
    "Does anyone know a good place to eat around here?",
    "My car broke down again this morning.",
    "Happy birthday to my dear friend!",
    "Our team played really well in the match last night.",
    # ar
    "هل يعرف أحد محلا جيدا لتصليح الهواتف؟",
    "ذهبت اليوم إلى السوق واشتريت الخضار",
    "فريقنا لعب مباراة رائعة أمس",
    # ckb
    "کەس دەزانێت چێشتخانەیەکی باش لێرە کوێیە؟",
    "ئەمڕۆ چووم بۆ بازاڕ و میوەم کڕی",
    "یارییەکەی دوێنێ شەو زۆر خۆش بوو",
    # kmr
    "Kes dizane li vir xwaringehek baş heye?",
    "Îro ez çûm sûkê û min fêkî kirî",
    "Lîstika duh êvarê pir xweş bû",
    # tr
    "Buralarda iyi bir lokanta bilen var mı?",
    "Bugün pazara gittim ve meyve aldım",
    "Dün akşamki maç çok güzeldi",
    # fa
    "کسی یک رستوران خوب این اطراف سراغ دارد؟",
    "امروز به بازار رفتم و میوه خریدم",
    "بازی دیشب تیم ما خیلی خوب بود",
)

#: The prototype vectors, computed once and shipped so that building the screen does not spend
#: ~1 s (more on a busy machine) encoding 44 sentences. Used only when its metadata names the
#: same encoder and the same sentences; otherwise they are encoded at start-up.
PROTOTYPES_FILE = Path(__file__).with_name("relevance_prototypes.safetensors")


def _prototypes_key() -> str:
    texts = json.dumps([GENERIC_REACTIONS, EVERYDAY_REMARKS], ensure_ascii=False)
    return hashlib.sha256(texts.encode("utf-8")).hexdigest()


def prototype_vectors(
    embedder: Embedder,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(generic reactions, everyday remarks) as query vectors: shipped if valid, else encoded."""
    from safetensors import safe_open
    from safetensors.numpy import load_file

    if PROTOTYPES_FILE.is_file():
        with safe_open(str(PROTOTYPES_FILE), framework="np") as handle:
            metadata = handle.metadata() or {}
        if (
            metadata.get("model_version") == embedder.model_version
            and metadata.get("texts_sha256") == _prototypes_key()
        ):
            tensors = load_file(str(PROTOTYPES_FILE))
            return tensors["generic"], tensors["everyday"]
    return embedder.embed_queries(GENERIC_REACTIONS), embedder.embed_queries(EVERYDAY_REMARKS)


def write_prototype_vectors(embedder: Embedder | None = None) -> Path:
    """Encode the prototypes and ship them (``bench/relevance_calibration.py --write``)."""
    from safetensors.numpy import save_file

    embedder = embedder or get_embedder()
    save_file(
        {
            "generic": np.ascontiguousarray(embedder.embed_queries(GENERIC_REACTIONS)),
            "everyday": np.ascontiguousarray(embedder.embed_queries(EVERYDAY_REMARKS)),
        },
        str(PROTOTYPES_FILE),
        metadata={"model_version": embedder.model_version, "texts_sha256": _prototypes_key()},
    )
    return PROTOTYPES_FILE


#: Below either of these a comment is a reaction, not a topic: no off-topic signal.
DEFAULT_MIN_WORDS = 4
DEFAULT_MIN_LETTERS = 20


def is_exempt_length(text: str, min_words: int, min_letters: int) -> bool:
    """True when ``text`` is too short to be judged off-topic.

    Letters are Unicode letters (any script), so digits, punctuation and emoji do not count:
    "👍👍👍 !!!" is as short as it looks.
    """
    words = len(text.split())
    letters = sum(1 for ch in text if ch.isalpha())
    return words < min_words or letters < min_letters


@dataclass(frozen=True, slots=True)
class RelevanceFeatures:
    similarity: float
    same_language: float
    generic: float


class RelevanceAnalyzer:
    """Scores how unrelated a comment is to its article (see the module docstring)."""

    name = NAME
    version = NAME

    def __init__(
        self,
        *,
        min_words: int = DEFAULT_MIN_WORDS,
        min_letters: int = DEFAULT_MIN_LETTERS,
        calibration: Calibration | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.min_words = int(min_words)
        self.min_letters = int(min_letters)
        self.calibration = calibration or CALIBRATION
        self.embedder = embedder or get_embedder()
        # Loading here keeps `analyze` free of first-call surprises (the screen's contract:
        # analyzers load their models in their constructors).
        self.embedder.load()
        self._generic, self._everyday = prototype_vectors(self.embedder)

    def features(
        self, comment: str, comment_lang: str, article: ArticleContext
    ) -> RelevanceFeatures:
        """The three numbers the calibration reads (public for the calibration script)."""
        passage = article_passage(article.title, article.body)
        comment_vector = self.embedder.embed_query(comment)
        article_vector = self.embedder.embed_passage(passage)
        article_lang = article.language or identify(passage).lang
        return RelevanceFeatures(
            similarity=float(comment_vector @ article_vector),
            same_language=1.0 if comment_lang == article_lang else 0.0,
            generic=float(
                np.max(self._generic @ comment_vector) - np.max(self._everyday @ comment_vector)
            ),
        )

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        article = doc.context.article
        if article is None or not (article.title.strip() or article.body.strip()):
            return []
        if doc.context.is_reply:
            return []
        if is_exempt_length(doc.text, self.min_words, self.min_letters):
            return []
        # The comment's language without the screen's hint: callers often pass the article's
        # language as the hint, which would make every comment look same-language.
        features = self.features(doc.text, identify(doc.text).lang, article)
        score = min(1.0, max(0.0, self.calibration.probability(features)))
        return [Signal(Category.OFF_TOPIC.value, score, self.name)]


def warm_article(article: ArticleContext, embedder: Embedder | None = None) -> None:
    """Encode an article's passage now, off the comment path.

    The first comment on an article otherwise pays for the article's vector (a few times a
    comment's cost). A service can call this when an article is registered or first seen.
    """
    if article.title.strip() or article.body.strip():
        (embedder or get_embedder()).embed_passages([article_passage(article.title, article.body)])


@register(NAME, emits={Category.OFF_TOPIC.value})
def create_relevance_analyzer(
    *, min_words: int = DEFAULT_MIN_WORDS, min_letters: int = DEFAULT_MIN_LETTERS
) -> RelevanceAnalyzer:
    """Factory used by the policy file (``factory = "rostra.relevance.v1"``)."""
    return RelevanceAnalyzer(min_words=min_words, min_letters=min_letters)
