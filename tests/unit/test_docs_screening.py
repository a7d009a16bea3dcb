"""Every setting of the default policy, every analyzer and every category is documented."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from rostra.screening.registry import registrations
from rostra.screening.types import CATEGORIES

DOCS = Path(__file__).resolve().parents[2] / "docs"
DEFAULT = tomllib.loads(
    files("rostra.screening").joinpath("default_policy.toml").read_text("utf-8")
)


def _headings(path: Path) -> set[str]:
    return {
        line.lstrip("#").strip().strip("`")
        for line in path.read_text("utf-8").splitlines()
        if line.startswith("#")
    }


def test_docs_policy_has_a_heading_for_every_top_level_and_language_setting() -> None:
    headings = _headings(DOCS / "policy.md")
    assert set(DEFAULT) - {"thresholds", "languages", "analyzers"} <= headings
    assert {f"thresholds.{k}" for k in DEFAULT["thresholds"]} <= headings
    language_keys = {key for table in DEFAULT["languages"].values() for key in table}
    assert language_keys <= headings


@pytest.mark.parametrize("table", DEFAULT["analyzers"], ids=lambda t: t["factory"])
def test_docs_policy_has_a_heading_for_every_analyzer_setting(table: dict[str, object]) -> None:
    headings = _headings(DOCS / "policy.md")
    assert set(table) <= headings, sorted(set(table) - headings)
    assert any(str(table["factory"]) in h for h in headings)


def test_docs_screening_names_every_registered_analyzer() -> None:
    text = (DOCS / "screening.md").read_text("utf-8")
    missing = [name for name in registrations() if f"`{name}`" not in text]
    assert not missing


def test_docs_policy_names_every_category() -> None:
    text = (DOCS / "policy.md").read_text("utf-8")
    assert all(f"`{c}`" in text for c in CATEGORIES)
