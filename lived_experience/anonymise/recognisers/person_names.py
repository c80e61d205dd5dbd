"""Person names beyond what spaCy's NER finds: titles, context, a gazetteer, lower case.

Four cues, each reported with its own score and pattern name so a reviewer can see why:

* **title** — ``Dr``, ``Mr``, ``Mrs``, ``Ms``, ``Miss``, ``Mx``, ``Prof``, ``Sister``,
  ``Matron``, ``Nurse`` before a name ("Sister Grace", "dr patel"); the title is kept;
* **context** — "my manager X", "a colleague called X", "named X";
* **gazetteer** — a list of given names and surnames of the origins of the NHS workforce
  (``data/name_gazetteer.txt``; extend it), capitalised or lower case;
* names that are also words (Grace, Joy, Hope, Precious, Blessing, Will) count only when
  used as names: after a title or context, next to another name, or capitalised mid-sentence.

Words that are the subject of the research (Black, Asian, Irish, Muslim, nurse, band...)
are never taken as names without a title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.gazetteer import COMMON_WORD_MARK, load_gazetteer
from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.base import recogniser_result
from lived_experience.anonymise.recognisers.model_places import load_countries, model_entities
from lived_experience.anonymise.recognisers.places import UK_REGIONS, load_places

TITLES = (
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sister",
    "matron",
    "nurse",
    "sr",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "prof.",
)
#: words after which the next capitalised word is a name ("my manager Priya")
CONTEXT_BEFORE = (
    "manager",
    "colleague",
    "colleagues",
    "supervisor",
    "boss",
    "mentor",
    "director",
    "consultant",
    "registrar",
    "lead",
    "leader",
    "chair",
    "chairs",
    "friend",
    "buddy",
    "preceptor",
    "coordinator",
    "told",
    "asked",
    "thanks",
)
#: role words a name often follows or stands beside ("our matron Jonel", "my band 7, Deepa,")
ROLE_CONTEXT = frozenset(
    (
        *CONTEXT_BEFORE,
        "matron",
        "sister",
        "nurse",
        "doctor",
        "director",
        "chair",
        "lead",
        "manager",
        "deputy",
        "head",
        "hca",
        "porter",
        "midwife",
        "registrar",
        "consultant",
    )
)
#: verbs and adverbs that follow a role word and are not names ("my manager said")
NOT_NAMES_AFTER_ROLE = frozenset(
    """
    said says told tells asked asks shouted shouts refused refuses wants wanted thinks thought
    did made makes gave gives put let kept keeps sent got gets blocked blocks approved approves
    ignores ignored treats treated constantly laughed laughs undermines belittles picks picked
    spoke speaks knows knew left leaves came comes went goes reported bullies bullied doesn
    didn won wouldn couldn isn wasn manager managers team meeting meetings role post job called
    named sat sits calling chairs mentors from talk talks walk walks work works look looks
    seem seems try tries need needs say do does arrived touch roll rolls gets got came
    """.split()
)
DETERMINERS = frozenset(("my", "our", "his", "her", "their", "the", "a", "new"))
#: verbs after which a lower-case word followed by "about", "that", "and"... is a name
TELL_VERBS = frozenset(
    (
        "told",
        "tell",
        "asked",
        "emailed",
        "messaged",
        "texted",
        "rang",
        "phoned",
        "informed",
        "warned",
        "reported",
    )
)
OBJECT_ENDINGS = frozenset(("about", "that", "what", "why", "how", "if", "to", "off", "but"))
#: lower-case words that follow "told" and are not names
COMMON_OBJECTS = frozenset(
    (
        "management",
        "security",
        "staff",
        "colleagues",
        "patients",
        "relatives",
        "family",
        "friends",
        "union",
        "police",
        "matron",
        "sister",
        "manager",
        "managers",
        "hr",
        "everyone",
        "people",
        "nobody",
        "anyone",
        "somebody",
        "them",
        "mum",
        "dad",
        "husband",
        "wife",
        "partner",
        "doctor",
        "doctors",
        "nurses",
        "team",
        "ward",
        "boss",
        "supervisor",
    )
)
#: capitalised words that make a pair an organisation or a place, not a person
PLACE_WORDS = frozenset(
    (
        "hospital",
        "hospitals",
        "trust",
        "ward",
        "unit",
        "centre",
        "center",
        "street",
        "road",
        "lane",
        "avenue",
        "clinic",
        "practice",
        "surgery",
        "infirmary",
        "university",
        "college",
        "school",
        "council",
        "board",
        "committee",
        "service",
        "services",
        "team",
        "network",
        "department",
        "group",
        "house",
        "court",
        "park",
        "health",
        "care",
        "nhs",
        "foundation",
        "general",
        "royal",
        "medical",
        "community",
        "city",
        "county",
        "north",
        "south",
        "east",
        "west",
        "month",
        "day",
        "week",
        "week's",
        "award",
        "awards",
        "programme",
        "scheme",
    )
)
IS_CONTEXT = frozenset(("manager", "name", "supervisor", "mentor", "matron", "sister", "boss"))
TO_CONTEXT = frozenset(("thanks", "spoke", "talked", "reported", "complained", "went", "listen"))
#: words after which the next word is a name even in lower case ("called priya")
STRONG_CONTEXT = ("called", "named", "name's", "name’s")
#: given names and surnames that are also common words: only names when used as names
AMBIGUOUS_NAMES = frozenset(
    (
        "grace",
        "joy",
        "hope",
        "faith",
        "precious",
        "blessing",
        "comfort",
        "patience",
        "will",
        "may",
        "mark",
        "rose",
        "cherry",
        "lovely",
        "bill",
        "hall",
        "wood",
        "king",
        "young",
        "bell",
        "hill",
        "cooper",
        "mason",
        "hunt",
        "fox",
        "grant",
        "power",
        "baker",
        "turner",
        "parker",
        "le",
        "lo",
        "ma",
        "ho",
        "li",
        "lee",
        "min",
        "lad",
        "butt",
        "stan",
        "marin",
        "long",
        "sam",
        "jo",
        "chan",
        "dar",
        "das",
        "nelson",
        "lawrence",
        "henry",
        "james",
        "thomas",
        "lewis",
        "morgan",
        "francis",
        "ellis",
        "gordon",
        "stewart",
        "nolan",
        "burke",
        "power",
        "walker",
        "shaw",
        "spencer",
        "harvey",
        "lloyd",
        "fletcher",
        "barker",
        "butler",
        "webb",
    )
)
#: surnames that are everyday words in lower case ("car park"): names only when capitalised
LOWER_CASE_WORDS = frozenset(
    (
        "park",
        "lane",
        "price",
        "dean",
        "sunny",
        "summer",
        "bay",
        "rich",
        "ward",
        "green",
        "brown",
        "long",
        "king",
        "young",
        "hill",
    )
)
#: ambiguous words that are only names after a title or next to another name
NEVER_ALONE = frozenset(("may", "will", "mark", "bill", "long", "le", "lo", "ma", "ho", "li"))
_OPENING_ADVERBS = frozenset(
    """yesterday today tonight then so and but when after later recently eventually apparently
    luckily sadly honestly also once now finally afterwards meanwhile sometimes""".split()
)
_PERSON_VERBS = frozenset(
    """was is has had said says told tells asked asks shouted refused refuses would will could
    did does kept keeps made makes went goes came comes called calls laughed laughs ignored
    ignores blamed blames reported reports helped helps supported supports stood stands
    knew knows thinks thought wanted wants gave gives started starts used uses never always
    just still also""".split()
)
_PARTICLES = frozenset(
    "ní nic ó ua uí mac mc de da di do dos das del dela van von bin binti bint ibn abu al el le".split()
)
_LIST_JOINERS = frozenset(("and", "or", "&", "with", "but", "then", "so", "because", "when"))
#: what follows a colleague's first name at the start of a clause ("X on nights", "X from the
#: ED", "X in HR", "X, she's Colombian", "X, who ...")
_WORK_CLAUSE = re.compile(
    r"(?:['’]s)?(?:\s+(?:on|from|in|at|off|over\s+on)\s+(?:the\s+)?(?:nights?|days|lates|earlies|"
    r"weekends|bank|nights|shift|ward|unit|ED|A&E|AE|ICU|ITU|HDU|CCU|NICU|HR|OH|theatres?|"
    r"pharmacy|radiology|maternity|paeds|paediatrics|outpatients|admin|reception|labour\s+ward|"
    r"the\s+ward|[A-Z]{2,5}\b|ward\s+\d+\w?|\d+[A-Za-z]?\b)"
    r"|,\s+(?:she|he|they)(?:['’]s|['’]re|\s+(?:is|was|were|are|has|had|used|said|told|works|worked))"
    r"|,\s+who\b)",
)
#: titles that are only ever followed by a name ("dr patel"), even in lower case
_NAME_TITLES = frozenset(("dr", "mr", "mrs", "ms", "miss", "prof", "mx"))
MONTHS_AND_DAYS = frozenset(
    (
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
)

#: a word: letters of any script (Zhané, Łukasz), with inner apostrophes and hyphens
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0900-\u0dff\u200c\u200d])"
_WORD = re.compile(rf"{_LETTER}(?:{_LETTER}|['’\-](?={_LETTER}))*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


#: spaCy labels that say a span is not a person
_NOT_PERSON_LABELS = frozenset(
    (
        "NORP",
        "GPE",
        "LOC",
        "LANGUAGE",
        "LAW",
        "WORK_OF_ART",
        "EVENT",
        "DATE",
        "TIME",
    )
)
#: cues that take a word for a name on weak evidence (a list, capitals, its place in the
#: sentence): the model's other labels and the country list overrule them; a title, a role
#: or a phrase such as "called" or "on nights" is never overruled
_WEAK_CUES = frozenset(
    (
        "gazetteer",
        "gazetteer_ambiguous",
        "gazetteer_lower_case",
        "capitalised_pair",
        "capitalised_pair_subject",
        "joined_pair",
        "subject_of_verb",
        "possessive",
        "before_known_name",
        "unknown_subject",
    )
)
_TITLE_STEMS = frozenset(t.rstrip(".") for t in TITLES)
#: function words that are never names, whatever their case
NEVER_NAMES = frozenset(
    "i me my mine myself you your yours he him his she her hers it its we us our ours they "
    "them their theirs this that these those who whom whose which what the".split()
)
#: colour words that are also common surnames ("Sarah Brown", "Jack White")
COLOUR_SURNAMES = frozenset(("black", "white", "brown", "green", "grey", "gray"))
#: group nouns after a colour word make it a descriptor ("Black women", "Black staff")
_GROUP_WORDS = frozenset(("women", "men", "people", "folk", "staff", "community", "workforce"))
#: pattern prefix of a name that is also a function word: kept whole by the tidying rules
FUNCTION_WORD_NAME = "function_word_"
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|s|t)$")
_OPENING_PUNCTUATION = frozenset(" \t\"'“‘(")


def _other_script(word: str) -> bool:
    """Every letter of ``word`` outside the Latin script (Tamil, Arabic, CJK, Cyrillic...)."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and not any("LATIN" in unicodedata.name(c, "") for c in letters)


