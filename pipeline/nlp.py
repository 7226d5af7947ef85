"""The tagger as a spaCy pipeline, for researchers who want `Doc`s, `Span`s and displaCy.

`nlp()` gives `spacy.blank("vi")` (whose tokenizer is pyvi's) with the `vnextract_tagger` component, which
runs the rules of pipeline.tag and stores its spans on the doc: `doc.spans["persons"]`, `["titles"]` and
`["organizations"]`, each span's `._.rule` naming the rule that made it, and persons and organisations as
`doc.ents` for `displacy.render(doc, style="ent")`. The batch runner calls pipeline.tag directly: the same
rules, without the cost of spaCy's tokenizer.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.tag import tag

if not Span.has_extension("rule"):
    Span.set_extension("rule", default=None)


def _span(doc: Doc, start: int, end: int, label: str, rule: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None:
        span._.rule = rule
    return span


@Language.component("vnextract_tagger")
def vnextract_tagger(doc: Doc) -> Doc:
    tagged = tag(doc.text)
    persons = [
        _span(doc, start, end, "PER", person.rule) for person in tagged.persons for start, end in person.mentions
    ]
    titles = {link.title for link in tagged.roles}
    doc.spans["persons"] = [span for span in persons if span is not None]
    doc.spans["titles"] = [
        span
        for title in sorted(titles, key=lambda t: t.start)
        if (span := _span(doc, title.start, title.end, "TITLE", title.rule))
    ]
    doc.spans["organizations"] = [
        span for org in tagged.organizations if (span := _span(doc, org.start, org.end, "ORG", org.rule))
    ]
    doc.ents = filter_spans([*doc.spans["persons"], *doc.spans["organizations"]])
    return doc


def nlp() -> Language:
    """A spaCy Vietnamese pipeline (pyvi tokenizer) whose docs carry vnextract's spans."""
    language = spacy.blank("vi")
    language.add_pipe("vnextract_tagger")
    return language
