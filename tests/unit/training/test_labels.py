from __future__ import annotations

import pytest

from rostra.screening.types import CATEGORIES
from rostra.training import labels as L


def test_labels_heads_are_categories_plus_offensive() -> None:
    assert set(L.CLASSIFIER_CATEGORIES) <= set(CATEGORIES)
    assert "off_topic" not in L.CLASSIFIER_CATEGORIES
    assert L.HEADS[-1] == L.OFFENSIVE
    for source, heads in L.ANNOTATED.items():
        assert heads <= set(L.HEADS), source


def test_labels_every_source_has_licence_and_mapping_doc() -> None:
    assert set(L.ANNOTATED) == set(L.LICENCES) == set(L.MAPPING_DOC)
    assert L.LICENCES["ethos-en"] == "GPL-3.0"
    assert "ethos-en" in L.GPL_SOURCES


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ("NOT", "NULL", "NULL", set()),
        ("OFF", "TIN", "IND", {"offensive", "personal_attack"}),
        ("OFF", "TIN", "GRP", {"offensive"}),
        ("OFF", "UNT", "NULL", {"offensive", "profanity"}),
    ],
)
def test_labels_olid(a: str, b: str, c: str, expected: set[str]) -> None:
    assert L.olid(a, b, c) == expected


def test_labels_davidson_hate_splits_racism_and_homophobia() -> None:
    assert L.davidson(0, "those fags again") == {"homophobia", "offensive"}
    assert L.davidson(0, "go back to your country") == {"racism", "offensive"}
    assert L.davidson(1, "this shit") == {"profanity", "offensive"}
    assert L.davidson(2, "nice day") == frozenset()


def test_labels_edos_threat_category_adds_threat() -> None:
    assert L.edos("sexist", "1. threats, plans to harm and incitement") == {
        "sexism",
        "threat",
        "offensive",
    }
    assert L.edos("sexist", "2. derogation") == {"sexism", "offensive"}
    assert L.edos("not sexist", "none") == frozenset()


def test_labels_osact2022_types() -> None:
    assert L.osact2022("OFF", "HS6", "NOT_VLG", "NOT_VIO") == {"offensive", "sexism"}
    assert L.osact2022("OFF", "HS1", "VLG", "VIO") == {
        "offensive",
        "racism",
        "xenophobia",
        "vulgarity",
        "threat",
    }
    assert L.osact2022("OFF", "HS3", "NOT_VLG", "NOT_VIO") == {"offensive"}
    assert L.osact2022("NOT_OFF", "NOT_HS", "NOT_VLG", "NOT_VIO") == frozenset()


def test_labels_mlma_skips_partly_normal_rows() -> None:
    assert L.mlma("offensive_normal", "origin") is None
    assert L.mlma("normal", "origin") is None
    assert L.mlma("hateful", "origin") == {"offensive", "xenophobia"}
    assert L.mlma("offensive", "gender") == {"offensive"}


def test_labels_c3_uses_only_clear_cases() -> None:
    assert L.c3(1.0, "no_toxic:5") == frozenset()
    assert L.c3(1.4, "no_toxic:4\nteasing:1") is None
    assert L.c3(1.8, "no_toxic:3\npersonal_attack:2") == {"personal_attack", "offensive"}
    assert L.c3(2.6, "abusive:3") == {"offensive"}


def test_labels_binary_sets() -> None:
    assert L.binary_offensive("OFF", "OFF") == {"offensive"}
    assert L.binary_offensive("NOT", "OFF") == frozenset()
    assert L.binary_offensive("Offensive", "Offensive") == {"offensive"}
    assert L.osact2020("NOT_OFF") == frozenset()


def test_labels_heads_for_uses_annotation_and_positives() -> None:
    # An EDOS "not sexist" tweet says nothing about profanity ...
    assert L.heads_for("edos", frozenset()) == {"sexism", "threat"}
    # Davidson's classes are exclusive: "neither" is a negative for its hate categories
    assert {"racism", "homophobia"} <= L.heads_for("davidson-hate-offensive", frozenset())
    # ... but an EDOS threat is a positive threat example.
    assert "threat" in L.heads_for("edos", frozenset({"sexism", "threat"}))
    # A Turkish offensive tweet only speaks about the offensive head ...
    assert L.heads_for("offenseval2020-tr", frozenset({"offensive"})) == {"offensive"}
    # ... but a clean one (NOT: no offence, no profanity) is a negative for every offence head
    assert L.heads_for("offenseval2020-tr", frozenset()) == L.OFFENCE_CATEGORIES | {"offensive"}
    assert "promotion" not in L.heads_for("olid-offenseval2019-en", frozenset())
    # Clean Sorani text is a negative for every head.
    assert L.heads_for("kurdish-sorani-sentiment-hrazhan", frozenset()) == set(L.HEADS)
