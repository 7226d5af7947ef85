"""Score the keys across articles against the identity gold (data/gold/identity/*.jsonl; format in
data/gold/README.md): person-identity pairwise precision/recall/F1, canonical-body accuracy, document-key
accuracy.

Each gold line holds a page as read from its file; the page is run through the pipeline here (the same
per-article analysis `make extract` runs), so the score needs nothing but the gold. `make eval` calls
`python -m pipeline.evaluate_identity`.

- Identity: every gold person of every article is a mention; a pair of mentions is "same" in gold when
  their `person` ids are equal, and predicted "same" when their predicted person_key is (a gold person the
  pipeline did not find is a key of its own). Precision, recall and F1 are over pairs.
- Canonical body: a gold role (person, title) is right when the pipeline gives that person that title with
  the same org_canonical (case and spaces aside); a role not found is wrong.
- Document key: a gold document (by its start offset) is right when its predicted doc_key is the gold one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from pipeline.emit import write_text
from pipeline.evaluate import GoldError, gold_lines

DEFAULT_GOLD = Path("data/gold/identity")


@dataclass
class IdentityReport:
    pairs_gold: int = 0
    pairs_predicted: int = 0
    pairs_right: int = 0
    bodies: int = 0
    bodies_right: int = 0
    documents: int = 0
    documents_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.pairs_right, self.pairs_predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.pairs_right, self.pairs_gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def lines(self) -> list[str]:
        return [
            f"person identity (pairs): P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
            f"  ({self.pairs_right} right of {self.pairs_predicted} predicted, {self.pairs_gold} gold pairs)",
            f"canonical body: {self.bodies_right}/{self.bodies} = {_ratio(self.bodies_right, self.bodies):.3f}",
            f"document key: {self.documents_right}/{self.documents} = "
            f"{_ratio(self.documents_right, self.documents):.3f}",
        ]


def _ratio(right: int, total: int) -> float:
    return right / total if total else 1.0


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def load(folder: Path) -> list[dict[str, Any]]:
    """The identity gold lines; a file that is not UTF-8 or a line that is not a JSON object stops the run
    (GoldError, naming the file and the line)."""
    paths = [folder] if folder.is_file() else sorted(folder.glob("*.jsonl"))
    lines = []
    for path in paths:
        for number, line in gold_lines(path, "identity gold"):
            if not isinstance(line, dict):
                raise GoldError(f"{path}, line {number}: not identity gold: not a JSON object")
            if not all(isinstance(line.get(key), str) for key in ("source_path", "page")):
                raise GoldError(f"{path}, line {number}: not identity gold: no `source_path` or `page` text")
            lines.append(line)
    return lines


def predict(line: dict[str, Any]) -> dict[str, list[Any]]:
    """The pipeline's records for one gold page, by table."""
    from pipeline.ingest import RawPage
    from pipeline.page import process_page

    result = process_page(RawPage(source_path=line["source_path"], text=line["page"], encoding="utf-8"))
    return result.records


def score(gold: Iterable[dict[str, Any]]) -> IdentityReport:
    report = IdentityReport()
    mentions: list[tuple[str, str]] = []  # (gold person, predicted key) per gold person per article
    for line in gold:
        records = predict(line)
        keys = {p.name: p.person_key for p in records.get("persons", [])}
        roles = records.get("roles", [])
        for person in line["persons"]:
            name = person["name"]
            mentions.append((person["person"], keys.get(name) or f"missing:{line['source_path']}:{name}"))
            for role in person["roles"]:
                report.bodies += 1
                found = [r for r in roles if r.person_name == name and r.title == role["title"]]
                if any(_same(r.org_canonical, role["org_canonical"]) for r in found):
                    report.bodies_right += 1
                else:
                    got = sorted({str(r.org_canonical) for r in found}) or ["no such role"]
                    report.misses.append(
                        f"{line['source_path']}: {name}, {role['title']}: {role['org_canonical']!r}, got {got}"
                    )
        by_start = {d.start: d.doc_key for d in records.get("documents", [])}
        for document in line["documents"]:
            report.documents += 1
            got = by_start.get(document["start"])
            if got == document["doc_key"]:
                report.documents_right += 1
            else:
                report.misses.append(f"{line['source_path']}: {document['text']}: {document['doc_key']!r}, got {got!r}")
    for (gold_a, key_a), (gold_b, key_b) in combinations(mentions, 2):
        same_gold, same_key = gold_a == gold_b, key_a == key_b
        report.pairs_gold += same_gold
        report.pairs_predicted += same_key
        report.pairs_right += same_gold and same_key
        if same_gold != same_key:
            kind = "split" if same_gold else "merged"
            report.misses.append(f"identity {kind}: {gold_a} / {gold_b}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    args = parser.parse_args(argv)
    try:
        gold = load(args.gold)
    except GoldError as error:  # the message names the file and the line: no traceback
        print(f"evaluate_identity: {error.message}", file=sys.stderr)
        return 2
    report = score(gold)
    print("\n".join(report.lines()))
    args.reports.mkdir(parents=True, exist_ok=True)
    misses = "\n".join(f"- {miss}" for miss in sorted(set(report.misses)))
    body = "# Identity evaluation\n\n" + "\n".join(f"- {line}" for line in report.lines()) + "\n\n## Misses\n\n"
    write_text(args.reports / "eval_identity.md", body + misses + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
