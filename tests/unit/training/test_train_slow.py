"""End to end: ``rostra train`` on a tiny data folder, then ``rostra eval`` on its output.

Slow (it embeds ~150 texts with the real encoder and trains twice): ``pytest -m slow``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tiny_model import CLEAN, INSULT, SPAM

from rostra.cli import main
from rostra.screening.analyzers.classifier import ClassifierAnalyzer
from rostra.screening.normalize import normalize
from rostra.screening.types import ScreenDoc
from rostra.training import artifact as art

pytestmark = pytest.mark.slow

TR_CLEAN = ["bugün hava çok güzel", "maç berabere bitti", "haberi okudum teşekkürler"]
TR_OFF = ["salak herif sus artık", "aptal mısın sen", "defol git salak"]


def _write_data(root: Path) -> None:
    olid = ["id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c"]
    tr: list[str] = []
    sms = ["Label\tSMS"]
    for i in range(12):
        olid += [f"{i}{j}0\t{t} {i}\tNOT\tNULL\tNULL" for j, t in enumerate(CLEAN)]
        olid += [f"{i}{j}1\t{t} {i}\tOFF\tTIN\tIND" for j, t in enumerate(INSULT)]
        tr += [f"{i}{j}2\t{t} {i}\tNOT" for j, t in enumerate(TR_CLEAN)]
        tr += [f"{i}{j}3\t{t} {i}\tOFF" for j, t in enumerate(TR_OFF)]
        sms += [f"ham\t{t} number {i}" for t in CLEAN[:3]]
        sms += [f"spam\t{t} {i}" for t in SPAM]
    for folder, name, lines in (
        ("olid-offenseval2019-en", "olid-training-v1.0.tsv", olid),
        ("offenseval2020-tr", "offenseval-tr-training-v1.tsv", tr),
        ("sms-spam-collection", "SMSSpamCollection.tsv", sms),
    ):
        (root / folder).mkdir(parents=True)
        (root / folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_end_to_end_is_reproducible_and_usable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _write_data(data)
    runner = CliRunner()
    args = [
        "--data",
        str(data),
        "--cache",
        str(tmp_path / "cache"),
        "--cv",
        "2",
        "--per-source",
        "40",
        "--seed",
        "1",
        "--mlp-min-positives",  # low enough for this tiny data: MLP heads are trained too
        "20",
    ]
    first = runner.invoke(main, ["train", *args, "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["train", *args, "--out", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output

    a = json.loads((tmp_path / "a" / art.MANIFEST).read_text("utf-8"))
    b = json.loads((tmp_path / "b" / art.MANIFEST).read_text("utf-8"))
    assert a["files"] == b["files"]  # byte-identical tensors: reproducible
    assert a["data_sha256"] == b["data_sha256"]
    assert "olid-offenseval2019-en" in a["fast"]["held_out"]["targets"]
    assert a["encoder"]["samples"] > 0
    assert "offensive" in a["encoder"]["mlp_heads"]
    assert art.load(tmp_path / "a").encoder.mlp  # type: ignore[union-attr]
    card = (tmp_path / "a" / art.CARD_FILE).read_text("utf-8")
    assert "offenseval2020-tr" in card
    assert "GPL" in card

    analyzer = ClassifierAnalyzer(model_dir=str(tmp_path / "a"), encoder="off")

    def score(text: str, category: str) -> float:
        doc = ScreenDoc(text, normalize(text), "en", 0.9)
        return {s.category: s.score for s in analyzer.analyze(doc)}[category]

    assert score("you stupid idiot", "personal_attack") > score(
        "the council met", "personal_attack"
    )
    assert score("free money subscribe to my channel", "promotion") > 0.5

    # the encoder tier trained on en+tr is used for Kurdish
    kurdish = ClassifierAnalyzer(model_dir=str(tmp_path / "a"), encoder="auto")
    doc = ScreenDoc("ev gotar gelek baş e", normalize("ev gotar gelek baş e"), "kmr", 0.9)
    assert all(s.score <= kurdish.low_resource_cap for s in kurdish.analyze(doc))


def test_eval_jsonl_reports_rates(tmp_path: Path) -> None:
    lines = [
        {"text": "Thank you for this careful report on the budget.", "labels": [], "lang": "en"},
        {"text": "You are a fucking idiot and a liar", "labels": ["personal_attack"], "lang": "en"},
        {
            "text": "Subscribe to my channel, free money, whatsapp +964 750 000 0000",
            "labels": ["promotion"],
        },
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    decisions = report["overall"]["decisions"]
    assert decisions["n"] == 3
    assert decisions["violating"] == 2
    assert decisions["approve"] + decisions["reject"] + decisions["review"] == 3
    assert 0.0 <= decisions["automation_rate"] <= 1.0
    assert "en" in report["per_language"]
