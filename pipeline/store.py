"""The output folder: one folder of Parquet parts per table, and a manifest of what each part holds.

    OUT/articles/part-<batch>.parquet ... OUT/errors/part-<batch>.parquet   one part per table per batch
    OUT/people/derived.parquet, OUT/tenures/derived.parquet                  made across articles, from the
                                                                             batches its metadata names
    OUT/_manifest/<batch>.pending                                            a batch being written
    OUT/_manifest/<batch>.json                                               the batch's inputs, committed last
    OUT/_manifest/.lock                                                      held by the run writing OUT (empty)
    OUT/_manifest/.holder                                                    who holds it, while it is held

vnextract owns exactly the files these names describe and touches no other: a file it did not write in a
table folder stops the run before anything is written (`OutputError`), and files beside the table
folders are left alone. A batch is committed when its manifest exists: its `.pending` marker is written
first, then the parts (each to a temporary name, then renamed), then the manifest. A run killed at any
moment leaves at most a pending batch; the next run deletes that batch's own files, named by its marker,
and does its inputs again, so no table ever holds a half batch or a duplicate. Readers (pandas, DuckDB,
pyarrow) read a table's folder and skip names starting with "." or "_".
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.emit import SCHEMAS, TEMPORARY, write_arrow, write_parts, write_records
from pipeline.models import Record

MANIFEST = "_manifest"
LOCK = ".lock"
HOLDER = ".holder"  # who holds the lock, for the message a second run prints
_BATCH_ID = re.compile(r"\d{20}-\d{6}")  # new_batch_id()
DERIVED = "derived.parquet"  # the one file of a table made across articles, rewritten whole when batches change
BUILT_FROM = b"vnextract.built_from"  # a derived file's Parquet metadata: the ids of the batches it was made from


class OutputError(Exception):
    """OUT cannot be written safely; the message says why and what to do. Raised before any write."""


@dataclass(frozen=True)
class Entry:
    """One input file of a committed batch: its content hash (None: it could not be read), the articles it
    became (a JSONL export or a WARC archive holds many; an input that became errors rows only, none), the
    articles of other inputs it repeats (its DuplicateArticle rows name them), and its errors by type."""

    source_path: str
    sha256: str | None
    article_ids: list[str]
    duplicates: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class Batch:
    batch_id: str
    fingerprint: str
    entries: list[Entry] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)  # batches whose rows this one holds (compaction)


def _part(batch_id: str) -> str:
    return f"part-{batch_id}.parquet"


class Store:
    def __init__(self, out: Path, derived: tuple[str, ...] = ()) -> None:
        self.out = out
        self.manifests = out / MANIFEST
        self.derived = derived  # tables made across articles after the batches: one file each

    def committed_ids(self) -> list[str]:
        """The ids of the committed batches, sorted. A batch's rows never change under its id (a rewrite or a
        redo commits a new one, and ids are never reused), so the ids say what the tables hold."""
        return sorted(path.stem for path in self.manifests.glob("*.json") if _BATCH_ID.fullmatch(path.stem))

    def derived_current(self, table: str, built_from: list[str]) -> bool:
        """Whether the file of a table made across articles was made from exactly the batches BUILT_FROM."""
        try:
            metadata = pq.read_schema(self.out / table / DERIVED).metadata or {}
        except (OSError, pa.ArrowInvalid):  # not written yet, or not readable: made again
            return False
        return metadata.get(BUILT_FROM) == json.dumps(built_from).encode()

    def write_derived(self, table: str, rows: pa.Table, built_from: list[str]) -> None:
        """Replace the one file of a table made across articles, atomically, naming in its metadata the
        batches it was made from: a run killed after committing batches, before this, leaves it stale."""
        metadata = (rows.schema.metadata or {}) | {BUILT_FROM: json.dumps(built_from).encode()}
        write_arrow(self.out / table / DERIVED, rows.replace_schema_metadata(metadata))

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold OUT for this run: a second run on the same OUT stops at once, naming the holder.

        Nothing is written before OUT's own folders are found to be folders (a link would lead the lock, and
        every file after it, out of OUT) and the lock files to be ours. The lock file is opened without
        following a link and never truncated nor deleted; the holder file is made new (O_EXCL) and removed
        only when it is still the one this run made. The lock is flock(2), as filelock takes it (a test holds
        it with filelock); filelock itself opens the file by path with O_TRUNC, through a link put there."""
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out} is a file, not a folder: give --out a folder")
        if self.out.is_symlink() and not self.out.exists():
            raise OutputError(f"{self.out} is a link to nowhere: give --out a folder")
        self._refuse(self._unsafe())
        try:
            self.manifests.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"cannot create {self.manifests}: {error.strerror}") from error
        try:
            folder = os.open(self.manifests, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as error:  # ELOOP: made a link since it was checked
            raise OutputError(f"cannot open {self.manifests} as a folder: {error.strerror}") from error
        try:
            handle = _open_lock(folder, self.manifests / LOCK)
            try:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    who = _read_holder(folder) or "another process"
                    raise OutputError(
                        f"{self.out} is being written by another vnextract run ({who}); wait for it"
                    ) from None
                except OSError as error:  # ENOLCK: a network file system without locks
                    raise OutputError(
                        f"cannot lock {self.manifests / LOCK} ({error.strerror}): choose an --out on a file system "
                        "with file locks"
                    ) from error
                holder = _make_holder(folder, self.manifests / HOLDER)
                try:
                    yield
                finally:
                    _remove_holder(folder, holder)
            finally:
                os.close(handle)  # releases the lock
        finally:
            os.close(folder)

    def _unsafe(self) -> list[Path]:
        """What the lock would write through or over: OUT's own folders that are links or files, and lock
        files that are not ours. Checked before anything is written."""
        unsafe = [
            folder
            for folder in (self.manifests, *(self.out / table for table in (*SCHEMAS, *self.derived)))
            if folder.is_symlink() or (folder.exists() and not folder.is_dir())
        ]
        if self.manifests in unsafe:
            return unsafe
        lock = self.manifests / LOCK
        if lock.is_symlink() or (lock.exists() and not _our_lock(lock)):
            unsafe.append(lock)
        holder = self.manifests / HOLDER
        if holder.is_symlink() or (holder.exists() and not _our_holder(holder)):
            unsafe.append(holder)
        return unsafe

    def _refuse(self, foreign: list[Path]) -> None:
        if not foreign:
            return
        named = ", ".join(f"{path} (a link)" if path.is_symlink() else str(path) for path in foreign[:3])
        raise OutputError(
            f"{len(foreign)} of the entries in {self.out} were not written by vnextract: {named}"
            + (" ..." if len(foreign) > 3 else "")
            + ". vnextract never writes through a link nor deletes what it did not write: move them elsewhere, "
            "or choose another --out"
        )

    def batches(self) -> list[Batch]:
        """The committed batches, oldest first."""
        found = []
        for path in sorted(self.manifests.glob("*.json")) if self.manifests.is_dir() else []:
            if not _BATCH_ID.fullmatch(path.stem):
                continue  # not ours: prepare() stops at it
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                entries = [Entry(**entry) for entry in data["entries"]]
                found.append(Batch(data["batch_id"], data["fingerprint"], entries, data.get("replaces", [])))
            except (ValueError, KeyError, TypeError) as error:
                raise OutputError(
                    f"{path} is not a vnextract manifest ({error}): move it out of {MANIFEST}/"
                ) from error
        return found

    def _pending(self) -> list[str]:
        return sorted(path.stem for path in self.manifests.glob("*.pending") if _BATCH_ID.fullmatch(path.stem))

    def _foreign(self, committed: set[str], pending: set[str]) -> list[Path]:
        """Every entry of OUT's table folders and manifest folder that vnextract did not write."""
        ours = {_part(batch_id) for batch_id in committed | pending}
        foreign: list[Path] = []

        def check(folder: Path, owned: Callable[[Path], bool]) -> None:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                foreign.append(folder)  # a link could lead among the inputs, or anywhere
                return
            for path in folder.iterdir() if folder.is_dir() else []:
                if path.is_symlink() or not path.is_file() or not owned(path):
                    foreign.append(path)

        def part(path: Path) -> bool:
            return path.name in ours or any(
                path.name.startswith(f".part-{batch_id}.{TEMPORARY}") for batch_id in pending
            )

        def manifest(path: Path) -> bool:
            name = path.name
            if name == LOCK:
                return _our_lock(path)
            if name == HOLDER:
                return _our_holder(path)
            batch_id = name.removeprefix(".").removesuffix(".tmp").removesuffix(".json").removesuffix(".pending")
            if name == f"{batch_id}.pending":  # a marker is empty: a file with something in it is a user's
                return bool(_BATCH_ID.fullmatch(batch_id)) and path.stat().st_size == 0
            return bool(_BATCH_ID.fullmatch(batch_id)) and name in {f"{batch_id}.json", f".{batch_id}.tmp"}

        for table in SCHEMAS:
            check(self.out / table, part)
        for table in self.derived:
            check(self.out / table, lambda path: path.name == DERIVED or path.name.startswith(f".derived.{TEMPORARY}"))
        check(self.manifests, manifest)
        return foreign

    def prepare(self) -> None:
        """Check that every file in OUT's table folders and manifest folder is ours, then remove what an
        interrupted run left: the files of its pending batches, each named by the batch's marker, and its
        temporary files. Nothing else is ever deleted."""
        self.manifests.mkdir(parents=True, exist_ok=True)
        batches = self.batches()
        committed = {batch.batch_id for batch in batches}
        pending = set(self._pending()) - committed
        self._refuse(self._foreign(committed, pending))
        for table in SCHEMAS:
            (self.out / table).mkdir(exist_ok=True)
        for batch_id in pending:
            self._remove(batch_id)
        for batch_id in sorted(committed):  # a part deleted by hand: the batch is done again, whole
            if not all((self.out / table / _part(batch_id)).is_file() for table in SCHEMAS):
                self.drop(batch_id)
        for batch_id in set(self._pending()) & committed:  # killed after its manifest was written: complete
            (self.manifests / f"{batch_id}.pending").unlink()
        for batch_id in committed & {old for batch in batches for old in batch.replaces}:
            self.drop(batch_id)  # killed after a rewrite was committed, before its sources were removed
        for path in self.manifests.glob(".*.tmp"):  # our manifests' temporary names (checked above)
            path.unlink()
        for table in self.derived:
            for path in (self.out / table).glob(f".derived.{TEMPORARY}*.tmp"):
                path.unlink()

    def _remove(self, batch_id: str) -> None:
        for table in SCHEMAS:
            folder = self.out / table
            (folder / _part(batch_id)).unlink(missing_ok=True)
            for temporary in folder.glob(f".part-{batch_id}.{TEMPORARY}*"):
                temporary.unlink()
        (self.manifests / f"{batch_id}.pending").unlink(missing_ok=True)

    def drop(self, batch_id: str) -> None:
        """Remove a committed batch: it becomes pending first, so a crash here leaves it to be cleaned up."""
        (self.manifests / f"{batch_id}.pending").touch()
        (self.manifests / f"{batch_id}.json").unlink(missing_ok=True)
        self._remove(batch_id)

    def commit(self, batch: Batch, records: Mapping[str, list[Record]]) -> None:
        """Mark the batch pending, write one part per table, then its manifest: the batch exists from then.
        OUT's folders are looked at again first: one made a link during the run is not written through."""
        self._refuse(self._unsafe())
        (self.manifests / f"{batch.batch_id}.pending").touch()
        for table, schema in SCHEMAS.items():
            write_records(self.out / table / _part(batch.batch_id), schema, records.get(table, []))
        self._commit_manifest(batch)

    def _commit_manifest(self, batch: Batch) -> None:
        temporary = self.manifests / f".{batch.batch_id}.tmp"
        temporary.write_text(json.dumps(asdict(batch), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.manifests / f"{batch.batch_id}.json")
        (self.manifests / f"{batch.batch_id}.pending").unlink()

    def rewrite(self, batch: Batch, sources: list[Batch], without: Sequence[Entry] = ()) -> None:
        """Commit BATCH holding the rows of SOURCES less those of the entries WITHOUT, then remove SOURCES.

        Used to merge small batches into few files (compaction) and to take changed inputs out of a batch
        without redoing the others. Rows stream one source part at a time, gathered into row groups of a
        size DuckDB reads well. Its manifest names the sources it replaces: a run killed before they are
        removed leaves them to the next run's prepare(), so no row is ever committed twice.
        """
        (self.manifests / f"{batch.batch_id}.pending").touch()
        articles = pa.array({aid for entry in without for aid in entry.article_ids}, pa.string())
        inputs = pa.array({entry.source_path for entry in without}, pa.string())
        staying = pa.array({entry.source_path for entry in batch.entries}, pa.string())
        for table, schema in SCHEMAS.items():
            keyed = "article_id" in schema.names
            parts = (pq.read_table(self.out / table / _part(source.batch_id), schema=schema) for source in sources)
            kept = (
                part.filter(
                    pc.invert(pc.is_in(part["article_id"], articles)) if keyed else _not_from(part, inputs, staying)
                )
                for part in parts
            )
            write_parts(self.out / table / _part(batch.batch_id), schema, kept)
        batch.replaces = [source.batch_id for source in sources]
        self._commit_manifest(batch)
        for source in sources:
            self.drop(source.batch_id)

    def compact(self, capacity: int, files: int) -> None:
        """Merge runs of small committed batches (oldest first) into batches of up to CAPACITY inputs, so a
        table stays a few files however many batches made it; a table of FILES files or fewer is left as it
        is (reading its parts back to write them again would cost more than a few files do)."""
        batches = self.batches()
        if len(batches) <= files:
            return
        group: list[Batch] = []
        for batch in [*batches, None]:
            if batch is not None and sum(len(b.entries) for b in group) + len(batch.entries) <= capacity:
                group.append(batch)
                continue
            if len(group) > 1 and len({b.fingerprint for b in group}) == 1:
                entries = [entry for member in group for entry in member.entries]
                self.rewrite(Batch(new_batch_id(0), group[0].fingerprint, entries), group)
            group = [batch] if batch is not None and len(batch.entries) < capacity else []


def _not_ours(path: Path) -> OutputError:
    """The refusal of a lock or holder file that is a user's, not this tool's."""
    return OutputError(f"{path} was not written by vnextract: move it elsewhere, or choose another --out")


def _our_lock(path: Path) -> bool:
    """The lock file is an empty file (flock holds it, nothing is written in it): one with something in
    it, or anything else by that name, is a user's."""
    status = path.lstat()
    return stat.S_ISREG(status.st_mode) and status.st_size == 0


_HOLDER_TEXT = re.compile(r"pid \d+ on .*, since .*")  # _make_holder() writes it


def _our_holder(path: Path) -> bool:
    """A holder file written by a run (one killed leaves it behind), not a user's file of that name."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size > 1000:
        return False
    return bool(_HOLDER_TEXT.fullmatch(path.read_bytes().decode("utf-8", "replace").strip()))


def _open_lock(folder: int, path: Path) -> int:
    """The lock file, opened in FOLDER without following a link, made if missing, never truncated."""
    try:
        handle = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=folder)
    except OSError as error:  # ELOOP: a link put there since the check
        raise OutputError(f"cannot open the lock file {path}: {error.strerror}") from error
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode) or status.st_size:
        os.close(handle)
        raise _not_ours(path)
    return handle


def _read_holder(folder: int) -> str:
    """Who holds the lock, as its holder file says (the first line, without following a link)."""
    try:
        handle = os.open(HOLDER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
    except OSError:
        return ""
    with os.fdopen(handle, "rb") as file:  # O_NONBLOCK: a FIFO put there does not hang the message
        text = (file.read(1000) or b"").decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def _make_holder(folder: int, path: Path) -> int:
    """Write the holder file, new (O_EXCL): one a killed run left is replaced; any other is refused. Its
    descriptor stays open while the lock is held, so that its inode cannot be another file's meanwhile."""
    if path.exists() or path.is_symlink():
        if not _our_holder(path):
            raise _not_ours(path)
        os.unlink(HOLDER, dir_fd=folder)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(HOLDER, flags, 0o666, dir_fd=folder)
    except OSError as error:
        raise OutputError(f"cannot write the holder file {path}: {error.strerror}") from error
    os.write(handle, f"pid {os.getpid()} on {socket.gethostname()}, since {time.ctime()}".encode())
    return handle


def _remove_holder(folder: int, handle: int) -> None:
    """Remove the holder file if it is still the one this run made (HANDLE's file), then close HANDLE."""
    try:
        if os.path.samestat(os.stat(HOLDER, dir_fd=folder, follow_symlinks=False), os.fstat(handle)):
            os.unlink(HOLDER, dir_fd=folder)
    except FileNotFoundError:
        pass
    finally:
        os.close(handle)


def _not_from(errors: pa.Table, inputs: pa.Array, staying: pa.Array) -> pa.Array:
    """The errors rows that are not of INPUTS: a row names its input, or a page of it ("file#3"), unless
    that name is itself an input that stays (a file really named "x#2" is no page of "x")."""
    paths = errors["source_path"]
    files = pc.replace_substring_regex(paths, pattern=r"#\d+$", replacement="")
    page_of_removed = pc.and_(pc.is_in(files, inputs), pc.invert(pc.is_in(paths, staying)))
    return pc.invert(pc.or_(pc.is_in(paths, inputs), page_of_removed))


def new_batch_id(sequence: int) -> str:
    """Unique across runs, and sorting in the order batches were made."""
    return f"{time.time_ns():020d}-{sequence:06d}"
