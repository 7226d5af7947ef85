"""The tagger's vocabulary from patterns/titles.yaml, organizations.yaml and persons.yaml, compiled once per
process into the patterns every other module of the tagger matches with."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick
import regex
from regex import Match

from pipeline.patterns import alternation, load
from pipeline.tag.windows import NAME_WINDOW_SYLLABLES, NOTE_IN_PARENTHESES, ROLE_VERB_WORDS_BEFORE, TITLE_FOR_REACH

SYLLABLE = r"\p{Lu}\p{Ll}*(?![\p{L}\p{M}\p{N}])"
WORD_END = r"(?![\p{L}\p{M}\p{N}])"
WORD_START = r"(?<![\p{L}\p{M}\p{N}])"
WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}]")  # what WORD_START and WORD_END bound
CAPITALISED = regex.compile(rf"{SYLLABLE}(?: {SYLLABLE})*")
# A place and a name together are never longer than this: looking further only costs time on odd input.
NAME_WINDOW = regex.compile(rf"{SYLLABLE}(?: {SYLLABLE}){{0,{NAME_WINDOW_SYLLABLES - 1}}}")


def trie(words: Iterable[str], fold: bool = False) -> str:
    """The words as a trie-shaped regex ("Phó (?:Bí thư|Chủ tịch)"): it matches what `alternation` matches,
    the longest word first, but tries one branch a character instead of every word at every position (twice
    as fast on the long lists). FOLD merges spellings that differ by case, for use inside (?i:...)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            folded = char.casefold() if fold else char
            node = node.setdefault(folded if len(folded) == 1 else char, {})
        node[""] = {}
    return _branches(root)


