"""Loaders for the labelled data sets in ``../shared/datasets`` (one function per set).

Each loader reads one folder and yields :class:`Record` objects whose labels are rostra's
categories (mapped in :mod:`rostra.training.labels`, nowhere else). :func:`load_records` loads the
sets, drops GPL-licensed ones unless asked, and removes duplicates across sets (the Arabic sets
share tweets). :func:`split` makes the deterministic, grouped held-out split that training never
sees and that ``rostra eval --dataset`` reports on.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rostra.training import labels as L

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True, slots=True)
class Record:
    """One labelled comment."""

    text: str
    lang: str
    labels: frozenset[str]
    source: str
    #: The unit of the split: a thread or article where the data has one, else the record.
    group: str
    #: Heads this record is an example for (positives plus what its sources annotated).
    heads: frozenset[str] = frozenset()
    #: Other sources that held the same text (after deduplication).
    also_in: tuple[str, ...] = field(default=())

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.also_in)


class DataError(RuntimeError):
    pass


_MENTION = re.compile(r"@[A-Za-z0-9_]{1,30}")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Undo transport artefacts shared by the sets: ``<LF>`` markers, HTML entities, mentions.

    Mentions become ``@user`` everywhere (OLID and OSACT already mask them as ``@USER``), so the
    model cannot learn which data set a tweet came from by its mention style.
    """
    text = text.replace("<LF>", "\n")
    text = html.unescape(text)
    text = _MENTION.sub("@user", text)
    return text.strip()


def _record(text: str, lang: str, labels: frozenset[str], source: str, group: str) -> Record:
    text = clean_text(text)
    return Record(text, lang, labels, source, group, L.heads_for(source, labels))


def _rows(path: Path, *, delimiter: str = ",", header: bool = True) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        if header:
            yield from csv.DictReader(handle, delimiter=delimiter)
        else:
            for row in csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE):
                yield {str(i): value for i, value in enumerate(row)}


def _text_group(source: str, text: str) -> str:
    return f"{source}:{hashlib.sha1(text.encode('utf-8'), usedforsecurity=False).hexdigest()[:16]}"


# -- one loader per set ------------------------------------------------------------------------


def load_davidson(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "labeled_data.csv"):
        text = row["tweet"]
        yield _record(text, "en", L.davidson(int(row["class"]), text), folder.name, row[""])


def load_edos(folder: Path) -> Iterator[Record]:
    # EDOS ships its own dev split: it becomes the held-out group so figures are comparable.
    for row in _rows(folder / "edos_labelled_aggregated.csv"):
        labels = L.edos(row["label_sexist"], row["label_category"])
        group = "edos:dev" if row["split"] == "dev" else row["rewire_id"]
        yield _record(row["text"], "en", labels, folder.name, group)


def load_cmsb(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "sexism_data.csv"):
        # Adversarial rewrites stay with their original so a pair never straddles the split.
        original = row["of_id"] if row["of_id"] not in {"", "-1"} else row["id"]
        yield _record(row["text"], "en", L.cmsb(row["sexist"]), folder.name, f"cmsb:{original}")


def load_olid(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "olid-training-v1.0.tsv", delimiter="\t"):
        labels = L.olid(row["subtask_a"], row["subtask_b"], row["subtask_c"])
        yield _record(row["tweet"], "en", labels, folder.name, row["id"])


def load_ltedi(folder: Path) -> Iterator[Record]:
    for name in ("eng_3_train.tsv", "eng_3_dev.tsv"):
        for i, row in enumerate(_rows(folder / name, delimiter="\t")):
            if row.get("text"):
                yield _record(
                    row["text"], "en", L.ltedi(row["category"]), folder.name, f"{name}{i}"
                )


def load_c3(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "C3_anonymized.csv"):
        try:
            level = float(row["crowd_toxicity_level"])
        except ValueError:
            continue
        labels = L.c3(level, row["toxicity_characteristics"])
        if labels is not None:
            yield _record(row["comment_text"], "en", labels, folder.name, f"c3:{row['article_id']}")


