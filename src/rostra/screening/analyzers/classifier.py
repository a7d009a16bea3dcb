"""``rostra.classifier.v1``: the trained classifier (fast hashed n-grams + encoder tier).

For every comment the **fast tier** (hashed character and word n-grams, linear heads, Platt
calibration; ~0.2 ms) scores each category and the auxiliary ``offensive`` head. The
**encoder tier** (calibrated heads on multilingual-e5-small sentence vectors, ~17 ms) runs
as a cascade:

* always for Kurdish (``ckb``, ``kmr``) and ``other``, where the n-gram model has no data, and
  there its linear heads replace the fast tier's scores (they carry over to languages without
  training data better than its MLP heads);
* otherwise only when the fast tier is *uncertain* (its strongest head inside
  ``uncertain_band``), and then the two probabilities are blended with weight
  ``encoder_weight`` on the encoder, whose heads with an MLP (``offensive``) score with it
  (default 0.5: level with 0.25–0.4 on the cross-validated data sets, best on the newsroom
  tuning sets; docs/quality.md §0, "Encoder tier: MLP heads");
* ``encoder = "off"`` never runs it, ``encoder = "always"`` always does.

Turkish, Persian and most Arabic data only say "offensive", not which guideline. The
``offensive`` probability is therefore given to the offence category the category heads find
most likely (when it is higher than that category's own score), so a Turkish insult still
produces a category a moderator can act on.

Kurdish has no training data at all: scores there are capped at ``low_resource_cap`` (below the
default Kurdish reject threshold), so the classifier alone can send a Kurdish comment to review
but never reject it; lexicon evidence can.

Evidence: the word n-grams present that push the winning head up the most, mapped back to the
original text, so moderators see words and not only numbers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rostra.screening.registry import register
from rostra.screening.types import ScreenDoc, Signal, Span
from rostra.training.artifact import Artifact, load, sigmoid
from rostra.training.features import Hasher
from rostra.training.labels import CLASSIFIER_CATEGORIES, OFFENCE_CATEGORIES, OFFENSIVE

NAME = "rostra.classifier.v1"
#: Languages without training data: the encoder tier decides and scores are capped.
LOW_RESOURCE = frozenset({"ckb", "kmr", "other"})
ENCODER_MODES = ("auto", "off", "always")

_LOADED: dict[Path, Artifact] = {}
_LOCK = threading.Lock()


def default_model_dir() -> Path:
    return Path(str(files("rostra.screening").joinpath("models", "classifier")))


def load_artifact(path: str | Path | None = None) -> Artifact:
    """Load (once per process) the artifact at ``path`` or the shipped one."""
    folder = Path(path) if path is not None else default_model_dir()
    key = folder.resolve()
    with _LOCK:
        artifact = _LOADED.get(key)
        if artifact is None:
            artifact = load(folder)
            _LOADED[key] = artifact
        return artifact


EmbedFn = Callable[[Sequence[str]], npt.NDArray[np.float32]]


class ClassifierAnalyzer:
    """Scores every classifier category with calibrated probabilities and word evidence.

    Parameters (policy ``[[analyzers]]`` settings)
    ----------------------------------------------
    model_dir:
        Artifact folder; default: the one shipped in ``rostra/screening/models/classifier``.
    encoder:
        ``"auto"`` (cascade), ``"off"`` or ``"always"``.
    uncertain_band:
        ``[low, high]``: in ``auto`` mode the encoder runs when the strongest fast score is in
        it.
    encoder_weight:
        Weight of the encoder tier when blended with the fast tier (en, ar, tr, fa).
    low_resource_cap:
        Highest score given in ``ckb``/``kmr``/``other`` (keeps them out of auto-reject).
    evidence_min:
        Categories scoring at least this get evidence spans.
    max_evidence:
        Most evidence spans per category.
    evidence_share:
        An n-gram is evidence only if it pushes the score up by at least this share of the
        strongest one.
    """

    name = NAME

    def __init__(
        self,
        *,
        model_dir: str | None = None,
        encoder: str = "auto",
        uncertain_band: Sequence[float] = (0.3, 0.85),
        encoder_weight: float = 0.5,
        low_resource_cap: float = 0.9,
        evidence_min: float = 0.45,
        max_evidence: int = 3,
        evidence_share: float = 0.35,
        embed_fn: EmbedFn | None = None,
    ) -> None:
        if encoder not in ENCODER_MODES:
            raise ValueError(f"encoder must be one of {ENCODER_MODES}, not {encoder!r}")
        low, high = (float(v) for v in uncertain_band)
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f"uncertain_band {uncertain_band!r} must be 0 <= low <= high <= 1")
        if not 0.0 <= low_resource_cap <= 1.0:
            raise ValueError("low_resource_cap must be in [0, 1]")
        if not 0.0 <= encoder_weight <= 1.0:
            raise ValueError("encoder_weight must be in [0, 1]")
        self.encoder_weight = float(encoder_weight)
        self.model_dir = model_dir
        self.encoder = encoder
        self.uncertain_band = (low, high)
        self.low_resource_cap = float(low_resource_cap)
        self.evidence_min = float(evidence_min)
        self.max_evidence = int(max_evidence)
        self.evidence_share = float(evidence_share)
        self._embed_fn = embed_fn
        self.artifact = load_artifact(model_dir)
        self.hasher = Hasher(self.artifact.hasher)
        heads = self.artifact.heads
        missing = [h for h in (*CLASSIFIER_CATEGORIES, OFFENSIVE) if h not in heads]
        if missing:
            raise ValueError(f"classifier artifact lacks heads {missing}")
        self._head_index = {h: i for i, h in enumerate(heads)}
        self._offence_idx = [
            self._head_index[c] for c in CLASSIFIER_CATEGORIES if c in OFFENCE_CATEGORIES
        ]
        fast = self.artifact.fast
        self._coef = fast.coef  # float16, gathered row-wise per comment
        self._intercept = fast.intercept.astype(np.float32)
        self._platt = fast.platt.astype(np.float32)
        self.version = f"{NAME}/{self.artifact.version}"

    # -- tiers ---------------------------------------------------------------------------------

    def _embed(self, text: str) -> npt.NDArray[np.float32]:
        if self._embed_fn is None:
            from rostra.training.encoder import default_embed_fn

            self._embed_fn = default_embed_fn()
        return np.asarray(self._embed_fn([text]), dtype=np.float32)

    def fast_scores(
        self, normalized_text: str
    ) -> tuple[
        npt.NDArray[np.float64],
        npt.NDArray[np.float32],
        list[Any],
        npt.NDArray[np.int64],
        npt.NDArray[np.float32],
    ]:
        """(calibrated probabilities, per-feature weights, word grams, indices, values)."""
        idx, values, grams = self.hasher.features(normalized_text)
        rows = self._coef[idx].astype(np.float32)
        raw = values @ rows + self._intercept if idx.size else self._intercept.copy()
        proba = sigmoid(raw * self._platt[:, 0] + self._platt[:, 1])
        return proba, rows, grams, idx, values

    def use_encoder(self, lang: str, fast_proba: npt.NDArray[np.float64]) -> bool:
        if self.artifact.encoder is None or self.encoder == "off":
            return False
        if self.encoder == "always" or lang in LOW_RESOURCE:
            return True
        # Uncertain = the decision is uncertain: the strongest head is neither clearly low nor
        # clearly high. (Asking "is any head in the band" would run the encoder on nearly
        # every comment, since ten heads rarely all sit at the extremes.)
        low, high = self.uncertain_band
        strongest = float(fast_proba.max()) if fast_proba.size else 0.0
        return low <= strongest < high

    def cascade(
        self, doc: ScreenDoc, fast_proba: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Per-head probabilities after the encoder cascade (see the module docstring)."""
        encoder = self.artifact.encoder
        if encoder is None or not self.use_encoder(doc.lang, fast_proba):
            return fast_proba
        alone = doc.lang in LOW_RESOURCE
        # Alone the linear heads score (they carry over to languages without training data);
        # blended, the MLP heads (docs/quality.md §0, "Encoder tier: MLP heads").
        vector = self._embed(doc.text)
        enc: npt.NDArray[np.float64] = encoder.proba_dense(vector, mlp=not alone)[0]
        if alone:
            return enc
        w = self.encoder_weight
        blended: npt.NDArray[np.float64] = (1.0 - w) * fast_proba + w * enc
        return blended

    # -- the analyzer contract -----------------------------------------------------------------

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        text = doc.normalized.text
        if not text.strip():
            return [Signal(c, 0.0, NAME) for c in CLASSIFIER_CATEGORIES]
        fast_proba, rows, grams, idx, values = self.fast_scores(text)
        proba = self.cascade(doc, fast_proba)
        scores = {c: float(proba[self._head_index[c]]) for c in CLASSIFIER_CATEGORIES}
        source_head = {c: self._head_index[c] for c in CLASSIFIER_CATEGORIES}
        # Route the generic "offensive" probability to the likeliest offence category.
        offensive = float(proba[self._head_index[OFFENSIVE]])
        best = max(self._offence_idx, key=lambda i: (proba[i], -i))
        best_category = self.artifact.heads[best]
        if offensive > scores[best_category]:
            scores[best_category] = offensive
            source_head[best_category] = self._head_index[OFFENSIVE]
        if doc.lang in LOW_RESOURCE:
            scores = {c: min(s, self.low_resource_cap) for c, s in scores.items()}
        signals: list[Signal] = []
        for category in CLASSIFIER_CATEGORIES:
            score = min(max(scores[category], 0.0), 1.0)
            spans: tuple[Span, ...] = ()
            if score >= self.evidence_min and grams:
                spans = self._evidence(doc, source_head[category], rows, grams, idx, values)
            signals.append(Signal(category, round(score, 6), NAME, spans))
        return signals

    def _evidence(
        self,
        doc: ScreenDoc,
        head: int,
        rows: npt.NDArray[np.float32],
        grams: list[Any],
        idx: npt.NDArray[np.int64],
        values: npt.NDArray[np.float32],
    ) -> tuple[Span, ...]:
        """The word n-grams that push ``head`` up the most, as spans of the original text."""
        position = {int(i): k for k, i in enumerate(idx.tolist())}
        weighted: list[tuple[float, int, int]] = []
        for gram in grams:
            k = position.get(gram.index)
            if k is None:
                continue
            contribution = float(rows[k, head]) * float(values[k])
            if contribution > 0.0:
                weighted.append((contribution, gram.start, gram.end))
        weighted.sort(key=lambda item: (-item[0], item[1], item[2]))
        chosen: list[tuple[int, int]] = []
        # only words that carry real weight: function words ("you", "are a") push a little
        floor = weighted[0][0] * self.evidence_share if weighted else 0.0
        for contribution, start, end in weighted:
            if contribution < floor:
                break
            if len(chosen) >= self.max_evidence:
                break
            if any(start < e and s < end for s, e in chosen):
                continue  # an overlapping n-gram already shows these words
            chosen.append((start, end))
        spans = []
        for start, end in sorted(chosen):
            o_start, o_end = doc.normalized.to_original(start, end)
            spans.append(Span(o_start, o_end, doc.text[o_start:o_end]))
        return tuple(spans)


@register(NAME, emits=frozenset(CLASSIFIER_CATEGORIES))
def create_classifier(**config: Any) -> ClassifierAnalyzer:
    """Factory used by ``Screen.from_policy`` (``factory = "rostra.classifier.v1"``)."""
    return ClassifierAnalyzer(**config)
