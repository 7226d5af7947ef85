"""The runner: every input under RAW through the page stages, batch by batch, into the tables under OUT.

Each input file ends up in exactly one place: a row of articles, or a row of errors that names the stage
and the reason (a duplicate of an earlier article is an errors row too, so nothing is dropped silently).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from tqdm import tqdm

from pipeline import __version__, across, ingest, patterns, readers
from pipeline.engines import map_batches
from pipeline.inputs import Input, discover, inside
from pipeline.models import Record
from pipeline.page import FileResult, Item, Settings, analyse, process_page
from pipeline.store import Batch, Entry, OutputError, Store, new_batch_id

__all__ = ["FileResult", "Settings", "Summary", "analyse", "process_page", "run"]


@dataclass
class Summary:
    """What the output holds after a run, and what this run did."""

    articles: int = 0  # made by this run
    unchanged: int = 0  # inputs kept from earlier runs
    articles_in_output: int = 0
    errors_in_output: dict[str, int] = field(default_factory=dict)
    inputs: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(self.errors_in_output.values())

    def line(self, out: Path) -> str:
        if not self.inputs:
            return f"no input files found (hidden files and README files are skipped); {out} holds no articles"
        rate = self.articles / self.seconds if self.seconds else 0.0
        errors = ", ".join(f"{count} {kind}" for kind, count in sorted(self.errors_in_output.items()))
        return (
            f"{self.articles_in_output} articles in {out}: {self.articles} new, "
            f"{self.articles_in_output - self.articles} unchanged; "
            + (f"{ingest.count(self.errors, 'error')} ({errors}; see {out / 'errors'})" if self.errors else "0 errors")
            + f". This run: {self.inputs - self.unchanged} inputs done, {self.unchanged} kept unchanged, "
            f"in {self.seconds:.1f} s" + (f" ({rate:.1f} articles/s)" if self.articles else "")
        )


def fingerprint() -> str:
    """What made the rows: the package's code and its rules. A change to either redoes every input."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + path.read_bytes())
    for path in sorted(patterns.PATTERNS_DIR.glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


Seen = tuple[int, ...]  # what the file system says of an input: which file it is, its size and times


def _seen(item: Item, handle: BinaryIO) -> Seen:
    """The open file's device, inode, size, modification and change times (the change time moves on every
    write, even one that puts the old modification time back), and those of the name listed (a link
    pointed elsewhere and back is a new link)."""
    opened, listed = os.fstat(handle.fileno()), os.lstat(item.path)
    return (opened.st_dev, opened.st_ino, opened.st_size, opened.st_mtime_ns, opened.st_ctime_ns,
            listed.st_ino, listed.st_ctime_ns)  # fmt: skip


def _open(item: Item) -> BinaryIO:
    return ingest.open_input(Path(item.root) if item.root else None, Path(item.path))


def _sha256(item: Item) -> tuple[str, Seen]:
    """The SHA-256 of an input's bytes, and the file as it was seen before they were read."""
    digest = hashlib.sha256()
    with _open(item) as handle:
        seen = _seen(item, handle)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest(), seen


def _seen_now(item: Item) -> Seen | None:
    try:
        with _open(item) as handle:
            return _seen(item, handle)
    except (OSError, ingest.IngestError):
        return None


class Todo(NamedTuple):
    item: Item
    sha256: str | None  # None: not read (a problem found before reading), done again on every run
    seen: Seen | None = None  # the file when it was hashed: its hash stands for what a worker read only if
    # the file is seen the same once the worker is done


@dataclass
class Plan:
    """Which committed batches stay whole, which lose some inputs, which go, and which inputs are to be done."""

    keep: list[Batch]
    shrink: list[tuple[Batch, list[Entry]]]  # a batch, and its entries to take out (their inputs are redone)
    drop: list[Batch]
    todo: list[Todo]
    current: dict[str, Todo]  # every input now under RAW, by its reported name
    rules: str  # the fingerprint of the rules the new batches are made by


# Compaction aims at about this many files a table, however many inputs, and leaves a table of that many or
# fewer as it is.
FILES_PER_TABLE = 12
# Errors that depend on the run, not the input (its limits, the machine's load): such inputs are redone.
RETRIED = frozenset({"Timeout", "TooLarge", "WorkerDied", "Unreadable"})
# What opening an input refuses (ingest.open_input): looked at again on every run, never read.
REFUSED = frozenset({"OutsideInput", "BrokenLink", "NotAFile", "Unreadable"})


def _hashed(entry: Input, max_bytes: int) -> Todo:
    if entry.problem:
        return Todo(Item(str(entry.path), entry.source_path, entry.problem), None)
    item = Item(str(entry.path), entry.source_path, root=str(entry.root) if entry.root else None)
    try:
        if error := readers.over_limit(entry.path, max_bytes):  # not read: done again on every run
            return Todo(item._replace(problem=(error.error_type, str(error))), None)
        return Todo(item, *_sha256(item))
    except ingest.IngestError as error:  # swapped for a link or a FIFO since the folder was listed
        return Todo(item._replace(problem=(error.error_type, str(error))), None)
    except OSError as error:
        problem = ("Unreadable", f"cannot read the file: {error.strerror}")
        return Todo(item._replace(problem=problem), None)


def plan(raw: Path, store: Store, settings: Settings) -> Plan:
    """Keep a committed input only if it is still there, unchanged, made by these rules, and every article
    its duplicates repeat is still kept; every other input is done again.

    The output always holds exactly the current inputs, each once, as a fresh run would.
    """
    hashed = (_hashed(entry, settings.max_bytes) for entry in discover(raw))
    current = {todo.item.source_path: todo for todo in hashed}
    rules = fingerprint()
    batches, drop = [], []
    for batch in store.batches():
        (batches if batch.fingerprint == rules and not settings.force else drop).append(batch)

    def unchanged(entry: Entry) -> bool:
        now = current.get(entry.source_path)
        transient = RETRIED & set(entry.errors)  # a fresh run could give another result
        return entry.sha256 is not None and now is not None and now.sha256 == entry.sha256 and not transient

    stale = {id(entry) for batch in batches for entry in batch.entries if not unchanged(entry)}
    while True:  # a duplicate whose original is no longer kept is done again, and so on
        kept = {aid for b in batches for entry in b.entries if id(entry) not in stale for aid in entry.article_ids}
        orphans = {
            id(entry)
            for batch in batches
            for entry in batch.entries
            if id(entry) not in stale and set(entry.duplicates) - kept
        }
        if not orphans:
            break
        stale |= orphans
    keep, shrink = [], []
    for batch in batches:
        taken = [entry for entry in batch.entries if id(entry) in stale]
        if len(taken) == len(batch.entries):
            drop.append(batch)
        elif taken:
            shrink.append((batch, taken))
        else:
            keep.append(batch)
    done = {entry.source_path for batch in batches for entry in batch.entries if id(entry) not in stale}
    todo = [todo for source_path, todo in sorted(current.items()) if source_path not in done]
    return Plan(keep, shrink, drop, todo, current, rules)


def check_paths(raw: Path, out: Path) -> None:
    """Refuse, before any work, an OUT that is RAW, inside it or around it: a run must never read its own
    output or write among its inputs."""
    raw_path, out_path = raw.resolve(), out.resolve()
    if inside(out_path, raw_path) or inside(raw_path, out_path):
        raise OutputError(f"the output folder {out} and the input {raw} overlap: choose an --out outside {raw}")


def run(raw: Path, out: Path, settings: Settings | None = None, progress: bool = True) -> Summary:
    """Extract every input under RAW into the table folders under OUT, batch by batch.

    Inputs unchanged since the last run into OUT are kept as they are; new and changed ones are done and
    committed one batch at a time, so a killed run loses at most the batches in flight. Of inputs with the
    same normalised text, the first by name is the article and the others are DuplicateArticle rows,
    whatever order they arrived in over runs: the tables equal those of a fresh run. At the end, small
    batches are merged so that each table stays a few files.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    check_paths(raw, out)
    patterns.check()
    store = Store(out, derived=tuple(across.TABLES))
    with store.lock():
        store.prepare()
        work = plan(raw, store, settings)
        for batch in work.drop:
            store.drop(batch.batch_id)
        state = _Run(store, work, settings, {batch.batch_id: batch for batch in work.keep})
        for batch, taken in work.shrink:  # the inputs taken out are in work.todo already
            state.committed[batch.batch_id] = batch
            state.take_out(batch.batch_id, taken)
        with tqdm(total=len(work.todo), desc="extract", unit="file", disable=not progress) as bar:
            pending = work.todo
            while pending:
                pending = state.do(pending, bar)
                bar.total += len(pending)
        capacity = max(settings.batch_size * 8, -(-len(work.current) // FILES_PER_TABLE))
        store.compact(capacity, files=FILES_PER_TABLE)
        # The tables across articles, made again only when the batches changed since they were made (a run
        # with no change would spend a full scan of persons and roles, 1.6 s for 100,000 articles, on them).
        built_from = store.committed_ids()
        if not all(store.derived_current(name, built_from) for name in across.TABLES):
            for name, table in across.build(out).items():
                store.write_derived(name, table, built_from)
    summary = Summary(inputs=len(work.current), seconds=time.perf_counter() - started)
    for batch in store.batches():
        for entry in batch.entries:
            summary.articles_in_output += len(entry.article_ids)
            if entry.source_path in state.done:
                summary.articles += len(entry.article_ids)
            else:
                summary.unchanged += 1
            for kind, count in entry.errors.items():
                summary.errors_in_output[kind] = summary.errors_in_output.get(kind, 0) + count
    return summary


@dataclass
class _Run:
    """The batches of one run as they are committed, and which input's article each article id is."""

    store: Store
    work: Plan
    settings: Settings
    committed: dict[str, Batch]
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # article id -> (input, batch id)
    done: set[str] = field(default_factory=set)  # the inputs processed by this run
    sequence: int = 0

    def __post_init__(self) -> None:
        for batch in self.committed.values():
            self._own(batch)

    def _own(self, batch: Batch) -> None:
        for entry in batch.entries:
            self.owner.update(dict.fromkeys(entry.article_ids, (entry.source_path, batch.batch_id)))

    def _new_id(self) -> str:
        self.sequence += 1
        return new_batch_id(self.sequence)

    def do(self, todo: list[Todo], bar: tqdm) -> list[Todo]:
        """Process TODO in batches, committing each; return the inputs to do again: those whose article
        turned out to repeat an input earlier by name, or to be repeated by one."""
        requeued: list[Todo] = []
        size = self.settings.batch_size
        readable = [t for t in todo if t.sha256 is not None]
        batches = [readable[i : i + size] for i in range(0, len(readable), size)]
        if unread := [t for t in todo if t.sha256 is None]:  # in a batch of their own: redone on every run
            batches.append(unread)
        items = [[t.item for t in batch] for batch in batches]
        for batch, results in zip(batches, map_batches(items, self.settings), strict=True):
            batch_id = self._new_id()
            records: dict[str, list[Record]] = {}
            entries = []
            for todo_item, file_results in zip(batch, results, strict=True):
                source_path = todo_item.item.source_path
                self.done.add(source_path)
                article_ids, duplicates, errors = [], [], Counter[str]()
                for result in file_results:
                    article = result.article
                    if article is not None:
                        original = self.owner.get(article.article_id)
                        if original and original[0] <= source_path:
                            message = f"same normalised text as {original[0]} (article {article.article_id})"
                            result = FileResult.failed(article.source_path, "dedupe", "DuplicateArticle", message)
                            duplicates.append(article.article_id)
                        else:
                            if original:
                                requeued += self.displace(article.article_id)
                            self.owner[article.article_id] = (source_path, batch_id)
                            article_ids.append(article.article_id)
                    errors.update(error.error_type for error in result.records.get("errors", []))
                    for table, table_records in result.records.items():
                        records.setdefault(table, []).extend(table_records)
                # A file changed since it was hashed may have been read in another state: not kept by the next
                # run. So is one refused when opened (swapped for a link or FIFO), as at listing.
                sha256 = todo_item.sha256
                if sha256 is not None and (REFUSED & set(errors) or _seen_now(todo_item.item) != todo_item.seen):
                    sha256 = None
                entries.append(Entry(source_path, sha256, article_ids, duplicates, dict(errors)))
            self.committed[batch_id] = Batch(batch_id, self.work.rules, entries)
            self.store.commit(self.committed[batch_id], records)
            bar.update(len(batch))
        return sorted(requeued, key=lambda todo: todo.item.source_path)

    def displace(self, article_id: str) -> list[Todo]:
        """An input earlier by name holds the text of ARTICLE_ID: its committed input is done again."""
        source_path, batch_id = self.owner[article_id]
        batch = self.committed.get(batch_id)
        if batch is None:
            return []
        return self.take_out(batch_id, [entry for entry in batch.entries if entry.source_path == source_path])

    def take_out(self, batch_id: str, entries: list[Entry]) -> list[Todo]:
        """Take ENTRIES out of a committed batch, and the entries elsewhere whose duplicates name their
        articles; all their inputs are to be done again."""
        batch = self.committed.pop(batch_id)
        rest = [entry for entry in batch.entries if entry not in entries]
        if rest:
            smaller = Batch(self._new_id(), batch.fingerprint, rest)
            self.store.rewrite(smaller, [batch], without=entries)
            self.committed[smaller.batch_id] = smaller
            self._own(smaller)
        else:
            self.store.drop(batch_id)
        again = [self.work.current[entry.source_path] for entry in entries if entry.source_path in self.work.current]
        gone = {aid for entry in entries for aid in entry.article_ids}
        for aid in gone:
            self.owner.pop(aid, None)
        for other in list(self.committed.values()):
            dependents = [entry for entry in other.entries if gone & set(entry.duplicates)]
            if dependents and other.batch_id in self.committed:
                again += self.take_out(other.batch_id, dependents)
        return again