def load_youtube(folder: Path) -> Iterator[Record]:
    for path in sorted(folder.glob("Youtube*.csv")):
        for row in _rows(path):
            labels = L.spam(row["CLASS"].strip() == "1")
            yield _record(row["CONTENT"], "en", labels, folder.name, row["COMMENT_ID"])


def load_sms(folder: Path) -> Iterator[Record]:
    for i, row in enumerate(_rows(folder / "SMSSpamCollection.tsv", delimiter="\t")):
        yield _record(row["SMS"], "en", L.spam(row["Label"] == "spam"), folder.name, f"sms{i}")


def load_osact2022(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "train_data2022.csv"):
        labels = L.osact2022(row["Offensive"], row["Hate"], row["Vulgar"], row["Violence"])
        yield _record(row["Tweet"], "ar", labels, folder.name, _text_group("osact", row["Tweet"]))


def load_osact2020(folder: Path) -> Iterator[Record]:
    for name in ("OSACT2020-sharedTask-train.txt", "OSACT2020-sharedTask-dev.txt"):
        for row in _rows(folder / name, delimiter="\t", header=False):
            if len(row) >= 2:
                text = row["0"]
                labels = L.osact2020(row["1"])
                yield _record(text, "ar", labels, folder.name, _text_group("osact", text))


def load_lhsab(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "L-HSAB.tsv", delimiter="\t"):
        text = row["Tweet"]
        yield _record(text, "ar", L.lhsab(row["Class"]), folder.name, _text_group("lhsab", text))


def load_mlma(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "hate_speech_mlma" / "ar_dataset.csv"):
        labels = L.mlma(row["sentiment"], row["target"])
        if labels is not None:
            yield _record(row["tweet"], "ar", labels, folder.name, f"mlma:{row['HITId']}")


def load_offenseval_tr(folder: Path) -> Iterator[Record]:
    for row in _rows(folder / "offenseval-tr-training-v1.tsv", delimiter="\t", header=False):
        if len(row) >= 3 and row["0"] != "id":
            labels = L.binary_offensive(row["2"], "OFF")
            yield _record(row["1"], "tr", labels, folder.name, row["0"])


def load_parsoffensive(folder: Path) -> Iterator[Record]:
    for i, row in enumerate(_rows(folder / "ParsOffensive.csv")):
        labels = L.binary_offensive(row["label"], "Offensive")
        yield _record(row["comment"], "fa", labels, folder.name, f"pars{i}")


def load_sorani(folder: Path) -> Iterator[Record]:
    for i, row in enumerate(_rows(folder / "silver_data.csv")):
        if row["sentiment"] in {"positive", "neutral"}:
            yield _record(row["tweet"], "ckb", frozenset(), folder.name, f"ckb{i}")


def load_ethos(folder: Path) -> Iterator[Record]:
    for i, row in enumerate(_rows(folder / "Ethos_Dataset_Multi_Label.csv", delimiter=";")):
        scores = {k: float(v) for k, v in row.items() if k != "comment" and v}
        yield _record(row["comment"], "en", L.ethos(scores), folder.name, f"ethos{i}")


Loader = Callable[[Path], Iterable[Record]]

#: Every loader, in deduplication priority order (the first source of a text keeps it).
LOADERS: dict[str, Loader] = {
    "olid-offenseval2019-en": load_olid,
    "davidson-hate-offensive": load_davidson,
    "edos": load_edos,
    "call-me-sexist-cmsb": load_cmsb,
    "ltedi2022-homophobia-transphobia-en": load_ltedi,
    "c3-constructive-comments": load_c3,
    "youtube-spam-collection": load_youtube,
    "sms-spam-collection": load_sms,
    "osact2020-ar-offensive": load_osact2020,
    "osact2022-ar-hate": load_osact2022,
    "l-hsab-ar-levantine": load_lhsab,
    "mlma-hate-en-fr-ar": load_mlma,
    "offenseval2020-tr": load_offenseval_tr,
    "parsoffensive-fa": load_parsoffensive,
    "kurdish-sorani-sentiment-hrazhan": load_sorani,
    "ethos-en": load_ethos,
}