def _words(text: str) -> list[_Word]:
    words = []
    for match in _WORD.finditer(text):
        j = match.start() - 1
        while j >= 0 and text[j] in _OPENING_PUNCTUATION:
            j -= 1
        sentence_start = j < 0 or text[j] in ".!?\n:;"
        words.append(_Word(match.group(), match.start(), match.end(), sentence_start))
    return words


#: share of the gazetteer's own names allowed to count as everyday words (see below)
EVERYDAY_PERCENTILE = 5.0


def name_closeness_scale(
    vocab: object, gazetteer: dict[str, str], ambiguous: frozenset[str] | set[str]
) -> tuple[np.ndarray, float] | None:
    """The centre of the known names in the model's word-vector space, and the closeness to
    it below which only :data:`EVERYDAY_PERCENTILE` % of those names fall.

    Learned from the gazetteer (names only, not its everyday-word names) and the loaded
    model, once per model: no list of everyday words is written by hand. ``None`` when the
    model has no vectors or knows too few of the names to say.
    """
    scale = None
    vectors = getattr(vocab, "vectors", None)
    if vectors is not None and len(vectors):
        known = sorted(n for n in gazetteer if n not in ambiguous and vocab.has_vector(n))  # type: ignore[attr-defined]
        if len(known) >= 200:
            matrix = np.array([vocab.get_vector(n) for n in known], dtype=np.float64)  # type: ignore[attr-defined]
            matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
            centre = matrix.mean(axis=0)
            centre /= np.linalg.norm(centre)
            cut = float(np.percentile(matrix @ centre, EVERYDAY_PERCENTILE))
            scale = (centre.astype(np.float32), cut)
    return scale


