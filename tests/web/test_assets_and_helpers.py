"""Widget budget and safety rules, translations, evidence highlighting and the SVG charts."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rostra.screening.types import CATEGORIES
from rostra.web import demo_urls
from rostra.web.dashboard.charts import bar_chart, column_chart
from rostra.web.dashboard.data import format_duration
from rostra.web.dashboard.highlight import distinct_spans, evidence_words, highlight_segments
from rostra.web.dashboard.i18n import STRINGS, pick_language, translator

WEB = Path(__file__).resolve().parents[2] / "src" / "rostra" / "web"
WIDGET = WEB / "widget"
WIDGET_LANGS = ("en", "ar", "ckb", "kmr", "tr", "fa")
BUDGET_BYTES = 25 * 1024


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def test_widget_script_and_styles_fit_in_25_kb_gzip() -> None:
    total = gzipped_size(WIDGET / "embed.js") + gzipped_size(WIDGET / "widget.css")
    assert total <= BUDGET_BYTES, f"{total} bytes gzip"


@pytest.mark.parametrize(
    "path",
    [WIDGET / "embed.js", WEB / "dashboard" / "static" / "dashboard.js"],
    ids=["widget", "dashboard"],
)
def test_scripts_never_turn_data_into_markup_or_code(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("on',
        "javascript:",
    ):
        assert sink not in source, sink


def test_widget_makes_no_requests_outside_its_own_origin() -> None:
    source = (WIDGET / "embed.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://(?!comments\.example)", source)
    assert "@import" not in (WIDGET / "widget.css").read_text(encoding="utf-8")
    assert "url(" not in (WIDGET / "widget.css").read_text(encoding="utf-8")


def _placeholders(value: object) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_placeholders(v) for v in value.values()))
    return set(re.findall(r"\{(\w+)\}", str(value)))


def _load(lang: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((WIDGET / "i18n" / f"{lang}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("lang", WIDGET_LANGS)
def test_widget_translations_are_complete(lang: str) -> None:
    english, strings = _load("en"), _load(lang)
    assert strings.keys() == english.keys()
    assert strings["lang"] == lang
    assert strings["dir"] == ("rtl" if lang in ("ar", "ckb", "fa") else "ltr")
    assert set(strings["categories"]) == set(CATEGORIES)  # type: ignore[arg-type]
    assert strings["errors"].keys() == english["errors"].keys()  # type: ignore[attr-defined]
    for key, value in english.items():
        if key in ("lang", "dir", "list_sep"):
            continue
        if key != "count" or lang != "ar":  # Arabic "zero"/"one"/"two" spell the number out
            assert _placeholders(strings[key]) >= _placeholders(value) - {"n"}, key
        if isinstance(value, dict) and key not in ("categories", "errors"):
            forms = set(strings[key])  # type: ignore[arg-type]
            needed = (
                {"zero", "one", "two", "few", "many", "other"} if lang == "ar" else {"one", "other"}
            )
            assert needed <= forms, (key, forms)


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_dashboard_translations_are_complete(lang: str) -> None:
    english = STRINGS["en"]
    assert STRINGS[lang].keys() == english.keys()
    for key, value in english.items():
        assert _placeholders(STRINGS[lang][key]) >= _placeholders(value) - {"n"}, key


def test_dashboard_plurals_follow_cldr() -> None:
    ar = translator("ar")
    assert ar("reports", n=1) == "بلاغ واحد مفتوح"
    assert ar("reports", n=2) == "بلاغان مفتوحان"
    assert ar("reports", n=3).startswith("3 ")
    assert ar("reports", n=11) != ar("reports", n=3)
    en = translator("en")
    assert en("reports", n=1) == "1 open report"
    assert en("reports", n=2) == "2 open reports"


def test_dashboard_language_choice() -> None:
    assert pick_language("ckb", "ar", "en") == "ckb"
    assert pick_language(None, "ar", "en") == "ar"
    assert pick_language("xx", None, "fa-IR, ar;q=0.8") == "ar"
    assert pick_language(None, None, None) == "en"


def test_highlight_marks_evidence_in_place() -> None:
    text = "you are an idiot, idiot"
    segments = highlight_segments(
        text,
        [
            {"start": 11, "end": 16, "category": "personal_attack"},
            {"start": 18, "end": 23, "category": "personal_attack"},
        ],
    )
    assert [(s.text, s.categories) for s in segments] == [
        ("you are an ", ()),
        ("idiot", ("personal_attack",)),
        (", ", ()),
        ("idiot", ("personal_attack",)),
    ]


def test_highlight_merges_overlaps_and_ignores_bad_spans() -> None:
    segments = highlight_segments(
        "abcdef",
        [
            {"start": 1, "end": 4, "category": "threat"},
            {"start": 3, "end": 99, "category": "profanity"},
            {"start": 5, "end": 2, "category": "x"},
            {"start": "nope", "end": 3},
            {"end": 3},
        ],
    )
    assert [(s.text, s.categories) for s in segments] == [
        ("a", ()),
        ("bc", ("threat",)),
        ("d", ("profanity", "threat")),
        ("ef", ("profanity",)),
    ]


def test_spans_inside_another_of_the_same_category_are_dropped() -> None:
    text = "You are an idiot. An idiot!"
    evidence = [
        {"start": 11, "end": 16, "category": "personal_attack", "text": "idiot"},
        {"start": 0, "end": 16, "category": "personal_attack", "text": "You are an idiot"},
        {"start": 0, "end": 16, "category": "personal_attack", "text": "You are an idiot"},
        {"start": 21, "end": 26, "category": "personal_attack", "text": "idiot"},
        {"start": 11, "end": 16, "category": "profanity", "text": "idiot"},
        {"start": "bad", "end": 3, "category": "personal_attack"},
    ]
    kept = distinct_spans(text, evidence)
    assert [(e["start"], e["category"]) for e in kept] == [
        (0, "personal_attack"),
        (21, "personal_attack"),
        (11, "profanity"),
        ("bad", "personal_attack"),
    ]
    assert evidence_words(text, evidence) == ["You are an idiot", "idiot"]
    assert evidence_words("abc", [{"start": 0, "end": 2, "category": "x"}]) == ["ab"]


@given(
    text=st.text(max_size=60),
    spans=st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
)
def test_highlight_emits_every_character_once_in_order(
    text: str, spans: list[tuple[int, int]]
) -> None:
    evidence = [{"start": a, "end": b, "category": "threat"} for a, b in spans]
    assert "".join(s.text for s in highlight_segments(text, evidence)) == text


def test_charts_are_valid_svg_with_escaped_labels() -> None:
    hostile = "<script>alert(1)</script>"
    svg = str(bar_chart([(hostile, 3.0), ("ok", 1.0)], title='a "title" & more'))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("role") == "img"
    assert "<script>" not in svg
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 2
    days = str(column_chart([("11-01", 0.0), ("11-02", 5.0)], title="per day"))
    assert len(ET.fromstring(days).findall("{http://www.w3.org/2000/svg}rect")) == 2


def test_bar_chart_mirrors_for_right_to_left() -> None:
    ns = "{http://www.w3.org/2000/svg}"

    def label_and_bar_x(rtl: bool) -> tuple[float, float]:
        root = ET.fromstring(str(bar_chart([("label", 2.0)], title="t", rtl=rtl)))
        label = root.findall(f"{ns}text")[0]
        bar = root.find(f"{ns}rect")
        assert bar is not None
        return float(label.get("x", 0)), float(bar.get("x", 0))

    ltr_label, ltr_bar = label_and_bar_x(False)
    rtl_label, rtl_bar = label_and_bar_x(True)
    assert ltr_label <= ltr_bar
    assert rtl_label > rtl_bar


def test_demo_urls() -> None:
    assert demo_urls("http://127.0.0.1:8000/", ["a b", "ckb"]) == [
        "http://127.0.0.1:8000/demo/articles/a%20b",
        "http://127.0.0.1:8000/demo/articles/ckb",
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["30 s", "17 min", "3.5 h", "2.5 d"]),
        ("ar", ["30 ثانية", "17 دقيقة", "3.5 ساعة", "2.5 يوم"]),
        ("ckb", ["30 چرکە", "17 خولەک", "3.5 کاتژمێر", "2.5 ڕۆژ"]),
    ],
)
def test_durations_are_translated(lang: str, expected: list[str]) -> None:
    t = translator(lang)
    hours = [30 / 3600, 17 / 60, 3.5, 60.0]
    assert [format_duration(h, t) for h in hours] == expected
    assert format_duration(None, t) == "–"


def test_column_chart_leaves_days_without_data_empty() -> None:
    svg = str(
        column_chart(
            [("11-01", None), ("11-02", 50.0)],
            title="agreement",
            fmt=lambda v: f"{v:.0f} %",
            top=100,
        )
    )
    root = ET.fromstring(svg)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 1
    assert "50 %" in svg
    assert "100 %" in svg
