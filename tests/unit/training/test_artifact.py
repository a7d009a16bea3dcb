from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from tiny_model import CLEAN, INSULT, train_tiny

from rostra.screening.analyzers.classifier import NAME, ClassifierAnalyzer
from rostra.screening.policy import Policy
from rostra.screening.screen import Screen
from rostra.training import artifact as art
from rostra.training.features import Hasher


def _proba(artifact: art.Artifact, texts: list[str]) -> np.ndarray:
    hasher = Hasher(artifact.hasher)
    X = hasher.transform(texts)
    coef = artifact.fast.coef.astype(np.float32)
    raw = np.asarray(X @ coef) + artifact.fast.intercept
    z = raw * artifact.fast.platt[:, 0] + artifact.fast.platt[:, 1]
    return 1.0 / (1.0 + np.exp(-z))


def test_artifact_round_trip_gives_same_predictions(
    tmp_path: Path, tiny_artifact: art.Artifact
) -> None:
    art.save(tiny_artifact, tmp_path)
    loaded = art.load(tmp_path)
    assert loaded.heads == tiny_artifact.heads
    assert loaded.hasher == tiny_artifact.hasher
    texts = [*CLEAN, *INSULT, "brand new text"]
    assert np.array_equal(_proba(loaded, texts), _proba(tiny_artifact, texts))
    manifest = json.loads((tmp_path / art.MANIFEST).read_text("utf-8"))
    assert manifest["format"] == art.FORMAT
    assert manifest["hasher"]["n_features"] == tiny_artifact.hasher.n_features
    assert set(manifest["calibration"]["fast"]) == set(tiny_artifact.heads)


def test_artifact_loads_without_pickle(
    tmp_path: Path, tiny_artifact: art.Artifact, monkeypatch: pytest.MonkeyPatch
) -> None:
    art.save(tiny_artifact, tmp_path)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("artifact loading must not unpickle")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    loaded = art.load(tmp_path)
    assert loaded.fast.coef.dtype == np.float16
    # no pickle protocol header in any file of the artifact
    for path in tmp_path.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), path


def test_artifact_detects_tampering_and_wrong_format(
    tmp_path: Path, tiny_artifact: art.Artifact
) -> None:
    art.save(tiny_artifact, tmp_path / "a")
    tampered = tmp_path / "b"
    shutil.copytree(tmp_path / "a", tampered)
    data = bytearray((tampered / art.FAST_FILE).read_bytes())
    data[-1] ^= 0xFF
    (tampered / art.FAST_FILE).write_bytes(bytes(data))
    with pytest.raises(art.ArtifactError, match="checksum"):
        art.load(tampered)
    manifest = json.loads((tmp_path / "a" / art.MANIFEST).read_text("utf-8"))
    manifest["format_version"] = 999
    (tmp_path / "a" / art.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(art.ArtifactError, match="not a"):
        art.load(tmp_path / "a")
    with pytest.raises(art.ArtifactError, match="no manifest"):
        art.load(tmp_path / "empty")


def test_artifact_training_is_deterministic() -> None:
    a = train_tiny(seed=7)
    b = train_tiny(seed=7)
    assert np.array_equal(a.fast.coef, b.fast.coef)
    assert np.array_equal(a.fast.platt, b.fast.platt)


def test_artifact_encoder_tier_round_trip(tmp_path: Path, tiny_artifact: art.Artifact) -> None:
    rng = np.random.default_rng(0)
    n_heads = len(tiny_artifact.heads)
    encoder = art.LinearTier(
        rng.normal(size=(384, n_heads)).astype(np.float32),
        rng.normal(size=n_heads).astype(np.float32),
        np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (n_heads, 1)),
    )
    full = art.Artifact(
        tiny_artifact.heads,
        tiny_artifact.hasher,
        tiny_artifact.fast,
        encoder,
        {"model_version": "x"},
    )
    art.save(full, tmp_path)
    loaded = art.load(tmp_path)
    assert loaded.encoder is not None
    x = rng.normal(size=(2, 384)).astype(np.float32)
    assert np.allclose(loaded.encoder.proba_dense(x), encoder.proba_dense(x))


def test_sparse_and_dense_rows_get_the_same_probabilities(tiny_artifact: art.Artifact) -> None:
    rows = Hasher(tiny_artifact.hasher).transform(["you stupid idiot", "thanks for the report"])
    sparse = tiny_artifact.fast.proba_sparse(rows)
    assert sparse.shape == (2, len(tiny_artifact.heads))
    assert np.allclose(sparse, tiny_artifact.fast.proba_dense(rows.toarray()))


def _renamed(artifact: art.Artifact, name: str) -> art.Artifact:
    return art.Artifact(
        artifact.heads, artifact.hasher, artifact.fast, artifact.encoder, {"model_version": name}
    )


def test_version_tells_apart_retrains_with_the_same_name(tmp_path: Path) -> None:
    # Two retrains on the same day with the same seed get the same model_version; the version
    # every verdict records must still tell them apart, and the same weights must keep theirs.
    name = "2026.11.25-s0"
    first, second = _renamed(train_tiny(seed=0), name), _renamed(train_tiny(seed=1), name)
    assert not np.array_equal(first.fast.coef, second.fast.coef)
    art.save(first, tmp_path / "a")
    art.save(second, tmp_path / "b")
    art.save(first, tmp_path / "a-again")
    a, b = art.load(tmp_path / "a"), art.load(tmp_path / "b")
    assert a.version.startswith(f"{name}+")
    assert b.version.startswith(f"{name}+")
    assert len(a.version) == len(name) + 1 + art.CONTENT_ID_DIGITS
    assert a.version != b.version
    assert art.load(tmp_path / "a-again").version == a.version

    screen = Screen(Policy.default(), [ClassifierAnalyzer(model_dir=str(tmp_path / "b"))])
    verdict = screen.screen("you are a stupid idiot")
    assert verdict.model_version == f"{NAME}/{b.version}"
    assert verdict.to_dict()["model_version"] == f"{NAME}/{b.version}"