class PersonNameRecognizer(EntityRecognizer):
    """Find person names by title, context, gazetteer and lower-case gazetteer matches."""

    NAME = "person_names.v1"

    def __init__(
        self,
        protected: ProtectedTerms | None = None,
        gazetteer: dict[str, str] | None = None,
        use_gazetteer: bool = True,
    ) -> None:
        self.protected = protected or ProtectedTerms()
        self.gazetteer = (
            (gazetteer if gazetteer is not None else load_gazetteer()) if (use_gazetteer) else {}
        )
        self.ambiguous = AMBIGUOUS_NAMES | {
            name for name, origin in self.gazetteer.items() if origin.startswith(COMMON_WORD_MARK)
        }
        # a surname that is also a UK place or region ("London", "Kent", "Bolton") is a name
        # only beside another name or after a title or context, never on the list alone
        uk, uk_common = load_places("uk_places.txt")
        self.place_words = {p.lower() for p in (*uk, *uk_common) if " " not in p} | UK_REGIONS
        self.countries = load_countries()
        self._tokens: object = ()
        self._scales: dict[int, tuple[np.ndarray, float] | None] = {}
        super().__init__(supported_entities=["PERSON"], name=self.NAME, supported_language="en")

    def load(self) -> None:
        return None

    def _excluded(self, word: _Word) -> bool:
        lower = _POSSESSIVE.sub("", word.lower)
        return (
            lower in STOP_WORDS
            or _CONTRACTION.sub("", lower) in STOP_WORDS  # "I'm", "You're", "We'll"
            or lower in MONTHS_AND_DAYS
            or self.protected.is_protected_word(lower)
            or lower in TITLES
        )

    def _name_like(self, word: _Word, *, lower_ok: bool, by_context: bool = False) -> bool:
        """Could ``word`` continue a name that has already started?

        After a cue from title or context ("called hannah hartley") a following lower-case
        word that is not a common word is taken as the surname, in the gazetteer or not.
        """
        if self._excluded(word):
            return False
        lower = _POSSESSIVE.sub("", word.lower)
        if word.capitalised:
            return True
        if not lower_ok:
            return False
        if lower in self.gazetteer and lower not in self.ambiguous:
            return True
        return by_context and lower not in NOT_NAMES_AFTER_ROLE and len(lower) > 1

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and "PERSON" not in entities:
            return []
        words = _words(text)
        tokens = getattr(nlp_artifacts, "tokens", None) or ()
        self._tokens = tokens
        # spans the model gives another label (a nationality, a country, a law, a title...):
        # none of the rules below takes them for a name (a title or "called" still does)
        not_people = [
            (e.start_char, e.end_char, e.label_)
            for e in model_entities(nlp_artifacts)
            if e.label_ in _NOT_PERSON_LABELS
        ]
        results: list[RecognizerResult] = []  # other scripts: other_script.v1
        i = 0
        while i < len(words):
            word = words[i]
            cue = self._cue(text, words, i)
            if cue is None:
                i += 1
                continue
            kind, score = cue
            lower_ok = kind != "gazetteer" or not word.capitalised
            j = i + 1
            while (
                j < len(words)
                and j - i < 4
                and words[j].start - words[j - 1].end <= 1
                and (text[words[j - 1].end : words[j].start] in {" ", "-"})
                and self._name_like(
                    words[j],
                    lower_ok=lower_ok or not words[j].capitalised,
                    # a lower-case surname after a lower-case first name ("called hannah
                    # hartley"); after a capitalised one only a known name ("Dr Horiguchi
                    # flew": the verb is not a surname)
                    by_context=not kind.startswith("gazetteer")
                    and j - i < 2
                    and not word.capitalised,
                )
            ):
                j += 1
            if self._colour_surname(text, words, i, j):
                j += 1  # "Sarah Brown", "june brown": a surname, not a descriptor here
            start, end = words[i].start, words[j - 1].end
            span_text = text[start:end]
            trimmed = _POSSESSIVE.sub("", span_text)
            end = start + len(trimmed)
            if kind in _WEAK_CUES and self._not_a_person(trimmed, start, end, kind, not_people):
                i += 1  # overruled: the next word may still start a name ("Yesterday Layla")
                continue
            results.append(recogniser_result(self, "PERSON", start, end, score, kind))
            i = j
        return results

    def _not_a_person(
        self, name: str, start: int, end: int, kind: str, not_people: list[tuple[int, int, str]]
    ) -> bool:
        """A country ("New Zealand", "Portugal"), or words the model labels as something
        other than a person: a nationality ("Danish"), a place, a law ("Rights Act"), a work
        ("Guilty Pleasures"), a date. Not an organisation, a product or a building: the
        model gives those labels to names it does not know ("Consolata Ochola", "Emeka")."""
        if name.casefold() in self.countries:
            return True
        if not any(s < end and start < e for s, e, _ in not_people):
            return False
        # a label the model gives words it has never seen ("Pleșu and Jasmina" as a work of
        # art) is a guess from their shape, not knowledge: it does not overrule the cue
        vocab = getattr(self._tokens, "vocab", None)
        if vocab is None or not len(vocab.vectors):
            return True
        return any(
            vocab.has_vector(part) or vocab.has_vector(part.lower())
            for part in re.findall(r"[^\W\d_][\w'’-]*", name)
        )

    def _context_cue(self, text: str, words: list[_Word], i: int) -> tuple[str, float] | None:
        """Names known only from where they stand: appositives, "manager is X", "thanks to X"."""
        word = words[i]
        lower = _POSSESSIVE.sub("", word.lower)
        if not word.capitalised and lower in NOT_NAMES_AFTER_ROLE:
            return None
        if (
            i + 1 < len(words)
            and text[word.end : words[i + 1].start] == " "
            and _other_script(words[i + 1].text)
            and self._candidate(word)
            and self._has_vectors()
            and not self._everyday_words((word,))
        ):  # (with no vectors nothing tells "Ask" from a name: not taken)
            return "before_other_script", 0.6  # "Sudiksha ஆதித்யவர்த்தன்", not "Ask 王"
        if (
            word.sentence_start
            and i + 2 < len(words)
            and words[i + 1].lower in {"our", "my", "the"}
            and words[i + 2].lower in ROLE_CONTEXT
        ):
            return "appositive_after", 0.7  # "Ramil, our deputy director, ..."
        if self._before_known_name(text, words, i):
            return "before_known_name", 0.6  # "Adaeze Nwosu", "Mei Ling Zhang"
        if word.capitalised and self._opens_clause_about_work(text, words, i):
            return "clause_about_work", 0.55  # "Deepa on nights", "Oisin from the ED"
        if self._subject_of_verb(text, words, i):
            return "subject_of_verb", 0.55  # "Yesterday Layla was rude to me"
        if (
            word.sentence_start
            and i + 1 < len(words)
            and words[i + 1].lower in _PERSON_VERBS
            and text[word.end : words[i + 1].start] == " "
            and self._candidate(word)
            and self._unknown_to_the_model(word)
        ):
            return "unknown_subject", 0.5  # "Csanád had given...": no English word
        if self._possessive_name(text, words, i):
            return "possessive", 0.5  # "It was Marion's idea"
        if self._joined_pair(text, words, i) or (
            i > 1 and words[i - 1].lower in {"and", "or"} and self._joined_pair(text, words, i - 2)
        ):
            return "joined_pair", 0.5  # "were Hauwa and Oluwakemi"
        if (
            word.sentence_start
            and self._capitalised_pair(text, words, i, at_start=True)
            and i + 2 < len(words)
            and words[i + 2].lower in _PERSON_VERBS
        ):
            return "capitalised_pair_subject", 0.55  # "Akise Çetin was really supportive"
        if i == 0:
            return None
        previous = words[i - 1].lower
        before = words[i - 2].lower if i > 1 else ""
        gap = text[words[i - 1].end : word.start].strip()
        if previous == "band":  # "my band 7, Deepa," (digits are not words here)
            gap = re.sub(r"^\d+[a-dA-D]?", "", gap).strip()
        after = text[word.end : words[i + 1].start].strip() if i + 1 < len(words) else "."
        role_before = previous in ROLE_CONTEXT or previous == "band"
        if gap == "," and role_before:
            return "appositive", 0.8
        if gap == "" and previous == "is" and before in IS_CONTEXT:
            return "named_by_is", 0.8
        if gap == "" and previous == "to" and before in TO_CONTEXT:
            return "thanks_to", 0.7
        if gap == "" and previous == "with" and before in {"work", "worked", "working"}:
            return "works_with", 0.7
        if gap == "" and previous in ROLE_CONTEXT and not word.sentence_start:
            if word.capitalised:
                return "context", 0.8
            if self._lower_case_after_role(words, i):
                return "context_lower_case", 0.6
        if (
            gap == ""
            and previous in TELL_VERBS
            and not word.capitalised
            and self._plain_word(word)
            and after in {"", ",", "."}
            and i + 1 < len(words)
            and words[i + 1].lower in OBJECT_ENDINGS | {"and"}
        ):
            return "told_lower_case", 0.55
        if (
            gap == ""
            and previous in TELL_VERBS
            and not word.capitalised
            and self._plain_word(word)
            and i + 2 < len(words)
            and (self._plain_word(words[i + 1]) or words[i + 1].lower in COLOUR_SURNAMES)
            and words[i + 2].lower in OBJECT_ENDINGS
        ):
            return "told_lower_case", 0.55  # "i told felicity fairbrother about it"
        if word.capitalised and self._capitalised_pair(text, words, i):
            return "capitalised_pair", 0.55
        return None

    def _candidate(self, word: _Word) -> bool:
        """A capitalised word that could be a name: not a stop, place or research word."""
        lower = _POSSESSIVE.sub("", word.lower)
        return (
            word.capitalised
            and len(word.text) > 1
            and not word.text.isupper()
            and not self._excluded(word)
            and lower not in PLACE_WORDS
            and lower not in ROLE_CONTEXT
            and lower not in COMMON_OBJECTS
        )

    def _before_known_name(self, text: str, words: list[_Word], i: int) -> bool:
        """A capitalised word just before a capitalised surname or name the gazetteer knows."""
        if i + 1 >= len(words) or text[words[i].end : words[i + 1].start] != " ":
            return False
        nxt = words[i + 1]
        known = _POSSESSIVE.sub("", nxt.lower)
        if nxt.lower in _PARTICLES and i + 2 < len(words) and words[i + 2].capitalised:
            return self._candidate(words[i])  # "Síle Ní Bhriain", "Ana de Souza"
        third = (
            _POSSESSIVE.sub("", words[i + 2].lower)
            if i + 2 < len(words)
            and text[nxt.end : words[i + 2].start] == " "
            and self._candidate(words[i + 2])
            else ""
        )
        known_next = known in self.gazetteer and (known not in self.ambiguous or bool(third))
        known_third = third in self.gazetteer and third not in self.ambiguous
        return (
            self._candidate(words[i])
            and self._candidate(nxt)
            and (known_next or known_third)
            and (i + 2 >= len(words) or words[i + 2].lower not in PLACE_WORDS)
        )

    def _unknown_to_the_model(self, word: _Word) -> bool:
        """A word the model has no vector for: not an English word (with NER only, or rules
        only, nothing is known this way and nothing is taken)."""
        vocab = getattr(self._tokens, "vocab", None)
        if vocab is None or not len(vocab.vectors):
            return False
        return not vocab.has_vector(word.text) and not vocab.has_vector(word.lower)

    def _function_word_name(
        self, text: str, words: list[_Word], i: int
    ) -> tuple[str, float] | None:
        """A name that is also an English function word or a month ("An" and "Do" are
        Vietnamese names, "June" and "May" English ones), found only where the common word
        cannot stand: capitalised mid-sentence, in ordinary (not title-case) text, and then
        with a possessive ("It was An's idea"), before a shift or department phrase ("Ask An
        from the ED"), joined by "and" to another name ("were An and Hạnh") or before a
        surname the model has never seen ("with An Nguyễn")."""
        word = words[i]
        lower = _POSSESSIVE.sub("", word.lower)
        if (  # lower case after "told": "i told june brown about it", "i told an bùi about it"
            not word.capitalised
            and i > 0
            and words[i - 1].lower in TELL_VERBS
            and lower not in NEVER_NAMES
            and (lower in _MONTHS or (lower in STOP_WORDS and len(lower) > 1))
            and i + 2 < len(words)
            and (self._plain_word(words[i + 1]) or words[i + 1].lower in COLOUR_SURNAMES)
            and (
                lower in _MONTHS
                or (self._has_vectors() and not self._everyday_words((words[i + 1],)))
            )
            and words[i + 2].lower in OBJECT_ENDINGS
        ):
            return FUNCTION_WORD_NAME + "told_lower_case", 0.55
        if (
            word.sentence_start
            or i == 0
            or not word.capitalised
            or word.text.isupper()
            or len(lower) < 2
            or lower in NEVER_NAMES
            or not (lower in STOP_WORDS or lower in _MONTHS)
            or (words[i - 1].capitalised and not words[i - 1].sentence_start)  # title case
            or _CONTRACTION.search(word.lower)
            and not _POSSESSIVE.search(word.lower)
        ):
            return None
        following = words[i + 1] if i + 1 < len(words) else None
        if _POSSESSIVE.search(word.text):
            if following is not None and not following.capitalised:
                return FUNCTION_WORD_NAME + "possessive", 0.5
            return None
        if _WORK_CLAUSE.match(text, word.end):
            return FUNCTION_WORD_NAME + "clause_about_work", 0.55
        if following is None or text[word.end : following.start] != " ":
            return None
        if (
            following.lower in {"and", "or"}
            and i + 2 < len(words)
            and self._candidate(words[i + 2])
            and (i + 3 >= len(words) or not words[i + 3].capitalised)
        ):
            return FUNCTION_WORD_NAME + "joined_pair", 0.5
        if (
            self._candidate(following)
            and self._has_vectors()
            and not self._everyday_words((following,))
        ):
            return FUNCTION_WORD_NAME + "before_a_name", 0.55
        return None

    def _colour_surname(self, text: str, words: list[_Word], i: int, j: int) -> bool:
        """Is ``words[j]`` a colour surname ending the name ``words[i:j]``?

        Brown, Black, White, Green are among the commonest British surnames and research
        descriptors too: right after a name (capitalised, or lower case after a lower-case
        name) one is a surname, unless a role or group follows ("Sarah Black nurses")."""
        if j >= len(words) or j - i >= 4 or text[words[j - 1].end : words[j].start] != " ":
            return False
        colour = words[j]
        if _POSSESSIVE.sub("", colour.lower) not in COLOUR_SURNAMES:
            return False
        if not colour.capitalised and words[i].capitalised:
            return False
        if j + 1 < len(words) and not _POSSESSIVE.search(colour.text):
            after = words[j + 1]
            lower = after.lower
            if not after.capitalised and (
                lower in _GROUP_WORDS
                or (self.protected.is_protected_word(lower) and lower not in STOP_WORDS)
                or (lower.endswith("s") and len(lower) > 3 and lower not in STOP_WORDS)
            ):
                return False
        return True

    def _has_vectors(self) -> bool:
        vocab = getattr(self._tokens, "vocab", None)
        return vocab is not None and bool(len(vocab.vectors))

    def _everyday_words(self, words: Sequence[_Word]) -> bool:
        """Every word an everyday English word by the model's own word vectors, and none a
        known name: two capitalised words that only look like a name ("Staff Nurse").

        A word is "everyday" when its vector is further from the centre of the gazetteer's
        names than 95% of those names are (:func:`name_closeness_scale`). A word the model
        has no vector for (most names from outside England: "Okonkwo", "Fairbrother") is
        never everyday, and with no vectors (rules only, a small model) nothing is.
        """
        vocab = getattr(self._tokens, "vocab", None)
        if id(vocab) not in self._scales:  # once per loaded model
            self._scales[id(vocab)] = name_closeness_scale(vocab, self.gazetteer, self.ambiguous)
        scale = self._scales[id(vocab)]
        if scale is None:
            return False
        centre, cut = scale
        for word in words:
            lower = _POSSESSIVE.sub("", word.lower)
            if lower in self.gazetteer and lower not in self.ambiguous:
                return False
            if not vocab.has_vector(lower):  # type: ignore[union-attr]
                return False
            vector = vocab.get_vector(lower)  # type: ignore[union-attr]
            length = float(np.linalg.norm(vector))
            if length == 0.0 or float(vector @ centre) / length >= cut:
                return False
        return True

    def _verb_form(self, word: _Word) -> bool:
        """ "Working", "Covered": an -ing/-ed form the model knows (with NER only, every one)."""
        lower = word.lower
        if not lower.endswith(("ing", "ed")):
            return False
        vocab = getattr(self._tokens, "vocab", None)
        if vocab is None or not len(vocab.vectors):
            return True
        return bool(vocab.has_vector(word.text) or vocab.has_vector(lower))

    def _possessive_name(self, text: str, words: list[_Word], i: int) -> bool:
        """ "It was Marion's idea": a capitalised possessive mid-sentence before a lower-case
        word, after a lower-case word."""
        word = words[i]
        if word.sentence_start or i == 0 or not _POSSESSIVE.search(word.text):
            return False
        if words[i - 1].capitalised or not self._candidate(word):
            return False
        return i + 1 < len(words) and not words[i + 1].capitalised

    def _joined_pair(self, text: str, words: list[_Word], i: int) -> bool:
        """ "were Hauwa and Oluwakemi": two capitalised words mid-sentence joined by "and",
        after a lower-case word and not followed by a capitalised word (an organisation)."""
        if i + 2 >= len(words) or words[i].sentence_start or i == 0:
            return False
        first, joiner, second = words[i], words[i + 1], words[i + 2]
        if joiner.lower not in {"and", "or"} or words[i - 1].capitalised:
            return False
        if not (self._candidate(first) and self._candidate(second)):
            return False
        if self._everyday_words((first, second)):
            return False  # "Wisdom and Discipline"
        return i + 3 >= len(words) or not words[i + 3].capitalised

    def _subject_of_verb(self, text: str, words: list[_Word], i: int) -> bool:
        """A capitalised word mid-sentence (or after an opening adverb) before a verb people
        do: "Yesterday Layla was rude", "and then Sanjay said"."""
        if i == 0 or i + 1 >= len(words) or words[i].sentence_start:
            return False
        if not self._candidate(words[i]) or text[words[i].end : words[i + 1].start] != " ":
            return False
        previous = words[i - 1]
        if previous.capitalised and not (
            previous.sentence_start and previous.lower in _OPENING_ADVERBS
        ):
            return False
        return words[i + 1].lower in _PERSON_VERBS

    def _opens_clause_about_work(self, text: str, words: list[_Word], i: int) -> bool:
        """A lone capitalised word before a shift, team or department phrase, or before
        ", she's" / ", he was": how staff mention a colleague by first name."""
        if not self._candidate(words[i]) or self._verb_form(words[i]):
            return False
        opens = words[i].sentence_start or (i > 0 and words[i - 1].lower in _LIST_JOINERS)
        if not opens and (i == 0 or (words[i - 1].capitalised and not words[i - 1].sentence_start)):
            return False
        return bool(_WORK_CLAUSE.match(text, words[i].end))

    def _plain_word(self, word: _Word) -> bool:
        """A lower-case word that could be a name: not common, not a verb form."""
        lower = word.lower
        return (
            (len(lower) > 2 or (len(lower) == 2 and not lower.isascii()))  # "lê", "ní"
            and lower not in STOP_WORDS
            and lower not in COMMON_OBJECTS
            and lower not in NOT_NAMES_AFTER_ROLE
            # an -ed/-ing/-ly word is an English verb or adverb only if the model knows it
            # ("guiying" is not)
            and not (lower.endswith(("ed", "ing", "ly")) and not self._unknown_to_the_model(word))
            and not self.protected.is_protected_word(lower)
        )

    def _capitalised_pair(
        self, text: str, words: list[_Word], i: int, at_start: bool = False
    ) -> bool:
        """Two capitalised words together ("Felicity Fairbrother") that are not a known
        organisation, place or research term: a full name the gazetteer does not know."""
        if i + 1 >= len(words) or text[words[i].end : words[i + 1].start] != " ":
            return False
        pair = (words[i], words[i + 1])
        if not all(w.capitalised and len(w.text) > 1 and not w.text.isupper() for w in pair):
            return False
        if any(self._excluded(w) or w.lower in PLACE_WORDS or self._verb_form(w) for w in pair):
            return False  # "Awarded Salesperson"
        if self._everyday_words(pair):
            return False  # "Staff Nurse", "Border Force", "Personal Info"
        before = words[i - 1].lower if i > 0 and not at_start else ""
        return before not in {"of", "the"} and (
            i + 2 >= len(words) or words[i + 2].lower not in PLACE_WORDS
        )

    @staticmethod
    def _lower_case_after_role(words: list[_Word], i: int) -> bool:
        """'my manager arnel', 'our matron jonel' — not 'colleagues roll', 'chair protected'."""
        word, role = words[i].lower, words[i - 1].lower
        determiner = any(w.lower in DETERMINERS for w in words[max(0, i - 3) : i - 1])
        verb_like = word.endswith(("ed", "ing")) or (word.endswith("s") and len(word) > 4)
        return determiner and not role.endswith("s") and not verb_like and len(word) > 2

    def _cue(self, text: str, words: list[_Word], i: int) -> tuple[str, float] | None:
        word = words[i]
        lower = _POSSESSIVE.sub("", word.lower)
        previous = words[i - 1].lower.rstrip(".") if i > 0 else ""
        titled = previous in _TITLE_STEMS and (
            words[i - 1].capitalised or previous in {"dr", "mr", "mrs", "ms", "miss", "prof"}
        )
        if (
            titled
            and lower not in STOP_WORDS
            and lower not in MONTHS_AND_DAYS
            and (
                word.capitalised
                or (
                    (lower in self.gazetteer or previous in _NAME_TITLES)
                    and lower not in NOT_NAMES_AFTER_ROLE
                    and lower not in COMMON_OBJECTS
                    and not self.protected.is_protected_word(lower)
                )
            )
        ):
            return "title", 0.95
        if self._excluded(word):
            return self._function_word_name(text, words, i)
        if previous in STRONG_CONTEXT:
            return "strong_context", 0.85
        context = self._context_cue(text, words, i)
        if context is not None:
            return context
        in_gazetteer = lower in self.gazetteer or (
            lower in self.ambiguous and lower not in NEVER_ALONE
        )
        next_is_name = (
            i + 1 < len(words)
            and words[i + 1].capitalised
            and (words[i + 1].lower in self.gazetteer)
            and not self._excluded(words[i + 1])
        )
        if word.capitalised:
            if in_gazetteer:
                if lower in self.place_words and not next_is_name:
                    return None
                if lower not in self.ambiguous:
                    return "gazetteer", 0.8
                if next_is_name or not word.sentence_start:
                    return "gazetteer_ambiguous", 0.6
            return None
        if (
            in_gazetteer
            and lower not in self.ambiguous
            and lower not in LOWER_CASE_WORDS
            and lower not in self.place_words
            and len(lower) > 2
        ):
            return "gazetteer_lower_case", 0.6
        return None
