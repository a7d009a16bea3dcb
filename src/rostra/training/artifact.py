"""The classifier artifact: safetensors weights + ``manifest.json`` (+ ``MODEL_CARD.md``).

Layout of an artifact folder::

    manifest.json        format version, hasher parameters, heads, calibration, versions,
                         data hashes, measured figures
    fast.safetensors     coef (n_features x heads, float16), intercept, platt (float32)
    encoder.safetensors  coef (384 x heads), intercept, platt (float32)  [optional];
                         since format 2 also ``mlp.<head index>.{w1,b1,w2,b2,platt}``, the
                         heads that also have a one-hidden-layer MLP (used when blended)
    MODEL_CARD.md        human-readable card (data, licences, label mapping, figures)

Loading reads tensors with ``safetensors.numpy.load_file`` and JSON: nothing is unpickled, so
an artifact from an untrusted source cannot run code (ADR 0020). Loading checks the format
version, the head names and the tensor shapes, and refuses anything that does not match.

Every artifact has a **content id** (``content_sha256`` in the manifest): sha256 over the tensor
files' checksums, the hasher parameters and the head names, i.e. over everything inference reads.
:attr:`Artifact.version` is ``model_version`` plus its first 12 hex digits, so two retrains on
the same day with the same seed (but other data, code or settings) record different versions in
every verdict, and the same weights always record the same one.

This module imports only numpy, safetensors and the hasher: inference never imports sklearn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file, save_file

from rostra.training.features import HasherConfig

FORMAT = "rostra-classifier"
#: 2 added the encoder tier's MLP heads; :func:`load` reads 1 and 2 (a version-1 reader would
#: score every head linearly, ignoring the MLPs without a word, so it must refuse version 2).
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
FAST_FILE = "fast.safetensors"
ENCODER_FILE = "encoder.safetensors"
CARD_FILE = "MODEL_CARD.md"

F32 = npt.NDArray[np.float32]


class ArtifactError(ValueError):
    pass


@dataclass(frozen=True)
class LinearTier:
    """Calibrated linear heads: ``p = sigmoid(a * (x @ coef + intercept) + b)``."""

    coef: npt.NDArray[Any]  # (n_features, n_heads); float16 for the fast tier
    intercept: F32  # (n_heads,)
    platt: F32  # (n_heads, 2): a, b

    def __post_init__(self) -> None:
        n_heads = self.coef.shape[1]
        if self.intercept.shape != (n_heads,) or self.platt.shape != (n_heads, 2):
            raise ArtifactError("tier tensors disagree on the number of heads")

    def tensors(self) -> dict[str, npt.NDArray[Any]]:
        return {
            "coef": np.ascontiguousarray(self.coef),
            "intercept": np.ascontiguousarray(self.intercept, dtype=np.float32),
            "platt": np.ascontiguousarray(self.platt, dtype=np.float32),
        }

    @classmethod
    def from_tensors(cls, tensors: dict[str, npt.NDArray[Any]]) -> LinearTier:
        try:
            return cls(
                coef=tensors["coef"],
                intercept=tensors["intercept"].astype(np.float32),
                platt=tensors["platt"].astype(np.float32),
            )
        except KeyError as exc:
            raise ArtifactError(f"artifact tensor {exc} missing") from None

    def proba_dense(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        """Probabilities for dense rows ``x`` (n, n_features) -> (n, n_heads)."""
        return self._calibrated(np.asarray(x, dtype=np.float32) @ self.coef.astype(np.float32))

    def proba_sparse(self, x: Any) -> npt.NDArray[np.float64]:
        """Probabilities for sparse rows (hashed n-grams, a scipy CSR matrix) -> (n, n_heads)."""
        return self._calibrated(np.asarray(x @ self.coef.astype(np.float32)))

    def _calibrated(self, scores: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return sigmoid((scores + self.intercept) * self.platt[:, 0] + self.platt[:, 1])


def sigmoid(z: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """The logistic function, clipped so no score overflows ``exp`` (training and inference)."""
    out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
    return out


def mlp_logit(x: npt.NDArray[Any], w1: F32, b1: F32, w2: F32, b2: F32) -> npt.NDArray[np.float32]:
    """The logit of a one-hidden-layer ReLU network, (n, d) -> (n,): what sklearn's
    ``MLPClassifier`` computes before its sigmoid, in plain numpy (inference has no sklearn)."""
    hidden = np.maximum(np.asarray(x, dtype=np.float32) @ w1 + b1, 0.0)
    out: npt.NDArray[np.float32] = hidden @ w2 + b2[0]
    return out


@dataclass(frozen=True)
class MlpHead:
    """One head's calibrated network: ``p = sigmoid(a * (relu(x @ w1 + b1) @ w2 + b2) + b)``."""

    w1: F32  # (n_features, hidden)
    b1: F32  # (hidden,)
    w2: F32  # (hidden,)
    b2: F32  # (1,)
    platt: F32  # (2,): a, b, fitted on out-of-fold logits like the linear heads'

    def __post_init__(self) -> None:
        hidden = self.w1.shape[1] if self.w1.ndim == 2 else -1
        if self.b1.shape != (hidden,) or self.w2.shape != (hidden,) or self.b2.shape != (1,):
            raise ArtifactError("MLP head tensors disagree on their shapes")
        if self.platt.shape != (2,):
            raise ArtifactError("an MLP head's calibration is two numbers")

    def logit(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        return mlp_logit(x, self.w1, self.b1, self.w2, self.b2)

    def calibrate(self, logits: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return sigmoid(logits * self.platt[0] + self.platt[1])

    def proba(self, x: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return self.calibrate(self.logit(x))


MLP_TENSORS = ("w1", "b1", "w2", "b2", "platt")


@dataclass(frozen=True)
class EncoderTier(LinearTier):
    """The encoder tier: calibrated linear heads on sentence vectors for every head, and for
    the heads in ``mlp`` (head index -> network) a one-hidden-layer MLP as well.

    Two uses, two scorings (docs/quality.md §0, "Encoder tier: MLP heads"): where the encoder
    tier is blended with the fast tier (en, ar, tr, fa) the MLP heads score
    (``proba_dense(x, mlp=True)``); where it scores alone (Kurdish, ``other``: no training
    data in those languages) the linear heads do, which carry over across languages better.
    """

    mlp: dict[int, MlpHead] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        n_features, n_heads = self.coef.shape
        for index, head in self.mlp.items():
            if not 0 <= index < n_heads:
                raise ArtifactError(f"MLP head {index} is not one of the {n_heads} heads")
            if head.w1.shape[0] != n_features:
                raise ArtifactError("MLP head inputs disagree with the tier's features")

    def tensors(self) -> dict[str, npt.NDArray[Any]]:
        out = super().tensors()
        for index, head in sorted(self.mlp.items()):
            for name in MLP_TENSORS:
                out[f"mlp.{index}.{name}"] = np.ascontiguousarray(
                    getattr(head, name), dtype=np.float32
                )
        return out

    @classmethod
    def from_tensors(cls, tensors: dict[str, npt.NDArray[Any]]) -> EncoderTier:
        linear = LinearTier.from_tensors(tensors)
        parts: dict[int, dict[str, F32]] = {}
        for key, value in tensors.items():
            if not key.startswith("mlp."):
                continue
            _, index, name = key.split(".", 2)
            parts.setdefault(int(index), {})[name] = value.astype(np.float32)
        try:
            mlp = {index: MlpHead(**part) for index, part in parts.items()}
        except TypeError as exc:
            raise ArtifactError(f"incomplete MLP head tensors: {exc}") from None
        return cls(linear.coef, linear.intercept, linear.platt, mlp)

    def proba_dense(self, x: npt.NDArray[Any], *, mlp: bool = False) -> npt.NDArray[np.float64]:
        """Probabilities for dense rows; with ``mlp`` the MLP heads replace their linear ones."""
        out = super().proba_dense(x)
        if mlp:
            for index, head in self.mlp.items():
                out[:, index] = head.proba(x)
        return out


@dataclass(frozen=True)
class Artifact:
    heads: tuple[str, ...]
    hasher: HasherConfig
    fast: LinearTier
    encoder: EncoderTier | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def content_id(self) -> str | None:
        """The manifest's ``content_sha256`` (set by :func:`save` and checked by :func:`load`)."""
        value = self.manifest.get("content_sha256")
        return str(value) if value else None

    @property
    def version(self) -> str:
        """``model_version+<12 hex digits of the content id>`` (the name alone when unsaved)."""
        name = str(self.manifest.get("model_version", "unversioned"))
        content = self.content_id
        return f"{name}+{content[:CONTENT_ID_DIGITS]}" if content else name


#: Hex digits of the content id in :attr:`Artifact.version` (48 bits: no accidental clash).
CONTENT_ID_DIGITS = 12


def content_sha256(
    files: dict[str, str],
    hasher: dict[str, Any],
    heads: list[str],
    format_version: int = FORMAT_VERSION,
) -> str:
    """sha256 of what inference depends on: tensor file checksums, hasher and head names."""
    canonical = json.dumps(
        {"files": files, "hasher": hasher, "heads": heads, "format_version": format_version},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save(artifact: Artifact, folder: str | Path, *, card: str | None = None) -> Path:
    """Write ``artifact`` to ``folder`` (created); returns the manifest path."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    save_file(artifact.fast.tensors(), str(out / FAST_FILE), metadata={"format": FORMAT})
    files = {FAST_FILE: file_sha256(out / FAST_FILE)}
    if artifact.encoder is not None:
        save_file(artifact.encoder.tensors(), str(out / ENCODER_FILE), metadata={"format": FORMAT})
        files[ENCODER_FILE] = file_sha256(out / ENCODER_FILE)
    elif (out / ENCODER_FILE).exists():
        (out / ENCODER_FILE).unlink()
    manifest = {
        **artifact.manifest,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "heads": list(artifact.heads),
        "hasher": artifact.hasher.to_dict(),
        "calibration": {
            "method": "platt (sigmoid(a * raw + b)) fitted on out-of-fold scores",
            "fast": {
                h: [float(v) for v in artifact.fast.platt[i]] for i, h in enumerate(artifact.heads)
            },
            "encoder": (
                {
                    h: [float(v) for v in artifact.encoder.platt[i]]
                    for i, h in enumerate(artifact.heads)
                }
                if artifact.encoder is not None
                else None
            ),
        },
        "files": files,
    }
    manifest["content_sha256"] = content_sha256(files, manifest["hasher"], manifest["heads"])
    path = out / MANIFEST
    path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8"
    )
    if card is not None:
        (out / CARD_FILE).write_text(card, "utf-8")
    return path


def load(folder: str | Path, *, verify: bool = True) -> Artifact:
    """Read an artifact folder written by :func:`save` (no pickle anywhere)."""
    root = Path(folder)
    try:
        manifest = json.loads((root / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise ArtifactError(f"no {MANIFEST} in {root}") from None
    version = manifest.get("format_version")
    if manifest.get("format") != FORMAT or version not in READABLE_VERSIONS:
        raise ArtifactError(
            f"{root} is not a {FORMAT} artifact of version "
            f"{' or '.join(map(str, READABLE_VERSIONS))} "
            f"(found {manifest.get('format')!r} v{manifest.get('format_version')!r})"
        )
    if verify:
        for name, expected in manifest.get("files", {}).items():
            if file_sha256(root / name) != expected:
                raise ArtifactError(f"{root / name} does not match the manifest's checksum")
    content = content_sha256(
        manifest.get("files", {}), manifest["hasher"], manifest["heads"], version
    )
    if manifest.get("content_sha256", content) != content:
        raise ArtifactError(f"{root / MANIFEST}: content_sha256 does not match its contents")
    manifest["content_sha256"] = content  # artifacts written before the field existed
    heads = tuple(manifest["heads"])
    hasher = HasherConfig.from_dict(manifest["hasher"])
    fast = LinearTier.from_tensors(load_file(str(root / FAST_FILE)))
    if fast.coef.shape != (hasher.n_features, len(heads)):
        raise ArtifactError(f"fast weights have shape {fast.coef.shape}, manifest disagrees")
    encoder = None
    if (root / ENCODER_FILE).exists():
        encoder = EncoderTier.from_tensors(load_file(str(root / ENCODER_FILE)))
        if encoder.coef.shape[1] != len(heads):
            raise ArtifactError("encoder heads disagree with the manifest")
        if encoder.mlp and version < 2:
            raise ArtifactError(f"{root}: MLP heads in a version-{version} artifact")
    return Artifact(heads=heads, hasher=hasher, fast=fast, encoder=encoder, manifest=manifest)
