"""`make bench`: this pipeline against underthesea's NER and pyvi's tokenizer, in one run.

Articles come from ../shared/corpus/ when it is there (else the shipped samples), copied with a numbered
line so that each copy is its own article, up to the sizes asked. Each measurement runs in its own
process; its peak memory is the largest total resident memory of that process and its children, sampled
every 50 ms. A benchmark, not a test: it asserts nothing and prints its figures and reports/bench.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

# Each script prints, last, the seconds its work took after Python started and the libraries loaded.
_TOKENIZE = """
import sys, pathlib, time
from pyvi import ViTokenizer
ViTokenizer.tokenize("Bí thư Tỉnh ủy")
started = time.perf_counter()
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    ViTokenizer.tokenize(path.read_text("utf-8"))
print(time.perf_counter() - started)
"""
_EXTRACT = """
import sys, pathlib, time
from pipeline.runner import Settings, run
started = time.perf_counter()
run(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), Settings(workers=int(sys.argv[3]), force=True), progress=False)
print(time.perf_counter() - started)
"""
_NER = """
import sys, pathlib, time
from underthesea import ner
ner("Bí thư Tỉnh ủy")
started = time.perf_counter()
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))[: int(sys.argv[2])]:
    ner(path.read_text("utf-8"))
print(time.perf_counter() - started)
"""


@dataclass
class Result:
    name: str
    articles: int
    seconds: float
    peak_mb: float
    after_start: float  # the seconds of the work alone, without starting Python and loading libraries

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    @property
    def rate_after_start(self) -> float:
        return self.articles / self.after_start


def make_articles(folder: Path, count: int) -> None:
    sources = sorted(CORPUS.glob("src_*.txt")) if CORPUS.is_dir() else sorted((ROOT / "data" / "raw").glob("*.txt"))
    texts = [path.read_text("utf-8") for path in sources]
    folder.mkdir(parents=True)
    for index in range(count):
        title, _, body = texts[index % len(texts)].partition("\n")
        (folder / f"{index:06d}.txt").write_text(f"{title}\nBản tin số {index}.\n{body}", encoding="utf-8")


def capitalised_page(size: int) -> str:
    """A hostile page: SIZE characters of capitalised syllables that read as names, a comma every few."""
    syllables = ["Nguyễn", "Văn", "An", "Trần", "Thị", "Hoa", "Lê", "Minh", "Phạm", "Hùng", "Đức", "Thành"]
    words = [syllables[(i * 7 + i // 5) % len(syllables)] + ("," if i % 7 == 6 else "") for i in range(size // 5)]
    return " ".join(words)[:size]


def files_per_table(out: Path) -> int:
    """The most Parquet files any table folder of OUT holds."""
    return max(len(list(folder.glob("*.parquet"))) for folder in out.iterdir() if not folder.name.startswith("_"))


def measure(name: str, command: list[str], articles: int) -> Result:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{name} failed: {process.stderr.read().decode()[-2000:]}")
    return Result(name, articles, seconds, peak / 2**20, float(process.stdout.read().split()[-1]))


def extract(folder: Path, out: Path, workers: int) -> list[str]:
    """`vnextract extract FOLDER --out OUT --workers WORKERS --force`, as the run function the CLI calls."""
    return [sys.executable, "-c", _EXTRACT, str(folder), str(out), str(workers)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000, help="a second, larger run for memory (0: none)")
    parser.add_argument("--ner-sample", type=int, default=30, help="articles given to underthesea's ner")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "bench.md")
    options = parser.parse_args()
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="vnextract-bench-"))
    try:
        small = work / "articles"
        make_articles(small, options.articles)
        results = [
            measure(f"vnextract, 1 worker, {options.articles} articles", extract(small, work / "out1", 1), options.articles),
            measure(f"vnextract, {cores} workers, {options.articles} articles", extract(small, work / "outn", cores), options.articles),
            measure(f"pyvi ViTokenizer.tokenize, {options.articles} articles", [sys.executable, "-c", _TOKENIZE, str(small)], options.articles),
            measure(f"underthesea ner, {options.ner_sample} of them", [sys.executable, "-c", _NER, str(small), str(options.ner_sample)], options.ner_sample),
        ]  # fmt: skip
        hostile = work / "hostile"
        hostile.mkdir()
        (hostile / "capitalised.txt").write_text(capitalised_page(1_000_000), encoding="utf-8")
        results.append(measure("vnextract, defaults, one 1 MB page of capitalised syllables",
                               extract(hostile, work / "outh", cores), 1))  # fmt: skip
        files = None
        if options.large:
            large = work / "large"
            make_articles(large, options.large)
            results.append(
                measure(
                    f"vnextract, {cores} workers, {options.large} articles",
                    extract(large, work / "outl", cores),
                    options.large,
                )
            )
            files = files_per_table(work / "outl")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    one, many, pyvi, ner = results[:4]
    lines = [
        f"# Benchmark ({cores} cores; corpus: {'../shared/corpus' if CORPUS.is_dir() else 'data/raw samples'})",
        "",
        "| run | articles | seconds | articles/s | after start: seconds | articles/s | peak memory (MB) |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {r.name} | {r.articles} | {r.seconds:.1f} | {r.rate:.1f} | {r.after_start:.1f} "
            f"| {r.rate_after_start:.1f} | {r.peak_mb:.0f} |"
            for r in results
        ),
        "",
        f"- vnextract on 1 worker does {one.rate / ner.rate:.0f}x the articles/s of underthesea's ner.",
        f"- vnextract on 1 worker does {one.rate / pyvi.rate:.2f}x the articles/s of pyvi just tokenizing them "
        f"({one.rate_after_start / pyvi.rate_after_start:.2f}x after start);",
        f"  {cores} workers do {many.rate / one.rate:.2f}x the articles/s of 1.",
        *([f"- After the {options.large}-article run each table is at most {files} files."] if files else []),
        "- Times include starting Python and loading the libraries and rules; 'after start' leaves those out",
        "  (for vnextract it is the whole run as the CLI does it: checking the rules, reading, hashing, analysing,",
        "  writing and compacting the Parquet tables and the tables across articles).",
    ]
    report = "\n".join(lines) + "\n"
    options.report.parent.mkdir(parents=True, exist_ok=True)
    options.report.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
