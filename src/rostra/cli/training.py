"""``rostra train`` and ``rostra eval`` (thin: the work is in :mod:`rostra.training`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rostra.cli import main

DEFAULT_OUT = "src/rostra/screening/models/classifier"


@main.command("train")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder holding the data sets (../shared/datasets).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Artifact folder to write.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/cache"),
    show_default=True,
    help="Embedding cache (never committed).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--cv",
    type=click.IntRange(2, 10),
    default=3,
    show_default=True,
    help="Folds for the out-of-fold calibration and the cross-validated figures.",
)
@click.option(
    "--per-source",
    type=click.IntRange(10),
    default=2500,
    show_default=True,
    help="Encoder tier: at most this many texts per data set (stratified).",
)
@click.option(
    "--cached-only", is_flag=True, help="Encoder tier: train only on texts already in the cache."
)
@click.option(
    "--mlp-min-positives",
    type=click.IntRange(1),
    default=None,
    help="Encoder tier: heads with this many positives in the sample also get an MLP, used "
    "where the tier is blended with the fast tier.  [default: as shipped, 5000]",
)
@click.option("--no-mlp", is_flag=True, help="Encoder tier: linear heads only.")
@click.option("--no-encoder", is_flag=True, help="Train the fast tier only.")
@click.option("--source", "sources", multiple=True, help="Only these data sets (repeatable).")
def train_command(
    data: Path,
    out: Path,
    cache: Path,
    seed: int,
    cv: int,
    per_source: int,
    cached_only: bool,
    mlp_min_positives: int | None,
    no_mlp: bool,
    no_encoder: bool,
    sources: tuple[str, ...],
) -> None:
    """Rebuild the classifier artifact from the labelled data sets and print its figures."""
    from rostra.training.train import TrainConfig, train

    config = TrainConfig(
        data=data,
        out=out,
        cache=cache,
        seed=seed,
        cv=cv,
        per_source=per_source,
        cached_only=cached_only,
        encoder=not no_encoder,
        sources=sources or None,
        encoder_mlp_min_positives=(
            None if no_mlp else mlp_min_positives or TrainConfig.encoder_mlp_min_positives
        ),
    )
    train(config, log=lambda line: click.echo(line, err=True))


@main.command("eval")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dataset", help="Evaluate on this data set's held-out split instead of a file.")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the data sets (with --dataset).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Split seed (as trained).")
@click.option("--limit", type=click.IntRange(1), help="At most this many comments.")
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy file (default: the shipped default policy).",
)
@click.option(
    "--baseline",
    "baselines",
    multiple=True,
    type=click.Choice(["alt-profanity-check", "arabic-toxic"]),
    help="Also score the same comments with this third-party model (dev extra).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_command(
    path: Path | None,
    dataset: str | None,
    data: Path | None,
    seed: int,
    limit: int | None,
    policy_file: Path | None,
    baselines: tuple[str, ...],
    as_json: bool,
) -> None:
    """Screen labelled comments (IN.jsonl, or a data set's held-out split) and report."""
    from rostra.screening.policy import Policy
    from rostra.screening.screen import Screen
    from rostra.training.evaluate import (
        EvalInputError,
        compare_baseline,
        dataset_items,
        evaluate,
        format_report,
        read_jsonl,
    )

    if (path is None) == (dataset is None):
        raise click.UsageError("give either IN.jsonl or --dataset NAME (with --data DIR)")
    if dataset is not None and data is None:
        raise click.UsageError("--dataset needs --data DIR")
    policy = Policy.from_file(policy_file) if policy_file else Policy.default()
    try:
        if dataset is not None:
            assert data is not None
            items = dataset_items(data, dataset, seed=seed, limit=limit)
        else:
            assert path is not None
            items = list(read_jsonl(path))[:limit]
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from None
    report = evaluate(items, Screen.from_policy(policy))
    if dataset is not None:
        report["dataset"] = {"name": dataset, "split": "held out", "seed": seed}
    for name in baselines:
        compare_baseline(items, report, name)
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(format_report(report))
