"""``rostra check`` and ``rostra screen``: the screen from the command line.

``check`` reads one comment and prints the verdict, with the evidence highlighted on a
terminal. ``screen`` reads JSON lines and writes one verdict line per input line, streaming,
so it handles files of any length; it is also the contract the evaluation uses.
"""

from __future__ import annotations

import json
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from rostra.cli import main
from rostra.screening import ArticleContext, Policy, PolicyError, Screen, ScreenContext, Verdict
from rostra.screening.types import Recommendation

_COLOURS = {
    Recommendation.APPROVE: "green",
    Recommendation.REJECT: "red",
    Recommendation.REVIEW: "yellow",
}
#: Shown instead of the screen's verdict when an input line cannot be screened at all.
_UNREADABLE = Recommendation.REVIEW


def _load_screen(policy_file: Path | None) -> Screen:
    try:
        policy = Policy.from_file(policy_file) if policy_file else Policy.default()
        return Screen.from_policy(policy)
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from exc


def _article_from_file(path: Path) -> ArticleContext:
    """A JSON object ``{"title", "body", "language"}`` or plain text (first line = title)."""
    raw = path.read_text("utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        return _article_from_mapping(data)
    lines = raw.strip().splitlines()
    if not lines:
        raise click.BadParameter(f"{path} is empty", param_hint="--article-file")
    return ArticleContext(title=lines[0].strip(), body="\n".join(lines[1:]).strip())


def _article_from_mapping(data: dict[str, Any]) -> ArticleContext:
    title = data.get("title")
    body = data.get("body", "")
    language = data.get("language")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("article needs a string 'title' (and a string 'body' if given)")
    if language is not None and not isinstance(language, str):
        raise ValueError("article 'language' must be a string")
    return ArticleContext(title=title, body=body, language=language)


def highlight(text: str, verdict: Verdict) -> str:
    """``text`` with every evidence span in bold red (overlapping spans merged)."""
    ranges = sorted((e.start, e.end) for e in verdict.evidence if e.end > e.start)
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    last = 0
    for start, end in merged:
        out.append(text[last:start])
        out.append(click.style(text[start:end], fg="red", bold=True, underline=True))
        last = end
    out.append(text[last:])
    return "".join(out)


def _print_verdict(text: str, verdict: Verdict) -> None:
    rec = verdict.recommendation
    click.echo(
        click.style(rec.value.upper(), fg=_COLOURS[rec], bold=True)
        + f"  language {verdict.language} ({verdict.language_confidence:.2f})"
    )
    if verdict.reasons:
        click.echo("reasons: " + ", ".join(verdict.reasons))
    scored = {k: v for k, v in verdict.scores.items() if v > 0}
    if scored:
        click.echo(
            "scores: "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scored.items(), key=lambda kv: -kv[1]))
        )
    if verdict.evidence:
        click.echo("")
        click.echo(highlight(text, verdict))
        click.echo("")
        for e in verdict.evidence:
            click.echo(f"  [{e.start}:{e.end}] {e.category:<16} {e.text!r}  ({e.analyzer})")
    for error in verdict.errors:
        click.echo(click.style(f"analyzer error: {error}", fg="magenta"), err=True)


@main.command("check")
@click.argument("text")
@click.option(
    "--lang", default=None, help="The language the comment is believed to be in (a hint)."
)
@click.option(
    "--article-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The article: JSON {title, body, language} or plain text (first line is the title).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A policy TOML file (default: the shipped default policy).",
)
def check(
    text: str, lang: str | None, article_file: Path | None, as_json: bool, policy_file: Path | None
) -> None:
    """Screen one comment and print the verdict with its evidence."""
    article = _article_from_file(article_file) if article_file else None
    screen = _load_screen(policy_file)
    verdict = screen.screen(text, ScreenContext(article=article, lang_hint=lang))
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_verdict(text, verdict)


# -- batch -------------------------------------------------------------------------------------


def verdict_record(item_id: Any, verdict: Verdict) -> dict[str, Any]:
    """The output line for one screened comment (issue 3 §7)."""
    return {
        "id": item_id,
        "recommendation": verdict.recommendation.value,
        "language": verdict.language,
        "scores": {k: round(v, 4) for k, v in sorted(verdict.scores.items())},
        "reasons": list(verdict.reasons),
        "evidence": [e.to_dict() for e in verdict.evidence],
        **({"errors": list(verdict.errors)} if verdict.errors else {}),
    }


def error_record(item_id: Any, message: str, line_number: int) -> dict[str, Any]:
    """The output line for an input line that could not be screened: review, never approve."""
    return {
        "id": item_id,
        "recommendation": _UNREADABLE.value,
        "language": None,
        "scores": {},
        "reasons": [],
        "evidence": [],
        "error": f"line {line_number}: {message}",
    }


def screen_lines(
    screen: Screen, lines: Iterable[str], *, recent: int = 0
) -> Iterator[dict[str, Any]]:
    """Screen JSON lines one by one; a bad line yields an error record and the stream goes on.

    ``recent`` > 0 passes the previous ``recent`` texts as ``ScreenContext.recent_texts``, as
    the live service does, so the duplicates analyzer sees a stream.
    """
    history: deque[str] = deque(maxlen=max(recent, 0) or None)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item_id: Any = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            item_id = item.get("id")
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError("'text' must be a string")
            lang = item.get("lang")
            if lang is not None and not isinstance(lang, str):
                raise ValueError("'lang' must be a string")
            article_data = item.get("article")
            article = None
            if article_data is not None:
                if not isinstance(article_data, dict):
                    raise ValueError("'article' must be an object")
                article = _article_from_mapping(article_data)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield error_record(item_id, str(exc), number)
            continue
        context = ScreenContext(
            article=article,
            lang_hint=lang,
            recent_texts=tuple(history) if recent > 0 else (),
        )
        try:
            verdict = screen.screen(text, context)
        except Exception as exc:  # the screen itself failed: record it, keep going
            yield error_record(item_id, f"{type(exc).__name__}: {exc}", number)
            continue
        if recent > 0:
            history.append(text)
        yield verdict_record(item_id, verdict)


class _Progress:
    """Lines per second on stderr, only when stderr is a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.perf_counter()
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.enabled and self.count % 500 == 0:
            self._show()

    def _show(self) -> None:
        rate = self.count / max(time.perf_counter() - self.started, 1e-9)
        self.stream.write(f"\rscreened {self.count:,} comments ({rate:,.0f}/s)")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self._show()
            self.stream.write("\n")
            self.stream.flush()


@main.command("screen")
@click.argument("infile", type=click.File("r", encoding="utf-8"))
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write the verdict lines (default: standard output).",
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A policy TOML file (default: the shipped default policy).",
)
@click.option(
    "--recent",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Pass the previous N texts as recent comments (duplicate/flood detection).",
)
def screen_command(infile: IO[str], output: IO[str], policy_file: Path | None, recent: int) -> None:
    """Screen a JSON-lines file: {"id","text","lang"?,"article"?} in, one verdict per line out.

    A line that cannot be read yields a record with "error" and recommendation "review", and
    the batch goes on. Use "-" to read standard input.
    """
    screen = _load_screen(policy_file)
    progress = _Progress(sys.stderr)
    for record in screen_lines(screen, infile, recent=recent):
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        progress.tick()
    output.flush()
    progress.done()
