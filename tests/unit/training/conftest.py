"""Session fixtures: a tiny classifier artifact trained for real (see ``tiny_model``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_model import train_tiny

from rostra.training import artifact as art


@pytest.fixture(scope="session")
def tiny_artifact() -> art.Artifact:
    return train_tiny()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory, tiny_artifact: art.Artifact) -> Path:
    folder = tmp_path_factory.mktemp("tiny-classifier")
    art.save(tiny_artifact, folder)
    return folder
