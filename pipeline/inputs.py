"""Find the input files under RAW, and say of each entry that cannot be read why, before anything is read.

Only regular files inside RAW are read. A symbolic link is followed only when its target is inside RAW too
(a link to /etc/passwd is an `OutsideInput` errors row, never read); a link to nowhere or a loop is a
`BrokenLink` row; a FIFO, socket or device is a `NotAFile` row (opening a FIFO would block the run); a
folder that cannot be listed is an `Unreadable` row. Hidden entries and files named README* are skipped.
What is found here is looked at again when the file is opened (ingest.open_input), since it may be swapped
for a link or a FIFO after the listing.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest import inside
from pipeline.readers import reader_for

__all__ = ["Input", "discover", "inside", "printable"]


@dataclass(frozen=True)
class Input:
    """One entry of RAW: where it is on disk, the name reported for it, and what stops it being read."""

    path: Path
    source_path: str  # relative to RAW; bytes that are not UTF-8 are written as \xNN escapes
    problem: tuple[str, str] | None = None  # (error_type, message) when it is not to be read
    root: Path | None = None  # the resolved folder it must be inside when opened


def printable(name: str) -> str:
    """A file name as text that any writer accepts: undecodable bytes as \\xNN escapes, losslessly."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.upper().startswith("README")


def _classify(path: Path, source_path: str, root: Path) -> Input:
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:  # gone since the folder was listed, or not to be looked at
        return Input(path, source_path, ("Unreadable", f"cannot look at it: {error.strerror}"))
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
            mode = os.stat(path).st_mode
        except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
            reason = getattr(error, "strerror", None) or str(error)
            return Input(path, source_path, ("BrokenLink", f"a symbolic link that leads nowhere: {reason}"))
        if not inside(target, root):
            return Input(path, source_path, ("OutsideInput", f"a link to {target}, outside the input folder"))
    if stat.S_ISDIR(mode):
        return Input(path, source_path, None)  # a link to a folder inside RAW: its files are read where they are
    if not stat.S_ISREG(mode):
        return Input(path, source_path, ("NotAFile", "a FIFO, socket or device, not a file: not read"))
    return Input(path, source_path, root=root)


def discover(raw: Path) -> list[Input]:
    """Every entry under RAW (a folder, searched recursively, or one file), sorted by its reported name."""
    if not raw.is_dir():  # a file named on the command line: read even through a link, never a FIFO
        root = raw.resolve().parent
        entry = _classify(raw, printable(raw.name), root)
        read_anyway = entry.problem is not None and entry.problem[0] != "NotAFile"
        return [Input(raw, entry.source_path, root=root) if read_anyway else entry]
    root = raw.resolve()
    found: list[Input] = []

    def unreadable(error: OSError) -> None:
        name = printable(os.path.relpath(error.filename, raw)) if error.filename else "?"
        found.append(
            Input(Path(error.filename or raw), name, ("Unreadable", f"cannot list the folder: {error.strerror}"))
        )

    for folder, folders, names in os.walk(raw, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in [*folders, *names]:
            path = Path(folder, name)
            if name in folders and not path.is_symlink():
                continue  # walked into
            if _skipped(name):
                continue
            entry = _classify(path, printable(str(path.relative_to(raw))), root)
            if name in folders and entry.problem is None:
                continue  # a link to a folder inside RAW
            found.append(entry)
    # Names that read the same are ordered by their bytes, so the same file keeps the name on every run.
    return _without_clashes(sorted(found, key=lambda entry: (entry.source_path, os.fsencode(entry.path))))


_RECORD_NAME = re.compile(r"(?P<container>.+)#\d+")  # how the pages of an export are named: "export.jsonl#3"


def _without_clashes(entries: list[Input]) -> list[Input]:
    """Every name in the tables names one page. Two files whose names read the same once undecodable bytes
    are escaped ("bad\\xffname.txt" and a file really named so): the later one is a NameClash row of its own.
    A file named like a page of an export beside it ("m.jsonl#1" next to "m.jsonl"): a NameClash row too.
    The name a NameClash row is given ("m.jsonl#1 (name clash)", "... (name clash 2)") is one no other
    input has, so every input ends as exactly one row."""
    seen: dict[str, int] = {}
    containers = {entry.source_path for entry in entries if (reader := reader_for(entry.path)) and reader.container}
    taken = {entry.source_path for entry in entries}
    unique = []
    for entry in entries:
        count = seen[entry.source_path] = seen.get(entry.source_path, 0) + 1
        if count > 1:
            message = f"its name, written as text, is the same as another file's ({entry.source_path}): rename one"
            entry = Input(entry.path, _free(f"{entry.source_path} (name clash", count, taken), ("NameClash", message))
        elif (record := _RECORD_NAME.fullmatch(entry.source_path)) and record["container"] in containers:
            message = f"its name is the one a page of {record['container']} is given in the tables: rename it"
            entry = Input(entry.path, _free(f"{entry.source_path} (name clash", 1, taken), ("NameClash", message))
        unique.append(entry)
    return unique


def _free(stem: str, number: int, taken: set[str]) -> str:
    """The first of "STEM NUMBER)" from NUMBER on ("STEM)" for 1) that no input has; it is then taken."""
    while (name := f"{stem})" if number == 1 else f"{stem} {number})") in taken:
        number += 1
    taken.add(name)
    return name