def _branches(node: dict[str, dict]) -> str:
    """A trie node as a regex: its branches, longest first, then the word ending here (greedy `?`)."""
    branches = []
    for char, child in node.items():
        if char:
            literal = regex.escape(char)
            while len(child) == 1 and "" not in child:  # a chain of single branches is one literal
                ((char, child),) = child.items()
                literal += regex.escape(char)
            branches.append(literal + _branches(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" not in node:
        return body
    return f"{body}?" if len(branches) > 1 else f"(?:{body})?"


_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")  # what WORD_START and WORD_END bound


def first_words(*word_lists: Iterable[str]) -> frozenset[str] | None:
    """The first word of each entry, casefolded: a match of a pattern that starts with one of the entries
    starts where the text's word is one of these. None when an entry starts with no word (no shortcut)."""
    firsts = set()
    for words in word_lists:
        for word in words:
            if not (first := _WORD.match(word)):
                return None
            firsts.add(first.group().casefold())
    return frozenset(firsts)


def beginnings(*literal_lists: Iterable[str]) -> frozenset[str] | None:
    """The literals a pattern's matches begin with, casefolded: "Phó Bí thư", a modifier with the space that
    follows it ("nguyên "). None when one starts with no word (no shortcut)."""
    literals = [literal for literals in literal_lists for literal in literals]
    if not all(_WORD.match(literal) for literal in literals):
        return None
    return frozenset(literal.casefold() for literal in literals)


def _automaton(words: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True)
class BodyHead:
    """A body's head as organizations.yaml describes it."""

    head: str
    kind: str  # party, state or other
    level: str | None = None
    takes_place: bool = False  # a place's name follows ("Tỉnh ủy Hà Giang")
    generic: bool = False  # "Văn phòng": the body named after it gives the kind
    runs_lowercase: bool = False  # the name goes on in lowercase words ("Ban Quản lý dự án ...")


@dataclass(frozen=True)
class Lexicon:
    head_of: dict[str, str]  # a spelling (casefolded) -> the canonical head
    body_prefix: dict[str, str]
    head_pattern: regex.Pattern[str]
    head_firsts: frozenset[str] | None  # the literals head_pattern's matches begin with (see Words.scan)
    head_first_words: frozenset[str] | None  # the first words of head_pattern's matches, casefolded
    former_modifiers: frozenset[str]
    ranks: dict[str, str]  # casefolded -> canonical
    rank_pattern: regex.Pattern[str]
    rank_firsts: frozenset[str] | None
    abbreviated_heads: dict[str, str]
    org_heads: dict[str, BodyHead]  # casefolded -> the head
    org_head_pattern: regex.Pattern[str]
    org_mention_pattern: regex.Pattern[str]
    org_mention_firsts: frozenset[str] | None
    org_abbreviations: dict[str, str]
    standalone_abbreviations: frozenset[str]
    abbreviation_pattern: regex.Pattern[str]
    levels: dict[str, str]
    level_pattern: regex.Pattern[str]
    continuation_pattern: regex.Pattern[str]
    term_pattern: regex.Pattern[str]
    conjunction_pattern: regex.Pattern[str]  # "và " joining two bodies, names or titles
    conjunctions: tuple[str, ...]  # its literals ("và "): where the text begins with none, no match to try
    list_separator_pattern: regex.Pattern[str]
    listed_before_pattern: regex.Pattern[str]
    listed_before_reach: int  # how far back listed_before_pattern looks: the longest joiner
    titled_item_separator_pattern: regex.Pattern[str]
    in_list_pattern: regex.Pattern[str]
    verb_between_pattern: regex.Pattern[str]
    role_link_pattern: regex.Pattern[str]
    former_link_pattern: regex.Pattern[str]
    subject_link_pattern: regex.Pattern[str]
    subject_blocker_pattern: regex.Pattern[str]
    subject_passive_pattern: regex.Pattern[str]
    title_for_pattern: regex.Pattern[str]
    title_for_link_pattern: regex.Pattern[str]
    # Ends where it is searched up to ($), so it is searched backwards from there (REVERSE): that fails at
    # once where nothing ends so, instead of trying every position before (4x faster). So is place_word_pattern.
    named_after_pattern: regex.Pattern[str]
    stop_pattern: regex.Pattern[str]
    # stop, term, continuation, head, abbreviation or level, tried in this order: what a body's name goes on
    # with, one match a word (each as a named group)
    body_part_pattern: regex.Pattern[str]
    body_enders: frozenset[str]
    function_words: frozenset[str]
    honorific_pattern: regex.Pattern[str]
    honorific_firsts: frozenset[str] | None
    beginning_automaton: ahocorasick.Automaton  # finds any of the *_firsts in a casefolded text (see Words)
    credit_pattern: regex.Pattern[str]
    credit_source_pattern: regex.Pattern[str]
    name_ender_pattern: regex.Pattern[str]
    name_break_pattern: regex.Pattern[str]  # honorific, head or name ender: one match where a name stops
    name_break_firsts: frozenset[str] | None
    surnames: frozenset[str]
    surname_automaton: ahocorasick.Automaton  # finds the surnames that can be a syllable of a run (see names)
    not_names: frozenset[str]
    places: frozenset[str]
    place_firsts: frozenset[str]  # the first syllable of each place: a run that starts with none starts no place
    person_named_places: tuple[str, ...]
    place_word_pattern: regex.Pattern[str]

    def canonical_head(self, raw_head: str) -> str:
        return self.abbreviated_heads.get(raw_head) or self.head_of[raw_head.casefold()]


@cache
def lexicon() -> Lexicon:
    titles, orgs, persons = load("titles"), load("organizations"), load("persons")
    head_of: dict[str, str] = {}
    body_prefix: dict[str, str] = {}
    for entry in titles["heads"]:
        head = entry if isinstance(entry, str) else entry["head"]
        head_of[head.casefold()] = head
        if isinstance(entry, dict) and entry.get("body_prefix"):
            body_prefix[head] = entry["body_prefix"]
    for spelling, head in titles["synonyms"].items():
        head_of[spelling.casefold()] = head
    modifiers = alternation(titles["modifiers"])
    # Heads in any case ("phó bí thư"), abbreviations only as written ("UV", not the word "uv" or "ct").
    spellings = trie(head_of, fold=True)
    abbreviations = trie(titles["abbreviations"])
    not_after = alternation(titles["head_not_after"])
    head_pattern = regex.compile(
        rf"{WORD_START}(?<!(?:{not_after}) )(?:(?:{modifiers}) )*(?P<head>(?i:{spellings})|{abbreviations}){WORD_END}",
        regex.V1,
    )
    org_heads = {
        head.casefold(): BodyHead(head, **{key: value for key, value in info.items() if value})
        for head, info in orgs["heads"].items()
    }
    conjunctions = alternation(persons["conjunctions"])
    firsts = {
        # a modifier is followed by a space and the head: "nguyên Bí thư"
        "head": beginnings([f"{word} " for word in titles["modifiers"]], head_of, titles["abbreviations"]),
        "rank": beginnings([f"{rank} " for rank in titles["ranks"]]),
        "org_mention": beginnings(orgs["heads"], orgs["abbreviations"]),
        "honorific": beginnings([f"{word} " for word in persons["honorifics"]]),
    }
    stop_pattern = regex.compile(rf"(?i:{trie(orgs['stop_words'], fold=True)}){WORD_END}")
    term_pattern = regex.compile(orgs["term"], regex.IGNORECASE)
    continuation_pattern = regex.compile(rf"(?:{trie(orgs['continuations'])}){WORD_END}")
    org_head_pattern = regex.compile(rf"(?i:{trie(orgs['heads'], fold=True)}){WORD_END}")
    abbreviation_pattern = regex.compile(rf"(?:{trie(orgs['abbreviations'])}){WORD_END}")
    level_pattern = regex.compile(rf"(?:{trie(orgs['levels'])}){WORD_END}")
    honorific_pattern = regex.compile(
        rf"{WORD_START}(?i:{trie(persons['honorifics'], fold=True)}) (?={SYLLABLE})", regex.V1
    )
    name_ender_pattern = regex.compile(rf"(?:{trie(persons['name_enders'])}){WORD_END}")
    return Lexicon(
        head_of=head_of,
        body_prefix=body_prefix,
        head_pattern=head_pattern,
        head_firsts=firsts["head"],
        head_first_words=first_words(titles["modifiers"], head_of, titles["abbreviations"]),
        former_modifiers=frozenset(titles["former_modifiers"]),
        ranks={rank.casefold(): rank for rank in titles["ranks"]},
        rank_firsts=firsts["rank"],
        rank_pattern=regex.compile(rf"{WORD_START}(?i:{trie(titles['ranks'], fold=True)}) (?={SYLLABLE})", regex.V1),
        abbreviated_heads=titles["abbreviations"],
        org_heads=org_heads,
        org_head_pattern=org_head_pattern,
        org_mention_firsts=firsts["org_mention"],
        org_mention_pattern=regex.compile(
            rf"{WORD_START}(?:(?i:{trie(orgs['heads'], fold=True)})|{trie(orgs['abbreviations'])}){WORD_END}"
        ),
        org_abbreviations=orgs["abbreviations"],
        standalone_abbreviations=frozenset(orgs["standalone_abbreviations"]),
        abbreviation_pattern=abbreviation_pattern,
        levels=orgs["levels"],
        level_pattern=level_pattern,
        continuation_pattern=continuation_pattern,
        term_pattern=term_pattern,
        conjunction_pattern=regex.compile(rf"(?:{conjunctions}) "),
        conjunctions=tuple(f"{word} " for word in persons["conjunctions"]),
        # Between two listed names: their own titles may stand in parentheses ("A (Thường trực), B").
        list_separator_pattern=regex.compile(
            rf"\)?(?: ?\([^()\n]{{1,{NOTE_IN_PARENTHESES}}}\))?(?:[,;]| (?:{conjunctions})) ?"
        ),
        listed_before_pattern=regex.compile(rf"(?:[,;]| (?:{conjunctions})) $"),  # "R1, R2", "R1; R2", "R1 và R2"
        listed_before_reach=max(len(", "), *(len(f" {word} ") for word in persons["conjunctions"])),
        # "R A, R B và R C"; not ";" (see roles._listed_after_colon)
        titled_item_separator_pattern=regex.compile(rf"(?:,| (?:{conjunctions})) "),
        in_list_pattern=regex.compile(
            rf"\)?(?:,| (?:{conjunctions})) (?:(?:{alternation(persons['list_honorifics'])}) )?"
        ),
        # "hiện là", "làm" between two titles of a chain: the second is held now, not before
        verb_between_pattern=regex.compile(
            rf"(?<![\p{{L}}\p{{M}}])(?!(?:{alternation(persons['title_joiners'])}) )\p{{Ll}}{{2,}}"
        ),
        # ", R" / " - R" / " (R" / " (35 tuổi, R" / " là R" / ", giữ chức R": what links a name to its title;
        # group "verb" when a verb gives the title (it may then be shared by names listed before).
        role_link_pattern=regex.compile(
            # first: ", hiện là R" is no ", R"; but not ", là R", which after a comma may be said of another
            # ("thư ký cho Bí thư Phạm Quang Nghị, là Phó Chánh Văn phòng")
            rf"(?: ?[,-] (?!(?:{alternation(persons['role_links_not_after_comma'])}) )| )"
            rf"(?P<verb>{alternation(persons['role_links'])}) "
            rf"| ?(?:,|-|\(|{alternation(persons['title_joiners'])})(?: ?(?:{persons['age_note']}),)? ?"
            rf"|(?P<verb>(?: (?!(?:{alternation(persons['role_verbs_not_after'])}) )\p{{Ll}}+){{1,{ROLE_VERB_WORDS_BEFORE}}} "
            rf"(?:{alternation(persons['role_verbs_after_words'])})) ",
            regex.V1,
        ),
        former_link_pattern=regex.compile(rf"{WORD_START}(?:{alternation(persons['former_links'])}) "),
        subject_link_pattern=regex.compile(
            rf"{WORD_START}(?<!(?:{alternation(persons['subject_links_not_after'])}) )"
            rf"(?:{alternation(persons['subject_links'])}) "
        ),
        subject_blocker_pattern=regex.compile(
            rf"{WORD_START}(?i:{trie(persons['subject_link_blockers'], fold=True)}){WORD_END}", regex.V1
        ),
        subject_passive_pattern=regex.compile(rf" (?:{alternation(persons['subject_passive'])}) "),
        title_for_pattern=regex.compile(rf"{WORD_START}(?:{alternation(persons['title_for_words'])}) "),
        title_for_link_pattern=regex.compile(
            rf"[^.;:\n]{{0,{TITLE_FOR_REACH}}}? {regex.escape(persons['title_for_link'])} "
            rf"(?:(?i:{alternation(persons['honorifics'])}) )?"
        ),
        named_after_pattern=regex.compile(
            rf"(?:{WORD_START}(?i:{trie(persons['named_after_person'], fold=True)})"
            rf"|(?<![\p{{L}}\p{{N}}/.,-])(?<!(?i:{alternation(persons['house_number_not_after'])}) )"
            rf"{persons['house_number']}) $",
            regex.V1 | regex.REVERSE,
        ),
        body_enders=frozenset(orgs["body_enders"]),
        function_words=frozenset(orgs["function_words"]),
        stop_pattern=stop_pattern,
        body_part_pattern=regex.compile(
            f"(?P<stop>{stop_pattern.pattern})|(?P<term>(?i:{term_pattern.pattern}))"
            f"|(?P<continuation>{continuation_pattern.pattern})|(?P<head>{org_head_pattern.pattern})"
            f"|(?P<abbreviation>{abbreviation_pattern.pattern})|(?P<level>{level_pattern.pattern})"
        ),
        honorific_pattern=honorific_pattern,
        honorific_firsts=firsts["honorific"],
        beginning_automaton=_automaton(set().union(*(words for words in firsts.values() if words))),
        credit_pattern=regex.compile(rf"(?:{alternation(persons['credits'])}) ?"),
        credit_source_pattern=regex.compile(persons["credit_source"]),
        name_ender_pattern=name_ender_pattern,
        name_break_pattern=regex.compile(
            f"(?:{honorific_pattern.pattern})|(?:{head_pattern.pattern})|(?:{name_ender_pattern.pattern})", regex.V1
        ),
        name_break_firsts=first_words(
            titles["modifiers"], head_of, titles["abbreviations"], persons["honorifics"], persons["name_enders"]
        ),
        surnames=frozenset(persons["surnames"]),
        # "H'" cannot be a syllable of a run of CAPITALISED: it is left out.
        surname_automaton=_automaton(name for name in persons["surnames"] if regex.fullmatch(SYLLABLE, name)),
        not_names=frozenset(persons["not_names"]),
        places=frozenset(persons["places"]),
        place_firsts=frozenset(place.split(" ")[0] for place in persons["places"]),
        person_named_places=tuple(persons["person_named_places"]),
        place_word_pattern=regex.compile(rf"(?i:{trie(persons['place_words'], fold=True)}) $", regex.REVERSE),
    )


class Words:
    """Where the literals that begin the lexicon's patterns' matches stand at a word's start in one article,
    found in one pass of an Aho-Corasick automaton over its casefolded text: scanning for a pattern then tries
    those few places instead of every character."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        folded = text.casefold()
        # Where a letter folds to two ("ß") the folded text's offsets are not the text's: no shortcut there.
        self._at: dict[str, list[int]] | None = None  # each literal: where it begins a word
        if len(folded) == len(text):
            self._at = at = defaultdict(list)
            for end, literal in lex.beginning_automaton.iter(folded):
                if (start := end - len(literal) + 1) == 0 or not _is_word_char(folded[start - 1]):
                    at[literal].append(start)
        self._starts: dict[frozenset[str], list[int]] = {}  # per set of literals: where they begin a word

    def scan(self, pattern: regex.Pattern[str], literals: frozenset[str] | None, position: int = 0) -> Iterator[Match]:
        """What pattern.finditer(text, position) finds, for a pattern that matches only at a word's start and
        whose matches begin with one of LITERALS, casefolded (see beginnings)."""
        while match := self.first(pattern, literals, position):
            yield match
            position = match.end()

    def first(self, pattern: regex.Pattern[str], literals: frozenset[str] | None, position: int = 0) -> Match | None:
        """What pattern.search(text, position) finds, for such a pattern."""
        if literals is None or self._at is None:
            return pattern.search(self.text, position)
        starts = self._starts.get(literals)
        if starts is None:
            starts = self._starts[literals] = sorted(
                {start for literal, at in self._at.items() if literal in literals for start in at}
            )
        for index in range(bisect_left(starts, position), len(starts)):
            if match := pattern.match(self.text, starts[index]):
                return match
        return None


@lru_cache(maxsize=4096)
def _is_word_char(char: str) -> bool:
    return WORD_CHAR.match(char) is not None