def dedupe_key(text: str) -> str:
    """Texts equal up to case, spacing, mentions and URLs are the same comment."""
    text = re.sub(r"https?://\S+|\bURL\b", " ", text)
    text = text.replace("@user", " ").replace("RT ", " ")
    return _SPACES.sub(" ", text.casefold()).strip()


def load_records(
    data_dir: str | Path,
    *,
    sources: Sequence[str] | None = None,
    include_gpl: bool = False,
) -> list[Record]:
    """Load, map and deduplicate the data sets under ``data_dir``.

    ``sources=None`` loads every known set present under ``data_dir``. A text found in several
    sets becomes one record: the first set's text, language and group,
    the union of the labels and of the annotated heads, the other sets in ``also_in``.
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise DataError(f"data folder {root} not found")
    # Without an explicit list, every known set that is present is used (a partial copy of the
    # data still trains); a set asked for by name must exist.
    wanted = list(sources) if sources is not None else [s for s in LOADERS if (root / s).is_dir()]
    unknown = [s for s in wanted if s not in LOADERS]
    if unknown:
        raise DataError(f"no loader for {unknown}; known: {sorted(LOADERS)}")
    merged: dict[str, Record] = {}
    for source in wanted:
        if source in L.GPL_SOURCES and not include_gpl:
            continue
        folder = root / source
        if not folder.is_dir():
            raise DataError(f"data set folder {folder} not found")
        for record in LOADERS[source](folder):
            if not record.text:
                continue
            key = dedupe_key(record.text)
            if not key:
                continue
            first = merged.get(key)
            if first is None:
                merged[key] = record
            else:
                also = first.also_in
                if record.source != first.source and record.source not in also:
                    also = (*also, record.source)
                merged[key] = replace(
                    first,
                    labels=first.labels | record.labels,
                    heads=first.heads | record.heads,
                    also_in=also,
                )
    return list(merged.values())


def is_held_out(record: Record, *, seed: int = 0, fraction: float = 0.2) -> bool:
    """Whether ``record`` is in the held-out split (deterministic, by group).

    EDOS's own dev split is held out as a whole; other groups are hashed with the seed.
    """
    if record.group == "edos:dev":
        return True
    if record.source == "edos":
        return False
    digest = hashlib.sha256(f"{seed}:{record.group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split(
    records: Sequence[Record], *, seed: int = 0, fraction: float = 0.2
) -> tuple[list[Record], list[Record]]:
    """(train, held_out), grouped and deterministic for a given seed."""
    train: list[Record] = []
    held_out: list[Record] = []
    for record in records:
        (held_out if is_held_out(record, seed=seed, fraction=fraction) else train).append(record)
    return train, held_out


def fold_of(record: Record, k: int, *, seed: int = 0) -> int:
    """The cross-validation fold of ``record`` (grouped like :func:`is_held_out`)."""
    digest = hashlib.sha256(f"fold:{seed}:{record.group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % k


def stratified_sample(records: Sequence[Record], *, per_source: int, seed: int = 0) -> list[Record]:
    """At most ``per_source`` records of each primary source, keeping the positive/clean mix.

    Deterministic: records are ranked by a seeded hash of their text, not by a random state.
    Rare positives are kept in proportion, with at least half of them when a set is larger than
    the cap would otherwise allow (so a 3% class is not sampled away).
    """
    by_source: dict[str, list[Record]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)

    def rank(record: Record) -> bytes:
        return hashlib.sha256(f"sample:{seed}:{record.text}".encode()).digest()

    out: list[Record] = []
    for source in sorted(by_source):
        group = sorted(by_source[source], key=rank)
        if len(group) <= per_source:
            out.extend(group)
            continue
        positives = [r for r in group if r.labels]
        negatives = [r for r in group if not r.labels]
        share = len(positives) / len(group)
        n_pos = min(len(positives), max(round(per_source * share), per_source // 2))
        out.extend(positives[:n_pos])
        out.extend(negatives[: per_source - n_pos])
    return out
