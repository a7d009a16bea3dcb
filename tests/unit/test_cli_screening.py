"""``rostra check`` and ``rostra screen`` through click's runner (the real screen, lean policy)."""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostra.cli import main
from rostra.cli.screening import screen_lines
from rostra.screening import Screen

# An encoder-backed analyzer's table, up to the next analyzer table (or the end).
ENCODER_BLOCK = re.compile(
    r'\[\[analyzers\]\]\nfactory = "rostra\.(?:relevance|classifier)\.v1"\n'
    r".*?(?=^\[\[analyzers\]\]|^# [^\n]*\n\[\[analyzers\]\]|\Z)",
    re.DOTALL | re.MULTILINE,
)


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped default policy minus the encoder-backed analyzers (fast to load)."""
    text = files("rostra.screening").joinpath("default_policy.toml").read_text("utf-8")
    lean, count = ENCODER_BLOCK.subn("", text)
    assert count >= 1
    factories = {a["factory"] for a in tomllib.loads(lean)["analyzers"]}
    assert factories.isdisjoint({"rostra.relevance.v1", "rostra.classifier.v1"})
    assert "rostra.lexicon.v1" in factories
    path = tmp_path_factory.mktemp("policy") / "policy.toml"
    path.write_text(lean, "utf-8")
    return path


def test_cli_check_json_gives_verdict_with_evidence(policy_file: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "Ez ê te bikujim kero", "--json", "--policy", str(policy_file)]
    )
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["recommendation"] == "reject"
    assert verdict["language"] == "kmr"
    assert "threat" in verdict["reasons"]
    assert {"category": "threat", "start": 0, "end": 15, "text": "Ez ê te bikujim"} | {
        "analyzer": "rostra.lexicon.v1"
    } in verdict["evidence"]


def test_cli_check_human_output_highlights_evidence_on_a_terminal(policy_file: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "what an idiot", "--policy", str(policy_file)], color=True
    )
    assert result.exit_code == 0, result.output
    assert "REJECT" in result.output
    assert "\x1b[" in result.output  # ANSI styling
    assert "personal_attack" in result.output


def test_cli_check_reads_an_article_file(policy_file: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.json"
    article.write_text(json.dumps({"title": "Budget vote", "body": "…", "language": "en"}))
    result = CliRunner().invoke(
        main,
        [
            "check",
            "Fair point",
            "--article-file",
            str(article),
            "--json",
            "--policy",
            str(policy_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["recommendation"] in {"approve", "review"}


def test_cli_check_bad_policy_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('version = "x"\nmode = "yolo"\n')
    result = CliRunner().invoke(main, ["check", "hello", "--policy", str(bad)])
    assert result.exit_code != 0
    assert "invalid policy" in result.output


def test_cli_screen_streams_records_and_survives_bad_lines(
    policy_file: Path, tmp_path: Path
) -> None:
    lines = [
        json.dumps({"id": 1, "text": "You are an idiot"}),
        "this is not json",
        json.dumps({"id": 3}),
        "",
        json.dumps({"id": "x", "text": "سوپاس بۆ ئەم ڕاپۆرتە", "lang": "ckb"}),
        json.dumps({"id": 5, "text": "ok", "article": "not an object"}),
        json.dumps(
            {
                "id": 6,
                "text": "Great report",
                "article": {"title": "Budget", "body": "", "language": "en"},
            }
        ),
    ]
    infile = tmp_path / "in.jsonl"
    infile.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["screen", str(infile), "-o", str(out), "--policy", str(policy_file)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == [1, None, 3, "x", 5, 6]
    first = records[0]
    assert set(first) == {"id", "recommendation", "language", "scores", "reasons", "evidence"}
    assert first["recommendation"] == "reject"
    assert first["evidence"][0] == {
        "category": "personal_attack",
        "start": 0,
        "end": 16,
        "text": "You are an idiot",
        "analyzer": "rostra.lexicon.v1",
    }
    for bad in (records[1], records[2], records[4]):
        assert bad["recommendation"] == "review"
        assert bad["error"].startswith("line ")
    assert records[3]["language"] == "ckb"
    # No Kurdish training data: a clean-looking Kurdish comment is a moderator's call.
    assert records[3]["recommendation"] == "review"


def test_cli_screen_recent_option_feeds_the_duplicates_analyzer(
    policy_file: Path, tmp_path: Path
) -> None:
    spam = "I sell handmade carpets in Erbil, see myshop.example.com for photos"
    infile = tmp_path / "in.jsonl"
    infile.write_text("".join(json.dumps({"id": i, "text": spam}) + "\n" for i in range(3)))
    result = CliRunner().invoke(
        main, ["screen", str(infile), "--recent", "10", "--policy", str(policy_file)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["recommendation"] for r in records] == ["review", "reject", "reject"]


def test_cli_screen_lines_stream_without_reading_ahead(lean_screen: Screen) -> None:
    def endless() -> Iterator[str]:
        for i in itertools.count():
            yield json.dumps({"id": i, "text": f"comment number {i} about the budget"}) + "\n"

    first = list(itertools.islice(screen_lines(lean_screen, endless()), 5))
    assert [r["id"] for r in first] == [0, 1, 2, 3, 4]


@pytest.mark.slow
def test_cli_screen_handles_100k_lines(policy_file: Path, tmp_path: Path) -> None:
    infile = tmp_path / "big.jsonl"
    texts = [
        "A fair point about the budget.",
        "You are an idiot",
        "سوپاس بۆ ئەم ڕاپۆرتە",
        "not json",
    ]
    with infile.open("w", encoding="utf-8") as f:
        for i in range(100_000):
            text = texts[i % len(texts)]
            f.write((text if text == "not json" else json.dumps({"id": i, "text": text})) + "\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["screen", str(infile), "-o", str(out), "--policy", str(policy_file)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        count = sum(1 for _ in f)
    assert count == 100_000