def test_load_refuses_a_manifest_whose_content_id_was_edited(
    tmp_path: Path, tiny_artifact: art.Artifact
) -> None:
    art.save(tiny_artifact, tmp_path)
    manifest = json.loads((tmp_path / art.MANIFEST).read_text("utf-8"))
    assert len(manifest["content_sha256"]) == 64
    manifest["content_sha256"] = "0" * 64
    (tmp_path / art.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(art.ArtifactError, match="content_sha256"):
        art.load(tmp_path)
    # an artifact written before the field existed still loads, and gets its id computed
    del manifest["content_sha256"]
    (tmp_path / art.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert art.load(tmp_path).version.startswith("tiny-s0+")


def _mlp_head(rng: np.random.Generator, n_features: int, hidden: int = 8) -> art.MlpHead:
    return art.MlpHead(
        w1=rng.normal(size=(n_features, hidden)).astype(np.float32),
        b1=rng.normal(size=hidden).astype(np.float32),
        w2=rng.normal(size=hidden).astype(np.float32),
        b2=rng.normal(size=1).astype(np.float32),
        platt=np.array([0.5, -0.25], dtype=np.float32),
    )


def _encoder_with_mlp(n_heads: int, mlp_index: int) -> art.EncoderTier:
    rng = np.random.default_rng(1)
    coef = rng.normal(size=(384, n_heads)).astype(np.float32)
    intercept = rng.normal(size=n_heads).astype(np.float32)
    platt = np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (n_heads, 1))
    return art.EncoderTier(coef, intercept, platt, {mlp_index: _mlp_head(rng, 384)})


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def test_encoder_mlp_heads_round_trip_and_score_only_when_asked(
    tmp_path: Path, tiny_artifact: art.Artifact
) -> None:
    n_heads = len(tiny_artifact.heads)
    encoder = _encoder_with_mlp(n_heads, mlp_index=2)
    full = art.Artifact(tiny_artifact.heads, tiny_artifact.hasher, tiny_artifact.fast, encoder, {})
    art.save(full, tmp_path)
    loaded = art.load(tmp_path)
    assert loaded.encoder is not None
    assert set(loaded.encoder.mlp) == {2}
    x = np.random.default_rng(2).normal(size=(3, 384)).astype(np.float32)
    linear = _sigmoid(x @ encoder.coef + encoder.intercept)
    # without mlp (the encoder scoring alone) every head is linear, the MLP head's too
    assert np.allclose(loaded.encoder.proba_dense(x), linear, atol=1e-6)
    # with mlp (blended) the MLP column is the calibrated network, written out by hand
    blended = loaded.encoder.proba_dense(x, mlp=True)
    assert np.allclose(blended, encoder.proba_dense(x, mlp=True))
    head = encoder.mlp[2]
    logit = np.maximum(x @ head.w1 + head.b1, 0.0) @ head.w2 + head.b2[0]
    assert np.allclose(blended[:, 2], _sigmoid(0.5 * logit - 0.25), atol=1e-6)
    assert not np.allclose(blended[:, 2], linear[:, 2])
    others = [h for h in range(n_heads) if h != 2]
    assert np.allclose(blended[:, others], linear[:, others], atol=1e-6)


def test_a_version_one_artifact_still_loads_but_may_not_hold_mlp_heads(
    tmp_path: Path, tiny_artifact: art.Artifact
) -> None:
    # Artifacts written before format 2 keep loading; one that claims version 1 while holding
    # MLP tensors is refused, since a version-1 reader would ignore them without a word.
    with_mlp = _encoder_with_mlp(len(tiny_artifact.heads), 0)
    linear = art.EncoderTier(with_mlp.coef, with_mlp.intercept, with_mlp.platt)
    for name, encoder in (("linear", linear), ("mlp", with_mlp)):
        folder = tmp_path / name
        art.save(
            art.Artifact(tiny_artifact.heads, tiny_artifact.hasher, tiny_artifact.fast, encoder),
            folder,
        )
        manifest = json.loads((folder / art.MANIFEST).read_text("utf-8"))
        manifest["format_version"] = 1
        del manifest["content_sha256"]  # as written by a version-1 trainer
        (folder / art.MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert art.load(tmp_path / "linear").encoder is not None
    with pytest.raises(art.ArtifactError, match="MLP heads in a version-1 artifact"):
        art.load(tmp_path / "mlp")


def test_mlp_head_shapes_are_checked() -> None:
    rng = np.random.default_rng(3)
    good = _mlp_head(rng, 384)
    with pytest.raises(art.ArtifactError, match="shapes"):
        art.MlpHead(good.w1, good.b1[:-1], good.w2, good.b2, good.platt)
    with pytest.raises(art.ArtifactError, match="calibration"):
        art.MlpHead(good.w1, good.b1, good.w2, good.b2, good.platt[:1])
    tier = _encoder_with_mlp(4, 0)
    with pytest.raises(art.ArtifactError, match="not one of"):
        art.EncoderTier(tier.coef, tier.intercept, tier.platt, {7: good})
    with pytest.raises(art.ArtifactError, match="features"):
        art.EncoderTier(tier.coef, tier.intercept, tier.platt, {1: _mlp_head(rng, 10)})
    tensors = tier.tensors()
    del tensors["mlp.0.b2"]
    with pytest.raises(art.ArtifactError, match="incomplete"):
        art.EncoderTier.from_tensors(tensors)
