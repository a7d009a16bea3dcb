from __future__ import annotations

import numpy as np
import pytest

from rostra.training.features import Hasher, HasherConfig


def test_features_are_deterministic_and_l2_normalized() -> None:
    hasher = Hasher()
    idx_a, val_a, _ = hasher.features("you are a stupid idiot")
    idx_b, val_b, _ = Hasher().features("you are a stupid idiot")
    assert np.array_equal(idx_a, idx_b)
    assert np.allclose(val_a, val_b)
    assert np.isclose(float(np.dot(val_a, val_a)), 1.0, atol=1e-5)
    assert np.all(np.diff(idx_a) > 0)  # unique and sorted
    assert idx_a.max() < hasher.config.n_features


def test_features_char_ngrams_stay_inside_words() -> None:
    hasher = Hasher(HasherConfig(n_features=2**20, char_min=3, char_max=3, word_ngrams=1))
    # "ab cd" has the 3-grams " ab", "ab ", " cd", "cd " but never "b c" across the space
    together = set(hasher.char_indices("ab cd").tolist())
    apart = set(hasher.char_indices("ab").tolist()) | set(hasher.char_indices("cd").tolist())
    assert together == apart


def test_features_word_grams_carry_spans() -> None:
    hasher = Hasher()
    text = "hello big world"
    grams = hasher.word_grams(text)
    spans = {text[g.start : g.end] for g in grams}
    assert spans == {"hello", "big", "world", "hello big", "big world"}


def test_features_different_text_different_vector_and_empty_text() -> None:
    hasher = Hasher()
    a, _, _ = hasher.features("the budget")
    b, _, _ = hasher.features("the budgets")
    assert not np.array_equal(a, b)
    idx, val, grams = hasher.features("")
    assert idx.size == 0
    assert val.size == 0
    assert grams == []


def test_features_long_text_is_bounded() -> None:
    hasher = Hasher(HasherConfig(max_chars=100))
    idx_long, _, _ = hasher.features("word " * 10_000)
    idx_short, _, _ = hasher.features(("word " * 10_000)[:100])
    assert np.array_equal(idx_long, idx_short)


def test_features_rtl_and_matrix_shape() -> None:
    hasher = Hasher(HasherConfig(n_features=2**10))
    matrix = hasher.transform(["سڵاو لە هەمووان", "", "salak herif"])
    assert matrix.shape == (3, 2**10)
    assert matrix[1].nnz == 0
    assert matrix[0].nnz > 0


def test_features_refuse_non_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        Hasher(HasherConfig(n_features=1000))
